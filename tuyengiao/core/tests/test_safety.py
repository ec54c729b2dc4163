"""Cross-cutting safety: audit log, personal-data access record, rate limits, headers, cookies."""

import subprocess
import sys

import pytest
from django.urls import reverse

from tuyengiao.accounts.tests.factories import PASSWORD
from tuyengiao.core.models import AuditEntry, PersonalDataAccess
from tuyengiao.core.services import audit_record


def test_an_audit_entry_says_who_did_what_to_which_record_when_and_from_where(rf, province, province_admin):
    request = rf.post("/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox")
    entry = audit_record(
        actor=province_admin, action="unit.update", obj=province["HG-BM"], request=request, changes={"name": ["a", "b"]}
    )
    entry.refresh_from_db()
    assert (entry.actor_name, entry.action, entry.object_type, entry.object_id) == (
        "quantri",
        "unit.update",
        "orgs.unit",
        str(province["HG-BM"].pk),
    )
    assert (entry.ip_address, entry.user_agent, entry.object_repr) == ("203.0.113.7", "Firefox", "Huyện Bắc Mê")
    assert entry.at is not None


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(rf, settings, province_admin):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4, 203.0.113.9")
    assert audit_record(actor=province_admin, action="x", request=request).ip_address == "203.0.113.9"


def test_signing_in_is_audited(client, province_admin):
    client.post(reverse("wagtailadmin_login"), {"username": "quantri", "password": PASSWORD})
    assert AuditEntry.objects.filter(action="user.login", actor=province_admin).count() == 1


def test_opening_a_staff_members_form_with_a_phone_is_recorded(client, province_admin, commune_staff):
    commune_staff.phone = "0912345678"
    commune_staff.save()
    client.login(username="quantri", password=PASSWORD)
    page = client.get(reverse("wagtailusers_users:edit", args=[commune_staff.pk])).content.decode()
    assert "0912345678" in page
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.purpose, access.subject_id, access.fields) == (
        province_admin,
        "view",
        str(commune_staff.pk),
        ["phone"],
    )


def test_the_user_list_does_not_show_phone_numbers(client, province_admin, commune_staff):
    commune_staff.phone = "0912345678"
    commune_staff.save()
    client.login(username="quantri", password=PASSWORD)
    assert "0912345678" not in client.get(reverse("wagtailusers_users:index")).content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_sign_in_is_rate_limited_per_user_name_with_a_vietnamese_message(client, province_admin, still_clock):
    url = reverse("wagtailadmin_login")
    for _ in range(5):
        assert client.post(url, {"username": "quantri", "password": "sai"}).status_code == 200
    response = client.post(url, {"username": "quantri", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Bạn đã thử đăng nhập quá nhiều lần. Vui lòng đợi năm phút rồi thử lại." in page
    assert 'value="quantri"' in page  # what was typed is kept
    assert "_auth_user_id" not in client.session


def test_pages_carry_a_content_security_policy_and_security_headers(client, db):
    response = client.get(reverse("orgs:directory"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe" not in script_src
    assert "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_every_form_that_changes_something_carries_a_csrf_token(client, province_admin):
    page = client.get(reverse("wagtailadmin_login")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_posting_without_csrf_token_is_refused(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("wagtailadmin_login"), {"username": "a", "password": "b"}).status_code == 403


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-3f9c1b7e2d",
    "ALLOWED_HOSTS": "tuyengiao.hagiang.gov.vn",
    "SITE_URL": "https://tuyengiao.hagiang.gov.vn",
    "PATH": "/usr/bin:/bin",
}


@pytest.mark.parametrize("database", ["sqlite", "env"])
def test_check_deploy_is_clean_with_production_settings(settings, database):
    import os

    env = dict(PRODUCTION_ENV)
    if database == "env" and os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure():
    import os

    env = {**PRODUCTION_ENV, "PYTHONPATH": os.getcwd()}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "True", "True", "True"], result.stderr


def test_without_a_secret_key_production_refuses_to_start():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_rate_limit_helper_answers_429_in_vietnamese_after_the_limit(rf, db, still_clock):
    from django.http import HttpResponse

    from tuyengiao.core.ratelimits import rate_limit

    @rate_limit("2/m")
    def feedback(request):
        return HttpResponse("ok")

    statuses = [feedback(rf.post("/", REMOTE_ADDR="198.51.100.1")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert feedback(rf.post("/", REMOTE_ADDR="198.51.100.2")).status_code == 200  # another address
    blocked = feedback(rf.post("/", REMOTE_ADDR="198.51.100.1"))
    assert "Bạn đã thử quá nhiều lần trong thời gian ngắn" in blocked.content.decode()
