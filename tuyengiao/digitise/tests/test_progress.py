"""Progress of a scan, polled by the page that shows it."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tuyengiao.accounts.tests.factories import PASSWORD
from tuyengiao.digitise.models import Scan
from tuyengiao.digitise.services import scan_create


@pytest.fixture
def running_scan(samples, province, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        scan = scan_create(samples["two_page_pdf"], name="hai-trang.pdf", unit=province["HG-BM"])
    Scan.objects.filter(pk=scan.pk).update(status=Scan.Status.RUNNING, pages_total=2, pages_done=1)
    scan.refresh_from_db()
    return scan


def status_url(scan):
    return reverse("digitise_scan_status", args=[scan.pk])


def test_the_status_tells_how_far_the_scan_is(client, district_editor, running_scan):
    client.login(username=district_editor.username, password=PASSWORD)
    data = client.get(status_url(running_scan)).json()
    assert {key: data[key] for key in ("status", "pages_done", "pages_total", "percent", "error")} == {
        "status": "running",
        "pages_done": 1,
        "pages_total": 2,
        "percent": 50,
        "error": "",
    }


def test_the_status_is_hidden_from_other_units_and_from_visitors(client, sibling_user, running_scan):
    response = client.get(status_url(running_scan))
    assert response.status_code == 302  # to the admin's sign-in
    client.login(username=sibling_user.username, password=PASSWORD)
    assert client.get(status_url(running_scan)).status_code == 404


def test_the_progress_include_renders_a_bar_that_polls_from_a_static_script(running_scan):
    html = render_to_string("digitise/includes/scan_progress.html", {"scan": running_scan})
    assert '<progress max="100" value="50"' in html
    assert f'data-status-url="{status_url(running_scan)}"' in html
    assert 'data-status="running"' in html
    assert "digitise/scan-progress.js" in html
    assert "<script>" not in html
