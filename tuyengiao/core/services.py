"""Cross-cutting writes: the audit log and the record of personal-data access."""

from collections.abc import Iterable

from django.db import models

from tuyengiao.core.models import AuditEntry, PersonalDataAccess
from tuyengiao.core.requests import client_ip


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return actor.get_username()


def _object_type(obj) -> str:
    return obj._meta.label_lower if isinstance(obj, models.Model) else type(obj).__name__.lower()


def audit_record(*, actor, action: str, obj=None, changes: dict | None = None, request=None) -> AuditEntry:
    """Write one audit entry: `actor` did `action` to `obj` (from `request`'s address)."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=_actor_name(actor),
        action=action,
        object_type=_object_type(obj) if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or ""),
        object_repr=str(obj)[:255] if obj is not None else "",
        changes=changes or {},
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:255] if request else ""),
    )


def personal_data_access_record(
    *,
    actor,
    purpose: str,
    subject,
    fields: Iterable[str],
    request=None,
    record_count: int = 1,
) -> PersonalDataAccess:
    """Record that a staff member saw or exported personal data of `subject`.

    `subject` is a record, or for an export of many records a model class or a label.
    """
    if isinstance(subject, models.Model):
        subject_type, subject_id, subject_repr = _object_type(subject), str(subject.pk), str(subject)
    elif isinstance(subject, type) and issubclass(subject, models.Model):
        subject_type, subject_id, subject_repr = subject._meta.label_lower, "", str(subject._meta.verbose_name_plural)
    else:
        subject_type, subject_id, subject_repr = "export", "", str(subject)
    return PersonalDataAccess.objects.create(
        actor=actor,
        actor_name=_actor_name(actor),
        purpose=purpose,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_repr=subject_repr[:255],
        fields=sorted(set(fields)),
        record_count=record_count,
        ip_address=client_ip(request),
    )
