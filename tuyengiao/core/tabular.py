"""Reading spreadsheets that people upload: CSV (any delimiter, UTF-8 with or without BOM) and XLSX.

The format is decided by the content, never by the file name. Problems raise TableError with a
Vietnamese message that says what to fix; rows carry their line number in the sheet.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tuyengiao.core.errors import DomainError
from tuyengiao.core.text import fold, nfc

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000


class TableError(DomainError):
    code = "invalid_table"


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return _("Row %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message

    @classmethod
    def of(cls, line: int, problems: list[str]) -> "RowError":
        """A row's problems, each a sentence that goes on from "Row 3: " ("the file … is not in the folder."),
        one after the other: "Row 3: the file … is not in the folder. The type … is not in the list."."""
        first, *rest = problems
        return cls(line, " ".join([first, *(capfirst(problem) for problem in rest)]))


@dataclass
class Table:
    headers: list[str]
    header_line: int = 1
    rows: list[tuple[int, list]] = field(default_factory=list)  # (line number, cells)


def _cell(value):
    if isinstance(value, str):
        return nfc(value).strip()
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, datetime.date) else str(value)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise TableError(_("The file is not a valid XLSX workbook. Save it again from Excel as .xlsx.")) from error
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header_line = 0
    headers: list = []
    for line, values in enumerate(lines, start=1):
        if any(value not in (None, "") for value in values):
            header_line, headers = line, [_cell(value) for value in values]
            break
    if not header_line:
        raise TableError(_("The sheet is empty."))
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= header_line <= merged.max_row:
            raise TableError(
                _(
                    "Row %(line)s: the header cells %(range)s are merged. Unmerge them and give "
                    "each column its own header."
                )
                % {"line": header_line, "range": merged.coord}
            )
    table = Table(headers=[str(h) for h in headers], header_line=header_line)
    for line, values in enumerate(lines, start=header_line + 1):
        cells = [_cell(value) for value in values]
        if any(cell != "" for cell in cells):
            table.rows.append((line, cells))
        if len(table.rows) > MAX_ROWS:
            raise TableError(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
    return table


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TableError(
            _(
                "Row %(line)s: the file is not in UTF-8 (it may be Windows-1258 or TCVN3). "
                "Open it in Excel and save it as “CSV UTF-8”, or upload it as .xlsx."
            )
            % {"line": line}
        ) from error


def _read_csv(data: bytes) -> Table:
    text = _decode_text(data)
    if "\x00" in text:
        raise TableError(_("The file is neither a CSV nor an XLSX spreadsheet."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    table: Table | None = None
    try:
        for cells in reader:
            cells = [_cell(cell) for cell in cells]
            if not any(cells):
                continue
            if table is None:
                table = Table(headers=cells, header_line=reader.line_num)
                continue
            table.rows.append((reader.line_num, cells))
            if len(table.rows) > MAX_ROWS:
                raise TableError(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
    except csv.Error as error:
        raise TableError(
            _("Row %(line)s: the CSV is malformed (%(error)s).") % {"line": reader.line_num, "error": error}
        ) from error
    if table is None:
        raise TableError(_("The file is empty."))
    return table


def table_read(data: bytes) -> Table:
    """Read a CSV or XLSX upload into a header row and numbered data rows."""
    if not data:
        raise TableError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise TableError(_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(_("Excel 97–2003 files (.xls) are not supported. Save the file as .xlsx and try again."))
    return _read_csv(data)


def header_map(table: Table, aliases: dict[str, list[str]]) -> dict[str, int]:
    """Match headers (English keys or Vietnamese labels, any case or accents) to field names.

    Returns {field: column index}; raises TableError naming unknown or repeated columns.
    """
    lookup = {fold(alias.replace("_", " ")): name for name, names in aliases.items() for alias in [name, *names]}
    found: dict[str, int] = {}
    errors: list[str] = []
    for index, header in enumerate(table.headers):
        header = str(header)
        if not header:
            continue
        name = lookup.get(fold(header.replace("_", " ")))
        if name is None:
            errors.append(_("unknown column “%(header)s”") % {"header": header})
        elif name in found:
            errors.append(_("column “%(header)s” appears twice") % {"header": header})
        else:
            found[name] = index
    if errors:
        raise TableError(
            _("Row %(line)s (headers): %(problems)s.") % {"line": table.header_line, "problems": "; ".join(errors)},
            details=errors,
        )
    return found


def choices_lookup(choices, words: dict | None = None) -> dict[str, str]:
    """{folded text: value} for a cell naming one of `choices`: the value itself, its label in Vietnamese and in
    English, and the other `words` people write for it ({word: value})."""
    from django.utils import translation

    lookup = {}
    for language in ("vi", "en"):
        with translation.override(language):
            for value, label in choices:
                lookup[fold(str(label))] = value
    for value, _label in choices:
        lookup[fold(value.replace("_", " "))] = value
        lookup[fold(value)] = value
    lookup.update({fold(word): value for word, value in (words or {}).items()})
    return lookup


def parse_date(value) -> datetime.date | None:
    """A date from a cell: a real date, dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd. Raises ValueError."""
    if value in ("", None):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


METADATA_NAMES = ("metadata.xlsx", "metadata.csv")


def metadata_find(folder: Path) -> Path:
    """The metadata.xlsx (or, failing that, metadata.csv) of an import folder, whatever the case of its name."""
    for name in METADATA_NAMES:
        for candidate in folder.iterdir():
            if candidate.name.lower() == name:
                return candidate
    raise TableError(_("The folder has no metadata.xlsx or metadata.csv."))
