"""Pages scanned upside down or sideways are turned upright before they are read, and shown upright."""

import io

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageStat

from tuyengiao.core.text import fold
from tuyengiao.digitise.extract import pdf_page_texts
from tuyengiao.digitise.services import proofread_below, scan_create, scan_process


def stored_image(page) -> Image.Image:
    with page.image.open("rb") as file:
        return Image.open(io.BytesIO(file.read())).convert("L")


def mean_difference(first: Image.Image, second: Image.Image) -> float:
    return ImageStat.Stat(ImageChops.difference(first, second)).mean[0]


def characters_on_ink(path: str) -> tuple[int, int]:
    """How many of the visible characters of the PDF's first page lie over dark pixels, and how many there are.

    The page is drawn without its /Rotate, so that pdfium's character boxes (in unturned page space) map
    straight onto the picture.
    """
    document = pdfium.PdfDocument(path)
    try:
        page = document[0]
        textpage = page.get_textpage()
        page.set_rotation(0)
        scale, height = 2, page.get_size()[1]
        picture = page.render(scale=scale).to_pil().convert("L")
        on_ink = total = 0
        for index in range(textpage.count_chars()):
            if textpage.get_text_range(index, 1).isspace():
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            box = (
                int(left * scale),
                int((height - top) * scale),
                int(right * scale) + 1,
                int((height - bottom) * scale) + 1,
            )
            total += 1
            on_ink += ImageStat.Stat(picture.crop(box)).mean[0] < 235
        textpage.close()
        return on_ink, total
    finally:
        document.close()


def test_an_upside_down_scanned_page_is_read_like_the_upright_one(db, samples, collected):
    upright = scan_create(samples["scanned_pdf"], name="chi-thi-19.pdf")
    upside_down = scan_create(samples["upside_down_pdf"], name="chi-thi-19-nguoc.pdf")
    scan_process(upright)
    scan_process(upside_down)

    expected, page = upright.pages.get(), upside_down.pages.get()
    words = fold(page.text)
    for phrase in ("chi thi", "ban bi thu", "tang cuong cong tac"):
        assert phrase in words
    assert page.text == expected.text
    assert page.confidence > proofread_below()
    assert abs(page.confidence - expected.confidence) < 5
    assert not page.needs_proofreading


def test_an_upside_down_page_is_shown_upright_and_its_original_is_kept(db, samples, collected):
    upright = scan_create(samples["scanned_pdf"], name="chi-thi-19.pdf")
    upside_down = scan_create(samples["upside_down_pdf"], name="chi-thi-19-nguoc.pdf")
    scan_process(upright)
    scan_process(upside_down)

    # the page image to proofread against is the upright page, not the page as scanned
    shown, expected = stored_image(upside_down.pages.get()), stored_image(upright.pages.get())
    assert shown.size == expected.size
    assert mean_difference(shown, expected) < 2
    assert mean_difference(shown, expected.rotate(180)) > 10
    # the searchable PDF turns the page upright and holds its text; the original is as uploaded
    searchable = pdfium.PdfDocument(upside_down.searchable_pdf.path)
    try:
        assert searchable[0].get_rotation() == 180
    finally:
        searchable.close()
    assert "ban bi thu" in fold(pdf_page_texts(upside_down.searchable_pdf.path)[0])
    with upside_down.original.open("rb") as original:
        assert original.read() == samples["upside_down_pdf"]


def test_a_page_scanned_sideways_is_turned_upright_and_read(db, samples, collected):
    scan = scan_create(samples["sideways_png"], name="trang-nghieng.png")
    scan_process(scan)

    page = scan.pages.get()
    words = fold(page.text)
    for phrase in ("chi thi", "ban bi thu", "tuyen truyen mieng", "ha giang"):
        assert phrase in words
    assert page.confidence > proofread_below()
    shown = stored_image(page)
    assert shown.width > shown.height  # the lines run across the page image, as on the paper
    searchable = pdfium.PdfDocument(scan.searchable_pdf.path)
    try:
        width, height = searchable[0].get_size()
        assert width > height
    finally:
        searchable.close()
    with scan.original.open("rb") as original:
        assert original.read() == samples["sideways_png"]


def test_a_turned_pdf_page_gets_its_text_over_the_words_and_is_shown_upright(db, samples, collected):
    upright = scan_create(samples["scanned_pdf"], name="chi-thi-19.pdf")
    sideways = scan_create(samples["sideways_pdf"], name="chi-thi-19-nghieng.pdf")
    scan_process(upright)
    scan_process(sideways)

    assert sideways.pages.get().text == upright.pages.get().text
    searchable = pdfium.PdfDocument(sideways.searchable_pdf.path)
    try:
        assert searchable[0].get_rotation() == 180  # the scan lies upside down in the page: shown turned back
    finally:
        searchable.close()
    on_ink, total = characters_on_ink(sideways.searchable_pdf.path)
    assert total > 40
    assert on_ink == total  # a search in a PDF viewer highlights the words themselves
