"""Results of a contest: the winners of a round's prizes, the ranking of the units, the overall ranking, and the
results of a test after a training class with its roster."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tuyengiao.accounts.roles import Role
from tuyengiao.accounts.tests.factories import PASSWORD, UserFactory
from tuyengiao.contests import services
from tuyengiao.contests.models import (
    Attempt,
    AttemptStatus,
    Audience,
    Contest,
    Participant,
    Prize,
    PrizeKind,
    RosterEntry,
    Round,
)
from tuyengiao.contests.standings import overall_ranking, round_winners, units_ranking
from tuyengiao.core.models import AuditEntry
from tuyengiao.core.tests.helpers import assert_denied
from tuyengiao.orgs.models import UnitKind
from tuyengiao.orgs.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(province):
    return UserFactory(username="btc.hg", unit=province["HG"], roles=[(Role.CONTEST_ORGANISER, province["HG"])])


@pytest.fixture
def district_organiser(province):
    return UserFactory(username="btc.bm", unit=province["HG-BM"], roles=[(Role.CONTEST_ORGANISER, province["HG-BM"])])


@pytest.fixture
def sibling_organiser(province):
    return UserFactory(username="btc.dv", unit=province["HG-DV"], roles=[(Role.CONTEST_ORGANISER, province["HG-DV"])])


@pytest.fixture
def contest(province):
    return Contest.objects.create(
        title="Tìm hiểu Nghị quyết 27-NQ/TW", slug="nq27", unit=province["HG"], published=True
    )


def _round(contest, number=1, *, closed=True):
    now = timezone.now()
    if closed:
        opens, closes = now - datetime.timedelta(days=10 - number), now - datetime.timedelta(days=8 - number)
    else:
        opens, closes = now - datetime.timedelta(days=1), now + datetime.timedelta(days=6)
    return Round.objects.create(contest=contest, number=number, opens_at=opens, closes_at=closes, question_count=10)


def _person(contest, name, unit, phone, **values):
    return Participant.objects.create(contest=contest, full_name=name, unit=unit, phone=phone, **values)


def _entry(round_, person, score, *, time_ms=300_000, max_score=10, counts=True):
    submitted = min(timezone.now(), round_.closes_at - datetime.timedelta(minutes=1))
    return Attempt.objects.create(
        round=round_,
        participant=person,
        token_hash=f"t-{round_.pk}-{person.pk}-{Attempt.objects.count()}",
        paper=[],
        started_at=submitted - datetime.timedelta(milliseconds=time_ms),
        expires_at=submitted + datetime.timedelta(minutes=5),
        submitted_at=submitted,
        status=AttemptStatus.SUBMITTED,
        score=score,
        max_score=max_score,
        time_ms=time_ms,
        counts=counts,
    )


def _roster(contest, unit, count, *, prefix, group=""):
    RosterEntry.objects.bulk_create(
        RosterEntry(
            contest=contest, full_name=f"Học viên {prefix}{n}", phone=f"09{prefix}{n:07d}", unit=unit, group=group
        )
        for n in range(count)
    )


# ---------------------------------------------------------------------------------------------------------------
# Winners


def test_winners_follow_the_ranking_and_skip_a_disqualified_entry(client, contest, province, organiser):
    round_ = _round(contest)
    people = [
        _person(contest, name, province["HG-BM-01"], f"09120000{index:02d}")
        for index, name in enumerate(["Người gian lận", "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Dũng"])
    ]
    entries = [_entry(round_, person, 10 - index) for index, person in enumerate(people)]
    services.attempt_disqualify(entries[0], "Làm bài trong 3 giây", actor=organiser)
    Prize.objects.create(round=round_, label="Giải Nhất", count=1, order=1)
    Prize.objects.create(round=round_, label="Giải Nhì", count=1, order=2)
    Prize.objects.create(round=round_, label="Giải Khuyến khích", count=2, order=3)
    individual, _collective = round_winners(round_)
    assert [(award.prize.label, [a.participant.full_name for a in award.winners]) for award in individual] == [
        ("Giải Nhất", ["Nguyễn Văn An"]),
        ("Giải Nhì", ["Trần Thị Bình"]),
        ("Giải Khuyến khích", ["Lê Văn Cường", "Phạm Dũng"]),
    ]
    page = client.get(reverse("contests:winners", args=["nq27", 1])).content.decode()
    assert page.index("Nguyễn Văn An") < page.index("Trần Thị Bình") < page.index("Phạm Dũng")
    assert "Người gian lận" not in page and "Thị trấn Yên Phú" in page


def test_collective_prizes_go_to_the_first_units(contest, province):
    round_ = _round(contest)
    _entry(round_, _person(contest, "An", province["HG-BM-01"], "0912000001"), 9)
    _entry(round_, _person(contest, "Bình", province["HG-DV-01"], "0912000002"), 5)
    _entry(round_, _person(contest, "Cường", province["HG-DV"], "0912000003"), 5)
    Prize.objects.create(round=round_, kind=PrizeKind.COLLECTIVE, label="Giải tập thể Nhất", count=1, order=1)
    _individual, collective = round_winners(round_)
    assert [item.unit.name for item in collective[0].winners] == ["Huyện Đồng Văn"]


def test_the_winners_are_announced_only_after_the_round_closes(client, contest, province):
    round_ = _round(contest, closed=False)
    _entry(round_, _person(contest, "Nguyễn Văn An", province["HG-BM"], "0912000001"), 9)
    Prize.objects.create(round=round_, label="Giải Nhất", count=1)
    page = client.get(reverse("contests:winners", args=["nq27", 1])).content.decode()
    assert "Nguyễn Văn An" not in page and "Giải Nhất" not in page


# ---------------------------------------------------------------------------------------------------------------
# The ranking of the units


def test_units_are_ranked_by_participation_against_the_roster_then_mean_score(client, contest, province):
    quan_ba = UnitFactory(code="HG-QB", name="Huyện Quản Bạ", kind=UnitKind.DISTRICT, parent=province["HG"])
    round_ = _round(contest, closed=False)
    _roster(contest, province["HG-BM-01"], 4, prefix="1")  # Bắc Mê: 3 of 4 take part, mean 2
    _roster(contest, province["HG-DV"], 2, prefix="2")  # Đồng Văn: 1 of 2, mean 8
    _roster(contest, quan_ba, 2, prefix="3")  # Quản Bạ: 1 of 2, mean 6
    for index, score in enumerate([1, 2, 3]):
        _entry(round_, _person(contest, f"BM {index}", province["HG-BM-01"], f"091100000{index}"), score)
    _entry(round_, _person(contest, "DV", province["HG-DV-01"], "0912000000"), 8)
    _entry(round_, _person(contest, "QB", quan_ba, "0913000000"), 6)
    rows, has_roster = units_ranking(round_)
    assert has_roster
    assert [(row.unit.name, row.people, row.roster, row.rate_percent) for row in rows] == [
        ("Huyện Bắc Mê", 3, 4, 75.0),
        ("Huyện Đồng Văn", 1, 2, 50.0),
        ("Huyện Quản Bạ", 1, 2, 50.0),
    ]
    page = client.get(reverse("contests:units", args=["nq27", 1])).content.decode()
    assert page.index("Huyện Bắc Mê") < page.index("Huyện Đồng Văn") < page.index("Huyện Quản Bạ")
    assert "75" in page and "3/4" in page


def test_without_a_roster_units_are_ranked_by_people_and_the_page_says_so(client, contest, province):
    round_ = _round(contest, closed=False)
    _entry(round_, _person(contest, "DV", province["HG-DV-01"], "0912000000"), 10)
    for index in range(2):
        _entry(round_, _person(contest, f"BM {index}", province["HG-BM-01"], f"091100000{index}"), 1)
    rows, has_roster = units_ranking(round_)
    assert not has_roster
    assert [(row.unit.name, row.people) for row in rows] == [("Huyện Bắc Mê", 2), ("Huyện Đồng Văn", 1)]
    response = client.get(reverse("contests:units", args=["nq27", 1]))
    assert not response.context["has_roster"]


def test_the_dashboard_shows_the_ranking_of_the_units(client, contest, province, organiser):
    round_ = _round(contest, closed=False)
    _entry(round_, _person(contest, "DV", province["HG-DV-01"], "0912000000"), 10)
    client.login(username="btc.hg", password=PASSWORD)
    response = client.get(reverse("contests_admin:dashboard", args=[contest.pk]) + f"?round={round_.number}")
    assert response.status_code == 200
    assert [row.unit.name for row in response.context["units"]] == ["Huyện Đồng Văn"]


# ---------------------------------------------------------------------------------------------------------------
# The overall ranking


def test_the_overall_ranking_sums_the_closed_rounds_and_breaks_ties_by_time(client, contest, province):
    first, second, running = _round(contest, 1), _round(contest, 2), _round(contest, 3, closed=False)
    an = _person(contest, "Nguyễn Văn An", province["HG-BM"], "0912000001")
    binh = _person(contest, "Trần Thị Bình", province["HG-DV"], "0912000002")
    cuong = _person(contest, "Lê Văn Cường", province["HG-DV"], "0912000003")
    _entry(first, an, 6, time_ms=200_000)
    _entry(second, an, 4, time_ms=200_000)
    _entry(first, binh, 5, time_ms=100_000)
    _entry(second, binh, 5, time_ms=100_000)
    _entry(first, cuong, 3, time_ms=10_000)
    _entry(first, cuong, 9, counts=False)  # an attempt that does not count
    _entry(running, cuong, 10)  # the open round is not summed yet
    assert [(row["participant"], row["total"], row["rounds"]) for row in overall_ranking(contest)] == [
        (binh.pk, 10, 2),
        (an.pk, 10, 2),
        (cuong.pk, 3, 1),
    ]
    response = client.get(reverse("contests:overall", args=["nq27"]))
    page = response.content.decode()
    assert page.index("Trần Thị Bình") < page.index("Nguyễn Văn An") < page.index("Lê Văn Cường")
    detail = client.get(reverse("contests:detail", args=["nq27"])).content.decode()
    assert reverse("contests:overall", args=["nq27"]) in detail


def test_public_result_pages_show_no_personal_data(client, contest, province):
    round_ = _round(contest)
    person = _person(
        contest,
        "Nguyễn Văn An",
        province["HG-BM"],
        "0912345678",
        cccd="002090001234",
        birth_year=1987,
        address="Xóm Nà",
    )
    _entry(round_, person, 9)
    Prize.objects.create(round=round_, label="Giải Nhất", count=1)
    Prize.objects.create(round=round_, kind=PrizeKind.COLLECTIVE, label="Giải tập thể", count=1)
    for url in (
        reverse("contests:winners", args=["nq27", 1]),
        reverse("contests:units", args=["nq27", 1]),
        reverse("contests:overall", args=["nq27"]),
    ):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert "Huyện Bắc Mê" in page
        for secret in ("0912345678", "002090001234", "1987", "Xóm Nà"):
            assert secret not in page, (url, secret)


# ---------------------------------------------------------------------------------------------------------------
# A test after a training class


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


ROSTER = [
    ["Họ và tên", "CCCD", "Số điện thoại", "Mã đơn vị", "Lớp"],
    ["Nguyễn Văn An", "002090001234", "", "HG-BM-01", "K1"],
    ["Trần Thị Bình", 2090001235, "0912 000 002", "HG-BM", "K1"],  # a CCCD typed as a number
    ["Lê Văn Cường", "12345", "", "HG-BM", "K1"],  # not a CCCD
    ["Phạm Thị Dung", "", "0912000004", "KHONG-CO", "K2"],  # no such unit
    ["Hoàng Văn Em", "", "", "HG-BM", "K2"],  # neither CCCD nor phone
]


@pytest.fixture
def training(province):
    return Contest.objects.create(
        title="Kiểm tra cuối khoá bồi dưỡng lý luận chính trị",
        slug="kiem-tra-k1",
        unit=province["HG-BM"],
        audience=Audience.ROSTER,
        is_training_test=True,
        pass_score_percent=50,
        registration={"full_name": "required", "cccd": "on", "phone": "on", "unit": "off"},
        published=True,
    )


def test_the_roster_import_previews_every_row_and_stores_only_after_confirming(client, training, district_organiser):
    client.login(username="btc.bm", password=PASSWORD)
    url = reverse("contests_results:roster_import", args=[training.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("lop.xlsx", _xlsx(ROSTER))})
    assert response.status_code == 200
    rows = {row.line: row for row in response.context["rows"]}
    assert [line for line, row in rows.items() if row.ok] == [2, 3]
    assert rows[3].values["cccd"] == "002090001235" and rows[3].values["phone"] == "0912000002"
    assert "12345" in rows[4].errors[0]
    assert "KHONG-CO" in rows[5].errors[0]
    assert rows[6].errors
    assert not RosterEntry.objects.exists()
    response = client.post(url, {"token": response.context["token"], "confirm": "1"})
    assert response.status_code == 302
    assert sorted(RosterEntry.objects.values_list("full_name", "group")) == [
        ("Nguyễn Văn An", "K1"),
        ("Trần Thị Bình", "K1"),
    ]
    assert AuditEntry.objects.get(action="contest.roster_import").changes == {"created": 2, "updated": 0, "skipped": 3}


def test_only_people_on_the_roster_may_register(training, province):
    RosterEntry.objects.create(contest=training, full_name="Nguyễn Văn An", cccd="002090001234", unit=province["HG-BM"])
    assert services.participant_register(training, {"full_name": "Nguyễn Văn An", "cccd": "002090001234"}).pk
    with pytest.raises(services.PermissionDeniedError):
        services.participant_register(training, {"full_name": "Người lạ", "cccd": "002090009999"})


def test_the_results_by_class_count_who_took_the_test_the_mean_and_the_pass_rate(
    client, training, province, district_organiser
):
    round_ = _round(training)
    unit = province["HG-BM"]
    for name, cccd, group in [
        ("An", "002090000001", "K1"),
        ("Bình", "002090000002", "K1"),
        ("Cường", "002090000003", "K1"),
        ("Dung", "002090000004", "K2"),
        ("Em", "002090000005", "K2"),
    ]:
        RosterEntry.objects.create(contest=training, full_name=name, cccd=cccd, unit=unit, group=group)
    an = Participant.objects.create(contest=training, full_name="An", cccd="002090000001")
    binh = Participant.objects.create(contest=training, full_name="Bình", cccd="002090000002")
    _entry(round_, an, 8, max_score=10)
    _entry(round_, binh, 4, max_score=10)
    client.login(username="btc.bm", password=PASSWORD)
    response = client.get(reverse("contests_results:training", args=[training.pk]))
    assert response.status_code == 200
    classes = {item.name: item for item in response.context["classes"]}
    k1, k2 = classes["K1"], classes["K2"]
    assert (k1.learners, k1.took, k1.mean_score, k1.passed, k1.pass_rate) == (3, 2, 6.0, 1, 33.3)
    assert (k2.learners, k2.took, k2.mean_score, k2.passed, k2.pass_rate) == (2, 0, None, 0, 0.0)
    learners = {learner.entry.full_name: learner for learner in response.context["learners"]}
    assert learners["An"].took and learners["An"].passed
    assert learners["Bình"].took and not learners["Bình"].passed
    assert not learners["Cường"].took
    export = client.get(reverse("contests_results:training_export", args=[training.pk]))
    assert export.status_code == 200
    workbook = load_workbook(io.BytesIO(export.content))
    classes_sheet, learners_sheet = workbook.worksheets
    assert [cell.value for cell in classes_sheet[2]][:3] == ["K1", 3, 2]
    assert learners_sheet.max_row == 6


def test_a_sibling_organiser_is_denied_the_results_and_the_roster(client, training, sibling_organiser):
    _round(training)
    client.login(username="btc.dv", password=PASSWORD)
    assert_denied(client.get(reverse("contests_results:training", args=[training.pk])))
    assert_denied(client.get(reverse("contests_results:training_export", args=[training.pk])))
    assert_denied(client.get(reverse("contests_results:roster_import", args=[training.pk])))
    url = reverse("contests_results:roster_import", args=[training.pk])
    assert_denied(client.post(url, {"file": SimpleUploadedFile("lop.xlsx", _xlsx(ROSTER))}))


def test_the_public_result_pages_of_a_training_test_do_not_exist(client, training):
    _round(training)
    assert client.get(reverse("contests:overall", args=[training.slug])).status_code == 404
    assert client.get(reverse("contests:winners", args=[training.slug, 1])).status_code == 404


# ---------------------------------------------------------------------------------------------------------------
# Prizes in the back office


def test_an_organiser_adds_a_prize_to_a_round_and_a_sibling_cannot_see_it(
    client, province, district_organiser, sibling_organiser
):
    contest = Contest.objects.create(title="Cuộc thi Bắc Mê", slug="bm", unit=province["HG-BM"], published=True)
    round_ = _round(contest, closed=False)
    client.login(username="btc.bm", password=PASSWORD)
    rounds = client.get(reverse("contests_rounds:index") + f"?contest={contest.pk}").content.decode()
    assert reverse("contests_prizes:index") + f"?round={round_.pk}" in rounds
    assert client.get(reverse("contests_prizes:add") + f"?round={round_.pk}").status_code == 200
    data = {"round": round_.pk, "kind": "individual", "label": "Giải Nhất", "count": 1, "order": 1}
    response = client.post(reverse("contests_prizes:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    prize = Prize.objects.get()
    assert (prize.round, prize.label) == (round_, "Giải Nhất")
    assert "Giải Nhất" in client.get(reverse("contests_prizes:index") + f"?round={round_.pk}").content.decode()
    client.logout()
    client.login(username="btc.dv", password=PASSWORD)
    assert "Giải Nhất" not in client.get(reverse("contests_prizes:index")).content.decode()
    assert_denied(client.get(reverse("contests_prizes:edit", args=[prize.pk])))
    assert client.post(reverse("contests_prizes:add"), data).status_code == 200  # the round is not theirs
    assert Prize.objects.count() == 1
