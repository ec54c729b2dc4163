"""Site search finds books too: a few of them with the page where the words stand, a link to the library's own
search, and never an internal book for an anonymous visitor."""

import pytest

from tuyengiao.library.models import Book
from tuyengiao.library.tests.conftest import book_add, media_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(tmp_path, settings, monkeypatch):
    media_in(tmp_path, settings, monkeypatch)
    return book_add(title="Lịch sử Đảng bộ huyện Bắc Mê")


def test_the_site_search_shows_a_book_with_the_page_of_the_words(client, book):
    html = client.get("/tim-kiem/", {"q": "yen phu"}).content.decode()
    assert "Lịch sử Đảng bộ huyện Bắc Mê" in html
    assert f"/thu-vien/sach/{book.pk}/doc/?trang=5&amp;q=yen%20phu" in html
    assert "<mark>Yên Phú</mark>" in html
    assert "/thu-vien/tim-kiem/?q=yen%20phu" in html


def test_an_internal_book_is_not_in_the_site_search_of_an_anonymous_visitor(client, book):
    book.access = Book.Access.INTERNAL
    book.save()
    html = client.get("/tim-kiem/", {"q": "yen phu"}).content.decode()
    assert "Lịch sử Đảng bộ huyện Bắc Mê" not in html
