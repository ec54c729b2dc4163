"""Bulk import: keyed rows, bad rows reported with their line, resumable, the same from the admin."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks import TaskResultStatus

from tuyengiao.accounts.roles import Role
from tuyengiao.accounts.tests.factories import PASSWORD, UserFactory
from tuyengiao.core.tests.helpers import assert_denied
from tuyengiao.digitise.models import Scan
from tuyengiao.documents.demo import pdf_make
from tuyengiao.documents.imports import rows_read, template_xlsx
from tuyengiao.documents.models import Document, ImportRun

HEADER = "Tệp,Số ký hiệu,Loại văn bản,Trích yếu,Cơ quan ban hành,Ngày ban hành,Cấp,Tình trạng hiệu lực,Quyền xem\n"
GOOD = [
    "19.pdf,19/CT-TW,Chỉ thị,Về tăng cường công tác dạy nghề,Ban Chấp hành Trung ương Đảng khóa XI,05/11/2012,"
    "Trung ương,Còn hiệu lực,Công khai",
    "27.pdf,27-NQ/TW,,Về xây dựng đội ngũ trí thức,Ban Chấp hành Trung ương Đảng khóa X,2008-08-06,Trung ương,,",
]
BAD = [
    "x.pdf,05-NQ/TU,Nghị quyết,Ngày không có thật,Tỉnh ủy Hà Giang,31/02/2021,Tỉnh,,",
    "y.pdf,06-NQ/TU,Sắc lệnh,Loại lạ,Tỉnh ủy Hà Giang,01/02/2021,Tỉnh,,",
    "thieu.pdf,07-NQ/TU,Nghị quyết,Tệp không có,Tỉnh ủy Hà Giang,01/02/2021,Tỉnh,,",
]


def folder_with(tmp_path: Path, lines: list[str]) -> Path:
    for name in ("19.pdf", "27.pdf", "x.pdf", "y.pdf"):
        (tmp_path / name).write_bytes(pdf_make([("title", name)], [f"Nội dung tệp {name}"]))
    (tmp_path / "metadata.csv").write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_the_command_imports_good_rows_reports_bad_ones_and_never_duplicates(tmp_path, db, capsys):
    folder = folder_with(tmp_path, GOOD + BAD)
    call_command("import_documents", str(folder))
    out, err = capsys.readouterr()
    assert "2 created, 0 updated, 3 rows skipped." in out
    assert "Dòng 4:" in err and "31/02/2021" in err
    assert "Dòng 5:" in err and "Sắc lệnh" in err
    assert "Dòng 6:" in err and "thieu.pdf" in err
    chi_thi = Document.objects.get(number_key="19-CT/TW")
    assert (str(chi_thi.type), str(chi_thi.issuer), chi_thi.issuer.term, chi_thi.level) == (
        "Chỉ thị",
        "Ban Chấp hành Trung ương Đảng khóa XI",
        "XI",
        "central",
    )
    assert str(Document.objects.get(number_key="27-NQ/TW").type) == "Nghị quyết"  # from the number
    assert Scan.objects.count() == 2
    call_command("import_documents", str(folder))
    assert "0 created, 2 updated" in capsys.readouterr().out
    assert (Document.objects.count(), Scan.objects.count()) == (2, 2)


def test_an_import_that_stopped_resumes_without_duplicates(tmp_path, db):
    from tuyengiao.core.tabular import metadata_find
    from tuyengiao.documents.imports import import_apply

    folder = folder_with(tmp_path, GOOD)
    rows = rows_read(metadata_find(folder).read_bytes(), folder)
    run = ImportRun.objects.create(folder=str(folder), status=ImportRun.Status.RUNNING, rows_done=1, rows_total=2)
    # The first row was applied before the stop:
    from tuyengiao.documents.imports import row_apply

    row_apply(rows[0], folder)
    import_apply(run, rows)
    run.refresh_from_db()
    assert (run.status, run.rows_done, run.created) == ("done", 2, 1)
    assert Document.objects.count() == 2 and Scan.objects.count() == 2


def test_headers_in_english_and_dates_in_iso_are_accepted(tmp_path, db):
    (tmp_path / "a.pdf").write_bytes(pdf_make([("title", "A")], ["A"]))
    data = (
        "file,number,type,title,issuer,issued_on,level,status,access\n"
        "a.pdf,45-KH/TU,Kế hoạch,Kế hoạch A,Tỉnh ủy Hà Giang,2016-12-12,province,in_force,public\n"
    )
    rows = rows_read(data.encode(), tmp_path)
    assert rows[0].ok and rows[0].values["issued_on"].isoformat() == "2016-12-12"


def test_a_missing_required_column_is_named(tmp_path, db):
    from tuyengiao.documents.imports import DocumentImportError

    with pytest.raises(DocumentImportError, match="Trích yếu"):
        rows_read("Tệp,Số ký hiệu\na.pdf,1-NQ/TU\n".encode(), tmp_path)


def test_the_preview_tells_a_file_that_is_not_what_its_name_says(tmp_path, db):
    from PIL import Image

    folder = folder_with(tmp_path, GOOD + [BAD[0].replace("x.pdf", "anh.pdf").replace("31/02", "01/02")])
    Image.new("L", (40, 20), 255).save(folder / "anh.pdf", format="PNG")  # a scan saved as PNG, named .pdf
    (folder / "27.pdf").write_bytes(b"")  # a copy that failed
    rows = rows_read((folder / "metadata.csv").read_bytes(), folder)
    assert [row.errors for row in rows] == [
        [],
        ["Tệp rỗng. Hãy chọn lại tệp."],
        [
            "Tệp mang đuôi .pdf nhưng nội dung là tệp PNG. Hãy kiểm tra đã chọn đúng tệp chưa, hoặc đổi tên cho "
            "khớp với nội dung."
        ],
    ]
    out, err = io.StringIO(), io.StringIO()
    call_command("import_documents", str(folder), "--dry-run", stdout=out, stderr=err)
    assert "1 of 3 rows can be imported" in out.getvalue() and "Dòng 4: Tệp mang đuôi .pdf" in err.getvalue()
    assert not Document.objects.exists()


@pytest.fixture
def filer(province):
    return UserFactory(username="vanthu", unit=province["HG-BM"], roles=[(Role.UNIT_STAFF, province["HG-BM"])])


def test_the_admin_import_previews_every_row_then_applies_the_good_ones(client, filer, province, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    client.login(username="vanthu", password=PASSWORD)
    template = client.get(reverse("documents_admin:import_template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")
    folder = folder_with(tmp_path, GOOD + BAD[:1])
    files = [open(folder / name, "rb") for name in ("19.pdf", "27.pdf", "x.pdf")]
    response = client.post(
        reverse("documents_admin:import"),
        {"metadata": open(folder / "metadata.csv", "rb"), "files": files, "unit": province["HG-BM"].pk},
    )
    preview = client.get(response["Location"]).content.decode()
    assert "2 trên 3 dòng có thể nhập" in preview
    assert "31/02/2021" in preview and "sẽ được thêm" in preview
    assert Document.objects.count() == 0  # nothing stored before the go-ahead
    run = ImportRun.objects.get()
    from tuyengiao.documents.tasks import import_run_task

    with django_capture_on_commit_callbacks():
        response = client.post(reverse("documents_admin:import_preview", args=[run.pk]))
    assert response["Location"] == reverse("documents_admin:import_progress", args=[run.pk])
    import_run_task.call(run.pk)  # what the worker runs
    status = client.get(reverse("documents_admin:import_status", args=[run.pk])).json()
    assert (status["status"], status["rows_done"], status["created"], status["percent"]) == ("done", 2, 2, 100)
    assert set(Document.objects.values_list("unit__code", flat=True)) == {"HG-BM"}


def django_capture_on_commit_callbacks():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=False)


def test_a_sibling_unit_cannot_file_for_another_unit_or_see_its_import(
    client, filer, sibling_user, province, tmp_path, settings
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    run = ImportRun.objects.create(folder=str(tmp_path), unit=province["HG-BM"], created_by=filer)
    client.login(username=sibling_user.username, password=PASSWORD)
    assert_denied(client.get(reverse("documents_admin:import_preview", args=[run.pk])))
    assert_denied(client.get(reverse("documents_admin:import_status", args=[run.pk])))
    folder = folder_with(tmp_path, GOOD)
    response = client.post(
        reverse("documents_admin:import"),
        {"metadata": open(folder / "metadata.csv", "rb"), "unit": province["HG-BM"].pk},
    )
    assert response.status_code == 200 and ImportRun.objects.count() == 1  # the unit is not among the choices


def test_the_template_has_the_vietnamese_headers(db):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(template_xlsx())).active
    assert [cell.value for cell in sheet[1]][:4] == ["Tệp", "Số ký hiệu", "Loại văn bản", "Trích yếu"]


def test_a_number_typed_with_spaces_for_its_marks_is_stored_as_the_number_and_imported_again_as_one(tmp_path, db):
    spaced = GOOD[0].replace("19/CT-TW", "19 CT TW")
    folder = folder_with(tmp_path, [spaced])
    call_command("import_documents", str(folder), stdout=io.StringIO())
    assert list(Document.objects.values_list("number", "number_key", "number_int")) == [("19-CT/TW", "19-CT/TW", 19)]
    folder_with(tmp_path, [GOOD[0]])  # the same document, its number written with marks
    out = io.StringIO()
    call_command("import_documents", str(folder), stdout=out)
    assert "0 created, 1 updated" in out.getvalue()
    assert Document.objects.count() == 1


def test_a_number_stored_with_spaces_before_they_were_read_is_rekeyed(db):
    import importlib

    from django.apps import apps

    from tuyengiao.documents.tests.conftest import make_document

    typed = make_document("19-CT/TW", "Về tăng cường công tác dạy nghề")
    words = make_document("45-KH/TU", "Kế hoạch")
    Document.objects.filter(pk=typed.pk).update(number="19 CT TW", number_key="19 ct tw", number_int=19)
    Document.objects.filter(pk=words.pk).update(number="2020 ha giang", number_key="2020 ha giang", number_int=2020)
    importlib.import_module("tuyengiao.documents.migrations.0011_spaced_numbers").rekey(apps, None)
    typed.refresh_from_db()
    words.refresh_from_db()
    assert (typed.number, typed.number_key, typed.number_int) == ("19-CT/TW", "19-CT/TW", 19)
    assert (words.number, words.number_key) == ("2020 ha giang", "2020 ha giang")


def test_with_redis_the_deployed_worker_runs_the_import_and_the_digitising_of_its_files(
    rq_queue, client, filer, province, tmp_path, settings
):
    from tuyengiao.documents.services import document_types_ensure
    from tuyengiao.documents.tasks import import_run_task

    queue = rq_queue
    document_types_ensure()  # an earlier test's flush of the tables empties the list that migration 0003 fills
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    client.login(username="vanthu", password=PASSWORD)
    folder = folder_with(tmp_path, GOOD)
    files = [open(folder / name, "rb") for name in ("19.pdf", "27.pdf")]
    uploaded = client.post(
        reverse("documents_admin:import"),
        {"metadata": open(folder / "metadata.csv", "rb"), "files": files, "unit": province["HG-BM"].pk},
    )
    run = ImportRun.objects.get()
    assert uploaded["Location"] == reverse("documents_admin:import_preview", args=[run.pk])
    client.post(uploaded["Location"])  # the go-ahead; the job is queued on commit, at once here
    (job_id,) = [job.id for job in queue.jobs if job.func_name == import_run_task.module_path]
    assert Document.objects.count() == 0
    # The command of deploy/tuyengiao-worker.service, told to stop once the queue is empty:
    call_command("rqworker", "default", "--burst", verbosity=0)
    assert import_run_task.get_result(job_id).status == TaskResultStatus.SUCCESSFUL
    status = client.get(reverse("documents_admin:import_status", args=[run.pk])).json()
    assert (status["status"], status["created"]) == ("done", 2), status["errors"]
    # The import queued the reading of each file; the same worker ran those too, so the body text is found.
    assert set(Scan.objects.values_list("status", flat=True)) == {Scan.Status.DONE}
    assert (queue.count, queue.failed_job_registry.count) == (0, 0)
    found = client.get("/api/v1/documents", {"q": "noi dung tep 27"}).json()
    assert [hit["number"] for hit in found["results"]][:1] == ["27-NQ/TW"]


def test_a_row_with_several_problems_is_reported_once_as_sentences_one_after_the_other(tmp_path, db, capsys):
    folder = folder_with(tmp_path, [GOOD[0], BAD[1].replace("01/02/2021", "31/02/2021")])
    call_command("import_documents", str(folder))
    run = ImportRun.objects.get()
    message = (
        "Dòng 3: loại “Sắc lệnh” không có trong danh mục loại văn bản. “31/02/2021” không phải là ngày; hãy viết "
        "theo dạng dd/mm/yyyy."
    )
    assert run.errors == [message]  # what the progress page lists
    err = capsys.readouterr().err
    assert err.count("Sắc lệnh") == 1 and ".;" not in err
