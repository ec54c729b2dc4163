"""The demo library that `make run` loads: books of over 100 pages with chapters, one of them scanned, and
bulletin issues, each added once."""

import pytest
from django.core.management import call_command

from tuyengiao.library.demo import BOOKS
from tuyengiao.library.models import Book

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_the_books_and_bulletin_issues_once(_media):
    call_command("seed_demo", "--without-contests", stdout=open("/dev/null", "w"))
    call_command("seed_demo", "--without-contests", stdout=open("/dev/null", "w"))
    assert Book.objects.filter(kind=Book.Kind.BOOK).count() == 3
    assert sorted(Book.objects.filter(kind=Book.Kind.BULLETIN).values_list("year", "issue_number")) == [
        (2022, 1),
        (2022, 2),
        (2023, 1),
    ]
    assert all(spec["pages"] >= 100 for spec in BOOKS)
    assert [spec["key"] for spec in BOOKS if spec.get("scanned")] == ["demo:truyen-thong-nganh-tuyen-giao"]
    assert set(Book.objects.values_list("status", flat=True)) == {"processing"}  # the task worker prepares them
