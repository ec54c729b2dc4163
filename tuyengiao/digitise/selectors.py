"""Reads of digitisation: which pages a user may proofread, which scans a user may follow."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tuyengiao.accounts.permissions import scope, units_for
from tuyengiao.digitise.models import Scan, ScanPage

PROOFREAD = "digitise.change_scanpage"
VIEW = "digitise.view_scan"


def _reaches_unitless(user, perm: str) -> bool:
    """Scans without a unit belong to the province: those holding `perm` at the root unit reach them."""
    return units_for(user, perm).filter(parent__isnull=True).exists()


def user_may(user, perm: str, scan: Scan) -> bool:
    """True if `user` has `perm` for `scan` (through its unit)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if scan.unit_id is None:
        return _reaches_unitless(user, perm)
    return user.has_perm(perm, scan)


def scans_for(user, perm: str = VIEW) -> QuerySet[Scan]:
    scans = scope(Scan.objects.all(), user, perm)
    if not user.is_superuser and _reaches_unitless(user, perm):
        scans = scans | Scan.objects.filter(unit__isnull=True)
    return scans


def pages_to_proofread(user) -> QuerySet[ScanPage]:
    """Pages waiting for proofreading in scans of the units the user may proofread for, oldest scan first."""
    pages = ScanPage.objects.filter(needs_proofreading=True)
    reachable = scope(pages, user, PROOFREAD, "scan__unit")
    if not user.is_superuser and _reaches_unitless(user, PROOFREAD):
        reachable = pages.filter(Q(pk__in=reachable.values("pk")) | Q(scan__unit__isnull=True))
    return reachable.select_related("scan", "scan__unit").order_by("scan__created_at", "scan_id", "number")


def scan_page_for(user, scan_id: int, number: int) -> ScanPage | None:
    """Page `number` of scan `scan_id` if the user may proofread it, else None."""
    page = ScanPage.objects.select_related("scan", "scan__unit").filter(scan_id=scan_id, number=number).first()
    if page is None or not user_may(user, PROOFREAD, page.scan):
        return None
    return page


def scan_for(user, scan_id: int, perm: str = VIEW) -> Scan | None:
    scan = Scan.objects.select_related("unit").filter(pk=scan_id).first()
    return scan if scan is not None and user_may(user, perm, scan) else None


def scan_status(scan: Scan) -> dict:
    """What the progress poll needs, with the status and the page count in the user's language."""
    return {
        "status": scan.status,
        "status_label": str(scan.get_status_display()),
        "pages_done": scan.pages_done,
        "pages_total": scan.pages_total,
        "percent": scan.percent,
        "error": scan.error,
        "pages_text": _("%(done)s of %(total)s pages") % {"done": scan.pages_done, "total": scan.pages_total}
        if scan.pages_total
        else "",
    }
