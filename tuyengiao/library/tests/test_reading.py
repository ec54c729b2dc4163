"""What readers see: search across the library and inside a book, access, the reader, places kept across
devices, reading counts, the bulletin, files by byte ranges, and the API."""

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from tuyengiao.accounts.tests.factories import UserFactory
from tuyengiao.library.models import Book, BookReadDay
from tuyengiao.library.selectors import library_search

from .conftest import book_add, pdf_bytes_of

pytestmark = pytest.mark.django_db


def test_search_across_the_library_is_diacritic_insensitive_and_gives_pages_with_excerpts(published_book):
    other = book_add(title="Truyền thống ngành", pages=[("Phần một", ["Chi bộ đầu tiên của ngành tuyên giáo."])])
    result = library_search(AnonymousUser(), "chi bo")
    assert {hit.book.pk for hit in result.books} == {published_book.pk, other.pk}
    accented = library_search(AnonymousUser(), "Yên Phú")
    folded = library_search(AnonymousUser(), "yen phu")
    assert [(hit.book.pk, [page.number for page in hit.pages]) for hit in accented.books] == [(published_book.pk, [5])]
    assert [(hit.book.pk, [page.number for page in hit.pages]) for hit in folded.books] == [(published_book.pk, [5])]
    assert "<mark>Yên Phú</mark>" in folded.books[0].pages[0].snippet_html
    phrase = library_search(AnonymousUser(), '"phu chi bo"')
    assert phrase.books_count == 0
    assert library_search(AnonymousUser(), "ang").books_count == 0  # whole words: "ang" is not in "Đảng"
    by_title = library_search(AnonymousUser(), "truyen thong")
    assert by_title.books[0].book.pk == other.pk and by_title.books[0].title_match


def test_the_search_page_links_each_hit_to_the_reader_at_its_page(client, published_book):
    response = client.get(reverse("library:search"), {"q": "yen phu"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"/thu-vien/sach/{published_book.pk}/doc/?trang=5&amp;q=yen%20phu" in html
    assert "<mark>Yên Phú</mark>" in html
    assert f"/thu-vien/sach/{published_book.pk}/</loc>" in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize(
    ("query", "told"),
    [
        ("yen\x00phu", ["Không được chứa ký tự rỗng (NUL)."]),
        ("yen phu " * 31, ["Từ khóa dài quá: chỉ 200 ký tự đầu được tìm."]),  # cut between two words
        ("yen phu", []),
    ],
)
def test_the_search_page_tells_what_of_the_query_was_left_out(client, published_book, query, told):
    html = client.get(reverse("library:search"), {"q": query}).content.decode()
    assert "\x00" not in html and "<mark>Yên Phú</mark>" in html  # the words kept are searched
    assert [" ".join(alert.split()) for alert in re.findall(r'class="form-error" role="alert">([^<]+)<', html)] == told


def test_an_internal_book_is_invisible_to_anonymous_readers_on_every_path(client, published_book):
    published_book.access = Book.Access.INTERNAL
    published_book.save()
    pk = published_book.pk
    assert library_search(AnonymousUser(), "yen phu").books_count == 0
    for name, args in [
        ("library:book", [pk]),
        ("library:reader", [pk]),
        ("library:web_pdf", [pk]),
        ("library:cover", [pk]),
        ("library:page_image", [pk, 1]),
        ("library:thumb", [pk, 1]),
        ("library:search_inside", [pk]),
    ]:
        assert client.get(reverse(name, args=args), {"q": "yen phu"}).status_code == 404, name
    assert "Lịch sử Đảng bộ huyện Bắc Mê" not in client.get(reverse("library:home")).content.decode()
    assert client.get(f"/api/v1/library/books/{pk}").status_code == 404
    assert client.get("/api/v1/library/books").json()["count"] == 0
    assert client.get("/api/v1/library/search", {"q": "yen phu"}).json()["results"] == []
    assert f"/thu-vien/sach/{pk}/" not in client.get("/sitemap.xml").content.decode()
    reader = UserFactory(username="docgia")
    client.force_login(reader)
    assert client.get(reverse("library:reader", args=[pk])).status_code == 200
    response = client.get(reverse("library:web_pdf", args=[pk]))
    assert response["Cache-Control"] == "private, no-store"


def test_the_reader_opens_at_the_page_asked_for_and_lists_the_hits(client, published_book):
    response = client.get(reverse("library:reader", args=[published_book.pk]), {"trang": "4", "q": "chi bo"})
    assert response.status_code == 200
    assert response.context["page"] == 4
    assert [hit.number for hit in response.context["hits"]] == [5]
    inside = client.get(reverse("library:search_inside", args=[published_book.pk]), {"q": "dang bo", "format": "json"})
    assert [hit["page"] for hit in inside.json()["hits"]] == [1, 3]  # the title page, and page 3
    assert "<mark>Đảng bộ</mark>" in inside.json()["hits"][1]["snippet"]


def test_a_signed_in_reader_continues_where_they_left_off_on_another_device(client, published_book):
    url = reverse("library:position", args=[published_book.pk])
    refused = client.post(url, json.dumps({"page": 3}), content_type="application/json")
    assert refused.status_code == 403
    reader = UserFactory(username="docgia")
    client.force_login(reader)
    assert client.post(url, json.dumps({"page": 99}), content_type="application/json").status_code == 400
    assert client.post(url, json.dumps({"page": "x"}), content_type="application/json").status_code == 400
    assert client.post(url, json.dumps({"page": 4}), content_type="application/json").json() == {"page": 4}
    client.logout()
    client.force_login(reader)  # a new session: another device
    home = client.get(reverse("library:home")).content.decode()
    assert f"/thu-vien/sach/{published_book.pk}/doc/?trang=4" in home
    reader_page = client.get(reverse("library:reader", args=[published_book.pk]))
    assert reader_page.context["page"] == 4


def test_readings_are_counted_per_book_and_day_without_recording_the_reader(client, published_book):
    url = reverse("library:reader", args=[published_book.pk])
    for _ in range(3):
        client.get(url)
    client.get(url, {"trang": 2}, HTTP_REFERER=f"http://testserver{url}")  # the next page, without JavaScript
    published_book.refresh_from_db()
    assert published_book.reads == 3
    day = BookReadDay.objects.get(book=published_book)
    assert (day.day, day.count) == (timezone.localdate(), 3)
    assert {field.name for field in BookReadDay._meta.fields} == {"id", "book", "day", "count"}


def test_the_web_edition_is_served_by_byte_ranges(client, published_book):
    url = reverse("library:web_pdf", args=[published_book.pk])
    whole = client.get(url)
    data = pdf_bytes_of(whole)
    assert whole["Accept-Ranges"] == "bytes" and int(whole["Content-Length"]) == len(data)
    part = client.get(url, HTTP_RANGE="bytes=0-1023")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 0-1023/{len(data)}"
    assert pdf_bytes_of(part) == data[:1024]
    tail = client.get(url, HTTP_RANGE="bytes=-100")
    assert pdf_bytes_of(tail) == data[-100:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(data)}-").status_code == 416
    assert client.get(url, HTTP_IF_NONE_MATCH=whole["ETag"]).status_code == 304


def test_bulletin_issues_are_listed_by_year(client):
    first = book_add(title="Bản tin Tuyên giáo", kind=Book.Kind.BULLETIN, year=2022, issue_number=1)
    book_add(title="Bản tin Tuyên giáo", kind=Book.Kind.BULLETIN, year=2023, issue_number=2)
    html = client.get(reverse("library:bulletins")).content.decode()
    assert html.index("Bản tin Tuyên giáo số 2/2023") < html.index("Bản tin Tuyên giáo số 1/2022")
    data = client.get("/api/v1/library/bulletins").json()
    assert [(year["year"], [issue["issue_number"] for issue in year["issues"]]) for year in data] == [
        (2023, [2]),
        (2022, [1]),
    ]
    assert client.get(reverse("library:reader", args=[first.pk])).status_code == 200


def test_the_api_lists_books_gives_one_with_its_contents_and_searches_inside_all(client, published_book):
    books = client.get("/api/v1/library/books", {"q": "bac me"}).json()
    assert books["count"] == 1 and books["results"][0]["title"] == "Lịch sử Đảng bộ huyện Bắc Mê"
    assert client.get("/api/v1/library/books", {"collection": "khong-co"}).json()["count"] == 0
    one = client.get(f"/api/v1/library/books/{published_book.pk}").json()
    assert [entry["page"] for entry in one["toc"]] == [2, 4]
    assert one["pdf_url"].endswith(f"/thu-vien/sach/{published_book.pk}/ban-web.pdf")
    hits = client.get("/api/v1/library/search", {"q": "khang chien"}).json()["results"]
    assert [(hit["book_id"], hit["page"]) for hit in hits] == [(published_book.pk, 4)]
    assert "<mark>" in hits[0]["snippet"]
    assert client.get("/api/v1/library/search", {"q": ""}).status_code == 422


def test_library_pages_are_never_kept_whole_in_the_page_cache(client, published_book, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 300
    url = reverse("library:reader", args=[published_book.pk])
    client.get(url)
    client.get(url)
    published_book.refresh_from_db()
    assert published_book.reads == 2  # each opening reached the view
    published_book.access = Book.Access.INTERNAL
    published_book.save()
    assert client.get(reverse("library:book", args=[published_book.pk])).status_code == 404


def test_a_range_for_another_copy_of_the_file_gets_the_whole_file(client, published_book):
    url = reverse("library:web_pdf", args=[published_book.pk])
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE=etag).status_code == 206
    assert client.get(url, HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE='"older"').status_code == 200
