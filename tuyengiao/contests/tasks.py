"""Background work of the contests: the organisers' exports (all entries as XLSX, a round's certificates as PDF)."""

from django_tasks import task


@task()
def export_run_task(run_id: int) -> str:
    """Build the file of an export run (running it again builds it again)."""
    from tuyengiao.contests.certificates import certificates_run
    from tuyengiao.contests.exports import export_run
    from tuyengiao.contests.models import ExportRun

    run = ExportRun.objects.select_related("contest__unit", "round__contest", "requested_by").get(pk=run_id)
    run = certificates_run(run) if run.kind == ExportRun.Kind.CERTIFICATES else export_run(run)
    return f"{run.kind} {run.status}: {run.rows_done} rows"
