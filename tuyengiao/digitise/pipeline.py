"""The heavy part of digitisation, free of the database: files in, page results out, in page order.

PDF pages with a real text layer give their text at once. Other pages (scans, and scans with a few words of
text added over them) are rendered at 300 dpi (pypdfium2, in this thread: pdfium is not thread-safe) and read
by Tesseract in a small pool of threads, each waiting on its own `tesseract` process, so that rendering and OCR
of the next pages overlap. Results come back in page order, one by one, so that the caller can save each page
and its progress as soon as it is ready.

A page scanned sideways or upside down is turned upright before it is read (Tesseract's orientation detection
says how far); its page image and its page in the searchable PDF are shown upright too. The original file is
never changed.
"""

import io
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter

from tuyengiao.digitise.extract import docx_text, pdfium_page_is_scan, pdfium_page_text
from tuyengiao.digitise.ocr import OcrError, OcrResult, ocr_image, orientation_detect

RENDER_DPI = 300
MAX_RENDER_PIXELS = 40_000_000  # an A2 page at 300 dpi; larger pages are rendered at a lower resolution
A4_LONG_SIDE_INCHES = 11.69
PREVIEW_WIDTH = 1240  # page images for proofreading: 1000–1400 px wide
PREVIEW_MAX_WIDTH = 1400
# Tesseract's orientation confidence: below the first, a page said to lie turned is read as it is; from the
# second on (OCRmyPDF's default threshold) it is turned without question; in between (a page of a few lines
# scores 3) it is read both ways and the reading with the higher word confidence is kept: a page read upside
# down scores far lower (about 50 against 95), so a wrong guess of the detection costs a second reading only.
ORIENTATION_MIN_CONFIDENCE = 1.5
UPRIGHT_CONFIDENCE = 80.0  # a reading this sure is taken as upright without asking the orientation
ORIENTATION_SURE_CONFIDENCE = 14.0
# Pillow's transposition that turns an image clockwise by so many degrees.
CLOCKWISE = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


class PageReadError(Exception):
    """OCR of one page failed."""

    def __init__(self, number: int, reason: str):
        super().__init__(f"page {number}: {reason}")
        self.number = number


@dataclass
class PageResult:
    number: int
    method: str  # "text", "ocr" or "docx"
    text: str
    confidence: float | None = None
    preview: bytes | None = None  # WebP page image for proofreading
    pdf: Path | None = None  # Tesseract's one-page PDF
    text_only: bool = False  # `pdf` is an invisible text layer to lay over the original page
    rotation: int = 0  # degrees the page was turned clockwise to be read upright


PageJob = PageResult | Callable[[], PageResult]


def pages_in_order(jobs: Iterable[PageJob], workers: int) -> Iterator[PageResult]:
    """Run the callables among `jobs` in `workers` threads; yield all results in the order of `jobs`.

    `jobs` is consumed lazily: at most `workers` + 1 pages wait rendered at any time.
    """
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="digitise-ocr")
    pending: deque[Future] = deque()
    try:
        for job in jobs:
            if callable(job):
                pending.append(pool.submit(job))
            else:
                done: Future = Future()
                done.set_result(job)
                pending.append(done)
            while pending and (pending[0].done() or len(pending) > workers):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def pdf_jobs(path: Path, workdir: Path) -> Iterator[PageJob]:
    """One job per page of the PDF: its text layer, or an OCR run on the page rendered at 300 dpi (a scan)."""
    document = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                number = index + 1
                text = pdfium_page_text(page)
                if not pdfium_page_is_scan(page, text):
                    yield PageResult(number=number, method="text", text=text)
                    continue
                dpi = _render_dpi(*page.get_size())
                # pdfium renders colour twice as fast as grey; Pillow makes it grey (Tesseract reads grey faster)
                image = page.render(scale=dpi / 72, rev_byteorder=True).to_pil().convert("L")
            finally:
                page.close()
            source = workdir / f"page-{number}.pgm"  # uncompressed: the fastest to write and to read
            image.save(source)
            yield _ocr_job(number, source, workdir, dpi, image, text_only=True)
    finally:
        document.close()


def image_jobs(path: Path, workdir: Path) -> Iterator[PageJob]:
    """One OCR job per frame of the image (a multi-page TIFF has several)."""
    with Image.open(path) as image:
        frames = getattr(image, "n_frames", 1)
        for index in range(frames):
            image.seek(index)
            number = index + 1
            dpi = _image_dpi(image)
            upright = _exif_orientation(image) in (None, 1)
            frame = image.copy() if upright else ImageOps.exif_transpose(image)
            if frames == 1 and upright and image.format in ("JPEG", "PNG") and image.mode in ("1", "L", "RGB"):
                source = path  # Tesseract reads it directly (and puts a JPEG into the PDF as it is)
            else:
                frame = _flatten(frame)
                source = workdir / f"page-{number}.{'pbm' if frame.mode == '1' else 'pnm'}"
                frame.save(source, format="PPM")
            yield _ocr_job(number, source, workdir, dpi, frame, text_only=False)


def docx_result(path: Path) -> PageResult:
    return PageResult(number=1, method="docx", text=docx_text(path))


def _ocr_job(
    number: int, source: Path, workdir: Path, dpi: int, image: Image.Image, *, text_only: bool
) -> Callable[[], PageResult]:
    preview = _preview(image)

    def run() -> PageResult:
        rotation, result = _read_upright(number, source, workdir, dpi, text_only=text_only)
        return PageResult(
            number=number,
            method="ocr",
            text=result.text,
            confidence=result.confidence,
            preview=_webp(preview.transpose(CLOCKWISE[rotation]) if rotation else preview),
            pdf=result.pdf,
            text_only=text_only,
            rotation=rotation,
        )

    return run


def _read_upright(number: int, source: Path, workdir: Path, dpi: int, *, text_only: bool) -> tuple[int, OcrResult]:
    """Read the page image `source` the right way up; return how far it was turned clockwise, and the reading."""

    def read(image: Path, name: str) -> OcrResult:
        try:
            return ocr_image(image, workdir / name, dpi=dpi, text_only_pdf=text_only)
        except OcrError as error:
            raise PageReadError(number, str(error)) from error

    # Most pages lie upright and read well: they cost no orientation detection (about a second of Tesseract).
    as_is = read(source, f"ocr-{number}")
    if (as_is.confidence or 0) >= UPRIGHT_CONFIDENCE:
        return 0, as_is
    orientation = orientation_detect(source, dpi=dpi)
    if orientation is None or orientation.rotate == 0 or orientation.confidence < ORIENTATION_MIN_CONFIDENCE:
        return 0, as_is
    turned = read(_turned_copy(source, orientation.rotate, workdir / f"page-{number}-turned"), f"ocr-{number}-turned")
    # Tesseract may read sideways lines as well as upright ones: on a tie, the detected orientation decides
    if orientation.confidence >= ORIENTATION_SURE_CONFIDENCE or (turned.confidence or 0) >= (as_is.confidence or 0):
        return orientation.rotate, turned
    return 0, as_is


def _turned_copy(source: Path, degrees: int, stem: Path) -> Path:
    """The image file `source` turned clockwise by `degrees`, written uncompressed beside it."""
    with Image.open(source) as image:
        turned = _flatten(image).transpose(CLOCKWISE[degrees])
    target = stem.with_suffix(".pbm" if turned.mode == "1" else ".pnm")
    turned.save(target, format="PPM")
    return target


def _preview(image: Image.Image) -> Image.Image:
    """The page at about 1240 px wide (integer reduction: fast and sharp)."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("L" if image.mode == "1" else "RGB")
    if image.width > PREVIEW_MAX_WIDTH:
        factor = max(1, round(image.width / PREVIEW_WIDTH))
        image = image.reduce(factor) if factor > 1 else image
        if image.width > PREVIEW_MAX_WIDTH:
            height = round(image.height * PREVIEW_MAX_WIDTH / image.width)
            image = image.resize((PREVIEW_MAX_WIDTH, height), Image.Resampling.BILINEAR)
    return image


def _webp(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=55, method=2)
    return buffer.getvalue()


def _render_dpi(width_pt: float, height_pt: float) -> int:
    """300 dpi, or less for a page so large that 300 dpi would take too much memory."""
    square_inches = max(width_pt * height_pt / 72 / 72, 1e-6)
    return max(50, min(RENDER_DPI, int((MAX_RENDER_PIXELS / square_inches) ** 0.5)))


def _image_dpi(image: Image.Image) -> int:
    """The resolution the image states, if plausible for a scan; else as if the page were A4.

    Cameras and phones write 72 dpi whatever they photograph: taken at its word, a photo of a page would be
    a metre wide, and Tesseract would misjudge the size of the letters.
    """
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    if 150 <= value <= 1200:
        return value
    return max(70, min(1200, round(max(image.size) / A4_LONG_SIDE_INCHES)))


def _exif_orientation(image: Image.Image) -> int | None:
    try:
        return image.getexif().get(0x0112)
    except Exception:  # noqa: BLE001 (a broken EXIF block only means: no orientation)
        return None


def _flatten(image: Image.Image) -> Image.Image:
    """An image Tesseract and PNM take: bilevel, grey or RGB; transparency on white."""
    if image.mode in ("1", "L", "RGB"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        background = Image.new("RGBA", image.size, "white")
        return Image.alpha_composite(background, image.convert("RGBA")).convert("RGB")
    if image.mode.startswith("I;16"):  # 16-bit grey: keep the high byte
        return image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def searchable_pdf_write(kind: str, original: Path, pages: list[PageResult], target: Path) -> bool:
    """Write the searchable PDF to `target`; False when there is none to make (a Word document).

    For a PDF, the original pages stay as they are (their images are not re-encoded) and Tesseract's invisible
    text is laid over the OCR'd ones; for images, Tesseract's pages (image and text) are put together.
    """
    ocr_pages = [page for page in pages if page.pdf is not None]
    if kind == "docx":
        return False
    if kind == "pdf" and not ocr_pages:
        shutil.copyfile(original, target)  # every page already has its text
        return True
    if kind == "pdf":
        document = pdfium.PdfDocument(str(original))
        try:
            for result in ocr_pages:
                _text_layer_lay(document, result.number - 1, result.pdf, turn=result.rotation)
            document.save(str(target))
        finally:
            document.close()
    else:
        writer = PdfWriter()
        for result in pages:
            writer.add_page(PdfReader(result.pdf).pages[0])
        with open(target, "wb") as file:
            writer.write(file)
    return True


def _text_layer_lay(document: pdfium.PdfDocument, index: int, layer_path: Path, *, turn: int = 0) -> None:
    """Lay the one-page text layer at `layer_path` over page `index`, fitted to the page as it is shown.

    The layer was read from the page as rendered, that is turned by the page's /Rotate, and then by `turn`
    degrees clockwise to make it upright: the page's /Rotate gets `turn` added, so that it is shown as it was
    read. Page objects live in the unturned page space, so the layer is turned back.
    """
    layer = pdfium.PdfDocument(str(layer_path))
    page = document[index]
    try:
        if turn:
            page.set_rotation((page.get_rotation() + turn) % 360)
        layer_page = layer[0]
        layer_width, layer_height = layer_page.get_size()
        layer_page.close()
        xobject = layer.page_as_xobject(0, document)
        left, bottom, right, top = page.get_bbox()
        width, height = right - left, top - bottom
        rotation = page.get_rotation() % 360
        shown_width, shown_height = (height, width) if rotation in (90, 270) else (width, height)
        sx, sy = shown_width / layer_width, shown_height / layer_height
        matrix = {
            0: (sx, 0, 0, sy, left, bottom),
            90: (0, sx, -sy, 0, left + width, bottom),
            180: (-sx, 0, 0, -sy, left + width, bottom + height),
            270: (0, -sx, sy, 0, left, bottom + height),
        }[rotation]
        text = xobject.as_pageobject()
        text.transform(pdfium.PdfMatrix(*matrix))
        page.insert_obj(text)
        page.gen_content()
        xobject.close()
    finally:
        page.close()
        layer.close()
