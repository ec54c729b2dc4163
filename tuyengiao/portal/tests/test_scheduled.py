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


def test_with_redis_the_worker_publishes_a_revision_due_within_a_second_at_the_first_moment_it_runs_it(
    rq_queue, news, django_capture_on_commit_callbacks
):
    queue, registry = rq_queue, rq_queue.scheduled_job_registry
    article = ArticlePage.objects.exclude(pk=news.pk).first()
    article.unpublish()
    # Due at a fraction of a second, as an editor's "in 30 minutes" always is; RQ counts whole seconds.
    go_live = (timezone.now() + datetime.timedelta(minutes=30)).replace(microsecond=900_000)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(article, go_live)
    (job_id,) = registry.get_job_ids()
    first_moment = registry.get_scheduled_time(job_id)  # RQ's scheduler moves the job to the queue then, not before
    assert go_live < first_moment <= go_live + datetime.timedelta(seconds=1)
    # The clock stands still at that moment for the scheduler and for the work horse it forks.
    with time_machine.travel(first_moment, tick=False):
        call_command("rqworker", "default", "--with-scheduler", "--burst", verbosity=0)
    assert (queue.count, registry.count, queue.failed_job_registry.count) == (0, 0, 0)
    article.refresh_from_db()
    assert article.live
    assert article.title == "Bản tin hẹn giờ"
