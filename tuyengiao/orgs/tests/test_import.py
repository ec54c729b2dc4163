"""Importing units from CSV and XLSX: all or nothing, one Vietnamese message per bad row."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tuyengiao.core.models import AuditEntry
from tuyengiao.core.tabular import TableError
from tuyengiao.orgs.imports import units_export_csv, units_export_xlsx, units_import
from tuyengiao.orgs.models import Unit

pytestmark = pytest.mark.django_db

CSV = (
    "code,name,kind,parent_code,gso_code\n"
    "HG,Tỉnh Hà Giang,province,,02\n"
    "HG-BM,Huyện Bắc Mê,district,HG,031\n"
    "HG-BM-01,Thị trấn Yên Phú,commune,HG-BM,00991\n"
)


def xlsx(rows, merge=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base vowels precomposed (â, ê, ơ...), tone marks combining."""
    import unicodedata

    out = b""
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        for split in range(len(decomposed), 0, -1):
            head = unicodedata.normalize("NFC", decomposed[:split])
            try:
                out += head.encode("cp1258") + decomposed[split:].encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
    return out


def codes():
    return list(Unit.objects.order_by("path").values_list("code", flat=True))


def refused(data: bytes) -> list[str]:
    before = Unit.objects.count()
    with pytest.raises(TableError) as error:
        units_import(data=data)
    assert Unit.objects.count() == before, "nothing may be half-imported"
    return error.value.details or [error.value.message]


def test_it_imports_a_csv_with_english_headers_as_a_tree():
    result = units_import(data=CSV.encode())
    assert (result.created, result.updated) == (3, 0)
    assert codes() == ["HG", "HG-BM", "HG-BM-01"]
    commune = Unit.objects.get(code="HG-BM-01")
    assert commune.parent.code == "HG-BM"
    assert commune.get_kind_display() == "Xã, phường, thị trấn"
    assert commune.depth == 2


def test_it_imports_an_xlsx_with_vietnamese_headers_and_labels():
    data = xlsx(
        [
            ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Hiệu lực từ"],
            ["HG", "Tỉnh Hà Giang", "Tỉnh, thành phố", None, "01/01/1991"],
            ["HG-DV", "Huyện Đồng Văn", "huyen, quan, thi xa, thanh pho", "HG", None],
        ]
    )
    units_import(data=data)
    district = Unit.objects.get(code="HG-DV")
    assert district.kind == "district"
    assert Unit.objects.get(code="HG").valid_from.isoformat() == "1991-01-01"


@pytest.mark.parametrize(
    ("written", "kind"),
    [("Xã", "commune"), ("phường", "commune"), ("Huyện", "district"), ("Chi bộ", "branch"), ("Sở", "department")],
)
def test_it_understands_the_kinds_people_write(written, kind):
    units_import(data=f"Mã đơn vị,Tên đơn vị,Loại đơn vị\nX1,Đơn vị thử,{written}\n".encode())
    assert Unit.objects.get(code="X1").kind == kind


def test_it_accepts_a_utf8_bom_and_semicolons_as_excel_writes_them():
    data = "\ufeff" + CSV.replace(",", ";")
    units_import(data=data.encode("utf-8"))
    assert Unit.objects.get(code="HG").name == "Tỉnh Hà Giang"


def test_it_stores_names_in_nfc_when_the_file_is_nfd():
    import unicodedata

    units_import(data=unicodedata.normalize("NFD", CSV).encode())
    assert Unit.objects.get(code="HG-BM").name == unicodedata.normalize("NFC", "Huyện Bắc Mê")


def test_importing_the_same_file_again_duplicates_nothing():
    units_import(data=CSV.encode())
    result = units_import(data=CSV.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert Unit.objects.count() == 3


def test_a_second_import_updates_names_and_moves_units():
    units_import(data=CSV.encode())
    moved = CSV.replace("HG-BM-01,Thị trấn Yên Phú,commune,HG-BM", "HG-BM-01,Thị trấn Yên Phú mới,commune,HG")
    result = units_import(data=moved.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    unit = Unit.objects.get(code="HG-BM-01")
    assert (unit.name, unit.parent.code, unit.depth) == ("Thị trấn Yên Phú mới", "HG", 1)


def test_a_missing_parent_is_named_with_its_row():
    errors = refused((CSV + "HG-XX-01,Xã Mới,commune,HG-XX\n").encode())
    assert errors == ["Dòng 5: đơn vị cấp trên “HG-XX” không có trong tệp cũng như trong hệ thống."]


def test_a_duplicate_code_names_both_rows():
    errors = refused((CSV + "HG-BM,Huyện Bắc Mê (trùng),district,HG\n").encode())
    assert errors == ["Dòng 5: mã “HG-BM” đã dùng ở dòng 3."]


def test_a_cycle_is_refused():
    data = "code,name,parent_code\nA,Đơn vị A,B\nB,Đơn vị B,A\n"
    errors = refused(data.encode())
    assert errors[0].startswith("Dòng 2: quan hệ cấp trên tạo thành vòng lặp: A → B → A")
    assert errors[1].startswith("Dòng 3:")


def test_a_cycle_through_units_already_in_the_system_is_refused():
    units_import(data=CSV.encode())
    errors = refused("code,name,parent_code\nHG,Tỉnh Hà Giang,HG-BM-01\n".encode())
    assert "vòng lặp" in errors[0]
    assert Unit.objects.get(code="HG").parent is None


def test_windows_1258_is_refused_with_the_row_and_the_fix():
    errors = refused(cp1258(CSV))
    assert errors == [
        "Dòng 2: tệp không ở mã UTF-8 (có thể là Windows-1258 hoặc TCVN3). Hãy mở bằng Excel và lưu "
        "dưới dạng “CSV UTF-8”, hoặc tải lên tệp .xlsx."
    ]


def test_merged_header_cells_are_refused():
    data = xlsx([["Mã đơn vị", None, "Tên đơn vị"], ["HG", None, "Tỉnh Hà Giang"]], merge="A1:B1")
    errors = refused(data)
    assert errors == ["Dòng 1: các ô tiêu đề A1:B1 đang được gộp. Hãy bỏ gộp ô và ghi mỗi cột một tiêu đề."]


def test_an_unknown_column_is_named():
    errors = refused("code,name,mã cha mẹ\nHG,Tỉnh Hà Giang,\n".encode())
    assert "cột “mã cha mẹ” không được nhận ra" in errors[0]


def test_all_bad_rows_are_reported_at_once_and_nothing_is_imported():
    data = "code,name,kind,parent_code,valid_from\nHG,,province,,\nHG-1,Huyện,làng,HG,31/02/2020\n"
    errors = refused(data.encode())
    assert errors == [
        "Dòng 2: thiếu tên đơn vị.",
        "Dòng 3: “làng” không phải là một loại đơn vị.",
        "Dòng 3: “31/02/2020” không phải là ngày; hãy ghi theo dạng dd/mm/yyyy.",
    ]


def test_a_file_that_is_not_a_spreadsheet_is_refused_by_its_content():
    errors = refused(b"%PDF-1.7\n\x00\x01binary")
    assert errors == ["Tệp không phải là bảng tính CSV hay XLSX."]


def test_export_to_csv_and_xlsx_round_trips():
    units_import(data=CSV.encode())
    units = Unit.objects.select_related("parent", "successor").tree_order()
    for data in (units_export_csv(units), units_export_xlsx(units)):
        result = units_import(data=data)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_the_csv_export_has_vietnamese_headers_and_a_bom_for_excel():
    units_import(data=CSV.encode())
    text = units_export_csv(Unit.objects.tree_order()).decode("utf-8")
    assert text.startswith("\ufeffMã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên")
    assert "HG-BM,Huyện Bắc Mê,Huyện, quận, thị xã, thành phố," not in text  # labels with commas are quoted
    assert '"Huyện, quận, thị xã, thành phố"' in text


def test_an_import_is_audited():
    units_import(data=CSV.encode(), file_name="don-vi.csv")
    entry = AuditEntry.objects.get(action="unit.import")
    assert entry.changes == {"file": "don-vi.csv", "created": 3, "updated": 0, "unchanged": 0}


def test_the_import_units_command_loads_the_demo_file(settings):
    call_command("import_units", settings.BASE_DIR / "tuyengiao" / "orgs" / "fixtures" / "units_hagiang_2022.csv")
    assert Unit.objects.count() == 53
    assert Unit.objects.get(code="HG-BM-01").parent.parent.code == "HG"


def test_the_import_units_command_fails_with_the_rows_to_fix(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,name,parent_code\nHG-1,Huyện,HG-MISSING\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 2: đơn vị cấp trên “HG-MISSING”"):
        call_command("import_units", path)
