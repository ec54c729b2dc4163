"""The e-book library end to end: upload to searchable, OCR throughput, search across the library, and the first
page of the reader on a slow connection; each figure beside a baseline measured in the same run.

1. Upload to searchable. N generated books (tuyengiao.library.demo: `_book_text` with a seed per book, a place
   per book, a few rare sentences, `book_pdf_make`: A5 PDFs with a text layer) of P pages each go through
   `book_save`, then, inline, `scan_process_task.call(scan_id)` (digitise: text extraction) and
   `book_prepare_task.call(book_id)` (prepare: web edition, page images, thumbnails, cover, publish), and are
   then looked for with `library_search` by a code that stands on their last page only. Prints total and
   per-book p50/p95 seconds, pages/second and the split, with the parts of each step timed by wrappers put
   around the functions the services call (pipeline.pdf_jobs, services._page_save, renditions.web_edition_write
   or .linearise, renditions.page_images). Baseline: pypdfium2 reading the text of the same PDF
   (`page.get_textpage().get_text_range()` for each page).
2. OCR throughput. A scanned book of --ocr-pages pages (demo.scanned_book_make: bilevel, 200 dpi, no text
   layer) through `scan_process_task.call`, in pages/minute. Baseline: the same pages rendered as the
   pipeline renders them (300 dpi, grey, PGM; the rendering not timed) read by `tesseract IMG - -l vie
   --dpi 300`, with OMP_THREAD_LIMIT=1 as the pipeline runs it, in as many parallel runs as the pipeline
   has OCR workers (digitise.services.ocr_workers()). Also shown: the images embedded in the PDF (200 dpi,
   bilevel, extracted with pypdfium2) read the same way.
3. Search across the library. A fixed mix of queries (accented and not, words on nearly every page, rare
   words, a phrase, places, 3–4 words, no match), each asked once cold and then --repeat times:
   `library_search(AnonymousUser(), q)` beside the bare full-text query on the same table with the same
   folded terms (PostgreSQL: `SELECT id FROM library_bookpage WHERE search_vector @@
   websearch_to_tsquery('simple', q)`; SQLite: `SELECT rowid FROM library_fts WHERE library_fts MATCH q`).
   Goal: p95 ≤ 100 ms.
4. First page on a throttled connection. gunicorn (production settings, collected static files) on a free
   port of 127.0.0.1; Playwright drives Debian's Chromium as a phone (360×740 css px, ratio 2.5) under CDP
   network throttling (1.6 Mbit/s down, 750 kbit/s up, 150 ms latency) and opens the reader of a book of
   --reader-pages pages in PDF mode and in page-image mode (forced through the reader's localStorage key, else
   its [data-mode-toggle]): a new visitor (empty cache) at page 1, then the same visitor at the middle page
   (static files cached). Bytes received (all requests: HTML, CSS, JS, pdf.js and
   its worker, PDF ranges, images; CDP Network events, the Resource Timing of the page for requests the page
   target does not report, such as the worker script) and time until the reader's data-rendered is first set.
   Goal: first page after < 300 KB. Baseline: the whole web PDF fetched in a page under the same throttling.
   Skipped, saying why, when the reader's template or script is not there or /usr/bin/chromium is missing.

    .venv/bin/python bench/library.py [--books 30] [--pages 300] [--database sqlite|postgres] [--reuse]
    .venv/bin/python bench/library.py --books 3 --pages 100          # a quick run
    .venv/bin/python bench/library.py --parts 34 --reuse             # search and reader only, same books

SQLite (default): /tmp/bench_library.sqlite3, media under /tmp/bench_library-sqlite/, made anew unless --reuse.
PostgreSQL: the database bench_library on 127.0.0.1 (dropped and created unless --reuse, created if missing),
media under /tmp/bench_library-postgres/. Both are left in place afterwards, for --reuse and for inspection.
--reuse keeps the books when the database holds exactly N published books of P pages, else starts anew.
Progress goes to stderr, the report to stdout. The machine may be shared:
figures are noisy (the load average is printed at the start and the end).
"""

import argparse
import io
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import HOST, PYTHON, ROOT, psql  # bench/common.py (the script's folder is on the path)
from documents_search import percentile  # bench/documents_search.py

DATABASE = "bench_library"
TMP = Path(tempfile.gettempdir())
SQLITE_PATH = TMP / "bench_library.sqlite3"
STATIC_ROOT = TMP / "bench_library-static"
SEED = "bench-library-2026"
SOURCE_PREFIX = "bench:book:"
READER_SOURCE = "bench:reader"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# "Slow 4G": 1.6 Mbit/s down, 750 kbit/s up, 150 ms of latency (CDP wants bytes per second).
THROTTLE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
FIRST_PAGE_GOAL_KB = 300
SEARCH_GOAL_MS = 100.0
RENDER_TIMEOUT_S = 120
SETTLE_S = 5.0
READER_TEMPLATE = ROOT / "tuyengiao/library/templates/library/reader.html"
READER_SCRIPT = ROOT / "static/js/book-reader.mjs"

# ---------------------------------------------------------------------------------------------------------------
# The books: demo text (tuyengiao.library.demo) with a place, chapters and a few rare sentences per book.

PLACES = [
    "huyện Bắc Mê",
    "huyện Vị Xuyên",
    "huyện Bắc Quang",
    "huyện Quang Bình",
    "huyện Hoàng Su Phì",
    "huyện Xín Mần",
    "huyện Yên Minh",
    "huyện Quản Bạ",
    "huyện Đồng Văn",
    "huyện Mèo Vạc",
    "thành phố Hà Giang",
]
PERIODS = [
    ("Vùng đất, con người và phong trào cách mạng", 1930, 1945),
    ("Lãnh đạo kháng chiến chống thực dân Pháp", 1945, 1954),
    ("Xây dựng chủ nghĩa xã hội, chi viện miền Nam", 1954, 1975),
    ("Chiến đấu bảo vệ biên giới Tổ quốc", 1975, 1989),
    ("Lãnh đạo công cuộc đổi mới", 1986, 2000),
    ("Đẩy mạnh công nghiệp hóa, hiện đại hóa", 2000, 2010),
    ("Hội nhập và phát triển bền vững", 2010, 2020),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"]
# (sentence put at the top of a page, share of pages that get it)
RARE = [
    ("Đồng bào các dân tộc cùng bộ đội biên phòng dựng lại cột cờ Lũng Cú trên đỉnh núi Rồng.", 0.004),
    ("Tiếng khèn Mông vang lên trong ngày hội xuống đồng của bà con vùng cao.", 0.002),
    ("Đoàn cán bộ tỉnh đến thăm khu di tích dinh thự họ Vương ở Sà Phìn.", 0.0004),
]

# The search mix: (label, query).
MIX = [
    ("đảng bộ", "đảng bộ"),
    ("dang bo", "dang bo"),
    ("nhân dân (every page)", "nhân dân"),
    ("nhan dan (every page)", "nhan dan"),
    ("cán bộ đảng viên", "cán bộ đảng viên"),
    ("can bo dang vien", "can bo dang vien"),
    ("tuyên truyền", "tuyên truyền"),
    ("chi bộ", "chi bộ"),
    ("Lũng Cú (rare)", "Lũng Cú"),
    ('"khen mong" (rare phrase)', '"khen mong"'),
    ("dinh thự họ Vương (rarest)", "dinh thự họ Vương"),
    ('"xóa đói giảm nghèo"', '"xóa đói giảm nghèo"'),
    ('"dai truyen thanh"', '"dai truyen thanh"'),
    ("Bắc Mê (place)", "Bắc Mê"),
    ("vi xuyen (place)", "vi xuyen"),
    ("Mèo Vạc (place)", "Mèo Vạc"),
    ("bồi dưỡng lý luận chính trị", "bồi dưỡng lý luận chính trị"),
    ("chủ quyền an ninh biên giới", "chủ quyền an ninh biên giới"),
    ("người Mông người Dao", "người Mông người Dao"),
    ("hội nghị cán bộ chủ chốt", "hội nghị cán bộ chủ chốt"),
    ("năm 1975", "năm 1975"),
    ("xyzzy (no match)", "xyzzy"),
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


def book_code(index: int) -> str:
    """A word that stands on the last page of book `index` only: what "findable" looks for."""
    return f"TVS{index:04d}"


def book_spec(index: int, pages: int) -> dict:
    """Title, place and the pages' text of book `index` (P pages in all: a title page and P − 1 of text)."""
    from tuyengiao.library.demo import _book_text

    rng = random.Random(f"{SEED}:{index}")
    place = PLACES[index % len(PLACES)]
    first = rng.randint(0, 2)
    count = rng.randint(4, len(PERIODS) - first)
    chapters = [
        (f"Chương {ROMAN[number]}. {name} ({start}–{end})", start, end)
        for number, (name, start, end) in enumerate(PERIODS[first : first + count])
    ]
    text = _book_text(rng, place, chapters, max(1, pages - 1))
    for number, (_heading, paragraphs) in enumerate(text):
        for sentence, share in RARE:
            if rng.random() < share:
                paragraphs.insert(0, sentence)
        if number == len(text) - 1:
            paragraphs.insert(0, f"Ký hiệu lưu trữ của thư viện: {book_code(index)}.")
    start, end = chapters[0][1], chapters[-1][2]
    return {
        "title": f"Lịch sử Đảng bộ {place} ({start}–{end}), tập {index // len(PLACES) + 1}",
        "place": place,
        "year": 2015 + index % 10,
        "pages": text,
    }


# ---------------------------------------------------------------------------------------------------------------
# Environment and database


def environment(database: str) -> Path:
    """Settings for this process and the server of part 4; returns the media folder."""
    media = TMP / f"bench_library-{database}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SECURE_HTTPS": "0",
            "DATABASE_URL": (
                f"postgres://postgres@{HOST}:5432/{DATABASE}" if database == "postgres" else f"sqlite:///{SQLITE_PATH}"
            ),
            "DATABASE_CONN_MAX_AGE": "0",
            "MEDIA_ROOT": str(media / "media"),
            "PRIVATE_MEDIA_ROOT": str(media / "media-private"),
            "STATIC_ROOT": str(STATIC_ROOT),
            "STATICFILES_MANIFEST": "1",
            "TASKS_BACKEND": "database",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    return media


def database_prepare(database: str, media: Path, reuse: bool) -> None:
    if database == "postgres":
        exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") == "1"
        if exists and not reuse:
            psql(f"DROP DATABASE {DATABASE}")
            exists = False
        if not exists:
            psql(f"CREATE DATABASE {DATABASE}")
    elif not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    if not reuse:
        shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True, exist_ok=True)


def server_version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            return cursor.fetchone()[0].split(" on ")[0]
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def bench_books(pages: int):
    from tuyengiao.library.models import Book

    return Book.objects.filter(source_name__startswith=SOURCE_PREFIX, status=Book.Status.PUBLISHED, pages_total=pages)


def books_clear() -> int:
    """Delete the books of an earlier run that cannot be reused (the reader's book stays if it is right)."""
    from tuyengiao.library.models import Book
    from tuyengiao.library.services import book_delete

    old = list(Book.objects.filter(source_name__startswith=SOURCE_PREFIX))
    for book in old:
        book_delete(book)
    return len(old)


# ---------------------------------------------------------------------------------------------------------------
# Timing wrappers around what the services call (instrumentation only: one perf_counter per page).

SPLIT: dict[str, float] = {}


def _timed_generator(name: str, function):
    def wrapper(*args, **kwargs):
        iterator = function(*args, **kwargs)
        while True:
            tick = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                SPLIT[name] = SPLIT.get(name, 0.0) + time.perf_counter() - tick
                return
            SPLIT[name] = SPLIT.get(name, 0.0) + time.perf_counter() - tick
            yield item

    return wrapper


def _timed(name: str, function):
    def wrapper(*args, **kwargs):
        tick = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SPLIT[name] = SPLIT.get(name, 0.0) + time.perf_counter() - tick

    return wrapper


def instrument() -> None:
    from tuyengiao.digitise import pipeline
    from tuyengiao.digitise import services as digitise_services
    from tuyengiao.library import renditions

    wrapped = []
    for module, name, key, generator in (
        (pipeline, "pdf_jobs", "extract", True),
        (digitise_services, "_page_save", "page_save", False),
        (renditions, "linearise", "web_edition", False),  # the web edition's writer, by either name
        (renditions, "web_edition_write", "web_edition", False),
        (renditions, "page_images", "render", True),
    ):
        function = getattr(module, name, None)
        if function is not None:
            setattr(module, name, (_timed_generator if generator else _timed)(key, function))
            wrapped.append(f"{module.__name__.rsplit('.', 1)[-1]}.{name}")
    log(f"timing {', '.join(wrapped)}")


# ---------------------------------------------------------------------------------------------------------------
# 1. Upload to searchable


def pdfium_text(data: bytes) -> int:
    """The baseline: every page's text through pypdfium2; returns the characters read."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    chars = 0
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        document.close()
    return chars


def upload_one(index: int, pages: int, collection) -> dict:
    from django.contrib.auth.models import AnonymousUser
    from django.core.files.base import ContentFile

    from tuyengiao.digitise.models import Scan
    from tuyengiao.digitise.tasks import scan_process_task
    from tuyengiao.library.demo import book_pdf_make
    from tuyengiao.library.models import Book
    from tuyengiao.library.selectors import library_search
    from tuyengiao.library.services import book_save
    from tuyengiao.library.tasks import book_prepare_task

    spec = book_spec(index, pages)
    tick = time.perf_counter()
    data = book_pdf_make(spec["title"], spec["pages"])
    generate_s = time.perf_counter() - tick
    tick = time.perf_counter()
    pdfium_text(data)
    baseline_s = time.perf_counter() - tick

    SPLIT.clear()
    started = time.perf_counter()
    book = book_save(
        Book(
            title=spec["title"],
            authors=f"Ban Chấp hành Đảng bộ {spec['place']}",
            publisher="Nhà xuất bản Chính trị quốc gia Sự thật",
            year=spec["year"],
            collection=collection,
            subjects=f"lịch sử Đảng bộ, {spec['place']}",
            source_name=f"{SOURCE_PREFIX}{index}",
        ),
        pdf=ContentFile(data, name=f"bench-book-{index}.pdf"),
    )
    saved = time.perf_counter()
    scan_status = scan_process_task.call(book.scan_id)
    digitised = time.perf_counter()
    prepare_status = book_prepare_task.call(book.pk)
    prepared = time.perf_counter()
    result = library_search(AnonymousUser(), book_code(index))
    found = any(hit.book.pk == book.pk for hit in result.books)
    searched = time.perf_counter()
    book.refresh_from_db()
    scan = Scan.objects.get(pk=book.scan_id)
    return {
        "index": index,
        "pk": book.pk,
        "pages": book.pages_total,
        "pdf_kb": len(data) / 1024,
        "generate_s": generate_s,
        "baseline_s": baseline_s,
        "save_s": saved - started,
        "digitise_s": digitised - saved,
        "prepare_s": prepared - digitised,
        "search_s": searched - prepared,
        "total_s": searched - started,
        "split": dict(SPLIT),
        "scan_status": scan_status,
        "scan_method": scan.method,
        "prepare_status": prepare_status,
        "found": found and book.status == Book.Status.PUBLISHED,
    }


def files_size(book_ids: list[int]) -> dict:
    from tuyengiao.library.models import Book, BookPage

    sizes = {"web_pdf": 0, "image": 0, "thumb": 0, "pages": 0}
    for book in Book.objects.filter(pk__in=book_ids).only("web_pdf"):
        if book.web_pdf:
            sizes["web_pdf"] += book.web_pdf.size
    for page in BookPage.objects.filter(book_id__in=book_ids).only("image", "thumb").iterator():
        sizes["pages"] += 1
        for field in ("image", "thumb"):
            file = getattr(page, field)
            if file:
                sizes[field] += file.storage.size(file.name)
    return sizes


def part_upload(options, report: list[str], summary: list[tuple]) -> None:
    from tuyengiao.library.models import Collection

    existing = bench_books(options.pages).count()
    if options.reuse and existing == options.books:
        report.append(
            f"1. upload to searchable: skipped (--reuse: {existing} published books of {options.pages} pages "
            "already there)"
        )
        summary.append(("upload → searchable", "reused, not measured", "", ""))
        return
    if options.reuse:
        log(f"--reuse: {existing} usable books, {options.books} wanted; starting anew")
    cleared = books_clear()
    if cleared:
        log(f"deleted {cleared} books of an earlier run")
    collection = Collection.objects.order_by("order").first()
    rows = []
    for index in range(options.books):
        row = upload_one(index, options.pages, collection)
        rows.append(row)
        log(
            f"[1] book {index + 1}/{options.books}: {row['pages']} pages in {row['total_s']:.1f} s (save "
            f"{row['save_s']:.2f}, digitise {row['digitise_s']:.1f}, prepare {row['prepare_s']:.1f}, search "
            f"{row['search_s'] * 1000:.0f} ms; baseline {row['baseline_s']:.2f} s; generated in "
            f"{row['generate_s']:.1f} s){'' if row['found'] else '  NOT FOUND'}"
        )
    sizes = files_size([row["pk"] for row in rows])
    pages_total = sum(row["pages"] for row in rows)
    totals = {key: sum(row[key] for row in rows) for key in ("save_s", "digitise_s", "prepare_s", "search_s")}
    total = sum(row["total_s"] for row in rows)
    baseline = sum(row["baseline_s"] for row in rows)
    split = {}
    for row in rows:
        for key, value in row["split"].items():
            split[key] = split.get(key, 0.0) + value
    per_book = [row["total_s"] for row in rows]
    found = sum(row["found"] for row in rows)
    methods = sorted({row["scan_method"] for row in rows})
    report.append(f"1. upload to searchable: {len(rows)} books × {options.pages} pages = {pages_total} pages")
    report.append(
        "   book | pages | PDF KB | save s | digitise s | prepare s | search ms | total s | baseline s | found"
    )
    for row in rows:
        report.append(
            f"   {row['index'] + 1:4} | {row['pages']:5} | {row['pdf_kb']:6.0f} | {row['save_s']:6.2f} | "
            f"{row['digitise_s']:10.2f} | {row['prepare_s']:9.2f} | {row['search_s'] * 1000:9.1f} | "
            f"{row['total_s']:7.2f} | {row['baseline_s']:10.3f} | {'yes' if row['found'] else 'NO'}"
        )
    report.append(
        f"   total {total:.1f} s for {pages_total} pages: {pages_total / total:.1f} pages/s; per book p50 "
        f"{percentile(per_book, 0.5):.2f} s, p95 {percentile(per_book, 0.95):.2f} s, max {max(per_book):.2f} s"
    )
    report.append(
        f"   baseline (pypdfium2 get_text_range of every page): {baseline:.2f} s, "
        f"{pages_total / baseline:.0f} pages/s; upload to searchable takes {total / baseline:.0f}× that"
    )

    def share(value: float) -> str:
        return f"{value:7.1f} s {value / total * 100:5.1f} %  {value / pages_total * 1000:6.1f} ms/page"

    report.append(f"   book_save (checks, storing the PDF)      {share(totals['save_s'])}")
    report.append(f"   digitise: scan_process_task              {share(totals['digitise_s'])}")
    report.append(f"     text extraction (pipeline.pdf_jobs)    {share(split.get('extract', 0.0))}")
    report.append(f"     saving pages (_page_save, 1 tx/page)   {share(split.get('page_save', 0.0))}")
    rest = totals["digitise_s"] - split.get("extract", 0.0) - split.get("page_save", 0.0)
    report.append(f"     rest (checks, searchable PDF, finish)  {share(rest)}")
    report.append(f"   prepare: book_prepare_task               {share(totals['prepare_s'])}")
    report.append(f"     web edition (pikepdf)                  {share(split.get('web_edition', 0.0))}")
    report.append(f"     page images + thumbnails (render,WebP) {share(split.get('render', 0.0))}")
    rest = totals["prepare_s"] - split.get("web_edition", 0.0) - split.get("render", 0.0)
    report.append(f"     rest (storing files, outline, cover, DB) {share(rest)}")
    report.append(f"   findable: library_search(code on the last page) {share(totals['search_s'])}")
    report.append(
        f"   found and published: {found}/{len(rows)}; scan methods {methods}; files: original PDFs "
        f"{sum(row['pdf_kb'] for row in rows) / 1024:.1f} MB, web PDFs {sizes['web_pdf'] / 2**20:.1f} MB, page "
        f"images {sizes['image'] / 2**20:.1f} MB ({sizes['image'] / max(1, sizes['pages']) / 1024:.1f} KB/page), "
        f"thumbnails {sizes['thumb'] / max(1, sizes['pages']) / 1024:.1f} KB/page"
    )
    summary.append(
        (
            "upload → searchable, per book p50 / p95",
            f"{percentile(per_book, 0.5):.1f} / {percentile(per_book, 0.95):.1f} s",
            f"{baseline / len(rows):.2f} s mean (pypdfium2 text)",
            f"{total / baseline:.0f}× the baseline",
        )
    )
    summary.append(
        (
            "upload → searchable, pages/s",
            f"{pages_total / total:.1f}",
            f"{pages_total / baseline:.0f}",
            f"digitise {totals['digitise_s'] / total * 100:.0f} %, prepare {totals['prepare_s'] / total * 100:.0f} %",
        )
    )


# ---------------------------------------------------------------------------------------------------------------
# 2. OCR throughput


def tesseract_pages(paths: list[Path], dpi: int, workers: int) -> float:
    """Seconds for `tesseract IMG - -l vie --dpi D` on every file, `workers` at a time, one thread each."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(path: Path) -> None:
        subprocess.run(
            ["tesseract", str(path), "-", "-l", "vie", "--dpi", str(dpi)],
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, paths))
    return time.perf_counter() - started


def scanned_images(data: bytes, workdir: Path) -> tuple[list[Path], list[Path]]:
    """The pages rendered as the pipeline renders them (300 dpi, grey, PGM) and the embedded images (PNG)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from tuyengiao.digitise.pipeline import _render_dpi

    rendered, embedded = [], []
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            dpi = _render_dpi(*page.get_size())
            image = page.render(scale=dpi / 72, rev_byteorder=True).to_pil().convert("L")
            path = workdir / f"rendered-{index + 1}.pgm"
            image.save(path)
            rendered.append(path)
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                picture = obj.get_bitmap(render=False).to_pil()
                path = workdir / f"embedded-{index + 1}.png"
                picture.save(path, dpi=(200, 200))
                embedded.append(path)
                break
            page.close()
    finally:
        document.close()
    return rendered, embedded


def part_ocr(options, report: list[str], summary: list[tuple]) -> None:
    from tuyengiao.digitise.models import Scan
    from tuyengiao.digitise.pipeline import UPRIGHT_CONFIDENCE
    from tuyengiao.digitise.services import ocr_workers, scan_create, scan_delete
    from tuyengiao.digitise.tasks import scan_process_task
    from tuyengiao.library.demo import scanned_book_make

    spec = book_spec(10_000, options.ocr_pages)
    data = scanned_book_make(spec["title"], spec["pages"])
    workers = ocr_workers()
    with tempfile.TemporaryDirectory(prefix="bench-library-ocr-") as tmp:
        rendered, embedded = scanned_images(data, Path(tmp))
        log(f"[2] {len(rendered)} scanned pages ({len(data) / 1024:.0f} KB); raw tesseract, {workers} at a time")
        # raw before and after the pipeline, averaged: the machine's load changes from minute to minute
        raw_runs = [tesseract_pages(rendered, 300, workers)]
        raw_embedded = tesseract_pages(embedded, 200, workers) if len(embedded) == len(rendered) else None
        scan = scan_create(data, name="bench-scanned-book.pdf")
        SPLIT.clear()
        log(f"[2] scan_process_task.call on scan {scan.pk}")
        started = time.perf_counter()
        status = scan_process_task.call(scan.pk)
        pipeline_s = time.perf_counter() - started
        raw_runs.append(tesseract_pages(rendered, 300, workers))
    raw_rendered = statistics.fmean(raw_runs)
    scan.refresh_from_db()
    confidences = [page.confidence for page in scan.pages.all() if page.confidence is not None]
    unsure = sum(1 for value in confidences if value < UPRIGHT_CONFIDENCE)
    methods = sorted(set(scan.pages.values_list("method", flat=True)))
    text_chars = sum(len(text) for text in scan.pages.values_list("text", flat=True))
    scan_delete(Scan.objects.get(pk=scan.pk))
    n = len(rendered)
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]

    def rate(seconds: float) -> str:
        return f"{n * 60 / seconds:6.1f} pages/min ({seconds / n:5.2f} s/page, {seconds:6.1f} s)"

    overhead = (pipeline_s / raw_rendered - 1) * 100
    report.append(
        f"2. OCR: {n} scanned A5 pages (scanned_book_make: bilevel, 200 dpi), {version}, {workers} OCR workers"
    )
    report.append(f"   pipeline scan_process_task.call       {rate(pipeline_s)}  → {status}")
    report.append(
        f"   raw tesseract, pages as rendered      {rate(raw_rendered)}  (300 dpi grey PGM, render not timed; "
        f"before {raw_runs[0]:.1f} s, after {raw_runs[1]:.1f} s)"
    )
    if raw_embedded is not None:
        report.append(f"   raw tesseract, embedded 200 dpi image {rate(raw_embedded)}")
    report.append(f"   overhead of the pipeline vs raw (same images, same parallelism): {overhead:+.1f} %")
    report.append(
        f"   pipeline: page methods {methods}, mean confidence "
        f"{statistics.fmean(confidences) if confidences else float('nan'):.1f}, "
        f"{unsure} pages under {UPRIGHT_CONFIDENCE:.0f} (those get an orientation check, maybe a second reading), "
        f"{text_chars} characters; saving pages {SPLIT.get('page_save', 0.0):.2f} s"
    )
    summary.append(
        (
            "OCR pages/minute",
            f"{n * 60 / pipeline_s:.1f}",
            f"{n * 60 / raw_rendered:.1f} (raw tesseract, {workers} parallel)",
            f"overhead {overhead:+.0f} %",
        )
    )


# ---------------------------------------------------------------------------------------------------------------
# 3. Search across the library


def raw_search(query: str):
    """The bare full-text query on library_bookpage with the terms library_search matches; → function → count."""
    from django.db import connection

    from tuyengiao.core.search import query_terms

    _accented, terms = query_terms(query)
    if connection.vendor == "postgresql":
        sql = "SELECT id FROM library_bookpage WHERE search_vector @@ websearch_to_tsquery('simple', %s)"
        parameter = " ".join(f'"{term}"' if " " in term else term for term in terms)
    else:
        sql = "SELECT rowid FROM library_fts WHERE library_fts MATCH %s"
        parameter = " AND ".join('"' + term.replace('"', " ") + '"' for term in terms)

    def run() -> int:
        if not terms:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(sql, [parameter])
            return len(cursor.fetchall())

    return run


def part_search(options, report: list[str], summary: list[tuple]) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuyengiao.library.models import Book, BookPage
    from tuyengiao.library.selectors import library_search

    books = Book.objects.filter(status=Book.Status.PUBLISHED).count()
    pages = BookPage.objects.count()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE library_bookpage")
            after = "VACUUM ANALYZE library_bookpage"
        else:
            cursor.execute("INSERT INTO library_fts(library_fts) VALUES('optimize')")
            cursor.execute("ANALYZE")
            after = "FTS5 'optimize' + ANALYZE"
    log(f"[3] {after} in {time.perf_counter() - started:.1f} s; {len(MIX)} queries × {options.repeat}")
    user = AnonymousUser()
    rows = []
    for label, query in MIX:
        raw = raw_search(query)
        tick = time.perf_counter()
        result = library_search(user, query)
        cold_ms = (time.perf_counter() - tick) * 1000
        raw_count = raw()
        ours, bare = [], []
        for _ in range(options.repeat):
            tick = time.perf_counter()
            result = library_search(user, query)
            ours.append((time.perf_counter() - tick) * 1000)
            tick = time.perf_counter()
            raw()
            bare.append((time.perf_counter() - tick) * 1000)
        rows.append(
            {
                "label": label,
                "query": query,
                "cold": cold_ms,
                "ours": ours,
                "raw": bare,
                "books": result.books_count,
                "pages": result.pages_count,
                "raw_count": raw_count,
            }
        )
    slow = [row for row in rows if statistics.median(row["ours"]) > SEARCH_GOAL_MS]
    statements = {}
    for row in slow:
        with CaptureQueriesContext(connection) as captured:
            library_search(user, row["query"])
        timed = sorted(((float(item["time"]) * 1000, item["sql"]) for item in captured.captured_queries), reverse=True)
        statements[row["label"]] = (len(timed), sum(ms for ms, _sql in timed), timed[:2])

    width = max(len(label) for label, _query in MIX)
    report.append(
        f"3. search: {books} published books, {pages} pages; {len(MIX)} queries, each once cold then "
        f"{options.repeat}× warm; after {after}"
    )
    report.append(
        f"   {'query':{width}} | {'cold ms':>8} | {'p50 ms':>7} | {'max ms':>7} | {'raw p50':>7} | {'books':>5} | "
        f"{'pages':>5} | {'raw n':>5}"
    )
    for row in rows:
        marker = ""
        if statistics.median(row["ours"]) > SEARCH_GOAL_MS:
            marker += f"  >{SEARCH_GOAL_MS:.0f}"
        report.append(
            f"   {row['label']:{width}} | {row['cold']:8.1f} | {statistics.median(row['ours']):7.1f} | "
            f"{max(row['ours']):7.1f} | {statistics.median(row['raw']):7.1f} | {row['books']:5} | "
            f"{row['pages']:5} | {row['raw_count']:5}{marker}"
        )
    ours = [value for row in rows for value in row["ours"]]
    bare = [value for row in rows for value in row["raw"]]
    p95 = percentile(ours, 0.95)
    report.append(
        f"   library_search: p50 {percentile(ours, 0.5):.1f} ms, p95 {p95:.1f} ms, max {max(ours):.1f} ms; "
        f"raw: p50 {percentile(bare, 0.5):.1f} ms, p95 {percentile(bare, 0.95):.1f} ms, max {max(bare):.1f} ms"
    )
    report.append(f"   goal p95 ≤ {SEARCH_GOAL_MS:.0f} ms: {'met' if p95 <= SEARCH_GOAL_MS else 'NOT met'}")
    for label, (count, total_ms, top) in statements.items():
        report.append(f"   {label}: {count} statements, {total_ms:.1f} ms in the database; slowest:")
        for ms, sql in top:
            report.append(f"     {ms:7.1f} ms  {sql[:220]}")
    summary.append(
        (
            "search p50 / p95 / max (ms)",
            f"{percentile(ours, 0.5):.1f} / {p95:.1f} / {max(ours):.1f}",
            f"{percentile(bare, 0.5):.1f} / {percentile(bare, 0.95):.1f} / {max(bare):.1f} (raw FTS)",
            f"goal p95 ≤ {SEARCH_GOAL_MS:.0f}: {'met' if p95 <= SEARCH_GOAL_MS else 'NOT met'}",
        )
    )


# ---------------------------------------------------------------------------------------------------------------
# 4. First page on a throttled connection


def reader_book(options) -> tuple[int, int]:
    """(pk, pages) of a published book of --reader-pages pages: one of part 1's, or one made for this part."""
    from django.core.files.base import ContentFile

    from tuyengiao.digitise.tasks import scan_process_task
    from tuyengiao.library.demo import book_pdf_make
    from tuyengiao.library.models import Book
    from tuyengiao.library.services import book_delete, book_save
    from tuyengiao.library.tasks import book_prepare_task

    pages = options.reader_pages
    book = bench_books(pages).order_by("pk").first()
    if book is None:
        book = Book.objects.filter(source_name=READER_SOURCE, status=Book.Status.PUBLISHED, pages_total=pages).first()
    if book is not None:
        return book.pk, book.pages_total
    for old in Book.objects.filter(source_name=READER_SOURCE):
        book_delete(old)
    spec = book_spec(20_000, pages)
    log(f"[4] making a book of {pages} pages for the reader")
    book = book_save(
        Book(title=spec["title"], year=spec["year"], source_name=READER_SOURCE),
        pdf=ContentFile(book_pdf_make(spec["title"], spec["pages"]), name="bench-reader.pdf"),
    )
    scan_process_task.call(book.scan_id)
    book_prepare_task.call(book.pk)
    book.refresh_from_db()
    return book.pk, book.pages_total


def page_tree(path: str) -> str:
    """The shape of the PDF's page tree: pdf.js walks /Kids one by one to check the last page when it opens a file."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        kids = pdf.Root.Pages.Kids
        leaves = sum(1 for kid in kids if kid.get("/Type") == "/Page")
        return (
            f"linearised {pdf.is_linearized}, page tree root with {len(kids)} kids ({leaves} of them pages"
            f"{': flat' if leaves == len(kids) and len(kids) > 16 else ''})"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_start(port: int, log_file) -> subprocess.Popen:
    env = {**os.environ, "GUNICORN_BIND": f"{HOST}:{port}", "DATABASE_CONN_MAX_AGE": "60"}
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the access log
        stderr=log_file,
    )
    for _ in range(150):
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn did not start on port {port}")


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def reader_hints() -> dict:
    """What the reader's template and script say: the root element, the mode key in localStorage, the toggle."""
    template = READER_TEMPLATE.read_text(encoding="utf-8")
    script = READER_SCRIPT.read_text(encoding="utf-8")
    root = "[data-book-reader]"
    for candidate in re.findall(r"\b(data-[a-z-]*reader[a-z-]*)", template):
        root = f"[{candidate}]"
        break
    # the key: a literal in a localStorage call, else a constant named *MODE* holding a string, else a string
    # literal that names the mode
    key = None
    match = re.search(r"localStorage\.(?:getItem|setItem)\(\s*([\"'`])([^\"'`]+)\1", script)
    if match:
        key = match.group(2)
    if key is None:
        match = re.search(r"\b\w*MODE\w*\s*=\s*([\"'`])([^\"'`]*mode[^\"'`]*)\1", script, re.IGNORECASE)
        key = match.group(2) if match else None
    if key is None:
        match = re.search(r"([\"'`])([\w.:-]*reader[\w.:-]*mode[\w.:-]*)\1", script)
        key = match.group(2) if match else None
    values = {"pdf": "pdf", "images": "images"}
    found = set(re.findall(r"[\"'`](pdf|images?|anh|trang)[\"'`]", script))
    if "images" not in found and "image" in found:
        values["images"] = "image"
    toggle = "[data-mode-toggle]" if "data-mode-toggle" in template + script else None
    return {"root": root, "key": key, "values": values, "toggle": toggle}


OBSERVER = """
(() => {
  try { performance.setResourceTimingBufferSize(5000); } catch (e) {}
  const KEY = %(key)s, VALUE = %(value)s, ROOT = %(root)s;
  if (KEY) { try { localStorage.setItem(KEY, VALUE); } catch (e) {} }
  const entries = () => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
    .map((e) => ({name: e.name, size: e.transferSize, body: e.encodedBodySize, start: e.startTime,
                  end: e.responseEnd, type: e.initiatorType}));
  window.__benchEntries = entries;
  window.__benchArm = () => {
    window.__benchFirst = null;
    const check = () => {
      const root = document.querySelector(ROOT) || document.querySelector("[data-rendered]");
      const value = root && root.getAttribute("data-rendered");
      if (value && value !== "0" && !window.__benchFirst) {
        window.__benchFirst = {ms: performance.now(), page: value, mode: root.getAttribute("data-mode") || "",
                               entries: entries()};
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-rendered"]});
    check();
  };
  window.__benchArm();
})();
"""


class Network:
    """CDP Network events of one page: what was asked, when, and how many bytes came."""

    def __init__(self, cdp):
        self.requests: dict[str, dict] = {}
        self.documents: list[float] = []  # when each page's own request was sent (CDP time)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)

    def _request(self, event) -> dict:
        return self.requests.setdefault(event["requestId"], {"data": [], "finished": None, "status": None})

    def _sent(self, event):
        request = self._request(event)
        request.update(
            url=event["request"]["url"],
            type=event.get("type", ""),
            ts=event["timestamp"],
            range=next(
                (value for name, value in event["request"].get("headers", {}).items() if name.lower() == "range"), ""
            ),
        )
        if event.get("type") == "Document":
            self.documents.append(event["timestamp"])

    def _response(self, event):
        request = self._request(event)
        request["status"] = event["response"]["status"]
        request["headers"] = event["response"].get("encodedDataLength", 0) or 0
        request["mime"] = event["response"].get("mimeType", "")

    def _data(self, event):
        self._request(event)["data"].append((event["timestamp"], event.get("encodedDataLength", 0) or 0))

    def _finished(self, event):
        self._request(event)["finished"] = (event["timestamp"], event["encodedDataLength"])

    def _failed(self, event):
        self._request(event)["failed"] = event["timestamp"]

    @staticmethod
    def received(request: dict, moment: float | None) -> int:
        """Bytes of one request received up to `moment` (headers included)."""
        finished = request["finished"]
        if finished and (moment is None or finished[0] <= moment):
            return finished[1]
        size = sum(length for ts, length in request["data"] if moment is None or ts <= moment)
        return size + request.get("headers", 0) if request.get("status") is not None and size else size

    def bytes_by(self, moment: float | None, since: float | None = None) -> dict[str, int]:
        """Bytes per URL of the requests sent from `since` on, received up to `moment` (CDP time; None: all)."""
        result = {}
        for request in self.requests.values():
            if "url" not in request or (since is not None and request["ts"] < since):
                continue
            if moment is not None and request["ts"] > moment:
                continue
            size = self.received(request, moment)
            if size or request["finished"]:
                result[request["url"]] = result.get(request["url"], 0) + size
        return result


def category(url: str) -> str:
    path = url.split("?")[0]
    if "pdf.worker" in path:
        return "pdf.js worker"
    if "pdfjs" in path or "pdf.min" in path:
        return "pdf.js"
    if path.endswith(".pdf"):
        return "PDF"
    if "/trang/" in path:
        return "page images"
    if "/anh-nho/" in path:
        return "thumbnails"
    if path.endswith((".css",)):
        return "CSS"
    if path.endswith((".js", ".mjs")):
        return "JS"
    if path.endswith((".woff", ".woff2", ".ttf")):
        return "fonts"
    if path.endswith((".png", ".svg", ".ico", ".webp", ".jpg")):
        return "other images"
    return "HTML/other"


def browser_context(browser, *, cache: bool = True):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2.5, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    network = Network(cdp)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": not cache})
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    return context, page, network


def wait_for(page, expression: str, timeout: float):
    """Poll `expression` until it is truthy (page.wait_for_function evaluates strings, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(f"{expression} still unset after {timeout:.0f} s")


def whole_pdf(browser, base: str, book_pk: int) -> dict:
    """The baseline: the whole web PDF fetched by a page under the same throttling."""
    context, page, network = browser_context(browser, cache=False)
    try:
        page.goto(f"{base}/thu-vien/sach/{book_pk}/bia.webp", wait_until="load")
        url = f"{base}/thu-vien/sach/{book_pk}/ban-web.pdf"
        result = page.evaluate(
            """async (url) => {
                const start = performance.now();
                const response = await fetch(url, {cache: "no-store"});
                const body = await response.arrayBuffer();
                return {ms: performance.now() - start, length: body.byteLength, status: response.status};
            }""",
            url,
        )
        time.sleep(0.3)
        received = network.bytes_by(None).get(url, 0)
        return {"s": result["ms"] / 1000, "bytes": received or result["length"], "length": result["length"]}
    finally:
        context.close()


def reader_visit(page, network: "Network", url: str, wanted: str, hints: dict) -> dict:
    """Open `url` in `page`; bytes and time until the reader first sets data-rendered."""
    import json

    documents_before = len(network.documents)
    wall = time.perf_counter()
    page.goto(url, wait_until="commit")
    first = wait_for(page, "window.__benchFirst", RENDER_TIMEOUT_S)
    how = "localStorage" if hints["key"] else "the reader's default"
    if first["mode"] and first["mode"] != wanted and hints["toggle"]:
        # the stored mode was not taken: switch with the toggle and count from the start (both modes' bytes)
        page.evaluate(f"document.querySelector({json.dumps(hints['root'])})?.removeAttribute('data-rendered')")
        page.evaluate("window.__benchArm()")
        page.click(hints["toggle"])
        first = wait_for(page, "window.__benchFirst", RENDER_TIMEOUT_S)
        how = "the toggle (bytes include the other mode's first page)"
    wall = time.perf_counter() - wall
    since = network.documents[documents_before] if len(network.documents) > documents_before else None
    navigation = next((entry for entry in first["entries"] if entry["type"] == "navigation"), None)
    offset = (navigation["start"] if navigation else 0.0) / 1000
    moment = since + first["ms"] / 1000 - offset if since is not None else None
    by_url = network.bytes_by(moment, since)
    # requests the page target does not report (a dedicated worker's script): the page's Resource Timing
    for entry in first["entries"]:
        if entry["end"] <= first["ms"] and entry["name"] not in by_url:
            by_url[entry["name"]] = entry["size"]
    kinds: dict[str, int] = {}
    for address, size in by_url.items():
        kinds[category(address)] = kinds.get(category(address), 0) + size
    ranges = [
        f"{(request['range'] or 'whole').replace('bytes=', '')} → {request.get('status') or '…'} "
        f"{network.received(request, moment) / 1024:.0f} KB"
        for request in sorted(network.requests.values(), key=lambda request: request.get("ts") or 0)
        if request.get("url", "").split("?")[0].endswith(".pdf")
        and request.get("ts") is not None
        and (since is None or request["ts"] >= since)
        and (moment is None or request["ts"] <= moment)
    ]
    # the server's image of the page, shown as a placeholder until the page is drawn
    preview = next(
        (entry for entry in first["entries"] if re.search(rf"/trang/{first['page']}\.webp", entry["name"])), None
    )
    connection = page.evaluate("navigator.connection ? navigator.connection.effectiveType : ''")
    time.sleep(SETTLE_S)
    later = network.bytes_by(None, since)
    for entry in page.evaluate("window.__benchEntries()"):
        if entry["name"] not in later:
            later[entry["name"]] = entry["size"]
    return {
        "shown_mode": first["mode"],
        "page": first["page"],
        "s": first["ms"] / 1000,
        "wall_s": wall,
        "bytes": sum(by_url.values()),
        "kinds": kinds,
        "by_url": by_url,
        "requests": len(by_url),
        "pdf_requests": ranges,
        "later_bytes": sum(later.values()),
        "how": how,
        "connection": connection,
        "preview_s": preview["end"] / 1000 if preview else None,
    }


def reader_open(browser, base: str, book_pk: int, pages: int, mode: str, hints: dict) -> list[dict]:
    """A new visitor (empty cache) opens the reader at page 1, then, a few seconds later, at the middle page."""
    import json

    context, page, network = browser_context(browser)
    try:
        page.add_init_script(
            OBSERVER
            % {
                "key": json.dumps(hints["key"]),
                "value": json.dumps(hints["values"][mode]),
                "root": json.dumps(hints["root"]),
            }
        )
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)[:200]))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text[:200]))
        visits = []
        middle = max(1, pages // 2)
        for visit, address in (("first visit, page 1", ""), (f"again, page {middle}", f"?trang={middle}")):
            row = reader_visit(
                page, network, f"{base}/thu-vien/sach/{book_pk}/doc/{address}", hints["values"][mode], hints
            )
            row.update(mode=mode, visit=visit, errors=list(errors[:5]))
            errors.clear()
            visits.append(row)
        return visits
    finally:
        context.close()


def part_reader(options, report: list[str], summary: list[tuple]) -> None:
    from django.core.management import call_command

    from tuyengiao.library.models import Book

    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} is missing")
    try:
        import playwright.sync_api
    except ImportError:
        missing.append("Playwright is not installed in the venv")
    if missing:
        report.append(f"4. first page on a throttled connection: skipped ({'; '.join(missing)})")
        summary.append(("first page, throttled", "skipped", "", "; ".join(missing)))
        return
    reader_missing = [
        f"{path.relative_to(ROOT)} is not there yet" for path in (READER_TEMPLATE, READER_SCRIPT) if not path.exists()
    ]
    book_pk, pages = reader_book(options)
    web_pdf = Book.objects.get(pk=book_pk).web_pdf
    web_pdf_size = web_pdf.size
    tree = page_tree(web_pdf.path)
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    log(f"[4] collectstatic in {time.perf_counter() - started:.1f} s")
    port = free_port()
    base = f"http://{HOST}:{port}"
    server_log = Path(tempfile.mkstemp(prefix="bench-library-gunicorn-", suffix=".log")[1])
    results, baseline = [], None
    with server_log.open("w") as log_file:
        process = gunicorn_start(port, log_file)
        try:
            status, body = http_get(f"{base}/thu-vien/sach/{book_pk}/doc/")
            if status != 200:
                reader_missing.append(f"the reader page answers {status}")
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    log("[4] baseline: the whole web PDF under throttling")
                    baseline = whole_pdf(browser, base, book_pk)
                    if not reader_missing:
                        hints = reader_hints()
                        for mode in ("pdf", "images"):
                            for run in range(options.browser_runs):
                                log(f"[4] reader, {mode} mode, run {run + 1}")
                                results.extend(reader_open(browser, base, book_pk, pages, mode, hints))
                finally:
                    browser.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    problems = [
        line
        for line in server_log.read_text(errors="replace").splitlines()
        if "Traceback" in line or "ERROR" in line or "Error" in line
    ]
    throttle = (
        f"{THROTTLE['downloadThroughput'] * 8 / 1e6:.1f} Mbit/s down, {THROTTLE['uploadThroughput'] * 8 / 1e3:.0f} "
        f"kbit/s up, {THROTTLE['latency']} ms latency"
    )
    report.append(f"4. first page on a throttled connection ({throttle}); book {book_pk}, {pages} pages")
    report.append(f"   web edition: {web_pdf_size / 1024:.0f} KB, {tree}")
    if baseline:
        report.append(
            f"   baseline: the whole web PDF ({web_pdf_size / 1024:.0f} KB on disk): {baseline['bytes'] / 1024:.0f} KB "
            f"received in {baseline['s']:.2f} s"
        )
    if reader_missing:
        report.append(f"   reader modes: skipped ({'; '.join(reader_missing)})")
        summary.append(
            (
                "first page, throttled",
                "skipped",
                f"whole PDF {baseline['bytes'] / 1024:.0f} KB, {baseline['s']:.1f} s" if baseline else "",
                "; ".join(reader_missing),
            )
        )
    for row in results:
        verdict = "met" if row["bytes"] / 1024 < FIRST_PAGE_GOAL_KB else "NOT met"
        cold = row["visit"].startswith("first")
        report.append(
            f"   {row['mode']} mode, {row['visit']} (shown: {row['shown_mode'] or '?'}, chosen through {row['how']}; "
            f"effectiveType {row['connection'] or '?'}):"
        )
        report.append(
            f"     page {row['page']} drawn after {row['s']:.2f} s (wall {row['wall_s']:.2f} s) and "
            f"{row['bytes'] / 1024:.0f} KB in {row['requests']} requests"
            + (f"; goal < {FIRST_PAGE_GOAL_KB} KB {verdict}" if cold else " (cached static files)")
            + f"; {SETTLE_S:.0f} s later {row['later_bytes'] / 1024:.0f} KB"
        )
        if row["preview_s"] is not None and row["shown_mode"] == "pdf":
            report.append(
                f"     (the server's image of page {row['page']}, the placeholder until the PDF page is drawn, had "
                f"come at {row['preview_s']:.2f} s)"
            )
        kinds = ", ".join(f"{kind} {size / 1024:.0f}" for kind, size in sorted(row["kinds"].items()) if size)
        report.append(f"     KB by kind: {kinds}")
        largest = sorted(row["by_url"].items(), key=lambda item: -item[1])[:8]
        report.append(
            "     largest: "
            + ", ".join(
                f"{address.replace(base, '').split('?')[0][-48:]} {size / 1024:.1f}" for address, size in largest
            )
        )
        if row["pdf_requests"]:
            shown = row["pdf_requests"][:10]
            more = len(row["pdf_requests"]) - len(shown)
            tail = f" …+{more}" if more else ""
            report.append(f"     PDF requests by then ({len(row['pdf_requests'])}): {', '.join(shown)}{tail}")
        if row["errors"]:
            report.append(f"     page errors: {' | '.join(row['errors'])}")
        summary.append(
            (
                f"reader {row['mode']} mode, {row['visit']}",
                f"{row['bytes'] / 1024:.0f} KB, {row['s']:.1f} s",
                f"whole PDF {baseline['bytes'] / 1024:.0f} KB, {baseline['s']:.1f} s" if baseline else "",
                f"goal < {FIRST_PAGE_GOAL_KB} KB: {verdict}" if cold else "static files cached",
            )
        )
    report.append(f"   server log {server_log}: {len(problems)} lines with errors")
    for line in problems[:10]:
        report.append(f"     {line[:300]}")


# ---------------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--books", type=int, default=30)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--reuse", action="store_true", help="keep the books of a previous run when they fit")
    parser.add_argument("--parts", default="1234", help="which parts to run, e.g. 34")
    parser.add_argument("--ocr-pages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5, help="warm runs of each search query")
    parser.add_argument("--reader-pages", type=int, default=300)
    parser.add_argument("--browser-runs", type=int, default=1)
    options = parser.parse_args()
    if not 1 <= options.books <= 500:
        parser.error("--books: 1 to 500")
    if not 2 <= options.pages <= 1000 or not 2 <= options.reader_pages <= 1000:
        parser.error("--pages, --reader-pages: 2 to 1000")
    if not 2 <= options.ocr_pages <= 200:
        parser.error("--ocr-pages: 2 to 200")
    if not 1 <= options.repeat <= 50 or not 1 <= options.browser_runs <= 5:
        parser.error("--repeat: 1 to 50, --browser-runs: 1 to 5")

    media = environment(options.database)
    database_prepare(options.database, media, options.reuse)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False, stdout=io.StringIO())
    log(f"migrated in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    instrument()
    from tuyengiao.digitise.services import ocr_workers

    report: list[str] = []
    summary: list[tuple] = []
    load_before = load_average()
    wall = time.perf_counter()
    parts = [
        ("1", part_upload),
        ("2", part_ocr),
        ("3", part_search),
        ("4", part_reader),
    ]
    try:
        for key, function in parts:
            if key in options.parts:
                tick = time.perf_counter()
                function(options, report, summary)
                log(f"part {key} done in {time.perf_counter() - tick:.0f} s")
    finally:
        print()
        print(
            f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}; {server_version()}; OCR workers {ocr_workers()}"
        )
        print(
            f"load average before {load_before}, after {load_average()} (a shared machine: figures are noisy); "
            f"ran {time.perf_counter() - wall:.0f} s"
        )
        print(
            f"options: --books {options.books} --pages {options.pages} --database {options.database}"
            f"{' --reuse' if options.reuse else ''} --parts {options.parts} --ocr-pages {options.ocr_pages} "
            f"--repeat {options.repeat} --reader-pages {options.reader_pages}"
        )
        print()
        print("\n".join(report))
        if summary:
            print()
            headers = ("measure", "ours", "baseline", "ratio / goal")
            widths = [max(len(str(row[i])) for row in [headers, *summary]) for i in range(4)]
            line = " | ".join(f"{header:{width}}" for header, width in zip(headers, widths, strict=True))
            print(line)
            print("-" * len(line))
            for row in summary:
                print(" | ".join(f"{str(value):{width}}" for value, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
