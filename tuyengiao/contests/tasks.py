"""Background work of the contests: the organisers' exports (all entries as XLSX, a round's certificates as PDF),
and settling each round when it closes (no cron: a task is queued for the round's close whenever it is saved)."""

import datetime

from django_tasks import task

from tuyengiao.core.tasks import enqueue_after

# After the close, the grace a submission still has (services.GRACE), and a little more.
SETTLE_DELAY = datetime.timedelta(seconds=15)


@task()
def export_run_task(run_id: int) -> str:
    """Build the file of an export run (running it again builds it again)."""
    from tuyengiao.contests.certificates import certificates_run
    from tuyengiao.contests.exports import export_run
    from tuyengiao.contests.models import ExportRun

    run = ExportRun.objects.select_related("contest__unit", "round__contest", "requested_by").get(pk=run_id)
    run = certificates_run(run) if run.kind == ExportRun.Kind.CERTIFICATES else export_run(run)
    return f"{run.kind} {run.status}: {run.rows_done} rows"


@task()
def round_settle_task(round_id: int) -> str:
    """Score the attempts left open and freeze the prediction's count of a round that has closed (nothing before
    its close, nothing twice): the ranking and the winners no longer change after this."""
    from tuyengiao.contests.models import Round
    from tuyengiao.contests.prizes import round_results_settle

    round_ = Round.objects.select_related("contest").filter(pk=round_id).first()
    if round_ is None:
        return "round gone"
    round_ = round_results_settle(round_)
    return f"round {round_id}: prediction count {round_.prediction_answer}"


def round_settlement_schedule(round_) -> None:
    """Queue the settling of `round_` for its close (after the current transaction commits). A round whose close
    moves gets another task; the earlier one finds the round still open and does nothing."""
    enqueue_after(round_settle_task, round_.closes_at + SETTLE_DELAY, round_.pk)
