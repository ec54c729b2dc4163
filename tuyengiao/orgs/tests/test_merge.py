"""Units close and merge; old records stay with the old unit and roll up under the successor."""

import datetime

import pytest

from tuyengiao.accounts.models import User
from tuyengiao.orgs.models import Unit
from tuyengiao.orgs.selectors import unit_effective, unit_rollup_ids
from tuyengiao.orgs.services import UnitError, unit_merge, unit_update

JULY_1 = datetime.date(2025, 7, 1)


def staff_under(unit):
    return set(User.objects.filter(unit_id__in=unit_rollup_ids(unit)).values_list("username", flat=True))


def test_merging_closes_the_unit_the_day_before_and_names_its_successor(province):
    unit_merge(unit=province["HG-BM"], into=province["HG-DV"], on=JULY_1)
    merged = Unit.objects.get(code="HG-BM")
    assert merged.valid_to == datetime.date(2025, 6, 30)
    assert merged.successor.code == "HG-DV"
    assert not merged.is_current(JULY_1)
    assert merged.is_current(datetime.date(2025, 6, 30))


def test_old_records_keep_their_unit_and_roll_up_under_the_successor(
    province, commune_staff, district_editor, sibling_user
):
    unit_merge(unit=province["HG-BM"], into=province["HG-DV"], on=JULY_1)
    commune_staff.refresh_from_db()
    assert commune_staff.unit.code == "HG-BM-01"
    assert staff_under(province["HG-DV"]) == {"bientap.dv", "bientap.bm", "canbo.yp"}
    assert staff_under(province["HG-BM"]) == {"bientap.bm", "canbo.yp"}


def test_roll_ups_follow_chains_of_merges(province, commune_staff):
    unit_merge(unit=province["HG-BM-01"], into=province["HG-BM"], on=JULY_1)
    unit_merge(unit=province["HG-BM"], into=province["HG-DV"], on=datetime.date(2025, 8, 1))
    assert "canbo.yp" in staff_under(province["HG-DV"])
    assert unit_effective(province["HG-BM-01"]).code == "HG-DV"


def test_current_units_leave_out_the_merged_ones(province):
    unit_merge(unit=province["HG-BM"], into=province["HG-DV"], on=JULY_1)
    current = set(Unit.objects.current(JULY_1).values_list("code", flat=True))
    assert "HG-BM" not in current
    assert "HG-DV" in current
    assert "HG-BM" in set(Unit.objects.current(datetime.date(2025, 6, 1)).values_list("code", flat=True))


@pytest.mark.parametrize(
    ("unit", "into", "code"),
    [("HG-BM", "HG-BM", "merge_into_self"), ("HG-BM", "HG-BM-01", "merge_into_descendant")],
)
def test_impossible_merges_are_refused(province, unit, into, code):
    with pytest.raises(UnitError) as error:
        unit_merge(unit=province[unit], into=province[into], on=JULY_1)
    assert error.value.code == code
    assert Unit.objects.get(code=unit).successor is None


@pytest.mark.parametrize(
    ("valid_from", "on"),
    [(datetime.date(2020, 1, 1), datetime.date(2020, 1, 1)), (None, datetime.date.min)],
)
def test_a_merge_on_or_before_the_day_the_unit_began_is_refused(province, valid_from, on):
    """The day it began, or the first day of the calendar, which has no day before it to close on."""
    Unit.objects.filter(code="HG-BM").update(valid_from=valid_from)
    with pytest.raises(UnitError) as error:
        unit_merge(unit=Unit.objects.get(code="HG-BM"), into=province["HG-DV"], on=on)
    assert error.value.message == "Ngày sáp nhập sớm hơn ngày đơn vị bắt đầu hoạt động."
    merged = Unit.objects.get(code="HG-BM")
    assert (merged.successor, merged.valid_to) == (None, None)


def test_merging_into_a_closed_unit_is_refused(province):
    unit_merge(unit=province["HG-DV"], into=province["HG"], on=JULY_1)
    with pytest.raises(UnitError) as error:
        unit_merge(unit=province["HG-BM"], into=Unit.objects.get(code="HG-DV"), on=datetime.date(2025, 8, 1))
    assert (
        error.value.message == "“Huyện Đồng Văn” không còn tồn tại vào ngày 01/08/2025; hãy chọn đơn vị còn hoạt động."
    )


def test_moving_a_unit_moves_its_subtree(province):
    unit_update(unit=province["HG-BM"], parent=province["HG-DV"])
    commune = Unit.objects.get(code="HG-BM-01")
    assert commune.depth == 3
    assert commune.is_within(Unit.objects.get(code="HG-DV"))


def test_a_unit_cannot_move_under_its_own_descendant(province):
    with pytest.raises(UnitError) as error:
        unit_update(unit=province["HG-BM"], parent=province["HG-BM-01"])
    assert error.value.code == "unit_cycle"
    assert Unit.objects.get(code="HG-BM").parent.code == "HG"
