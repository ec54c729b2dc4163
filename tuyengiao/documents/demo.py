"""Demo documents: the Party documents the seed article names (fixtures/documents_from_seed.csv), each with a
generated PDF holding a realistic body, a provincial plan and guidance that implement them, and one scanned
(image-only) notice that the task worker reads by OCR.

The provincial documents are demo data written for this portal, not real documents of Hà Giang.
"""

import csv
import io
from pathlib import Path

from django.core.files.base import ContentFile

from tuyengiao.core.tabular import parse_date

FIXTURE = Path(__file__).parent / "fixtures" / "documents_from_seed.csv"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

BODY = [
    "Trong những năm qua, các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội "
    "đã quan tâm lãnh đạo, chỉ đạo và tổ chức thực hiện, đạt được nhiều kết quả quan trọng. Nhận thức của cán bộ, "
    "đảng viên và nhân dân được nâng lên.",
    "Tuy nhiên, việc triển khai ở một số nơi còn hình thức, chưa gắn với điều kiện thực tế của địa phương; công tác "
    "kiểm tra, giám sát, sơ kết, tổng kết chưa được tiến hành thường xuyên.",
    "Để khắc phục những hạn chế nêu trên, Ban Bí thư yêu cầu các cấp ủy, tổ chức đảng tập trung thực hiện tốt "
    "các nhiệm vụ sau đây:",
    "1. Tăng cường sự lãnh đạo, chỉ đạo của các cấp ủy đảng; đưa nhiệm vụ này vào chương trình công tác, "
    "nghị quyết của cấp ủy; phân công cụ thể trách nhiệm của từng tổ chức, từng cán bộ, đảng viên.",
    "2. Đổi mới nội dung, hình thức tuyên truyền, phổ biến phù hợp với từng đối tượng, nhất là đồng bào dân tộc "
    "thiểu số ở vùng sâu, vùng xa, vùng biên giới; phát huy vai trò của hệ thống thông tin cơ sở.",
    "3. Bố trí nguồn lực thỏa đáng; định kỳ sơ kết, tổng kết, kịp thời khen thưởng tập thể, cá nhân có thành tích.",
    "Ban Tuyên giáo các cấp chủ trì, phối hợp với các cơ quan liên quan hướng dẫn, theo dõi, kiểm tra việc thực "
    "hiện và định kỳ báo cáo cấp ủy.",
]

# Provincial documents of the demo (numbers and contents are invented for the demo).
PROVINCIAL = [
    {
        "number": "45-KH/TU",
        "type": "Kế hoạch",
        "title": "Kế hoạch thực hiện Chỉ thị số 07-CT/TW ngày 05/9/2016 của Ban Bí thư về đẩy mạnh công tác thông tin "
        "cơ sở trong tình hình mới",
        "issuer": "Tỉnh ủy Hà Giang",
        "issued_on": "12/12/2016",
        "level": "province",
        "relations": [("implements", "07-CT/TW")],
        "based_on": ["07-CT/TW"],
    },
    {
        "number": "05-NQ/TU",
        "type": "Nghị quyết",
        "title": "Nghị quyết về nâng cao chất lượng công tác tuyên giáo trên địa bàn tỉnh Hà Giang giai đoạn 2021-2025",
        "issuer": "Tỉnh ủy Hà Giang",
        "issued_on": "15/03/2021",
        "level": "province",
        "relations": [("based_on", "17-CT/TW")],
        "based_on": ["17-CT/TW"],
    },
    {
        "number": "12-HD/BTGTU",
        "type": "Hướng dẫn",
        "title": "Hướng dẫn tuyên truyền miệng và hoạt động của đội ngũ báo cáo viên cơ sở năm 2022",
        "issuer": "Ban Tuyên giáo Tỉnh ủy",
        "issued_on": "10/01/2022",
        "level": "province",
        "relations": [("guides", "05-NQ/TU")],
        "based_on": ["05-NQ/TU"],
    },
    {
        "number": "18-KH/HU",
        "type": "Kế hoạch",
        "title": "Kế hoạch tổ chức lớp bồi dưỡng lý luận chính trị hè năm 2022 cho cán bộ, đảng viên huyện Bắc Mê",
        "issuer": "Huyện ủy Bắc Mê",
        "issued_on": "20/05/2022",
        "level": "district",
        "relations": [],
        "based_on": [],
        "access": "cadres",
    },
]
SCANNED = {
    "number": "31-TB/BTGTU",
    "type": "Thông báo",
    "title": "Thông báo kết luận của Thường trực Ban Tuyên giáo Tỉnh ủy về công tác thông tin cơ sở",
    "issuer": "Ban Tuyên giáo Tỉnh ủy",
    "issued_on": "08/11/2022",
    "level": "province",
    "relations": [],
    "based_on": ["07-CT/TW"],
}


def _heading(number: str, issuer: str, issued_on: str, type_name: str, title: str, based_on: list[str]) -> list:
    day, month, year = issued_on.split("/")
    place = "Hà Nội" if "Trung ương" in issuer else "Hà Giang"
    lines = [
        ("bold", issuer.upper()),
        ("normal", f"Số {number}"),
        ("bold", "ĐẢNG CỘNG SẢN VIỆT NAM"),
        ("italic", f"{place}, ngày {int(day):02d} tháng {int(month):02d} năm {year}"),
        ("title", type_name.upper()),
        ("bold", title),
    ]
    lines += [("italic", f"Căn cứ Chỉ thị số {other} của Ban Bí thư;") for other in based_on]
    return lines


def pdf_make(lines: list, paragraphs: list[str]) -> bytes:
    """A PDF with a text layer: a document's heading lines and body paragraphs, in DejaVu fonts."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    for name, file_name in (
        ("DejaVuSerif", "DejaVuSerif.ttf"),
        ("DejaVuSerif-Bold", "DejaVuSerif-Bold.ttf"),
        ("DejaVuSerif-Italic", "DejaVuSerif-Italic.ttf"),
    ):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file_name)))
    styles = {
        "normal": ParagraphStyle("normal", fontName="DejaVuSerif", fontSize=12, leading=17, spaceAfter=6),
        "bold": ParagraphStyle("bold", fontName="DejaVuSerif-Bold", fontSize=12, leading=17, alignment=1),
        "italic": ParagraphStyle("italic", fontName="DejaVuSerif-Italic", fontSize=12, leading=17, alignment=1),
        "title": ParagraphStyle("title", fontName="DejaVuSerif-Bold", fontSize=16, leading=22, alignment=1),
    }
    story = []
    for style, text in lines:
        story += [Paragraph(text, styles[style]), Spacer(1, 4)]
    story.append(Spacer(1, 12))
    story += [Paragraph(text, styles["normal"]) for text in paragraphs]
    output = io.BytesIO()
    SimpleDocTemplate(output, pagesize=A4, title=lines[-1][1][:80]).build(story)
    return output.getvalue()


def scanned_pdf_make(text_pdf: bytes) -> bytes:
    """The first page of a PDF as a 200-dpi image-only PDF, as a scanner makes it."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(text_pdf)
    image = pdf[0].render(scale=200 / 72, grayscale=True).to_pil()
    output = io.BytesIO()
    image.save(output, format="PDF", resolution=200)
    return output.getvalue()


_PDFS: dict[str, bytes] = {}


def _demo_pdf(row: dict, *, scanned: bool) -> bytes:
    """The demo file of a row, made once per process (seed_demo runs before many tests)."""
    if row["number"] not in _PDFS:
        lines = _heading(row["number"], row["issuer"], row["issued_on"], row["type"], row["title"], row["based_on"])
        content = pdf_make(lines, BODY[:3] if scanned else BODY * 6)  # a scan: one page
        _PDFS[row["number"]] = scanned_pdf_make(content) if scanned else content
    return _PDFS[row["number"]]


def _rows() -> list[dict]:
    with FIXTURE.open(encoding="utf-8") as handle:
        seed = [{**row, "relations": [], "based_on": []} for row in csv.DictReader(handle)]
    for row in seed:
        row["level"] = "central"
    return seed + PROVINCIAL


def demo_documents_load(*, unit=None) -> int:
    """Load the demo documents once; returns how many were created. Their files go to the task worker."""
    from tuyengiao.documents.models import Document, DocumentType
    from tuyengiao.documents.services import (
        document_file_add,
        document_find,
        document_save,
        document_types_ensure,
        issuer_get_or_create,
        relation_add,
    )

    if not (FONT_DIR / "DejaVuSerif.ttf").exists():
        return 0  # the README's Debian package fonts-dejavu-core is missing: no demo PDFs
    document_types_ensure()
    created = 0
    stored: dict[str, Document] = {}
    for row in [*_rows(), SCANNED]:
        issuer = issuer_get_or_create(row["issuer"])
        issued_on = parse_date(row["issued_on"])
        document = document_find(row["number"], issued_on, issuer)
        if document is None:
            document = Document(
                number=row["number"],
                type=DocumentType.objects.get(name=row["type"]),
                title=row["title"],
                issuer=issuer,
                issued_on=issued_on,
                effective_on=issued_on,
                level=row["level"],
                access=row.get("access", "public"),
                unit=unit,
            )
            document_save(document)
            name = ("ban-chup-" if row is SCANNED else "") + row["number"].replace("/", "-") + ".pdf"
            document_file_add(document, ContentFile(_demo_pdf(row, scanned=row is SCANNED), name=name), name=name)
            created += 1
        stored[row["number"]] = document
    for row in _rows():
        for kind, other in row["relations"]:
            if other in stored:
                relation_add(stored[row["number"]], kind, stored[other])
    return created
