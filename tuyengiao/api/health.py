"""GET /api/v1/health: is the database, the cache and the task queue working?"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from ninja import Router, Schema, Status

router = Router(tags=["health"])


class Check(Schema):
    ok: bool
    detail: str


class HealthOut(Schema):
    status: str
    database: Check
    cache: Check
    tasks: Check


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Check(ok=True, detail=connection.vendor)
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        return Check(ok=False, detail=type(error).__name__)


def _cache() -> Check:
    key = f"health:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 5)
        ok = cache.get(key) == "1"
        cache.delete(key)
        return Check(ok=ok, detail=settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1])
    except Exception as error:  # noqa: BLE001
        return Check(ok=False, detail=type(error).__name__)


def _tasks() -> Check:
    from django_tasks import task_backends

    backend = task_backends["default"]
    name = backend.__class__.__name__
    try:
        if name == "DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            waiting = DBTaskResult.objects.ready().count()
            return Check(ok=True, detail=f"{name}: {waiting} waiting")
        if name == "RQBackend":
            import django_rq

            queue = django_rq.get_queue("default")
            return Check(ok=True, detail=f"{name}: {queue.count} waiting")
        return Check(ok=True, detail=name)
    except Exception as error:  # noqa: BLE001
        return Check(ok=False, detail=type(error).__name__)


@router.get(
    "/health", response={200: HealthOut, 503: HealthOut}, summary="Health of the database, cache and task queue"
)
def health(request):
    checks = {"database": _database(), "cache": _cache(), "tasks": _tasks()}
    ok = all(check.ok for check in checks.values())
    return Status(200 if ok else 503, HealthOut(status="ok" if ok else "error", **checks))
