"""Import and export of units as CSV or XLSX, with English or Vietnamese column headers.

An import is all or nothing: every row is checked first, and any problem refuses the whole
file with one message per row. Importing the same file again changes nothing.
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tuyengiao.core.services import audit_record
from tuyengiao.core.tabular import RowError, TableError, choices_lookup, header_map, parse_date, table_read
from tuyengiao.core.text import fold
from tuyengiao.orgs.models import Unit, UnitKind
from tuyengiao.orgs.services import CODE_PATTERN, paths_rebuild

COLUMNS = {
    "code": ["mã", "mã đơn vị"],
    "name": ["tên", "tên đơn vị"],
    "kind": ["loại", "loại đơn vị"],
    "parent_code": ["parent", "mã cấp trên", "mã đơn vị cấp trên", "đơn vị cấp trên", "mã cha"],
    "gso_code": ["mã thống kê", "mã hành chính", "mã gso"],
    "valid_from": ["hiệu lực từ", "từ ngày", "ngày thành lập"],
    "valid_to": ["hiệu lực đến", "đến ngày", "ngày kết thúc"],
    "successor_code": ["successor", "mã đơn vị kế thừa", "đơn vị kế thừa", "sáp nhập vào"],
    "note": ["ghi chú"],
}
REQUIRED = ("code", "name")
EXPORT_HEADERS = {
    "code": "Mã đơn vị",
    "name": "Tên đơn vị",
    "kind": "Loại đơn vị",
    "parent_code": "Mã đơn vị cấp trên",
    "gso_code": "Mã thống kê",
    "valid_from": "Hiệu lực từ",
    "valid_to": "Hiệu lực đến",
    "successor_code": "Mã đơn vị kế thừa",
    "note": "Ghi chú",
}
FIELDS = ("name", "kind", "gso_code", "valid_from", "valid_to", "note")


class UnitImportError(TableError):
    code = "invalid_unit_file"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


# What people write in the kind column besides the labels (folded before matching).
KIND_SYNONYMS = {
    UnitKind.PROVINCE: ["tỉnh", "thành phố trực thuộc trung ương"],
    UnitKind.DISTRICT: ["huyện", "quận", "thị xã", "thành phố thuộc tỉnh"],
    UnitKind.COMMUNE: ["xã", "phường", "thị trấn", "đặc khu"],
    UnitKind.DEPARTMENT: ["sở", "ban", "ngành", "sở, ngành"],
    UnitKind.COMMISSION: ["ban đảng", "ban tuyên giáo"],
    UnitKind.PARTY_BLOCK: ["khối", "đảng ủy khối"],
    UnitKind.BRANCH: ["chi bộ", "đảng bộ cơ sở"],
    UnitKind.SCHOOL: ["trường chính trị", "trung tâm chính trị"],
    UnitKind.PRESS: ["báo", "đài", "báo chí"],
    UnitKind.STEERING_COMMITTEE: ["ban chỉ đạo"],
}


def _kind_lookup() -> dict[str, str]:
    """Kind keys, their labels in both languages and common synonyms, folded."""
    return choices_lookup(UnitKind.choices, {name: value for value, names in KIND_SYNONYMS.items() for name in names})


def _rows(data: bytes) -> list[tuple[int, dict]]:
    table = table_read(data)
    columns = header_map(table, COLUMNS)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise UnitImportError(
            _("Row %(line)s (headers): the file needs the columns %(columns)s.")
            % {"line": table.header_line, "columns": ", ".join(f"“{EXPORT_HEADERS[name]}”" for name in missing)}
        )
    rows = []
    for line, cells in table.rows:
        values = {name: (cells[index] if index < len(cells) else "") for name, index in columns.items()}
        rows.append((line, values))
    return rows


def _validate(rows: list[tuple[int, dict]]) -> tuple[list[dict], list[RowError]]:
    kinds = _kind_lookup()
    errors: list[RowError] = []
    clean: list[dict] = []
    seen: dict[str, int] = {}
    existing = {code: (pk, parent) for code, pk, parent in Unit.objects.values_list("code", "id", "parent__code")}
    for line, values in rows:
        row = {"line": line}
        code = str(values.get("code", "")).strip()
        row["code"] = code
        if not code:
            errors.append(RowError(line, _("the unit code is missing.")))
        elif not CODE_PATTERN.match(code):
            errors.append(
                RowError(
                    line,
                    _("the code “%(code)s” may hold only letters without accents, digits, “-”, “_” and “.”.")
                    % {"code": code},
                )
            )
        elif code in seen:
            errors.append(
                RowError(
                    line,
                    _("the code “%(code)s” is already used in row %(other)s.") % {"code": code, "other": seen[code]},
                )
            )
        else:
            seen[code] = line
        row["name"] = str(values.get("name", "")).strip()
        if not row["name"]:
            errors.append(RowError(line, _("the unit name is missing.")))
        kind = str(values.get("kind", "")).strip()
        row["kind"] = kinds.get(fold(kind.replace("_", " ")), None) if kind else UnitKind.OTHER
        if row["kind"] is None:
            errors.append(RowError(line, _("“%(kind)s” is not a kind of unit.") % {"kind": kind}))
        for name in ("valid_from", "valid_to"):
            try:
                row[name] = parse_date(values.get(name, ""))
            except ValueError:
                errors.append(
                    RowError(
                        line, _("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": values.get(name)}
                    )
                )
                row[name] = None
        if row["valid_from"] and row["valid_to"] and row["valid_to"] < row["valid_from"]:
            errors.append(RowError(line, _("the unit ends before it begins.")))
        row["parent_code"] = str(values.get("parent_code", "")).strip()
        row["successor_code"] = str(values.get("successor_code", "")).strip()
        row["gso_code"] = str(values.get("gso_code", "")).strip()
        row["note"] = str(values.get("note", "")).strip()
        clean.append(row)

    known = set(existing) | set(seen)
    for row in clean:
        if row["parent_code"] and row["parent_code"] not in known:
            errors.append(
                RowError(
                    row["line"],
                    _("the parent unit “%(code)s” is neither in the file nor in the system.")
                    % {"code": row["parent_code"]},
                )
            )
        if row["successor_code"] and row["successor_code"] not in known:
            errors.append(
                RowError(
                    row["line"],
                    _("the successor unit “%(code)s” is neither in the file nor in the system.")
                    % {"code": row["successor_code"]},
                )
            )
        if row["successor_code"] and row["successor_code"] == row["code"]:
            errors.append(RowError(row["line"], _("a unit cannot be its own successor.")))

    parents = {code: parent for code, (_pk, parent) in existing.items()}
    parents.update({row["code"]: row["parent_code"] or None for row in clean if row["code"]})
    for row in clean:
        trail = [row["code"]]
        parent = parents.get(row["code"])
        while parent:
            if parent in trail:
                errors.append(
                    RowError(
                        row["line"],
                        _("the parent links form a cycle: %(cycle)s.") % {"cycle": " → ".join([*trail, parent])},
                    )
                )
                break
            trail.append(parent)
            parent = parents.get(parent)
    errors.sort(key=lambda error: error.line)
    return clean, errors


def _depth_order(rows: list[dict]) -> list[dict]:
    """Parents before children, so that every parent exists when its child is saved."""
    by_code = {row["code"]: row for row in rows}

    def depth(row, level=0):
        parent = by_code.get(row["parent_code"])
        return depth(parent, level + 1) if parent and level < len(rows) else level

    return sorted(rows, key=depth)


@transaction.atomic
def units_import(*, data: bytes, file_name: str = "", actor=None, request=None) -> ImportResult:
    """Create or update units from a CSV or XLSX file; refuse the whole file on any error."""
    rows, errors = _validate(_rows(data))
    if errors:
        raise UnitImportError(
            _("The file was not imported; fix these rows and try again:") + "\n" + "\n".join(str(e) for e in errors),
            details=[str(error) for error in errors],
        )
    units = {unit.code: unit for unit in Unit.objects.all()}
    status: dict[str, str] = {}
    for row in _depth_order(rows):
        parent = units.get(row["parent_code"]) if row["parent_code"] else None
        unit = units.get(row["code"])
        values = {name: row[name] for name in FIELDS}
        if unit is None:
            units[row["code"]] = Unit.objects.create(code=row["code"], parent=parent, path="", **values)
            status[row["code"]] = "created"
            continue
        changed = [name for name, value in values.items() if getattr(unit, name) != value]
        for name in changed:
            setattr(unit, name, values[name])
        if unit.parent_id != (parent.pk if parent else None):
            unit.parent = parent
            changed.append("parent")
        if changed:
            unit.save(update_fields=changed)
        status[row["code"]] = "updated" if changed else "unchanged"
    for row in rows:
        unit = units[row["code"]]
        successor = units.get(row["successor_code"]) if row["successor_code"] else None
        if unit.successor_id != (successor.pk if successor else None):
            unit.successor = successor
            unit.save(update_fields=["successor"])
            if status[row["code"]] == "unchanged":
                status[row["code"]] = "updated"
    counts = list(status.values())
    result = ImportResult(
        created=counts.count("created"), updated=counts.count("updated"), unchanged=counts.count("unchanged")
    )
    paths_rebuild()
    audit_record(
        actor=actor,
        action="unit.import",
        request=request,
        changes={
            "file": file_name,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return result


def _export_rows(units):
    yield list(EXPORT_HEADERS.values())
    for unit in units:
        yield [
            unit.code,
            unit.name,
            unit.get_kind_display(),
            unit.parent.code if unit.parent_id else "",
            unit.gso_code,
            unit.valid_from,
            unit.valid_to,
            unit.successor.code if unit.successor_id else "",
            unit.note,
        ]


def units_export_csv(units) -> bytes:
    """UTF-8 with BOM, so that Excel opens Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _export_rows(units):
        writer.writerow([value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else value for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def units_export_xlsx(units) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Units"))[:31]
    for row in _export_rows(units):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in ("F", "G"):
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
