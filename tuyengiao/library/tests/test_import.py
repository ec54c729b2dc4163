"""`import_books DIR`: Vietnamese or English headers, problems per row, the same file again updates its book."""

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from tuyengiao.library.models import Book

from .conftest import book_pdf

pytestmark = pytest.mark.django_db


def _folder(tmp_path, rows, header, *, xlsx=False):
    folder = tmp_path / "sach"
    folder.mkdir(exist_ok=True)
    (folder / "bac-me.pdf").write_bytes(book_pdf())
    (folder / "tinh.pdf").write_bytes(book_pdf(title="Lịch sử Đảng bộ tỉnh"))
    (folder / "ghi-chu.txt").write_text("không phải sách")
    if xlsx:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        workbook.save(folder / "metadata.xlsx")
    else:
        lines = [",".join(header), *(",".join(f'"{cell}"' for cell in row) for row in rows)]
        (folder / "metadata.csv").write_text("\n".join(lines), encoding="utf-8")
    return folder


def _run(folder):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_books", str(folder), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_with_vietnamese_headers_reports_bad_rows_and_imports_the_rest(tmp_path):
    header = ["Tệp", "Tên sách", "Tác giả", "Năm", "Bộ sưu tập", "Đơn vị xuất bản", "Quyền xem"]
    rows = [
        [
            "bac-me.pdf",
            "Lịch sử Đảng bộ huyện Bắc Mê",
            "BCH Đảng bộ huyện",
            "2021",
            "Lịch sử Đảng bộ huyện",
            "Huyện ủy Bắc Mê",
            "công khai",
        ],
        ["tinh.pdf", "Lịch sử Đảng bộ tỉnh", "", "năm ngoái", "", "", "nội bộ"],
        ["khong-co.pdf", "Sách không có tệp", "", "", "", "", ""],
        ["ghi-chu.txt", "Không phải PDF", "", "", "Tủ sách lạ", "", "bí mật"],
    ]
    out, err = _run(_folder(tmp_path, rows, header))
    assert "Dòng 3: “năm ngoái” không phải là năm." in err
    assert "Dòng 4: không có tệp “khong-co.pdf” trong thư mục." in err
    assert "Dòng 5:" in err and "Tủ sách lạ" in err and "bí mật" in err
    assert "1 created, 0 updated, 3 rows skipped." in out
    book = Book.objects.get()
    assert (book.title, book.year, book.collection.slug, book.publisher, book.access) == (
        "Lịch sử Đảng bộ huyện Bắc Mê",
        2021,
        "lich-su-dang-bo-huyen",
        "Huyện ủy Bắc Mê",
        "public",
    )


def test_a_file_that_is_not_what_its_name_says_is_told_and_the_rest_imported(tmp_path):
    from PIL import Image

    header = ["file", "title"]
    rows = [["bac-me.pdf", "Lịch sử Đảng bộ huyện Bắc Mê"], ["anh-bia.pdf", "Ảnh bìa lưu nhầm tên"]]
    folder = _folder(tmp_path, rows, header)
    Image.new("RGB", (60, 80), "red").save(folder / "anh-bia.pdf", format="JPEG")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_books", str(folder), "--dry-run", stdout=out, stderr=err)  # told before anything is stored
    assert "Dòng 3: Tệp mang đuôi .pdf nhưng nội dung là tệp JPEG." in err.getvalue()
    assert "1 of 2 rows can be imported" in out.getvalue()
    assert not Book.objects.exists()
    out, err = _run(folder)
    assert "Dòng 3: Tệp mang đuôi .pdf nhưng nội dung là tệp JPEG." in err
    assert "1 created, 0 updated, 1 rows skipped." in out
    assert list(Book.objects.values_list("title", flat=True)) == ["Lịch sử Đảng bộ huyện Bắc Mê"]


def test_importing_the_same_files_again_updates_and_never_duplicates(tmp_path):
    header = ["file", "title", "authors", "year", "collection", "publisher", "access"]
    rows = [
        ["bac-me.pdf", "Lịch sử Đảng bộ huyện Bắc Mê", "", "2021", "lich-su-dang-bo-huyen", "", "public"],
        ["tinh.pdf", "Lịch sử Đảng bộ tỉnh", "", "2022", "", "", "internal"],
    ]
    folder = _folder(tmp_path, rows, header, xlsx=True)
    _run(folder)
    scans = dict(Book.objects.values_list("source_name", "scan_id"))
    rows[0][1] = "Lịch sử Đảng bộ huyện Bắc Mê (tái bản)"
    folder = _folder(tmp_path, rows, header, xlsx=True)
    out, _err = _run(folder)
    assert "0 created, 2 updated" in out
    assert Book.objects.count() == 2
    assert dict(Book.objects.values_list("source_name", "scan_id")) == scans  # same bytes: not digitised again
    assert Book.objects.get(source_name="bac-me.pdf").title.endswith("(tái bản)")
    (folder / "tinh-moi.pdf").write_bytes((folder / "tinh.pdf").read_bytes())  # the same bytes, renamed
    rows[1][0] = "tinh-moi.pdf"
    (folder / "metadata.xlsx").unlink()
    _folder(tmp_path, rows, header, xlsx=True)
    _run(folder)
    assert Book.objects.count() == 2
