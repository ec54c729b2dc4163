"""Bulk import of documents: a folder of files and a metadata.csv or metadata.xlsx.

Every row is checked first (the preview); rows with problems are reported with their line and left out,
the others are applied. A row is keyed by (number, issue date, issuer): importing it again updates the
record, and a file already attached (same bytes) is not attached twice, so an import that stopped can
simply be run again.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.errors import DomainError
from tuyengiao.core.tabular import (
    RowError,
    TableError,
    choices_lookup,
    header_map,
    parse_date,
    table_read,
)
from tuyengiao.core.text import fold, nfc
from tuyengiao.digitise import checks
from tuyengiao.documents.models import Access, Document, DocumentType, Field, ImportRun, Level, Status

COLUMNS = {
    "file": ["tệp", "tên tệp", "tập tin", "file văn bản"],
    "number": ["số", "số ký hiệu", "số hiệu", "ký hiệu"],
    "type": ["loại", "loại văn bản", "hình thức văn bản"],
    "title": ["trích yếu", "tiêu đề", "tên văn bản"],
    "issuer": ["cơ quan ban hành", "nơi ban hành", "cơ quan"],
    "signer": ["người ký"],
    "signer_title": ["chức vụ người ký", "chức vụ"],
    "issued_on": ["ngày ban hành", "ngày ký"],
    "effective_on": ["ngày hiệu lực", "ngày có hiệu lực"],
    "level": ["cấp", "cấp ban hành"],
    "field": ["lĩnh vực", "fields"],
    "status": ["tình trạng", "tình trạng hiệu lực", "hiệu lực"],
    "access": ["quyền xem", "phạm vi", "truy cập"],
}
TEMPLATE_HEADERS = {
    "file": "Tệp",
    "number": "Số ký hiệu",
    "type": "Loại văn bản",
    "title": "Trích yếu",
    "issuer": "Cơ quan ban hành",
    "signer": "Người ký",
    "signer_title": "Chức vụ người ký",
    "issued_on": "Ngày ban hành",
    "effective_on": "Ngày hiệu lực",
    "level": "Cấp",
    "field": "Lĩnh vực",
    "status": "Tình trạng hiệu lực",
    "access": "Quyền xem",
}
MAX_ROWS = 20_000


class DocumentImportError(TableError):
    code = "invalid_document_import"


@dataclass
class ImportRow:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    action: str = "create"  # or "update"

    @property
    def ok(self) -> bool:
        return not self.errors


# The Vietnamese words people write, whatever the interface language (folded).
SYNONYMS = {
    "level": {
        "trung uong": Level.CENTRAL,
        "tw": Level.CENTRAL,
        "tinh": Level.PROVINCE,
        "huyen": Level.DISTRICT,
        "xa": Level.COMMUNE,
    },
    "status": {
        "con hieu luc": Status.IN_FORCE,
        "het hieu luc": Status.EXPIRED,
        "het hieu luc mot phan": Status.PARTLY_EXPIRED,
        "chua co hieu luc": Status.NOT_YET,
    },
    "access": {
        "cong khai": Access.PUBLIC,
        "can bo": Access.CADRES,
        "noi bo": Access.CADRES,
        "don vi": Access.UNITS,
    },
}


def rows_read(data: bytes, folder: Path | None = None, *, file_names: set[str] | None = None) -> list[ImportRow]:
    """Check every row of the metadata; each row carries its problems (none: it will be applied)."""
    table = table_read(data)
    if len(table.rows) > MAX_ROWS:
        raise DocumentImportError(_("A file may hold at most %(count)s rows.") % {"count": MAX_ROWS})
    columns = header_map(table, COLUMNS)
    missing = [name for name in ("file", "title") if name not in columns]
    if missing or ("number" not in columns and "type" not in columns):
        names = [TEMPLATE_HEADERS[name] for name in missing] or [TEMPLATE_HEADERS["number"]]
        raise DocumentImportError(
            _("Row %(line)s (headers): the file needs the columns %(columns)s.")
            % {"line": table.header_line, "columns": ", ".join(f"“{name}”" for name in names)}
        )
    types = {}
    for kind in DocumentType.objects.all():
        types[fold(kind.name)] = kind
        if kind.code:
            types.setdefault(fold(kind.code), kind)
    lookups = {
        name: choices_lookup(choices, SYNONYMS.get(name))
        for name, choices in (("level", Level.choices), ("status", Status.choices), ("access", Access.choices))
    }
    if file_names is None and folder is not None:
        file_names = {path.name for path in folder.iterdir() if path.is_file()}
    seen: dict[tuple, int] = {}
    problems: dict[str, str] = {}  # each file's problem ("" for none), checked once however many rows name it
    rows = []
    today = timezone.localdate()
    for line, cells in table.rows:
        raw = {name: (cells[index] if index < len(cells) else "") for name, index in columns.items()}
        values: dict = {
            name: nfc(str(value)).strip() if isinstance(value, str) else value for name, value in raw.items()
        }
        row = ImportRow(line=line, values=values)
        errors = row.errors
        if not values.get("file"):
            errors.append(_("the file name is missing."))
        elif file_names is not None and Path(str(values["file"])).name not in file_names:
            errors.append(_("the file “%(name)s” is not in the folder.") % {"name": values["file"]})
        elif folder is not None and (problem := _file_problem(folder / Path(str(values["file"])).name, problems)):
            errors.append(problem)  # an image named .pdf, an empty file: told before the go-ahead
        if not values.get("title"):
            errors.append(_("the title (trích yếu) is missing."))
        if not values.get("number") and not values.get("type"):
            errors.append(_("give a number or a type."))
        if values.get("type"):
            kind = types.get(fold(str(values["type"])))
            if kind is None:
                errors.append(_("the type “%(type)s” is not in the list of document types.") % {"type": values["type"]})
            values["type"] = kind
        else:
            values["type"] = None
        for name in ("issued_on", "effective_on"):
            try:
                values[name] = parse_date(raw.get(name))
            except ValueError:
                errors.append(
                    _("“%(value)s” is not a date; write dd/mm/yyyy.") % {"value": raw.get(name)}
                    if name == "issued_on"
                    else _("the effective date “%(value)s” is not a date; write dd/mm/yyyy.") % {"value": raw.get(name)}
                )
                values[name] = None
        if values.get("issued_on") and values["issued_on"] > today:
            errors.append(
                _("the issue date %(date)s is in the future.") % {"date": values["issued_on"].strftime("%d/%m/%Y")}
            )
        if values.get("issued_on") and values["issued_on"].year < 1930:
            errors.append(
                _("the issue date %(date)s is too early.") % {"date": values["issued_on"].strftime("%d/%m/%Y")}
            )
        if values.get("issued_on") and values.get("effective_on") and values["effective_on"] < values["issued_on"]:
            errors.append(_("the effective date is before the issue date."))
        for name in ("level", "status", "access"):
            text = str(values.get(name) or "")
            if not text:
                values[name] = None
                continue
            values[name] = lookups[name].get(fold(text))
            if values[name] is None:
                errors.append(
                    _("“%(value)s” is not a known value of “%(column)s”.")
                    % {"value": text, "column": TEMPLATE_HEADERS[name]}
                )
        values["fields"] = [nfc(part).strip() for part in str(values.get("field") or "").split(";") if part.strip()]
        if values.get("number"):
            from tuyengiao.documents.services import number_fields

            values["number_key"] = number_fields(str(values["number"]))[1]
            key = (values["number_key"], values.get("issued_on"), fold(str(values.get("issuer") or "")))
            if key in seen:
                errors.append(_("the same document as row %(line)s.") % {"line": seen[key]})
            seen[key] = line
        rows.append(row)
    _mark_updates(rows)
    return rows


def _file_problem(path: Path, known: dict[str, str]) -> str:
    if path.name not in known:
        known[path.name] = checks.quick_problem(path)
    return known[path.name]


def _mark_updates(rows: list[ImportRow]) -> None:
    from tuyengiao.documents.services import document_find, issuer_lookup

    for row in rows:
        if row.ok and row.values.get("number"):
            issuer = issuer_lookup(str(row.values.get("issuer") or ""))
            if document_find(str(row.values["number"]), row.values.get("issued_on"), issuer):
                row.action = "update"


def row_apply(row: ImportRow, folder: Path, *, unit=None, user=None) -> tuple[Document, bool]:
    """Create or update the row's document and attach its file; returns (document, created)."""
    from tuyengiao.documents.services import (
        document_file_add,
        document_find,
        document_save,
        issuer_get_or_create,
    )

    values = row.values
    issuer = issuer_get_or_create(str(values.get("issuer") or ""))
    with transaction.atomic():
        document = None
        if values.get("number"):
            document = document_find(str(values["number"]), values.get("issued_on"), issuer)
        created = document is None
        document = document or Document(unit=unit)
        document.number = str(values.get("number") or "")
        document.title = values["title"]
        document.type = values.get("type") or document.type
        document.issuer = issuer
        for name in ("signer", "signer_title"):
            setattr(document, name, str(values.get(name) or getattr(document, name)))
        document.issued_on = values.get("issued_on")
        document.effective_on = values.get("effective_on")
        for name in ("level", "status", "access"):
            if values.get(name):
                setattr(document, name, values[name])
        if not document.level and issuer and issuer.level:
            document.level = issuer.level
        fields = [Field.objects.get_or_create(name=name)[0] for name in values.get("fields", [])] or None
        document_save(document, user=user, fields=fields)
        path = folder / Path(str(values["file"])).name
        with path.open("rb") as handle:
            from django.core.files import File

            document_file_add(document, File(handle, name=path.name), name=path.name, user=user)
    return document, created


def import_apply(run: ImportRun, rows: list[ImportRow], *, user=None, progress=None) -> ImportRun:
    """Apply the good rows of `run` from where it stopped; a row that fails is reported and skipped."""
    folder = Path(run.folder)
    good = [row for row in rows if row.ok]
    run.rows_total = len(good)
    run.status = ImportRun.Status.RUNNING
    run.errors = [str(RowError.of(row.line, row.errors)) for row in rows if not row.ok]
    run.save()
    for index, row in enumerate(good):
        if index < run.rows_done:
            continue  # applied before the import stopped
        try:
            _document, created = row_apply(row, folder, unit=run.unit, user=user)
        except DomainError as error:
            run.errors.append(str(RowError(row.line, str(error))))
        else:
            if created:
                run.created += 1
            else:
                run.updated += 1
        run.rows_done = index + 1
        run.save(update_fields=["rows_done", "created", "updated", "errors"])
        if progress:
            progress(run)
    run.status = ImportRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def template_xlsx() -> bytes:
    """The import template: the headers in Vietnamese and one example row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Văn bản"
    sheet.append(list(TEMPLATE_HEADERS.values()))
    sheet.append(
        [
            "19-CT-TW.pdf",
            "19-CT/TW",
            "Chỉ thị",
            "Về tăng cường sự lãnh đạo của Đảng đối với công tác dạy nghề cho lao động nông thôn",
            "Ban Chấp hành Trung ương Đảng khóa XI",
            "",
            "",
            "05/11/2012",
            "05/11/2012",
            "Trung ương",
            "Giáo dục; Lao động",
            "Còn hiệu lực",
            "Công khai",
        ]
    )
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 24
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
