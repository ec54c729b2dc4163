"""Writes of the news portal: readers' feedback and its moderation."""

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.errors import DomainError
from tuyengiao.core.requests import client_ip
from tuyengiao.core.services import audit_record
from tuyengiao.core.text import fold, nfc
from tuyengiao.portal.models import ArticlePage, Feedback

LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|net|org|vn|info|xyz|top|io)\b)", re.IGNORECASE)


class FeedbackError(DomainError):
    code = "invalid_feedback"


def _banned_words_in(text: str) -> list[str]:
    folded = f" {fold(text)} "
    return [word for word in settings.FEEDBACK_BANNED_WORDS if f" {fold(word)} " in folded]


@transaction.atomic
def feedback_submit(*, article: ArticlePage, name: str, contact: str, message: str, request=None) -> Feedback:
    """Queue a reader's feedback for moderation; links are refused, banned words flag it."""
    name, contact, message = nfc(name).strip(), nfc(contact).strip(), nfc(message).strip()
    if LINK.search(message) or LINK.search(name):
        raise FeedbackError(_("Feedback may not contain links. Please remove them and send it again."), code="links")
    banned = _banned_words_in(f"{name} {message}")
    return Feedback.objects.create(
        article=article,
        name=name,
        contact=contact,
        message=message,
        flagged=", ".join(banned),
        ip_address=client_ip(request),
    )


@transaction.atomic
def feedback_moderate(*, feedback_ids: list[int], approve: bool, actor, request=None) -> int:
    """Approve or reject feedback in bulk; returns how many changed."""
    status = Feedback.Status.APPROVED if approve else Feedback.Status.REJECTED
    items = list(Feedback.objects.filter(pk__in=feedback_ids).exclude(status=status))
    for item in items:
        item.status = status
        item.moderated_at = timezone.now()
    Feedback.objects.bulk_update(items, ["status", "moderated_at"])
    if items:
        audit_record(
            actor=actor,
            action="feedback.approve" if approve else "feedback.reject",
            request=request,
            changes={"ids": [item.pk for item in items]},
        )
    return len(items)
