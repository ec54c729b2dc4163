"""Background work of the news portal: scheduled publishing without cron.

When a revision is approved to go live later, or a live page has an expiry time, a task is queued for that
moment; the task worker (`db_worker`, or `rqworker --with-scheduler` with Redis) runs Wagtail's
`publish_scheduled` then, which publishes every revision that is due and unpublishes expired pages.
"""

import datetime
import io

from django.core.management import call_command
from django.db import transaction
from django_tasks import task


@task()
def publish_scheduled_pages() -> str:
    output = io.StringIO()
    call_command("publish_scheduled", stdout=output)
    return output.getvalue()


def publishing_schedule_at(when) -> None:
    """Queue a run of publish_scheduled_pages for just after `when` (once the current transaction commits).

    The whole second after `when`: RQ's schedule counts in whole seconds, dropping the fraction, so a run asked
    for 10:00:00.9 would start at 10:00:00 and find nothing due yet; publish_scheduled takes only what is due
    strictly before its now."""
    after = when.replace(microsecond=0) + datetime.timedelta(seconds=1)
    transaction.on_commit(lambda: publish_scheduled_pages.using(run_after=after).enqueue())
