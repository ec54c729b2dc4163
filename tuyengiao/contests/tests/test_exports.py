"""The XLSX of all entries: built in the background, row by row as the database holds them, for the organiser who
asked; recorded as an export of personal data."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from tuyengiao.accounts.roles import Role
from tuyengiao.accounts.tests.factories import PASSWORD, UserFactory
from tuyengiao.contests.exports import entries_xlsx_write, export_run, export_start, headers
from tuyengiao.contests.models import Attempt, AttemptStatus, Contest, ExportRun, Participant, Round
from tuyengiao.contests.selectors import round_ranking
from tuyengiao.contests.tasks import export_run_task
from tuyengiao.core.models import PersonalDataAccess
from tuyengiao.core.tests.helpers import assert_denied

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


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
def colleague(province):
    return UserFactory(username="btc.bm2", unit=province["HG-BM"], roles=[(Role.CONTEST_ORGANISER, province["HG-BM"])])


@pytest.fixture
def sibling_organiser(province):
    return UserFactory(username="btc.dv", unit=province["HG-DV"], roles=[(Role.CONTEST_ORGANISER, province["HG-DV"])])


def contest_with_entries(province, people: int, rounds: int = 1) -> Contest:
    """`people` participants, each with one attempt per round; every seventh attempt does not count (the
    fourteenth of them is disqualified), every fifth participant has a second, uncounted attempt in round 1."""
    contest = Contest.objects.create(title="Tìm hiểu Nghị quyết 27", slug="nq27", unit=province["HG-BM"])
    now = timezone.now()
    units = [province["HG-BM-01"], province["HG-BM"], None]
    participants = Participant.objects.bulk_create(
        Participant(
            contest=contest,
            full_name=f"Nguyễn Thị Ánh {index}",
            birth_year=1970 + index % 40,
            phone=f"09{index:08d}",
            cccd=f"00209{index:07d}" if index % 3 else "",
            unit=units[index % 3],
            occupation="Giáo viên" if index % 2 else "",
            address=f"Số {index}, Yên Phú",
        )
        for index in range(people)
    )
    attempts = []
    for number in range(1, rounds + 1):
        round_ = Round.objects.create(
            contest=contest,
            number=number,
            opens_at=now - datetime.timedelta(days=10),
            closes_at=now - datetime.timedelta(days=1),
            prediction_answer=500 if number == 1 else None,
        )
        for index, person in enumerate(participants):
            started = now - datetime.timedelta(days=5, seconds=index)
            tries = 2 if number == 1 and index % 5 == 0 else 1
            for attempt_number in range(tries):
                counts = attempt_number == 0 and index % 7 != 0
                time_ms = 60_000 + (index * 7919) % 500_000
                attempts.append(
                    Attempt(
                        round=round_,
                        participant=person,
                        token_hash=f"{number}-{index}-{attempt_number}",
                        started_at=started,
                        expires_at=started + datetime.timedelta(minutes=15),
                        submitted_at=started + datetime.timedelta(milliseconds=time_ms),
                        status=AttemptStatus.SUBMITTED,
                        score=(index * 31) % 21,
                        max_score=20,
                        time_ms=time_ms,
                        prediction=(index * 13) % 1000,
                        counts=counts,
                        disqualified_reason="Làm quá nhanh" if index % 14 == 0 else "",
                    )
                )
    Attempt.objects.bulk_create(attempts, batch_size=1000)
    return contest


def expected_rows(contest: Contest) -> list[tuple]:
    """What the sheet must hold, read here independently of the export: round by round, the ranking and the rank,
    then the uncounted entries by id."""
    rows = []
    for round_ in contest.rounds.order_by("number"):
        ranked = list(round_ranking(round_))
        rest = list(
            Attempt.objects.filter(round=round_, counts=False).select_related("participant__unit").order_by("pk")
        )
        for rank, attempt in [(index, attempt) for index, attempt in enumerate(ranked, start=1)] + [
            (None, attempt) for attempt in rest
        ]:
            person = attempt.participant
            rows.append(
                (
                    round_.number,
                    rank,
                    person.full_name,
                    person.birth_year,
                    person.phone or None,
                    person.cccd or None,
                    person.unit.name if person.unit else None,
                    person.unit.code if person.unit else None,
                    person.occupation or None,
                    person.address or None,
                    attempt.started_at.astimezone(VIETNAM).replace(tzinfo=None),
                    attempt.submitted_at.astimezone(VIETNAM).replace(tzinfo=None),
                    round(attempt.time_ms / 1000, 2),
                    attempt.score,
                    attempt.max_score,
                    attempt.prediction,
                    str(AttemptStatus.SUBMITTED.label),
                    gettext("Yes") if attempt.counts else gettext("No"),
                    attempt.disqualified_reason or None,
                )
            )
    return rows


def sheet_rows(path) -> list[tuple]:
    workbook = load_workbook(path, read_only=True)
    rows = [tuple(row) for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    workbook.close()
    return rows


def assert_same_row(got: tuple, expected: tuple) -> None:
    """Equal, the times to the millisecond (what a spreadsheet keeps)."""
    for index in (10, 11):
        assert abs(got[index] - expected[index]) <= datetime.timedelta(milliseconds=1), (got, expected)
    assert got[:10] + got[12:] == expected[:10] + expected[12:]


def test_the_export_holds_every_entry_as_the_database_has_it_row_by_row(province, tmp_path):
    contest = contest_with_entries(province, people=1500, rounds=2)
    target = tmp_path / "entries.xlsx"
    count = entries_xlsx_write(target, contest)
    assert count == Attempt.objects.filter(round__contest=contest).count() == 3300
    header = next(load_workbook(target, read_only=True).active.iter_rows(max_row=1, values_only=True))
    assert header == tuple(headers())
    rows = sheet_rows(target)
    assert len(rows) == count
    for got, expected in zip(rows, expected_rows(contest), strict=True):
        assert_same_row(got, expected)


def test_the_rank_follows_the_ranking_with_the_prediction_tie_break(province, tmp_path):
    contest = contest_with_entries(province, people=60)
    round_ = contest.rounds.get()
    target = tmp_path / "round.xlsx"
    entries_xlsx_write(target, contest, round_)
    ranked = [row for row in sheet_rows(target) if row[1] is not None]
    assert [row[1] for row in ranked] == list(range(1, round_ranking(round_).count() + 1))
    assert [row[2] for row in ranked] == [attempt.participant.full_name for attempt in round_ranking(round_)]


def test_the_export_reads_the_entries_in_chunks_not_all_at_once(province, tmp_path):
    contest = contest_with_entries(province, people=50)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        entries_xlsx_write(tmp_path / "x.xlsx", contest)
    # the rounds, then per round the ranking and the uncounted entries: no query per row
    assert len(queries.captured_queries) <= 4


def test_an_organiser_exports_in_the_background_and_downloads_the_file(client, organiser, province):
    contest = contest_with_entries(province, people=30)
    client.login(username="btc.bm", password=PASSWORD)
    assert client.get(reverse("contests_admin:export_entries", args=[contest.pk])).status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=False):
        response = client.post(reverse("contests_admin:export_entries", args=[contest.pk]), {"round": ""})
    run = ExportRun.objects.get()
    assert response["Location"] == reverse("contests_admin:export_progress", args=[contest.pk, run.pk])
    assert (run.status, run.rows_total, run.requested_by) == (ExportRun.Status.WAITING, 36, organiser)
    assert client.get(response["Location"]).status_code == 200
    export_run_task.call(run.pk)  # what the worker runs
    status = client.get(reverse("contests_admin:export_status", args=[contest.pk, run.pk])).json()
    assert (status["status"], status["rows_done"], status["percent"]) == ("done", 36, 100)
    download = client.get(reverse("contests_admin:export_download", args=[contest.pk, run.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    content = b"".join(download.streaming_content)
    assert content.startswith(b"PK")
    access = PersonalDataAccess.objects.get(purpose="export")
    assert (access.actor, access.subject_type, access.record_count) == (organiser, "contests.participant", 36)
    assert "cccd" in access.fields and "phone" in access.fields


def test_a_sibling_organiser_can_neither_start_nor_download_an_export(
    client, organiser, sibling_organiser, colleague, province
):
    contest = contest_with_entries(province, people=10)
    run = export_run(export_start(contest, actor=organiser))
    client.login(username="btc.dv", password=PASSWORD)
    assert_denied(client.get(reverse("contests_admin:export_entries", args=[contest.pk])))
    assert_denied(client.post(reverse("contests_admin:export_entries", args=[contest.pk]), {"round": ""}))
    for name in ("export_progress", "export_status", "export_download"):
        assert_denied(client.get(reverse(f"contests_admin:{name}", args=[contest.pk, run.pk])))
    # an organiser of the same unit who did not ask for it: the file is for the one who asked
    client.login(username="btc.bm2", password=PASSWORD)
    assert_denied(client.get(reverse("contests_admin:export_download", args=[contest.pk, run.pk])))
    assert ExportRun.objects.count() == 1
