"""Background work of the documents store: bulk imports."""

from pathlib import Path

from django_tasks import task


@task()
def import_run_task(run_id: int) -> str:
    """Apply an import from where it stopped (running it again is safe: rows are keyed, files deduplicated)."""
    from tuyengiao.core.tabular import metadata_find
    from tuyengiao.documents.imports import import_apply, rows_read
    from tuyengiao.documents.models import ImportRun

    run = ImportRun.objects.select_related("created_by", "unit").get(pk=run_id)
    folder = Path(run.folder)
    rows = rows_read(metadata_find(folder).read_bytes(), folder)
    run = import_apply(run, rows, user=run.created_by)
    return f"{run.created} created, {run.updated} updated, {len(run.errors)} problems"
