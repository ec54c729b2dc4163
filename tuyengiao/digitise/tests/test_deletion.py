"""Deleting a scan deletes its pages and, once the deletion is committed, its files; a task reading it stops."""

import threading
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from tuyengiao.digitise.models import Scan, ScanPage
from tuyengiao.digitise.services import ScanGone, scan_create, scan_delete, scan_process
from tuyengiao.digitise.tasks import scan_process_task
from tuyengiao.digitise.tests.conftest import pdf_join


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()]


def test_deleting_a_scan_removes_its_pages_and_then_its_files(
    db, samples, collected, settings, django_capture_on_commit_callbacks
):
    scan = scan_create(samples["mixed_pdf"], name="chi-thi-19.pdf")
    scan_process(scan)
    files = [Path(scan.original.path), Path(scan.searchable_pdf.path), Path(scan.pages.get(number=1).image.path)]
    assert sorted(stored_files(settings)) == sorted(files)

    with django_capture_on_commit_callbacks(execute=True):
        scan_delete(scan)
        assert not Scan.objects.filter(pk=scan.pk).exists()
        assert not ScanPage.objects.filter(scan_id=scan.pk).exists()
        assert all(file.exists() for file in files)  # until the deletion is committed

    assert stored_files(settings) == []


def test_a_scan_deleted_before_its_reading_begins_is_not_read(
    db, samples, collected, settings, django_capture_on_commit_callbacks
):
    scan = scan_create(samples["scanned_pdf"], name="chi-thi-19.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        scan_delete(Scan.objects.get(pk=scan.pk))  # meanwhile, the task has loaded `scan`

    with pytest.raises(ScanGone):
        scan_process(scan)
    assert scan_process_task.call(scan.pk) == "missing"
    assert not ScanPage.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_scan_deleted_while_its_pages_are_read_stops_the_task_quietly(samples, settings):
    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once: PostgreSQL")
    settings.DIGITISE_OCR_WORKERS = 1  # one page after the other: the deletion comes between two of them
    pages = pdf_join(*[samples["scanned_pdf"]] * 4)
    scan = Scan(name="bon-trang.pdf", kind=Scan.Kind.PDF, size=len(pages), sha256="0" * 64)
    scan.original.save("bon-trang.pdf", ContentFile(pages), save=False)
    scan.save()  # as scan_create would, without queueing the task

    def delete_once_a_page_is_stored():
        try:
            deadline = time.monotonic() + 120
            while not ScanPage.objects.filter(scan_id=scan.pk).exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            scan_delete(Scan.objects.get(pk=scan.pk))
        finally:
            connection.close()

    deleter = threading.Thread(target=delete_once_a_page_is_stored)
    deleter.start()
    outcome = scan_process_task.call(scan.pk)
    deleter.join()

    assert outcome == "missing"
    assert not Scan.objects.filter(pk=scan.pk).exists()
    assert not ScanPage.objects.exists()
    assert stored_files(settings) == []
