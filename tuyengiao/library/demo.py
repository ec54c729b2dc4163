"""Demo library for `seed_demo`: two Party histories and a book of the propaganda sector (image-only, so that it
goes through OCR), each over 100 pages with chapters in the PDF's outline, and three issues of the bulletin.

The texts are generated from a few sentences written for this demo; they are not the real histories. The PDFs
are made once per process (seed_demo runs before many tests); the task worker digitises and publishes them.
"""

import io
import random

from django.core.files.base import ContentFile

from tuyengiao.library.models import Book, Collection

FONT_DIR = "/usr/share/fonts/truetype/dejavu"

OPENINGS = [
    "Trong giai đoạn {years}, Đảng bộ {place} đã lãnh đạo nhân dân các dân tộc",
    "Dưới sự lãnh đạo của Tỉnh ủy, trong những năm {years}, cán bộ, đảng viên {place}",
    "Bước vào thời kỳ {years}, các tổ chức cơ sở đảng của {place}",
    "Phát huy truyền thống cách mạng, giai đoạn {years} quân và dân {place}",
]
ACTIONS = [
    "đẩy mạnh công tác tuyên truyền, vận động quần chúng ở vùng sâu, vùng xa, vùng biên giới",
    "xây dựng cơ sở chính trị vững mạnh, củng cố khối đại đoàn kết toàn dân tộc",
    "phát triển kinh tế nông nghiệp hàng hóa, xóa đói giảm nghèo bền vững",
    "tổ chức học tập, quán triệt các nghị quyết của Đảng đến từng chi bộ",
    "bảo vệ vững chắc chủ quyền, an ninh biên giới quốc gia",
    "mở các lớp bồi dưỡng lý luận chính trị cho cán bộ, đảng viên người dân tộc thiểu số",
    "đưa thông tin cơ sở đến với đồng bào qua đài truyền thanh và báo cáo viên",
]
RESULTS = [
    "góp phần quan trọng vào thắng lợi chung của cả tỉnh.",
    "tạo chuyển biến rõ rệt trong nhận thức và hành động của cán bộ, nhân dân.",
    "để lại nhiều bài học kinh nghiệm quý báu cho các thế hệ sau.",
    "được Tỉnh ủy ghi nhận và biểu dương.",
    "củng cố niềm tin của nhân dân đối với Đảng và chính quyền.",
]
DETAILS = [
    "Toàn huyện có {n} chi bộ, với {m} đảng viên, hoạt động ở {k} xã, thị trấn.",
    "Hội nghị cán bộ chủ chốt được tổ chức tại {place} vào tháng {month} năm {year}.",
    "Phong trào thi đua yêu nước lan rộng, có {n} tập thể và {m} cá nhân được khen thưởng.",
    "Nhiều cán bộ người Mông, người Dao, người Tày đã trưởng thành trong phong trào cách mạng.",
]


def _book_text(rng: random.Random, place: str, chapters: list[tuple[str, int, int]], pages: int):
    """Pages as (heading or None, paragraphs): chapters spread evenly, each starting a page."""
    per_chapter = max(1, pages // len(chapters))
    result = []
    for index in range(pages):
        chapter = min(index // per_chapter, len(chapters) - 1)
        title, start, end = chapters[chapter]
        heading = title if index == chapter * per_chapter else None
        paragraphs = []
        for _paragraph in range(3):
            year = rng.randint(start, end)
            sentence = " ".join(
                [
                    rng.choice(OPENINGS).format(years=f"{start}–{end}", place=place),
                    rng.choice(ACTIONS) + ",",
                    rng.choice(ACTIONS) + ",",
                    rng.choice(RESULTS),
                    rng.choice(DETAILS).format(
                        n=rng.randint(12, 90),
                        m=rng.randint(200, 4000),
                        k=rng.randint(8, 19),
                        place=place,
                        month=rng.randint(1, 12),
                        year=year,
                    ),
                ]
            )
            paragraphs.append(sentence)
        result.append((heading, paragraphs))
    return result


def _fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()  # other demos and tests register some of them too
    for name in ("DejaVuSans", "DejaVuSans-Bold"):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, f"{FONT_DIR}/{name}.ttf"))


def book_pdf_make(title: str, pages: list[tuple[str | None, list[str]]]) -> bytes:
    """An A5 book with a text layer: a title page, then the pages, each chapter heading in the PDF's outline."""
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    _fonts()
    width, height = A5
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5, pageCompression=1, invariant=1)  # the same text, the same bytes
    pdf.setTitle(title)
    pdf.setFont("DejaVuSans-Bold", 16)
    for index, line in enumerate(simpleSplit(title.upper(), "DejaVuSans-Bold", 16, width - 80)):
        pdf.drawCentredString(width / 2, height / 2 + 40 - index * 22, line)
    pdf.showPage()
    for number, (heading, paragraphs) in enumerate(pages, start=2):
        y = height - 50
        if heading:
            key = f"p{number}"
            pdf.bookmarkPage(key)
            pdf.addOutlineEntry(heading, key, level=0)
            pdf.setFont("DejaVuSans-Bold", 12)
            for line in simpleSplit(heading, "DejaVuSans-Bold", 12, width - 80):
                pdf.drawString(40, y, line)
                y -= 17
            y -= 8
        pdf.setFont("DejaVuSans", 9.5)
        for paragraph in paragraphs:
            for line in simpleSplit(paragraph, "DejaVuSans", 9.5, width - 80):
                if y < 50:
                    break
                pdf.drawString(40, y, line)
                y -= 13.5
            y -= 6
        pdf.setFont("DejaVuSans", 8)
        pdf.drawCentredString(width / 2, 25, str(number))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scanned_book_make(title: str, pages: list[tuple[str | None, list[str]]]) -> bytes:
    """The same book as pages scanned at 200 dpi: images only, no text layer (the OCR reads it)."""
    from PIL import Image, ImageDraw, ImageFont

    body = ImageFont.truetype(f"{FONT_DIR}/DejaVuSans.ttf", 27)
    bold = ImageFont.truetype(f"{FONT_DIR}/DejaVuSans-Bold.ttf", 32)
    size = (1165, 1654)  # A5 at 200 dpi
    images = []
    for heading, paragraphs in [(title, []), *pages]:
        image = Image.new("L", size, 255)
        draw = ImageDraw.Draw(image)
        y = 110
        if heading:
            for line in _wrap(draw, heading, bold, size[0] - 220):
                draw.text((110, y), line, font=bold, fill=0)
                y += 46
            y += 20
        for paragraph in paragraphs:
            for line in _wrap(draw, paragraph, body, size[0] - 220):
                if y > size[1] - 120:
                    break
                draw.text((110, y), line, font=body, fill=0)
                y += 38
            y += 14
        images.append(image.convert("1"))  # a bilevel scan, as office scanners make of text
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=200)
    return buffer.getvalue()


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


BOOKS = [
    {
        "key": "demo:lich-su-dang-bo-huyen-bac-me",
        "title": "Lịch sử Đảng bộ huyện Bắc Mê (1945–2020)",
        "authors": "Ban Chấp hành Đảng bộ huyện Bắc Mê",
        "publisher": "Huyện ủy Bắc Mê",
        "year": 2021,
        "collection": "lich-su-dang-bo-huyen",
        "subjects": "lịch sử Đảng bộ, Bắc Mê",
        "place": "huyện Bắc Mê",
        "pages": 110,
        "chapters": [
            ("Chương I. Vùng đất, con người và phong trào cách mạng trước năm 1945", 1930, 1945),
            ("Chương II. Lãnh đạo kháng chiến chống thực dân Pháp (1945–1954)", 1945, 1954),
            ("Chương III. Xây dựng chủ nghĩa xã hội và bảo vệ biên giới (1954–1986)", 1954, 1986),
            ("Chương IV. Lãnh đạo công cuộc đổi mới (1986–2020)", 1986, 2020),
        ],
    },
    {
        "key": "demo:lich-su-dang-bo-tinh-ha-giang",
        "title": "Lịch sử Đảng bộ tỉnh Hà Giang (1945–2020)",
        "authors": "Ban Chấp hành Đảng bộ tỉnh Hà Giang",
        "publisher": "Tỉnh ủy Hà Giang",
        "year": 2022,
        "collection": "lich-su-dang-bo-tinh",
        "subjects": "lịch sử Đảng bộ, Hà Giang",
        "place": "tỉnh Hà Giang",
        "pages": 130,
        "chapters": [
            ("Chương I. Đảng bộ tỉnh ra đời và lãnh đạo giành chính quyền (1945)", 1939, 1945),
            ("Chương II. Kháng chiến và kiến quốc (1945–1954)", 1945, 1954),
            ("Chương III. Khôi phục kinh tế, chiến đấu bảo vệ biên giới (1954–1989)", 1954, 1989),
            ("Chương IV. Thời kỳ đổi mới và hội nhập (1989–2010)", 1989, 2010),
            ("Chương V. Đẩy mạnh công nghiệp hóa, hiện đại hóa (2010–2020)", 2010, 2020),
        ],
    },
    {
        "key": "demo:truyen-thong-nganh-tuyen-giao",
        "title": "Truyền thống ngành Tuyên giáo tỉnh Hà Giang",
        "authors": "Ban Tuyên giáo Tỉnh ủy Hà Giang",
        "publisher": "Ban Tuyên giáo Tỉnh ủy",
        "year": 2020,
        "collection": "truyen-thong-nganh",
        "subjects": "tuyên giáo, truyền thống",
        "place": "ngành Tuyên giáo Hà Giang",
        "pages": 100,
        "scanned": True,
        "chapters": [
            ("Phần một. Những năm đầu xây dựng ngành (1945–1975)", 1945, 1975),
            ("Phần hai. Tuyên giáo trong thời kỳ đổi mới (1976–2020)", 1976, 2020),
        ],
    },
]
BULLETINS = [(1, 2022), (2, 2022), (1, 2023)]
_PDFS: dict[str, bytes] = {}


def _pdf(key: str, make) -> bytes:
    if key not in _PDFS:
        _PDFS[key] = make()
    return _PDFS[key]


def demo_library_load(*, unit=None) -> int:
    """Add the demo books and bulletin issues that are not there yet; return how many were added."""
    from tuyengiao.library.services import book_save

    wanted = []
    for spec in BOOKS:
        rng = random.Random(spec["key"])
        maker = scanned_book_make if spec.get("scanned") else book_pdf_make
        book = Book(
            title=spec["title"],
            authors=spec["authors"],
            publisher=spec["publisher"],
            year=spec["year"],
            collection=Collection.objects.filter(slug=spec["collection"]).first(),
            subjects=spec["subjects"],
            description=f"{spec['title']}: sách điện tử do {spec['publisher']} biên soạn (nội dung mẫu của bản demo).",
        )
        pages = _book_text(rng, spec["place"], spec["chapters"], spec["pages"])
        wanted.append((spec["key"], book, lambda maker=maker, title=spec["title"], pages=pages: maker(title, pages)))
    for number, year in BULLETINS:
        key = f"demo:ban-tin-{number}-{year}"
        title = f"Bản tin Tuyên giáo số {number}/{year}"
        pages = _book_text(random.Random(key), "tỉnh Hà Giang", [(f"{title}: Tiêu điểm", year - 1, year)], 12)
        book = Book(
            kind=Book.Kind.BULLETIN,
            title="Bản tin Tuyên giáo",
            publisher="Ban Tuyên giáo Tỉnh ủy",
            year=year,
            issue_number=number,
        )
        wanted.append((key, book, lambda title=title, pages=pages: book_pdf_make(title, pages)))
    added = 0
    for key, book, make in wanted:
        if Book.objects.filter(source_name=key).exists():
            continue
        book.unit, book.source_name = unit, key
        book_save(book, pdf=ContentFile(_pdf(key, make), name=f"{key.split(':')[1]}.pdf"))
        added += 1
    return added
