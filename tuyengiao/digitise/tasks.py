"""Background work of digitisation: reading a scan's pages (text layer, OCR) after its upload."""

import logging

from django.conf import settings
from django.utils import translation
from django_tasks import task

from tuyengiao.core.errors import DomainError
from tuyengiao.digitise.models import Scan

logger = logging.getLogger(__name__)


@task()
def scan_process_task(scan_id: int) -> str:
    """Read the scan: RUNNING, then DONE, or FAILED with a message for the user. Never raises for bad input.

    A scan deleted before or while it is read gives "missing": there is nobody left to tell.
    """
    from tuyengiao.digitise.services import ScanGone, scan_process

    scan = Scan.objects.filter(pk=scan_id).first()
    if scan is None:
        return "missing"
    with translation.override(settings.LANGUAGE_CODE):  # the stored error is read by Vietnamese staff
        # scan_process stores any failure on the scan, with a message for the user; the worker goes on.
        try:
            scan_process(scan)
        except ScanGone:
            return "missing"
        except DomainError as error:
            logger.warning("digitisation of scan %s refused: %s", scan_id, error.code)
            return Scan.Status.FAILED.value
        except Exception:
            logger.exception("digitisation of scan %s failed", scan_id)
            return Scan.Status.FAILED.value
    return Scan.Status.DONE.value
