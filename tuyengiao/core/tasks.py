"""Queueing background work for a later moment, the same on every task backend."""

import datetime

from django.db import transaction


def enqueue_after(task, when: datetime.datetime, *args) -> None:
    """Queue `task(*args)` to run after `when`, within a second of it, once the current transaction commits.

    It asks for the whole second after `when`: RQ's schedule counts in whole seconds and drops the fraction, so a
    run asked for 10:00:00.9 would start at 10:00:00, before what it was queued for is due."""
    after = when.replace(microsecond=0) + datetime.timedelta(seconds=1)
    transaction.on_commit(lambda: task.using(run_after=after).enqueue(*args))
