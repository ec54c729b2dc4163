"""Background work of the news portal: scheduled publishing without cron.

When a revision is approved to go live later, or a live page has an expiry time, a task is queued for that
moment; the task worker (`db_worker`, or `rqworker --with-scheduler` with Redis) runs Wagtail's
`publish_scheduled` then, which publishes every revision that is due and unpublishes expired pages.
"""

import io

from django.core.management import call_command
from django_tasks import task

from tuyengiao.core.tasks import enqueue_after


@task()
def publish_scheduled_pages() -> str:
    output = io.StringIO()
    call_command("publish_scheduled", stdout=output)
    return output.getvalue()


def publishing_schedule_at(when) -> None:
    """Queue a run of publish_scheduled_pages for just after `when`: publish_scheduled takes only what is due
    strictly before its now."""
    enqueue_after(publish_scheduled_pages, when)
