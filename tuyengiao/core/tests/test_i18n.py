"""Vietnamese first, English through the switch; every string of ours is translated."""

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tuyengiao.orgs.services import unit_update

PROJECT_PO = Path(django_settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
WAGTAIL_PO = Path(django_settings.BASE_DIR) / "locale-wagtail" / "vi" / "LC_MESSAGES" / "django.po"
DJANGO_PO = Path(django_settings.BASE_DIR) / "locale-django" / "vi" / "LC_MESSAGES" / "django.po"


def test_pages_are_vietnamese_even_for_an_english_browser(client, province):
    response = client.get(reverse("orgs:directory"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "<h1>Đơn vị</h1>" in page
    assert response["Content-Language"] == "vi"


def test_the_language_switch_turns_the_site_english_and_back(client, province):
    client.get(reverse("set_language"), {"language": "en", "next": "/don-vi/"})
    page = client.get(reverse("orgs:directory")).content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Units</h1>" in page
    client.get(reverse("set_language"), {"language": "vi", "next": "/don-vi/"})
    assert "<h1>Đơn vị</h1>" in client.get(reverse("orgs:directory")).content.decode()


def test_dates_are_shown_as_dd_mm_yyyy(client, province):
    import datetime

    unit_update(unit=province["HG-BM"], valid_from=datetime.date(1991, 10, 1))
    page = client.get(reverse("orgs:detail", args=["HG-BM"])).content.decode()
    assert "01/10/1991" in page


def test_times_are_vietnam_time(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "vi"


@pytest.mark.parametrize("po_path", [PROJECT_PO, WAGTAIL_PO, DJANGO_PO], ids=["project", "wagtail", "django"])
def test_catalogues_are_complete_and_nfc(po_path):
    catalogue = polib.pofile(str(po_path))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    for entry in catalogue.translated_entries():
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            assert unicodedata.is_normalized("NFC", text), entry.msgid


def test_every_string_of_django_is_vietnamese():
    """Django's own Vietnamese catalogue leaves some strings in English, form errors among them; ours (LOCALE_PATHS)
    translates each of them. A Django upgrade that adds one fails here."""
    import django
    from django.core.validators import ProhibitNullCharactersValidator
    from django.utils import translation

    theirs = polib.pofile(str(Path(django.__path__[0]) / "conf" / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    ours = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(DJANGO_PO)).translated_entries()}
    untranslated = theirs.untranslated_entries() + theirs.fuzzy_entries()
    assert [entry.msgid for entry in untranslated if (entry.msgctxt, entry.msgid) not in ours] == []
    with translation.override("vi"):  # Django's own message, as a form shows it
        assert str(ProhibitNullCharactersValidator.message) == "Không được chứa ký tự rỗng (NUL)."


def test_every_marked_string_of_ours_is_translated(tmp_path):
    """Extract the strings afresh (as makemessages does) and find none without a Vietnamese translation."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed here (.ci/run installs it)")
    base = Path(django_settings.BASE_DIR)
    for name in ("tuyengiao", "templates", "config", "locale"):
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "PYTHONPATH": str(tmp_path)},
        timeout=120,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in fresh if not entry.obsolete and (not entry.translated() or entry.fuzzy)]
    assert missing == []


def test_the_language_switch_only_sends_visitors_back_to_this_site(client, db):
    response = client.get(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
