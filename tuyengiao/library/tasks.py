"""Background work of the library: preparing a book for reading once its PDF is digitised."""

import logging

from django.conf import settings
from django.utils import translation
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def book_prepare_task(book_id: int) -> str:
    """Make the web edition, page images, thumbnails, cover and contents of the book, then publish it."""
    from tuyengiao.library.models import Book
    from tuyengiao.library.services import book_prepare

    book = Book.objects.filter(pk=book_id).first()
    if book is None:
        return "missing"
    with translation.override(settings.LANGUAGE_CODE):
        try:
            book = book_prepare(book)
        except Exception:
            logger.exception("book %s could not be prepared", book_id)
            return Book.Status.FAILED.value
    return Book.objects.filter(pk=book_id).values_list("status", flat=True).first() or "missing"
