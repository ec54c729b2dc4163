"""The XLSX of all entries of a contest (or of one round), for its organisers.

Built in constant memory however many entries there are: the rows are read from the database in chunks
(`values_list(...).iterator(chunk_size=2000)`, a server-side cursor on PostgreSQL) and written by openpyxl's
write-only workbook, which streams each row to a temporary file. The rank of an entry is its position in the
round's ranking: each round's counted entries are written while walking `round_ranking` once, in order, then the
entries that do not count (other attempts, disqualified ones).
"""

import datetime
import tempfile
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.contests.models import Attempt, AttemptStatus, Contest, ExportRun, Participant, Round
from tuyengiao.contests.selectors import round_ranking
from tuyengiao.core.models import PersonalDataAccess
from tuyengiao.core.services import personal_data_access_record

CHUNK = 2000
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# The columns read from the database, in the order of the sheet (after the round and the rank).
FIELDS = (
    "participant__full_name",
    "participant__birth_year",
    "participant__phone",
    "participant__cccd",
    "participant__unit__name",
    "participant__unit__code",
    "participant__occupation",
    "participant__address",
    "started_at",
    "submitted_at",
    "time_ms",
    "score",
    "max_score",
    "prediction",
    "status",
    "counts",
    "disqualified_reason",
)
PERSONAL_FIELDS = ["full_name", "birth_year", "phone", "cccd", "unit", "occupation", "address"]


def headers() -> list[str]:
    return [
        _("Round"),
        _("Rank in round"),
        _("Full name"),
        _("Birth year"),
        _("Phone"),
        _("Citizen ID (CCCD)"),
        _("Unit"),
        _("Unit code"),
        _("Occupation"),
        _("Address"),
        _("Started"),
        _("Submitted"),
        _("Time (s)"),
        _("Score"),
        _("Max score"),
        _("Prediction"),
        _("Status"),
        _("Counted"),
        _("Disqualified: reason"),
    ]


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Vietnam's time without the zone: a spreadsheet cell holds no time zone."""
    return moment.astimezone(VIETNAM).replace(tzinfo=None) if moment else None


def entries_rows(contest: Contest, round_: Round | None = None) -> Iterator[list]:
    """The sheet's rows (without the header), round by round: the counted entries in rank order, then the rest."""
    statuses = {value: str(label) for value, label in AttemptStatus.choices}
    yes, no = _("Yes"), _("No")
    rounds = [round_] if round_ is not None else list(contest.rounds.select_related("contest").order_by("number"))
    for current in rounds:
        ranked = round_ranking(current).values_list(*FIELDS).iterator(chunk_size=CHUNK)
        rest = (
            Attempt.objects.filter(round=current, counts=False)
            .order_by("pk")
            .values_list(*FIELDS)
            .iterator(chunk_size=CHUNK)
        )
        for rank_source, rows in ((True, ranked), (False, rest)):
            for rank, row in enumerate(rows, start=1):
                (name, born, phone, cccd, unit, unit_code, occupation, address) = row[:8]
                started, submitted, time_ms, score, max_score, prediction, status, counts, reason = row[8:]
                yield [
                    current.number,
                    rank if rank_source else None,
                    name,
                    born,
                    phone,
                    cccd,
                    unit or "",
                    unit_code or "",
                    occupation,
                    address,
                    _local(started),
                    _local(submitted),
                    round(time_ms / 1000, 2) if time_ms is not None else None,
                    score,
                    max_score,
                    prediction,
                    statuses.get(status, status),
                    yes if counts else no,
                    reason,
                ]


def entries_count(contest: Contest, round_: Round | None = None) -> int:
    attempts = (
        Attempt.objects.filter(round=round_) if round_ is not None else Attempt.objects.filter(round__contest=contest)
    )
    return attempts.count()


def entries_xlsx_write(
    target, contest: Contest, round_: Round | None = None, *, progress: Callable[[int], None] | None = None
) -> int:
    """Write the XLSX of the entries to `target` (a path or a binary file); returns the number of entries.
    `progress(rows written)` is called every CHUNK rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Entries")[:31])
    widths = [8, 8, 28, 8, 14, 16, 28, 12, 20, 30, 19, 19, 10, 8, 8, 12, 16, 8, 30]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[_column(index)].width = width
    bold = Font(bold=True)
    header = []
    for title in headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    sheet.freeze_panes = "A2"
    count = 0
    for row in entries_rows(contest, round_):
        sheet.append(row)
        count += 1
        if progress and count % CHUNK == 0:
            progress(count)
    workbook.save(target)
    return count


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def export_start(contest: Contest, round_: Round | None = None, *, actor) -> ExportRun:
    """Queue the export of the entries; the worker runs `export_run`."""
    from tuyengiao.contests.tasks import export_run_task

    run = ExportRun.objects.create(
        contest=contest,
        round=round_,
        kind=ExportRun.Kind.ENTRIES,
        requested_by=actor,
        rows_total=entries_count(contest, round_),
    )
    transaction.on_commit(lambda: export_run_task.enqueue(run.pk))
    return run


def export_run(run: ExportRun) -> ExportRun:
    """Build the file of an entries export, showing progress on the run; the export is recorded as an access to
    personal data by the organiser who asked."""
    run.status = ExportRun.Status.RUNNING
    run.rows_total = entries_count(run.contest, run.round)
    run.rows_done = 0
    run.save(update_fields=["status", "rows_total", "rows_done"])

    def progress(done: int) -> None:
        ExportRun.objects.filter(pk=run.pk).update(rows_done=done)

    try:
        with tempfile.TemporaryFile(suffix=".xlsx") as handle:
            count = entries_xlsx_write(handle, run.contest, run.round, progress=progress)
            handle.seek(0)
            run.file.save(export_file_name(run), File(handle), save=False)
    except Exception as error:
        run.status = ExportRun.Status.FAILED
        run.error = str(error)[:1000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.rows_done = run.rows_total = count
    run.status = ExportRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["file", "rows_done", "rows_total", "status", "finished_at"])
    personal_data_access_record(
        actor=run.requested_by,
        purpose=PersonalDataAccess.Purpose.EXPORT,
        subject=Participant,
        fields=PERSONAL_FIELDS,
        record_count=count,
    )
    return run


def export_file_name(run: ExportRun) -> str:
    part = f"-vong-{run.round.number}" if run.round_id else ""
    suffix = "pdf" if run.kind == ExportRun.Kind.CERTIFICATES else "xlsx"
    stem = "chung-nhan" if run.kind == ExportRun.Kind.CERTIFICATES else "bai-thi"
    return f"{stem}-{run.contest.slug}{part}-{run.pk}.{suffix}"
