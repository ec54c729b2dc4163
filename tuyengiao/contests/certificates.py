"""Certificates for the winners of a round: one A4 landscape page each, in Vietnamese, with a QR code that opens
the public page verifying it (/cuoc-thi/chung-nhan/<code>/).

The winners are the first N of the round's ranking, or every counted, not disqualified entry with at least a
given score. A certificate is kept per entry: making the PDF again keeps each winner's code (a printed QR code
stays valid) and updates the rank.
"""

import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tuyengiao.contests.models import Attempt, Certificate, ExportRun, Round, TieBreak
from tuyengiao.contests.selectors import round_ranking
from tuyengiao.core.errors import DomainError

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MAX_CERTIFICATES = 5000  # one PDF; more than that is not a list of winners
CODE_BYTES = 15  # 120 random bits, 20 characters


class CertificateError(DomainError):
    code = "certificates"


def winners(round_: Round, *, top: int | None = None, min_score: int | None = None) -> list[tuple[int, Attempt]]:
    """(rank, attempt) of the winners in rank order: the first `top` of the ranking, or every entry with a score
    of at least `min_score`. One query, stopping at the first entry that does not qualify."""
    if (top is None) == (min_score is None):
        raise CertificateError(_("Choose either the number of winners or the lowest score."))
    chosen = []
    score_first = round_.contest.tie_breaks[:1] == [TieBreak.SCORE]
    ranking = round_ranking(round_).filter(disqualified_reason="").select_related("round__contest__unit")
    if top is not None:
        ranking = ranking[: min(top, MAX_CERTIFICATES)]
    for rank, attempt in enumerate(ranking.iterator(chunk_size=500), start=1):
        if min_score is not None and (attempt.score or 0) < min_score:
            if score_first:
                break  # sorted by score: nobody further down qualifies
            continue
        chosen.append((rank, attempt))
        if len(chosen) > MAX_CERTIFICATES:
            raise CertificateError(
                _("More than %(count)s certificates: raise the lowest score.") % {"count": MAX_CERTIFICATES}
            )
    return chosen


def certificates_issue(round_: Round, chosen: list[tuple[int, Attempt]]) -> list[Certificate]:
    """A certificate per winner, in rank order: existing ones keep their code and take the current rank."""
    now = timezone.now()
    with transaction.atomic():
        existing = {
            certificate.attempt_id: certificate
            for certificate in Certificate.objects.filter(attempt__in=[attempt for _rank, attempt in chosen])
        }
        result = []
        for rank, attempt in chosen:
            certificate = existing.get(attempt.pk)
            if certificate is None:
                certificate = Certificate.objects.create(
                    attempt=attempt, code=secrets.token_urlsafe(CODE_BYTES), rank=rank, issued_at=now
                )
            elif certificate.rank != rank:
                certificate.rank = rank
                certificate.save(update_fields=["rank"])
            certificate.attempt = attempt
            result.append(certificate)
    return result


def certificate_url(certificate: Certificate) -> str:
    """The absolute address of the verification page (what the QR code holds)."""
    path = reverse("contests:certificate", kwargs={"code": certificate.code})
    return f"{settings.SITE_URL}{path}"


def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file_name in (
        ("DejaVuSerif", "DejaVuSerif.ttf"),
        ("DejaVuSerif-Bold", "DejaVuSerif-Bold.ttf"),
        ("DejaVuSerif-Italic", "DejaVuSerif-Italic.ttf"),
        ("DejaVuSans", "DejaVuSans.ttf"),
    ):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file_name)))


def _centred(canvas, text: str, y: float, font: str, size: float, width: float) -> None:
    """One line centred on the page, shrunk to fit its width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > 8 and stringWidth(text, font, size) > width - 120:
        size -= 1
    canvas.setFont(font, size)
    canvas.drawCentredString(width / 2, y, text)


def certificates_pdf(certificates: list[Certificate], *, progress: Callable[[int], None] | None = None) -> bytes:
    """One A4 landscape page per certificate."""
    import io

    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    _fonts()
    width, height = landscape(A4)
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=(width, height))
    canvas.setTitle(_("Certificates"))
    red = HexColor("#b1151c")
    for index, certificate in enumerate(certificates, start=1):
        attempt = certificate.attempt
        round_ = attempt.round
        contest = round_.contest
        canvas.setStrokeColor(red)
        canvas.setLineWidth(3)
        canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        canvas.setLineWidth(0.8)
        canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
        canvas.setFillColor(HexColor("#000000"))
        _centred(canvas, contest.unit.name.upper(), height - 35 * mm, "DejaVuSerif-Bold", 14, width)
        canvas.setFillColor(red)
        _centred(canvas, _("CERTIFICATE"), height - 58 * mm, "DejaVuSerif-Bold", 34, width)
        canvas.setFillColor(HexColor("#000000"))
        _centred(canvas, _("awarded to"), height - 72 * mm, "DejaVuSerif-Italic", 14, width)
        _centred(canvas, attempt.participant.full_name, height - 90 * mm, "DejaVuSerif-Bold", 28, width)
        line = _("for taking part in the contest “%(contest)s”") % {"contest": contest.title}
        _centred(canvas, line, height - 106 * mm, "DejaVuSerif", 15, width)
        _centred(canvas, str(round_), height - 116 * mm, "DejaVuSerif", 14, width)
        result = _("Rank %(rank)s · score %(score)s/%(max_score)s") % {
            "rank": certificate.rank,
            "score": attempt.score,
            "max_score": attempt.max_score,
        }
        _centred(canvas, result, height - 130 * mm, "DejaVuSerif-Bold", 18, width)
        issued = timezone.localtime(certificate.issued_at).date()
        date_line = _("Issued on %(date)s") % {"date": formats.date_format(issued, "SHORT_DATE_FORMAT")}
        canvas.setFont("DejaVuSerif-Italic", 12)
        canvas.drawRightString(width - 30 * mm, 45 * mm, date_line)
        canvas.setFont("DejaVuSerif-Bold", 12)
        canvas.drawRightString(width - 30 * mm, 38 * mm, contest.unit.name)

        url = certificate_url(certificate)
        widget = QrCodeWidget(url, barLevel="M")
        left, bottom, right, top = widget.getBounds()
        size = 34 * mm
        drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, 28 * mm, 24 * mm)
        canvas.setFont("DejaVuSans", 7.5)
        canvas.drawString(28 * mm, 21 * mm, _("Verify: %(url)s") % {"url": url})
        canvas.showPage()
        if progress:
            progress(index)
    canvas.save()
    return output.getvalue()


def certificates_start(round_: Round, *, actor, top: int | None = None, min_score: int | None = None) -> ExportRun:
    """Queue the PDF of the round's certificates; the worker runs `certificates_run`."""
    from tuyengiao.contests.tasks import export_run_task

    options = {"top": top} if top is not None else {"min_score": min_score}
    run = ExportRun.objects.create(
        contest=round_.contest,
        round=round_,
        kind=ExportRun.Kind.CERTIFICATES,
        options=options,
        requested_by=actor,
        rows_total=top or 0,
    )
    transaction.on_commit(lambda: export_run_task.enqueue(run.pk))
    return run


def certificates_run(run: ExportRun) -> ExportRun:
    from tuyengiao.contests.exports import export_file_name

    run.status = ExportRun.Status.RUNNING
    run.save(update_fields=["status"])
    try:
        chosen = winners(run.round, top=run.options.get("top"), min_score=run.options.get("min_score"))
        run.rows_total = len(chosen)
        run.save(update_fields=["rows_total"])
        certificates = certificates_issue(run.round, chosen)

        def progress(done: int) -> None:
            if done % 25 == 0:
                ExportRun.objects.filter(pk=run.pk).update(rows_done=done)

        content = certificates_pdf(certificates, progress=progress)
        run.file.save(export_file_name(run), ContentFile(content), save=False)
    except Exception as error:
        run.status = ExportRun.Status.FAILED
        run.error = str(error)[:1000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at", "rows_total"])
        if isinstance(error, DomainError):
            return run
        raise
    run.rows_done = len(certificates)
    run.status = ExportRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["file", "rows_done", "status", "finished_at"])
    return run
