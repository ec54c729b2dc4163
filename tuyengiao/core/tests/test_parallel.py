"""`make test` runs the suite in parallel processes (pytest-xdist): each has a Redis database of its own."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("named", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/15", "gw0", "redis://127.0.0.1:6379/15"),
        ("redis://127.0.0.1:6379/15", "gw3", "redis://127.0.0.1:6379/12"),
        ("redis://127.0.0.1:6379", "gw1", "redis://127.0.0.1:6379/15"),
    ],
)
def test_the_settings_count_the_redis_database_down_by_worker(named, worker, expected):
    environment = {**os.environ, "REDIS_URL": named, "PYTEST_XDIST_WORKER": worker, "SECRET_KEY": "x"}
    code = (
        "import config.settings as s; print(s.REDIS_URL, "
        "s.CACHES['default']['LOCATION'], s.RQ_QUEUES['default']['URL'])"
    )
    printed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    ).stdout.split()
    assert printed == [expected] * 3


def test_this_process_uses_its_own_redis_database(settings):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not (worker and settings.REDIS_URL):
        pytest.skip("Redis in parallel processes (make test with REDIS_URL)")
    expected = int(urlsplit(settings.REDIS_URL).path.strip("/"))
    assert cache._cache.get_client().connection_pool.connection_kwargs["db"] == expected
    import django_rq

    assert django_rq.get_queue("default").connection.connection_pool.connection_kwargs["db"] == expected
