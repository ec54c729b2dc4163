"""The roster of a contest (the people who may take part, or the learners of a training class) as a
spreadsheet: read (CSV or XLSX), check every row, import.

Columns: full_name, cccd, phone, unit (a unit code), class; English keys or Vietnamese headers. Every row is
checked first (the preview) and nothing is stored until the organiser confirms; then the good rows are added,
and a row whose citizen ID or phone is already on the roster updates that entry instead of adding a second.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from tuyengiao.contests.models import Contest, RosterEntry
from tuyengiao.contests.services import CCCD, PHONE, phone_normalise
from tuyengiao.core.services import audit_record
from tuyengiao.core.tabular import TableError, header_map, table_read
from tuyengiao.core.text import nfc
from tuyengiao.orgs.models import Unit

MAX_ROWS = 20_000
COLUMNS = {
    "full_name": ["họ và tên", "họ tên", "name", "tên"],
    "cccd": ["căn cước công dân", "số cccd", "cccd/cmnd", "citizen id"],
    "phone": ["số điện thoại", "điện thoại", "sđt"],
    "unit": ["mã đơn vị", "đơn vị", "unit code"],
    "group": ["lớp", "tên lớp", "class"],
}
TEMPLATE_HEADERS = ["Họ và tên", "CCCD", "Số điện thoại", "Mã đơn vị", "Lớp"]


class RosterImportError(TableError):
    code = "invalid_roster_import"


@dataclass
class RosterRow:
    line: int
    values: dict
    unit: Unit | None = None
    existing: RosterEntry | None = None  # the entry this row updates
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _digits(value: str, length: int) -> str:
    """A number typed into a spreadsheet cell loses its leading zeros: put them back."""
    value = value.replace(" ", "").replace(".", "")
    if value.isdigit() and length - 3 <= len(value) < length:
        return value.zfill(length)
    return value


def roster_read(contest: Contest, file) -> list[RosterRow]:
    """Check every row of a roster (a file, an upload or bytes); each row carries its problems."""
    data = file if isinstance(file, bytes) else file.read()
    table = table_read(data)
    if len(table.rows) > MAX_ROWS:
        raise RosterImportError(_("A file may hold at most %(count)s rows.") % {"count": MAX_ROWS})
    columns = header_map(table, COLUMNS)
    if "full_name" not in columns or not ({"cccd", "phone"} & set(columns)):
        raise RosterImportError(
            _("Row %(line)s (headers): the file needs the columns “Họ và tên” and “CCCD” or “Số điện thoại”.")
            % {"line": table.header_line}
        )
    rows = []
    for line, cells in table.rows:
        values = {name: nfc(str(cells[index])).strip() if index < len(cells) else "" for name, index in columns.items()}
        values.setdefault("cccd", "")
        values.setdefault("phone", "")
        values["cccd"] = _digits(values["cccd"], 12)
        values["phone"] = phone_normalise(_digits(values["phone"], 10)) if values["phone"] else ""
        rows.append(RosterRow(line=line, values=values))
    codes = {row.values.get("unit", "") for row in rows} - {""}
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
    existing = list(RosterEntry.objects.filter(contest=contest))
    by_cccd = {entry.cccd: entry for entry in existing if entry.cccd}
    by_phone = {entry.phone: entry for entry in existing if entry.phone}
    seen: dict[str, int] = {}
    for row in rows:
        values, errors = row.values, row.errors
        if not values.get("full_name"):
            errors.append(_("the full name is missing."))
        elif len(values["full_name"]) > 120:
            errors.append(_("the full name is longer than 120 characters."))
        if not values["cccd"] and not values["phone"]:
            errors.append(_("give a citizen ID (CCCD) or a phone number."))
        if values["cccd"] and not CCCD.match(values["cccd"]):
            errors.append(_("“%(value)s” is not a citizen ID (12 digits starting with 0).") % {"value": values["cccd"]})
        if values["phone"] and not PHONE.match(values["phone"]):
            errors.append(_("“%(value)s” is not a Vietnamese mobile number.") % {"value": values["phone"]})
        code = values.get("unit", "")
        row.unit = units.get(code) if code else contest.unit
        if row.unit is None:
            errors.append(_("there is no unit with the code “%(code)s”.") % {"code": code})
        if len(values.get("group", "")) > 120:
            errors.append(_("the class name is longer than 120 characters."))
        for key in ("cccd", "phone"):
            if values[key]:
                if values[key] in seen:
                    errors.append(_("the same citizen ID or phone as row %(line)s.") % {"line": seen[values[key]]})
                    break
                seen[values[key]] = row.line
        row.existing = by_cccd.get(values["cccd"]) or by_phone.get(values["phone"])
    return rows


def roster_import(contest: Contest, rows: list[RosterRow], *, actor=None, request=None) -> dict:
    """Store the good rows: {"created", "updated", "skipped"}."""
    good = [row for row in rows if row.ok]
    created, updated = [], []
    for row in good:
        entry = row.existing or RosterEntry(contest=contest)
        entry.full_name = row.values["full_name"]
        entry.cccd = row.values["cccd"]
        entry.phone = row.values["phone"]
        entry.unit = row.unit
        entry.group = row.values.get("group", "")
        (updated if entry.pk else created).append(entry)
    with transaction.atomic():
        RosterEntry.objects.bulk_create(created, batch_size=1_000)
        RosterEntry.objects.bulk_update(updated, ["full_name", "cccd", "phone", "unit", "group"], batch_size=1_000)
        counts = {"created": len(created), "updated": len(updated), "skipped": len(rows) - len(good)}
        audit_record(actor=actor, action="contest.roster_import", obj=contest, changes=counts, request=request)
    return counts


def roster_template_xlsx() -> bytes:
    """The import template: the Vietnamese headers and one example row."""
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(["Nguyễn Văn An", "002090001234", "0912345678", "HG-BM", "Lớp bồi dưỡng chính trị K1"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
