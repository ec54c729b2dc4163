"""Staff accounts in the admin: an administrator sees and edits only the staff of its own units."""

import pytest
from django.urls import reverse

from tuyengiao.accounts.models import RoleAssignment
from tuyengiao.accounts.tests.factories import PASSWORD
from tuyengiao.core.models import AuditEntry
from tuyengiao.core.tests.helpers import assert_denied


@pytest.fixture
def admin_client(client, district_admin):
    client.login(username=district_admin.username, password=PASSWORD)
    return client


def test_the_user_list_holds_only_staff_of_the_administrators_units(
    admin_client, commune_staff, sibling_user, province_admin
):
    page = admin_client.get(reverse("wagtailusers_users:index")).content.decode()
    assert "canbo.yp" in page
    assert "bientap.dv" not in page
    assert "quantri<" not in page and ">quantri" not in page


def test_staff_of_another_district_cannot_be_edited(admin_client, sibling_user, commune_staff):
    assert_denied(admin_client.get(reverse("wagtailusers_users:edit", args=[sibling_user.pk])))
    assert admin_client.get(reverse("wagtailusers_users:edit", args=[commune_staff.pk])).status_code == 200


def test_the_user_form_offers_only_units_within_reach(admin_client, province):
    page = admin_client.get(reverse("wagtailusers_users:add")).content.decode()
    assert "Thị trấn Yên Phú" in page
    assert "Huyện Đồng Văn" not in page


def test_roles_can_be_granted_only_in_units_within_reach(admin_client, province, commune_staff):
    url = reverse("accounts_roles:add")
    refused = admin_client.post(url, {"user": commune_staff.pk, "role": "editor", "unit": province["HG-DV"].pk})
    assert refused.status_code == 200
    assert not RoleAssignment.objects.filter(user=commune_staff, unit=province["HG-DV"]).exists()
    granted = admin_client.post(url, {"user": commune_staff.pk, "role": "editor", "unit": province["HG-BM-01"].pk})
    assert granted.status_code == 302
    assert RoleAssignment.objects.filter(user=commune_staff, role="editor", unit=province["HG-BM-01"]).exists()
    assert AuditEntry.objects.filter(action="role.grant", object_id=str(commune_staff.pk)).exists()


def test_the_audit_log_is_closed_to_a_district_administrator(admin_client):
    assert_denied(admin_client.get(reverse("core_audit:index")))


def test_the_audit_log_is_open_to_the_province_administrator(client, province_admin):
    client.post(reverse("wagtailadmin_login"), {"username": province_admin.username, "password": PASSWORD})
    response = client.get(reverse("core_audit:index"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()
