"""Anonymous pages are served from the cache; an editor's change shows once the cache time has passed."""

import datetime

import time_machine
from django.utils import timezone

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "page-cache-test"}}


def test_an_editors_change_shows_within_the_cache_time(client, news, settings):
    settings.CACHES = LOCAL_CACHE
    settings.CACHE_MIDDLEWARE_SECONDS = 60
    first = client.get(news.url)
    assert first.status_code == 200
    news.lead = "Sapo đã sửa"
    news.save_revision().publish()
    assert "Sapo đã sửa" not in client.get(news.url).content.decode(), "served from the cache"
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        assert "Sapo đã sửa" in client.get(news.url).content.decode()


def test_signed_in_people_and_the_admin_are_never_served_from_the_cache(client, news, settings):
    settings.CACHES = LOCAL_CACHE
    settings.CACHE_MIDDLEWARE_SECONDS = 60
    client.get(news.url)
    client.login(username="quantri.tinh", password="demo-tuyengiao")
    news.lead = "Sapo mới cho người đã đăng nhập"
    news.save_revision().publish()
    assert "Sapo mới cho người đã đăng nhập" in client.get(news.url).content.decode()
