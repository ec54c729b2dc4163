"""Site search finds documents too: a few of them above the news, a link to all of them, none restricted."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuyengiao.accounts.tests.factories import PASSWORD
from tuyengiao.documents.models import Access
from tuyengiao.documents.tests.conftest import SEED, make_document
from tuyengiao.portal.selectors import SEARCH_DOCUMENTS_SHOWN

SECRET_TITLE = "Công văn mật về hội nghị cán bộ chủ chốt"


@pytest.fixture
def documents(db):
    return {
        number: make_document(number, title, type_name=kind, issuer=issuer, issued_on=day)
        for number, kind, title, issuer, day in SEED
    }


@pytest.fixture
def secret(province):
    """A document for the readers of Bắc Mê district (and its communes) only."""
    return make_document(
        "99-CV/TU",
        SECRET_TITLE,
        type_name="Công văn",
        issuer="Tỉnh ủy Hà Giang",
        issued_on=datetime.date(2022, 5, 5),
        access=Access.UNITS,
        access_units=[province["HG-BM"]],
        level="province",
        unit=province["HG"],
        text="Nội dung mật về hội nghị cán bộ chủ chốt",
    )


def search(client, query, **params):
    response = client.get("/tim-kiem/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def section(html):
    """The documents section of the page ("" when there is none)."""
    found = re.search(r'<section class="search-documents".*?</section>', html, re.S)
    return found.group(0) if found else ""


def document_links(html):
    return re.findall(r'href="/van-ban/(\d+)/"', section(html))


def see_all(html):
    found = re.search(r'<a class="search-documents__all" href="([^"]+)">([^<]+)</a>', section(html))
    return unescape(found.group(1)), " ".join(found.group(2).split())


def test_a_query_without_diacritics_finds_a_document_with_its_highlighted_excerpt(client, documents):
    html = search(client, "day nghe lao dong nong thon")
    assert document_links(html)[0] == str(documents["19-CT/TW"].pk)
    part = section(html)
    assert '<h2 id="search-documents-title">Văn bản</h2>' in part
    assert "Chỉ thị 19-CT/TW" in part and "05/11/2012" in part
    assert "<mark>dạy nghề</mark>" in part and "<mark>lao động nông thôn</mark>" in part


@pytest.mark.parametrize("query", ["19/CT-TW", "chi thi 19", "19 - CT/TW"])
def test_a_loosely_typed_number_puts_that_document_first(client, documents, query):
    citing = make_document(
        "45-KH/TU",
        "Kế hoạch thực hiện Chỉ thị",
        type_name="Kế hoạch",
        issuer="Tỉnh ủy Hà Giang",
        issued_on=datetime.date(2013, 1, 10),
        text="Thực hiện Chỉ thị số 19-CT/TW ngày 05/11/2012 của Ban Bí thư…",
    )
    links = document_links(search(client, query))
    assert links[:2] == [str(documents["19-CT/TW"].pk), str(citing.pk)], "then those that cite it, as on /van-ban/"


def test_the_see_all_link_carries_the_query_and_counts_every_match(client, documents):
    for number in range(SEARCH_DOCUMENTS_SHOWN + 2):
        make_document(
            f"{number + 1}-KH/TU",
            f"Kế hoạch tuyên truyền số {number + 1}",
            type_name="Kế hoạch",
            issuer="Tỉnh ủy Hà Giang",
            issued_on=datetime.date(2023, 1, number + 1),
        )
    html = search(client, "ke hoach tuyen truyen")
    assert len(document_links(html)) == SEARCH_DOCUMENTS_SHOWN
    href, text = see_all(html)
    assert re.findall(r"\d+", text) == [str(SEARCH_DOCUMENTS_SHOWN + 2)]
    address = urlsplit(href)
    assert address.path == "/van-ban/" and parse_qs(address.query) == {"q": ["ke hoach tuyen truyen"]}


def test_a_match_inside_a_file_links_to_its_page_in_the_viewer(client, db):
    from django.core.files.base import ContentFile

    from tuyengiao.digitise.models import Scan
    from tuyengiao.digitise.services import scan_process
    from tuyengiao.documents.demo import pdf_make
    from tuyengiao.documents.services import document_file_add

    plan = make_document("12-KH/TU", "Kế hoạch năm 2023", type_name="Kế hoạch", issued_on=datetime.date(2023, 2, 1))
    filler = ["Các cấp ủy, tổ chức đảng quán triệt và triển khai thực hiện nghiêm túc kế hoạch này."] * 60
    content = pdf_make([("title", "KẾ HOẠCH")], [*filler, "Tổ chức hội thi báo cáo viên giỏi cấp tỉnh."])
    document_file = document_file_add(plan, ContentFile(content, name="ke-hoach.pdf"))
    scan_process(Scan.objects.get())  # what the task worker runs
    part = section(search(client, "hoi thi bao cao vien gioi"))
    assert "<mark>hội thi báo cáo viên giỏi</mark>" in part
    page = re.search(rf'href="/van-ban/{plan.pk}/xem/{document_file.pk}/\?trang=(\d+)#trang=\d+"', part)
    assert page and int(page.group(1)) > 1, "opened at the page where the words stand"


def test_a_number_with_a_slash_survives_the_see_all_link(client, documents):
    href, _text = see_all(search(client, "19/CT-TW"))
    assert parse_qs(urlsplit(href).query) == {"q": ["19/CT-TW"]}


def test_a_restricted_document_is_neither_shown_nor_counted_for_an_anonymous_visitor(client, documents, secret):
    for query in ("hoi nghi can bo chu chot", "99-CV/TU", "cong van"):
        html = search(client, query)
        assert SECRET_TITLE not in html and "Nội dung mật" not in html and f"/van-ban/{secret.pk}/" not in html
        assert 'class="search-documents"' not in html, "no section, not even a count of the hidden one"


def test_a_restricted_document_is_not_counted_for_a_visitor_among_public_matches(client, documents, secret):
    make_document(
        "12-CV/TU",
        "Công văn về hội nghị cán bộ",
        type_name="Công văn",
        issuer="Tỉnh ủy Hà Giang",
        issued_on=datetime.date(2021, 3, 3),
    )
    html = search(client, "hoi nghi can bo")
    assert re.findall(r"\d+", see_all(html)[1]) == ["1"]
    assert SECRET_TITLE not in html


def test_a_cadre_of_an_allowed_unit_sees_the_restricted_document_and_one_of_another_unit_does_not(
    client, secret, commune_staff, sibling_user
):
    client.login(username=commune_staff.username, password=PASSWORD)
    html = search(client, "hoi nghi can bo chu chot")
    assert document_links(html) == [str(secret.pk)]
    assert re.findall(r"\d+", see_all(html)[1]) == ["1"]
    client.logout()
    client.login(username=sibling_user.username, password=PASSWORD)
    assert SECRET_TITLE not in search(client, "hoi nghi can bo chu chot")


def test_documents_and_news_share_the_page_and_it_is_never_kept_in_the_page_cache(client, news, documents):
    response = client.get("/tim-kiem/", {"q": "chi thi 19"})
    html = response.content.decode()
    assert document_links(html)[0] == str(documents["19-CT/TW"].pk)
    assert 'id="search-news-title"' in html
    assert html.index('id="search-documents-title"') < html.index('id="search-news-title"'), "documents first"
    assert "private" in response["Cache-Control"], "a document made restricted must vanish at once"


def test_documents_are_left_to_the_first_unfiltered_page(client, news, documents):
    assert 'class="search-documents"' in search(client, "chi thi 19")
    category = news.get_parent()
    assert 'class="search-documents"' not in search(client, "chi thi 19", category=category.pk)
    assert 'class="search-documents"' not in search(client, "chi thi 19", **{"from": "01/01/2012"})
    make_document("01-KH/TU", "Kế hoạch thực hiện nhiệm vụ chính trị", type_name="Kế hoạch", issuer="Tỉnh ủy")
    assert 'class="search-documents"' in search(client, "nhiem vu chinh tri", page=1)
    second = search(client, "nhiem vu chinh tri", page=2)
    assert 'rel="prev"' in second, "the news have a second page"
    assert 'class="search-documents"' not in second


def test_the_queries_do_not_grow_with_the_documents_shown(client, documents):
    """Three documents take no more queries than one (the one needs a second tier of matches)."""

    def queries(query):
        with CaptureQueriesContext(connection) as captured:
            html = search(client, query)
        return len(captured), len(document_links(html))

    few, shown_few = queries("dang 238 qd tw")
    many, shown_many = queries("trung uong dang")
    assert (shown_few, shown_many) == (1, SEARCH_DOCUMENTS_SHOWN)
    assert many <= few


@pytest.mark.parametrize("query", ["", "   ", "?!…—/-", "\x00", "\x00\x00 ?"])
def test_a_query_without_words_lists_no_documents(client, documents, query):
    html = search(client, query)
    assert "<h1>Tìm kiếm</h1>" in html and "\x00" not in html
    assert 'class="search-documents"' not in html, "the whole store is not listed for nothing"


NUL_MESSAGE = "Không được chứa ký tự rỗng (NUL)."
TOO_LONG_MESSAGE = "Từ khóa dài quá: chỉ 200 ký tự đầu được tìm."


@pytest.mark.parametrize(
    ("query", "told"),
    [
        ("chi thi\x0019", [NUL_MESSAGE]),
        ("á" * 1000, [TOO_LONG_MESSAGE]),
        ("19/CT-TW\x00 " * 120, [NUL_MESSAGE, TOO_LONG_MESSAGE]),
    ],
)
def test_a_nul_character_or_a_very_long_query_gives_a_clear_page(client, documents, query, told):
    html = search(client, query)
    assert "<h1>Tìm kiếm</h1>" in html and "\x00" not in html
    alerts = re.findall(r'<p class="form-error" role="alert">([^<]+)</p>', html)
    assert alerts == told, "the reader is told what of the query was left out"
    assert not re.findall(r'<p class="form-error" role="alert">', search(client, "chi thi 19"))
