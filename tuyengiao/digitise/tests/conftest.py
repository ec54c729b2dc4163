"""Sample files for the digitisation tests, made once per session: small, so that OCR stays fast."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from docx import Document
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A5
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tuyengiao.digitise.models import Scan, ScanPage

FONTS = Path("/usr/share/fonts/truetype/dejavu")
SCANNED_LINES = ["Số 19-CT/TW", "Chỉ thị của Ban Bí thư", "về tăng cường công tác"]
TYPED_LINES = ["Nghị quyết số 05-NQ/TU của Tỉnh ủy Hà Giang", "về phát triển kinh tế nông nghiệp hàng hóa"]
# Enough lines for Tesseract's orientation detection to be sure of itself (confidence above 14).
LONG_SCANNED_LINES = [
    *SCANNED_LINES,
    "tuyên truyền miệng trong tình hình mới",
    "Đảng bộ tỉnh Hà Giang lãnh đạo",
    "phát triển kinh tế nông nghiệp hàng hóa",
] * 2
ARRIVAL_STAMP = "VĂN BẢN ĐẾN Số: 125 Ngày: 12/3/2024"


def page_image(lines, *, width=1100) -> Image.Image:
    """A few lines of large Vietnamese text on white, as a scanner at 300 dpi would see 10 pt print."""
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 40)
    image = Image.new("L", (width, 90 + 70 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((50, 45 + 70 * index), line, font=font, fill=0)
    return image


def _fonts_register() -> None:
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))


def stamped_scan_pdf() -> bytes:
    """An A5 page scanned whole (one image over all of it), with an arrival stamp typed over it later: a text
    layer of a few words."""
    _fonts_register()
    width, height = A5
    scan = Image.new("L", (round(width / 72 * 300), round(height / 72 * 300)), 255)
    scan.paste(page_image(SCANNED_LINES), (80, 300))  # the same words as `scanned_pdf`
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    pdf.drawImage(ImageReader(scan), 0, 0, width=width, height=height)
    pdf.setFont("DejaVuSans", 11)
    pdf.drawString(40, height - 30, ARRIVAL_STAMP)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def typed_pdf_with_photo(lines, *, photo_share: float) -> bytes:
    """An A5 page of typed lines with a photograph across the bottom `photo_share` of the page."""
    _fonts_register()
    width, height = A5
    photo = Image.effect_noise((600, round(840 * photo_share)), 60).convert("RGB")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    pdf.drawImage(ImageReader(photo), 0, 0, width=width, height=height * photo_share)
    pdf.setFont("DejaVuSans", 10)
    for index, line in enumerate(lines):
        pdf.drawString(30, height - 30 - 12 * index, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def typed_pdf(lines) -> bytes:
    """A PDF with a real text layer (reportlab, DejaVu Sans embedded)."""
    _fonts_register()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    pdf.setFont("DejaVuSans", 12)
    for index, line in enumerate(lines):
        pdf.drawString(40, 500 - 20 * index, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_rotate(document: bytes, degrees: int) -> bytes:
    """The PDF with its pages' /Rotate turned by `degrees` clockwise (how a viewer shows them, not their content)."""
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(document)).pages:
        writer.add_page(page.rotate(degrees))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_join(*documents: bytes) -> bytes:
    writer = PdfWriter()
    for document in documents:
        for page in PdfReader(io.BytesIO(document)).pages:
            writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("Kế hoạch số 12-KH/BTGTU")
    document.add_paragraph("Tuyên truyền kỷ niệm ngày thành lập Đảng")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Đơn vị thực hiện"
    table.cell(0, 1).text = "Huyện ủy Bắc Mê"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def samples():
    scanned = page_image(SCANNED_LINES)
    encrypted = PdfWriter()
    encrypted.add_blank_page(width=200, height=200)
    encrypted.encrypt("mat-khau")
    encrypted_buffer = io.BytesIO()
    encrypted.write(encrypted_buffer)
    empty_buffer = io.BytesIO()
    PdfWriter().write(empty_buffer)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/image1.bin", bytes(20 * 1024 * 1024))
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("readme.txt", "hello")
    typed = typed_pdf(TYPED_LINES)
    return {
        # page 1 is a scan without text, page 2 was typed: one page to OCR, one to take as it is
        "mixed_pdf": pdf_join(image_bytes(scanned, "PDF", resolution=300), typed),
        "scanned_pdf": image_bytes(scanned, "PDF", resolution=300),
        "upside_down_pdf": image_bytes(scanned.rotate(180), "PDF", resolution=300),
        # scanned upside down, then given a /Rotate of 90: a viewer shows it lying on its side
        "sideways_pdf": pdf_rotate(image_bytes(scanned.rotate(180), "PDF", resolution=300), 90),
        "sideways_png": image_bytes(
            page_image(LONG_SCANNED_LINES, width=1400).rotate(90, expand=True), "PNG", dpi=(300, 300)
        ),
        "stamped_scan_pdf": stamped_scan_pdf(),
        # a short typed page (a cover) with a picture, and a page of print with a large photograph
        "short_typed_with_picture_pdf": typed_pdf_with_photo(TYPED_LINES, photo_share=0.2),
        "typed_with_photo_pdf": typed_pdf_with_photo([*TYPED_LINES, *LONG_SCANNED_LINES], photo_share=0.6),
        "typed_pdf": typed,
        "two_page_pdf": pdf_join(typed, typed),
        "png": image_bytes(page_image(["Ban Tuyên giáo Tỉnh ủy", "Hà Giang"], width=800), "PNG", dpi=(300, 300)),
        "docx": docx_bytes(),
        "encrypted_pdf": encrypted_buffer.getvalue(),
        "empty_pdf": empty_buffer.getvalue(),
        "docx_bomb": bomb.getvalue(),
        "zip": not_word.getvalue(),
    }


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):
    """Files go to a temporary folder, the private ones too (their storage is made once, at import)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private = FileSystemStorage(location=tmp_path / "private", base_url="/private-files-are-served-by-views/")
    for field in (
        Scan._meta.get_field("original"),
        Scan._meta.get_field("searchable_pdf"),
        ScanPage._meta.get_field("image"),
    ):
        monkeypatch.setattr(field, "storage", private)


@pytest.fixture
def collected(django_capture_on_commit_callbacks):
    """Tasks would be queued on commit; the tests run the work themselves."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        yield callbacks
