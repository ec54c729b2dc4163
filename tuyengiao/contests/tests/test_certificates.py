"""Certificates for the winners of a round: the right people in rank order, one A4 landscape page each in
Vietnamese, and a QR code whose address opens the public page that verifies them."""

from urllib.parse import urlsplit

import pypdfium2
import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils.translation import gettext

from tuyengiao.accounts.roles import Role
from tuyengiao.accounts.tests.factories import PASSWORD, UserFactory
from tuyengiao.contests.certificates import certificate_url, certificates_run, certificates_start, winners
from tuyengiao.contests.models import Certificate, ExportRun
from tuyengiao.contests.selectors import round_ranking
from tuyengiao.contests.tasks import export_run_task
from tuyengiao.contests.tests.test_exports import contest_with_entries
from tuyengiao.core.tests.helpers import assert_denied


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def organiser(province):
    return UserFactory(username="btc.bm", unit=province["HG-BM"], roles=[(Role.CONTEST_ORGANISER, province["HG-BM"])])


@pytest.fixture
def sibling_organiser(province):
    return UserFactory(username="btc.dv", unit=province["HG-DV"], roles=[(Role.CONTEST_ORGANISER, province["HG-DV"])])


def pdf_pages(content: bytes) -> list[tuple[float, float, str]]:
    """(width, height, text) of each page."""
    pdf = pypdfium2.PdfDocument(content)
    pages = []
    for page in pdf:
        text = page.get_textpage().get_text_range()
        pages.append((page.get_width(), page.get_height(), text.replace("\r\n", "\n")))
    return pages


def test_the_top_n_of_the_ranking_get_certificates_in_rank_order(province, organiser):
    contest = contest_with_entries(province, people=40)
    round_ = contest.rounds.get()
    run = certificates_run(certificates_start(round_, actor=organiser, top=5))
    expected = list(round_ranking(round_)[:5])
    certificates = list(Certificate.objects.order_by("rank"))
    assert [(c.rank, c.attempt) for c in certificates] == list(enumerate(expected, start=1))
    assert (run.status, run.rows_done) == (ExportRun.Status.DONE, 5)
    pages = pdf_pages(run.file.read())
    assert len(pages) == 5
    for (width, height, text), attempt in zip(pages, expected, strict=True):
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
        assert attempt.participant.full_name in text  # "Nguyễn Thị Ánh …", with its diacritics
        assert "Tìm hiểu Nghị quyết 27" in text and "Huyện Bắc Mê" in text


def test_a_lowest_score_gives_everyone_counted_at_or_above_it_and_nobody_disqualified(province, organiser):
    contest = contest_with_entries(province, people=60)
    round_ = contest.rounds.get()
    chosen = winners(round_, min_score=18)
    assert chosen and all(attempt.score >= 18 and attempt.counts for _rank, attempt in chosen)
    assert not any(attempt.disqualified_reason for _rank, attempt in chosen)
    everyone = round_ranking(round_).filter(score__gte=18).count()
    assert len(chosen) == everyone
    assert [rank for rank, _attempt in chosen] == list(range(1, everyone + 1))


def test_making_the_certificates_again_keeps_their_codes(province, organiser):
    contest = contest_with_entries(province, people=20)
    round_ = contest.rounds.get()
    certificates_run(certificates_start(round_, actor=organiser, top=3))
    codes = dict(Certificate.objects.values_list("attempt_id", "code"))
    certificates_run(certificates_start(round_, actor=organiser, top=4))
    again = dict(Certificate.objects.values_list("attempt_id", "code"))
    assert len(again) == 4 and all(again[attempt] == code for attempt, code in codes.items())
    assert len(set(again.values())) == 4 and all(len(code) >= 20 for code in again.values())


def test_the_qr_address_opens_the_verification_page_with_the_name(client, province, organiser):
    contest = contest_with_entries(province, people=10)
    round_ = contest.rounds.get()
    run = certificates_run(certificates_start(round_, actor=organiser, top=1))
    certificate = Certificate.objects.select_related("attempt__participant").get()
    url = certificate_url(certificate)
    assert url.endswith(f"/cuoc-thi/chung-nhan/{certificate.code}/")
    (_width, _height, text) = pdf_pages(run.file.read())[0]
    assert url in text.replace("\n", "")  # the address the QR code holds, printed under it
    page = client.get(urlsplit(url).path)
    assert page.status_code == 200
    content = page.content.decode()
    person = certificate.attempt.participant
    assert person.full_name in content and gettext("This certificate is valid.") in content  # "… hợp lệ."
    assert person.phone not in content and (not person.cccd or person.cccd not in content)


def test_a_certificate_of_a_disqualified_entry_is_shown_as_withdrawn(client, province, organiser):
    contest = contest_with_entries(province, people=10)
    round_ = contest.rounds.get()
    certificates_run(certificates_start(round_, actor=organiser, top=1))
    certificate = Certificate.objects.get()
    certificate.attempt.counts = False
    certificate.attempt.disqualified_reason = "Gian lận"
    certificate.attempt.save(update_fields=["counts", "disqualified_reason"])
    content = client.get(reverse("contests:certificate", args=[certificate.code])).content.decode()
    assert gettext("This certificate is valid.") not in content
    assert gettext("This certificate has been withdrawn: the entry no longer counts.") in content


def test_an_unknown_code_is_not_found(client, db):
    response = client.get(reverse("contests:certificate", args=["khong-co-ma-nay-1234"]))
    assert response.status_code == 404


def test_an_organiser_makes_the_certificates_from_the_admin_and_downloads_the_pdf(client, organiser, province):
    contest = contest_with_entries(province, people=15)
    round_ = contest.rounds.get()
    client.login(username="btc.bm", password=PASSWORD)
    assert client.get(reverse("contests_admin:certificates", args=[contest.pk])).status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=False):
        response = client.post(
            reverse("contests_admin:certificates", args=[contest.pk]), {"round": round_.pk, "mode": "top", "top": 10}
        )
    run = ExportRun.objects.get()
    assert response["Location"] == reverse("contests_admin:export_progress", args=[contest.pk, run.pk])
    export_run_task.call(run.pk)
    download = client.get(reverse("contests_admin:export_download", args=[contest.pk, run.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert len(pdf_pages(b"".join(download.streaming_content))) == 10 == Certificate.objects.count()


def test_a_sibling_organiser_can_neither_make_nor_download_the_certificates(
    client, organiser, sibling_organiser, province
):
    contest = contest_with_entries(province, people=10)
    round_ = contest.rounds.get()
    run = certificates_run(certificates_start(round_, actor=organiser, top=3))
    client.login(username="btc.dv", password=PASSWORD)
    url = reverse("contests_admin:certificates", args=[contest.pk])
    assert_denied(client.get(url))
    assert_denied(client.post(url, {"round": round_.pk, "mode": "top", "top": 10}))
    assert_denied(client.get(reverse("contests_admin:export_download", args=[contest.pk, run.pk])))
    assert ExportRun.objects.count() == 1
