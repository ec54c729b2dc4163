"""Scheduled publishing works without cron: the task worker publishes at the time the editor chose."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from tuyengiao.portal.models import ArticlePage


def schedule(article: ArticlePage, when):
    article.title = "Bản tin hẹn giờ"
    article.go_live_at = when
    revision = article.save_revision()
    revision.publish()
    return revision


@pytest.mark.skipif(settings.TASKS_BACKEND != "database", reason="drives the database task worker")
def test_the_worker_publishes_a_scheduled_revision_on_time(news, django_capture_on_commit_callbacks):
    article = ArticlePage.objects.exclude(pk=news.pk).first()
    article.unpublish()
    go_live = timezone.now() + datetime.timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        revision = schedule(article, go_live)
    assert revision.approved_go_live_at == go_live
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=open("/dev/null", "w"))
    article.refresh_from_db()
    assert not article.live, "not before its time"
    with time_machine.travel(go_live + datetime.timedelta(seconds=5)):
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=open("/dev/null", "w"))
    article.refresh_from_db()
    assert article.live
    assert article.title == "Bản tin hẹn giờ"


@pytest.mark.skipif(settings.TASKS_BACKEND != "redis", reason="checks the Redis queue")
def test_with_redis_the_publishing_job_waits_in_rqs_schedule(news, django_capture_on_commit_callbacks):
    import django_rq
    from rq.registry import ScheduledJobRegistry

    article = ArticlePage.objects.exclude(pk=news.pk).first()
    go_live = (timezone.now() + datetime.timedelta(minutes=30)).replace(microsecond=0)
    registry = ScheduledJobRegistry(queue=django_rq.get_queue("default"))
    before = set(registry.get_job_ids())
    with django_capture_on_commit_callbacks(execute=True):
        schedule(article, go_live)
    new = set(registry.get_job_ids()) - before
    assert len(new) == 1
    assert abs(registry.get_scheduled_time(new.pop()).timestamp() - go_live.timestamp()) < 2
