"""Writes around a round's results: settling a closed round before its winners are read."""

from django.utils import timezone

from tuyengiao.contests.models import Round
from tuyengiao.contests.services import round_prediction_freeze


def round_results_settle(round_: Round, *, now=None) -> Round:
    """After the close: the attempts left open are scored with what they saved, and the prediction's count is
    frozen, so that the ranking (and with it the winners) no longer changes. Does nothing before the close or
    once done; safe to call on every reading of the winners."""
    now = now or timezone.now()
    if now < round_.closes_at or round_.prediction_answer is not None:
        return round_
    return round_prediction_freeze(round_, now=now)
