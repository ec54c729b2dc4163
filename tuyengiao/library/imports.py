"""`import_books DIR`: a folder of PDFs (and EPUBs) with a metadata.csv or metadata.xlsx.

Every row is checked first; a row with problems is reported with its line and left out, the others are
applied. A row is keyed by its file: the same file (same name, or the same bytes under another name) updates
its book and never adds a second one; unchanged bytes are not digitised again.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.utils.translation import gettext as _

from tuyengiao.core.errors import DomainError
from tuyengiao.core.tabular import TableError, choices_lookup, header_map, table_read
from tuyengiao.core.text import fold, nfc
from tuyengiao.digitise import checks
from tuyengiao.library.models import Book, Collection

COLUMNS = {
    "file": ["tệp", "tên tệp", "tập tin"],
    "title": ["tên sách", "nhan đề", "tiêu đề", "tên"],
    "authors": ["tác giả", "tác giả, người biên soạn", "người biên soạn", "biên soạn"],
    "year": ["năm", "năm xuất bản"],
    "collection": ["bộ sưu tập", "tủ sách", "loại sách"],
    "publisher": ["đơn vị xuất bản", "nhà xuất bản", "đơn vị phát hành"],
    "access": ["quyền xem", "phạm vi", "truy cập"],
    "subjects": ["chủ đề", "từ khóa"],
    "description": ["mô tả", "giới thiệu", "tóm tắt"],
    "epub": ["tệp epub"],
}
MAX_ROWS = 5_000
ACCESS_WORDS = {"cong khai": Book.Access.PUBLIC, "noi bo": Book.Access.INTERNAL, "can bo": Book.Access.INTERNAL}


class BookImportError(TableError):
    code = "invalid_book_import"


@dataclass
class ImportRow:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    book: Book | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def rows_read(data: bytes, folder: Path) -> list[ImportRow]:
    """Check every row; each row carries its problems (none: it will be applied) and the book it updates."""
    table = table_read(data)
    if len(table.rows) > MAX_ROWS:
        raise BookImportError(_("A file may hold at most %(count)s rows.") % {"count": MAX_ROWS})
    columns = header_map(table, COLUMNS)
    if "file" not in columns or "title" not in columns:
        raise BookImportError(
            _("Row %(line)s (headers): the file needs the columns “file” and “title”.") % {"line": table.header_line}
        )
    collections = {}
    for collection in Collection.objects.all():
        collections[fold(collection.name)] = collection
        collections[collection.slug] = collection
    access = choices_lookup(Book.Access.choices, ACCESS_WORDS)
    files = {path.name: path for path in folder.iterdir() if path.is_file()}
    seen: dict[str, int] = {}
    rows = []
    for line, cells in table.rows:
        raw = {name: (cells[index] if index < len(cells) else "") for name, index in columns.items()}
        values = {name: nfc(str(value)).strip() if value not in (None, "") else "" for name, value in raw.items()}
        row = ImportRow(line=line, values=values)
        errors = row.errors
        name = Path(values.get("file", "")).name
        if not name:
            errors.append(_("the file name is missing."))
        elif name not in files:
            errors.append(_("the file “%(name)s” is not in the folder.") % {"name": name})
        elif not name.lower().endswith(".pdf"):
            errors.append(_("the file “%(name)s” is not a PDF.") % {"name": name})
        elif problem := checks.quick_problem(files[name]):
            errors.append(problem)  # an image named .pdf, an empty file: told before the go-ahead
        else:
            values["path"] = files[name]
            if name in seen:
                errors.append(_("the same file as row %(line)s.") % {"line": seen[name]})
            seen[name] = line
        if not values.get("title"):
            errors.append(_("the title is missing."))
        elif len(values["title"]) > 300:
            errors.append(_("the title is longer than 300 characters."))
        year = str(values.get("year") or "").removesuffix(".0")
        if year:
            if not year.isdigit() or not 1900 <= int(year) <= 2100:
                errors.append(_("“%(value)s” is not a year.") % {"value": values["year"]})
            else:
                values["year"] = int(year)
        values["year"] = values["year"] if isinstance(values.get("year"), int) else None
        if values.get("collection"):
            found = collections.get(fold(values["collection"]))
            if found is None:
                errors.append(
                    _("the collection “%(name)s” is not in the list of collections.") % {"name": values["collection"]}
                )
            values["collection"] = found
        else:
            values["collection"] = None
        if values.get("access"):
            values["access"] = access.get(fold(values["access"]))
            if values["access"] is None:
                errors.append(
                    _("“%(value)s” is not a known access; write “công khai” or “nội bộ”.") % {"value": raw["access"]}
                )
        values["access"] = values.get("access") or Book.Access.PUBLIC
        epub = Path(values.get("epub") or "").name
        if epub and epub not in files:
            errors.append(_("the file “%(name)s” is not in the folder.") % {"name": epub})
        values["epub_path"] = files.get(epub) if epub else None
        if row.ok:
            values["sha256"] = _sha256(values["path"])
            row.book = (
                Book.objects.filter(source_name=name).first()
                or Book.objects.filter(scan__sha256=values["sha256"]).first()
            )
        rows.append(row)
    return rows


def row_apply(row: ImportRow, *, unit=None, user=None) -> tuple[Book, bool]:
    """Create or update the row's book; (book, created). Raises DomainError for a file that is refused."""
    from tuyengiao.library.services import book_save

    values = row.values
    book = row.book or Book(unit=unit)
    created = book.pk is None
    for name in ("title", "authors", "publisher", "subjects", "description"):
        if values.get(name) or name == "title":
            setattr(book, name, str(values.get(name) or "")[: Book._meta.get_field(name).max_length or None])
    book.year = values.get("year") or book.year
    book.collection = values.get("collection") or book.collection
    book.access = values["access"]
    book.source_name = values["path"].name
    same_file = not created and book.scan.sha256 == values["sha256"]
    with open(values["path"], "rb") as pdf:
        epub = open(values["epub_path"], "rb") if values.get("epub_path") else None
        try:
            book_save(
                book,
                pdf=None if same_file else File(pdf, name=values["path"].name),
                epub=File(epub, name=values["epub_path"].name) if epub else None,
                user=user,
            )
        finally:
            if epub:
                epub.close()
    return book, created


def import_apply(rows: list[ImportRow], *, unit=None, user=None, progress=None) -> dict:
    """Apply the good rows one by one; a file refused on its content is reported and the rest goes on."""
    result = {"created": 0, "updated": 0, "errors": []}
    good = [row for row in rows if row.ok]
    for done, row in enumerate(good, start=1):
        try:
            _book, created = row_apply(row, unit=unit, user=user)
        except DomainError as error:
            result["errors"].append(_("Row %(line)s: %(problem)s") % {"line": row.line, "problem": error.message})
        else:
            result["created" if created else "updated"] += 1
        if progress:
            progress(done, len(good))
    return result
