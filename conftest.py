"""Fixtures shared by every app: a small province and one user per row of the permission matrix."""

import time

import pytest
import time_machine
from django.core.cache import cache

from tuyengiao.accounts.roles import Role
from tuyengiao.accounts.tests.factories import UserFactory
from tuyengiao.orgs.models import UnitKind
from tuyengiao.orgs.tests.factories import UnitFactory


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Rate-limit counters, cached pages and the documents' word statistics never leak from one test into the
    next; whole-page caching is off unless a test turns it on (tuyengiao/portal/tests/test_page_cache.py)."""
    from tuyengiao.documents.search import statistics_forget

    settings.CACHE_MIDDLEWARE_SECONDS = 0
    cache.clear()
    statistics_forget()


def pytest_configure(config):
    """Passwords are hashed with a fast hasher in tests: the demo's nine staff accounts cost two seconds of
    PBKDF2 per seed otherwise. Production keeps Django's default."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def still_clock():
    """Stop the clock: rate limits count in fixed windows, and a test must not straddle a window's end."""
    with time_machine.travel(time.time(), tick=False):
        yield


@pytest.fixture
def rq_queue(transactional_db):
    """The Redis queue, rid of what earlier tests queued or scheduled on this process's Redis database, for a test
    that runs the deployed worker (`rqworker`). Its forked work horse reads and writes the rows in another
    connection: they are committed (transactional_db), in a database that both processes see (not SQLite's
    in-memory test database)."""
    from django.conf import settings
    from django.db import connection

    if settings.TASKS_BACKEND != "redis" or connection.vendor == "sqlite":
        pytest.skip("drives the Redis worker (PostgreSQL and Redis)")
    import django_rq

    queue = django_rq.get_queue("default")
    queue.empty()
    for job_id in queue.scheduled_job_registry.get_job_ids():
        queue.scheduled_job_registry.remove(job_id)
    return queue


@pytest.fixture
def province(db):
    """Hà Giang with two sibling districts, each with a commune."""
    hg = UnitFactory(code="HG", name="Tỉnh Hà Giang", kind=UnitKind.PROVINCE)
    bm = UnitFactory(code="HG-BM", name="Huyện Bắc Mê", kind=UnitKind.DISTRICT, parent=hg)
    dv = UnitFactory(code="HG-DV", name="Huyện Đồng Văn", kind=UnitKind.DISTRICT, parent=hg)
    return {
        "HG": hg,
        "HG-BM": bm,
        "HG-BM-01": UnitFactory(code="HG-BM-01", name="Thị trấn Yên Phú", kind=UnitKind.COMMUNE, parent=bm),
        "HG-DV": dv,
        "HG-DV-01": UnitFactory(code="HG-DV-01", name="Thị trấn Đồng Văn", kind=UnitKind.COMMUNE, parent=dv),
    }


@pytest.fixture
def province_admin(province):
    return UserFactory(username="quantri", unit=province["HG"], roles=[(Role.ADMINISTRATOR, province["HG"])])


@pytest.fixture
def district_editor(province):
    return UserFactory(username="bientap.bm", unit=province["HG-BM"], roles=[(Role.EDITOR, province["HG-BM"])])


@pytest.fixture
def district_admin(province):
    return UserFactory(username="quantri.bm", unit=province["HG-BM"], roles=[(Role.ADMINISTRATOR, province["HG-BM"])])


@pytest.fixture
def commune_staff(province):
    return UserFactory(username="canbo.yp", unit=province["HG-BM-01"], roles=[(Role.UNIT_STAFF, province["HG-BM-01"])])


@pytest.fixture
def sibling_user(province):
    """An editor of the neighbouring district."""
    return UserFactory(username="bientap.dv", unit=province["HG-DV"], roles=[(Role.EDITOR, province["HG-DV"])])
