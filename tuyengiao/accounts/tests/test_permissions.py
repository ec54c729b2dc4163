"""The permission matrix: a role held in a unit reaches that unit and below, never siblings or parents."""

import pytest

from tuyengiao.accounts.permissions import units_for
from tuyengiao.accounts.services import role_grant
from tuyengiao.accounts.tests.factories import UserFactory
from tuyengiao.core.errors import PermissionDeniedError
from tuyengiao.orgs.services import unit_merge

UNITS = ["HG", "HG-BM", "HG-BM-01", "HG-DV", "HG-DV-01"]

VIEW_UNIT = {
    "province_admin": {"HG", "HG-BM", "HG-BM-01", "HG-DV", "HG-DV-01"},
    "district_editor": {"HG-BM", "HG-BM-01"},
    "commune_staff": {"HG-BM-01"},
    "sibling_user": {"HG-DV", "HG-DV-01"},
}
CHANGE_UNIT = {
    "province_admin": set(UNITS),
    "district_admin": {"HG-BM", "HG-BM-01"},
    "district_editor": set(),
    "commune_staff": set(),
    "sibling_user": set(),
}


@pytest.mark.parametrize("who", sorted(VIEW_UNIT))
@pytest.mark.parametrize("code", UNITS)
def test_view_unit_matrix(request, province, who, code):
    user = request.getfixturevalue(who)
    assert user.has_perm("orgs.view_unit", province[code]) is (code in VIEW_UNIT[who])


@pytest.mark.parametrize("who", sorted(CHANGE_UNIT))
@pytest.mark.parametrize("code", UNITS)
def test_change_unit_matrix(request, province, who, code):
    user = request.getfixturevalue(who)
    assert user.has_perm("orgs.change_unit", province[code]) is (code in CHANGE_UNIT[who])


@pytest.mark.parametrize("who", sorted(VIEW_UNIT))
def test_units_for_lists_exactly_the_reachable_units(request, province, who):
    user = request.getfixturevalue(who)
    assert set(units_for(user, "orgs.view_unit").values_list("code", flat=True)) == VIEW_UNIT[who]


@pytest.mark.parametrize("who", ["province_admin", "district_editor", "commune_staff", "sibling_user"])
def test_every_role_holder_may_enter_the_admin(request, who):
    assert request.getfixturevalue(who).has_perm("wagtailadmin.access_admin")


def test_a_user_without_roles_may_not_enter_the_admin(province):
    assert not UserFactory(unit=province["HG-BM"]).has_perm("wagtailadmin.access_admin")


def test_an_inactive_user_loses_every_permission(province, province_admin):
    province_admin.is_active = False
    assert not province_admin.has_perm("orgs.view_unit", province["HG"])
    assert not province_admin.has_perm("wagtailadmin.access_admin")


def test_the_audit_log_is_for_administrators_of_the_province_only(province_admin, district_admin):
    assert province_admin.has_perm("core.view_auditentry")
    assert not district_admin.has_perm("core.view_auditentry")


def test_a_district_administrator_grants_roles_in_its_own_subtree(province, district_admin, commune_staff):
    assignment = role_grant(user=commune_staff, role="editor", unit=province["HG-BM-01"], actor=district_admin)
    assert assignment.unit.code == "HG-BM-01"


@pytest.mark.parametrize("code", ["HG", "HG-DV", "HG-DV-01"])
def test_a_district_administrator_cannot_grant_roles_above_or_beside_it(province, district_admin, commune_staff, code):
    with pytest.raises(PermissionDeniedError):
        role_grant(user=commune_staff, role="administrator", unit=province[code], actor=district_admin)
    assert not commune_staff.role_assignments.filter(unit=province[code]).exists()


def test_after_a_merge_the_successors_roles_reach_the_merged_units_records(province, sibling_user):
    import datetime

    unit_merge(unit=province["HG-BM"], into=province["HG-DV"], on=datetime.date(2025, 7, 1))
    assert sibling_user.has_perm("orgs.view_unit", province["HG-BM-01"])
    assert sibling_user.has_perm("orgs.view_unit", province["HG-BM"])
    assert "HG-BM-01" in set(units_for(sibling_user, "orgs.view_unit").values_list("code", flat=True))


def test_a_merged_units_own_staff_do_not_gain_the_successor(province, district_editor):
    import datetime

    unit_merge(unit=province["HG-BM"], into=province["HG-DV"], on=datetime.date(2025, 7, 1))
    assert not district_editor.has_perm("orgs.view_unit", province["HG-DV"])


def test_role_holders_get_wagtails_collection_permissions_for_media(province, district_editor):
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_image_model())
    assert permission_policy.user_has_permission(district_editor, "add")
    assert not permission_policy.user_has_permission(UserFactory(unit=province["HG"]), "add")


def test_revoking_the_last_role_removes_the_mirror_group(province, district_editor):
    from tuyengiao.accounts.services import role_revoke

    role_revoke(assignment=district_editor.role_assignments.get())
    assert not district_editor.groups.exists()


def test_the_mirror_group_never_carries_root_only_permissions(province, district_admin):
    group = district_admin.groups.get()
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "change_unit" in codenames
    assert "view_auditentry" not in codenames
