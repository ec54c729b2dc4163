"""The units section of the admin, seen by users of different units."""

import pytest
from django.urls import reverse

from tuyengiao.accounts.tests.factories import PASSWORD
from tuyengiao.core.models import AuditEntry
from tuyengiao.core.tests.helpers import assert_denied
from tuyengiao.orgs.models import Unit


@pytest.fixture
def as_user(client):
    def login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


def test_the_listing_shows_only_units_within_reach(as_user, district_admin):
    page = as_user(district_admin).get(reverse("orgs_units:index")).content.decode()
    assert "Huyện Bắc Mê" in page
    assert "Thị trấn Yên Phú" in page
    assert "Huyện Đồng Văn" not in page
    assert "Tỉnh Hà Giang</a>" not in page


def test_a_district_administrator_may_edit_its_commune_but_not_the_sibling_district(as_user, province, district_admin):
    client = as_user(district_admin)
    assert client.get(reverse("orgs_units:edit", args=[province["HG-BM-01"].pk])).status_code == 200
    assert_denied(client.get(reverse("orgs_units:edit", args=[province["HG-DV"].pk])))
    assert_denied(client.get(reverse("orgs_units:edit", args=[province["HG"].pk])))


def test_creating_a_unit_in_a_sibling_district_is_refused(as_user, province, district_admin):
    response = as_user(district_admin).post(
        reverse("orgs_units:add"),
        {"code": "HG-DV-99", "name": "Xã Thử", "kind": "commune", "parent": province["HG-DV"].pk},
    )
    assert response.status_code == 200
    assert not Unit.objects.filter(code="HG-DV-99").exists()
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()


def test_creating_a_unit_goes_through_the_service_and_is_audited(as_user, province, district_admin):
    response = as_user(district_admin).post(
        reverse("orgs_units:add"),
        {"code": "HG-BM-02", "name": "Xã Yên Cường", "kind": "commune", "parent": province["HG-BM"].pk},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="HG-BM-02")
    assert unit.is_within(province["HG-BM"])
    entry = AuditEntry.objects.get(action="unit.create", object_id=str(unit.pk))
    assert (entry.actor_name, entry.object_repr, entry.ip_address) == ("quantri.bm", "Xã Yên Cường", "127.0.0.1")


def test_an_editor_may_look_but_not_add(as_user, district_editor):
    client = as_user(district_editor)
    assert client.get(reverse("orgs_units:index")).status_code == 200
    assert client.get(reverse("orgs_units:add")).status_code == 302  # Wagtail sends it back with a message


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("orgs_units:index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_bad_import_shows_each_row_and_keeps_the_data(as_user, province, province_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("don-vi.csv", b"code,name,parent_code\nHG-X,,HG-NONE\n")
    response = as_user(province_admin).post(reverse("orgs_units:import"), {"file": upload})
    page = response.content.decode()
    assert "Tệp chưa được nhập" in page
    assert "Dòng 2: thiếu tên đơn vị." in page
    assert "Dòng 2: đơn vị cấp trên “HG-NONE” không có trong tệp cũng như trong hệ thống." in page
    assert Unit.objects.count() == 5


def test_a_good_import_reports_its_counts(as_user, province, province_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "x.xlsx", "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên\nHG-BM-02,Xã Yên Cường,HG-BM\n".encode()
    )
    response = as_user(province_admin).post(reverse("orgs_units:import"), {"file": upload}, follow=True)
    assert "Đã nhập xong: tạo mới 1, cập nhật 0, không đổi 0." in response.content.decode()


def test_the_export_holds_only_units_within_reach(as_user, district_admin):
    response = as_user(district_admin).get(reverse("orgs_units:export") + "?format=csv")
    text = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert "HG-BM-01" in text
    assert "HG-DV" not in text


def test_merging_through_the_admin(as_user, province, province_admin):
    response = as_user(province_admin).post(
        reverse("orgs_units:merge", args=[province["HG-BM"].pk]), {"into": province["HG-DV"].pk, "on": "01/07/2025"}
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="HG-BM").successor.code == "HG-DV"


def test_a_merge_on_the_first_day_of_the_calendar_is_refused_on_the_form(as_user, province, province_admin):
    response = as_user(province_admin).post(
        reverse("orgs_units:merge", args=[province["HG-BM"].pk]), {"into": province["HG-DV"].pk, "on": "01/01/0001"}
    )
    assert response.status_code == 200
    assert "Ngày sáp nhập sớm hơn ngày đơn vị bắt đầu hoạt động." in response.content.decode()
    assert Unit.objects.get(code="HG-BM").successor is None


def test_a_district_administrator_cannot_merge_the_sibling_district(as_user, province, district_admin):
    response = as_user(district_admin).post(
        reverse("orgs_units:merge", args=[province["HG-DV"].pk]), {"into": province["HG-BM"].pk, "on": "01/07/2025"}
    )
    assert_denied(response)
    assert Unit.objects.get(code="HG-DV").successor is None


def test_a_refusal_from_the_service_is_shown_on_the_form_and_keeps_the_input(as_user, province, district_admin):
    response = as_user(district_admin).post(
        reverse("orgs_units:add"),
        {"code": "HG-BẮC-MÊ", "name": "Xã Có Dấu", "kind": "commune", "parent": province["HG-BM"].pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "chỉ được gồm chữ không dấu" in page
    assert 'value="Xã Có Dấu"' in page
    assert not Unit.objects.filter(name="Xã Có Dấu").exists()


def test_wagtails_own_views_follow_the_unit_scope(as_user, province, district_editor):
    client = as_user(district_editor)
    assert client.get(reverse("orgs_units:inspect", args=[province["HG-BM-01"].pk])).status_code == 200
    assert_denied(client.get(reverse("orgs_units:inspect", args=[province["HG-DV"].pk])))
