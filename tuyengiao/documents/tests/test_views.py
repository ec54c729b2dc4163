"""Public pages and the API: a restricted document is invisible to an anonymous reader on every path."""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tuyengiao.accounts.tests.factories import PASSWORD
from tuyengiao.documents.demo import pdf_make
from tuyengiao.documents.models import Access
from tuyengiao.documents.services import document_file_add, document_text_refresh, relation_add
from tuyengiao.documents.tests.conftest import make_document, make_documents_in_bulk


@pytest.fixture
def secret(province):
    document = make_document(
        "99-CV/TU",
        "Công văn mật về hội nghị cán bộ chủ chốt",
        type_name="Công văn",
        issuer="Tỉnh ủy Hà Giang",
        issued_on=datetime.date(2022, 5, 5),
        access=Access.UNITS,
        access_units=[province["HG-BM"]],
        level="province",
        unit=province["HG"],
        text="Nội dung mật về hội nghị cán bộ chủ chốt",
    )
    document_file_add(
        document, ContentFile(pdf_make([("bold", "CÔNG VĂN")], ["Hội nghị cán bộ chủ chốt"]), name="mat.pdf")
    )
    return document


def test_a_restricted_document_is_invisible_to_anonymous_readers_on_every_path(client, secret, settings):
    file_id = secret.files.get().pk
    stored = Path(secret.files.get().scan.original.path)  # outside MEDIA_ROOT: only the views below serve it
    assert Path(settings.PRIVATE_MEDIA_ROOT) in stored.parents and Path(settings.MEDIA_ROOT) not in stored.parents
    for url in (
        reverse("documents:detail", args=[secret.pk]),
        reverse("documents:file", args=[secret.pk, file_id]),
        reverse("documents:file_pdf", args=[secret.pk, file_id]),
        reverse("documents:viewer", args=[secret.pk, file_id]),
        f"/api/v1/documents/{secret.pk}",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("documents:search") + "?q=hoi+nghi+can+bo+chu+chot",
        reverse("documents:search") + "?q=99-CV/TU",
        reverse("documents:search"),
        reverse("documents:level", args=["province"]),
        reverse("documents:level_feed", args=["province"]),
        reverse("documents:issuer", args=[secret.issuer.slug]),
        reverse("documents:issuer_feed", args=[secret.issuer.slug]),
        "/sitemap.xml",
        "/api/v1/documents?q=hoi+nghi+can+bo",
        "/api/v1/documents",
    ):
        page = client.get(url).content.decode()
        assert "Công văn mật" not in page and "Nội dung mật" not in page and f"/van-ban/{secret.pk}/" not in page, url
        facets = page.split('class="facets"')[-1].split("</section>")[0]
        assert "Công văn" not in facets, url  # not even counted in a facet


def test_a_reader_of_a_named_unit_opens_it_and_its_file(client, secret, commune_staff):
    client.login(username=commune_staff.username, password=PASSWORD)
    page = client.get(reverse("documents:detail", args=[secret.pk]))
    assert page.status_code == 200 and "Công văn mật" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    download = client.get(reverse("documents:file", args=[secret.pk, secret.files.get().pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_document_page_shows_metadata_in_force_banner_relations_and_text(client, seed_documents):
    plan = make_document(
        "45-KH/TU",
        "Kế hoạch thực hiện Chỉ thị 07",
        type_name="Kế hoạch",
        issuer="Tỉnh ủy Hà Giang",
        issued_on=datetime.date(2016, 12, 12),
        level="province",
        text="Thực hiện Chỉ thị 07-CT/TW…",
    )
    relation_add(plan, "implements", seed_documents["07-CT/TW"])
    newer = make_document(
        "08-CT/TW",
        "Về công tác thông tin cơ sở (thay thế)",
        type_name="Chỉ thị",
        issuer="Ban Bí thư Trung ương Đảng khóa XIII",
        issued_on=datetime.date(2024, 1, 1),
    )
    relation_add(newer, "replaces", seed_documents["07-CT/TW"])
    page = client.get(reverse("documents:detail", args=[seed_documents["07-CT/TW"].pk])).content.decode()
    assert "Hết hiệu lực" in page  # replacing put it out of force
    assert "Được thực hiện bởi" in page and "45-KH/TU" in page
    assert "Được thay thế bởi" in page and "08-CT/TW" in page
    assert "05/09/2016" in page and "Ban Bí thư Trung ương Đảng khóa XII" in page
    plan_page = client.get(reverse("documents:detail", args=[plan.pk])).content.decode()
    assert "Thực hiện" in plan_page and "Thực hiện Chỉ thị 07-CT/TW…" in plan_page


def test_the_search_page_filters_and_reports_bad_filters_in_vietnamese(client, seed_documents):
    page = client.get(
        reverse("documents:search"), {"q": "chi thi", "year_from": "2010", "year_to": "2005"}
    ).content.decode()
    assert "Năm kết thúc không được trước năm bắt đầu." in page
    page = client.get(reverse("documents:search"), {"q": "chi thi", "year_from": "abc"}).content.decode()
    assert "Hãy ghi năm bằng bốn chữ số, ví dụ 2020." in page
    page = client.get(reverse("documents:search"), {"q": "thong tin co so"}).content.decode()
    assert "<mark>" in page and "07-CT/TW" in page
    page = client.get(reverse("documents:search"), {"q": "", "type": "999999"}).content.decode()
    assert "Giá trị này không có trong danh sách" in page
    page = client.get(reverse("documents:search"), {"q": "chi\x00thi", "sort": "zzz"}).content.decode()
    assert "Không được chứa ký tự rỗng (NUL)." in page and "Null characters" not in page
    assert 'value="chi thi"' in page and "\x00" not in page  # both boxes show the words, not the NUL as "�"


def test_the_filters_stay_closed_for_a_search_of_the_box_alone_and_open_when_one_is_chosen_or_refused(
    client, seed_documents
):
    """As the form sends it: every filter, empty, and the sort by relevance; the results then stand in a phone's
    first screen. A filter chosen, the newest first, or a filter refused shows them open, to be seen and changed."""
    empty = {name: "" for name in ("type", "level", "issuer", "field", "year_from", "year_to", "status")}

    def filters_open(**given) -> bool:
        page = client.get(reverse("documents:search"), {"q": "chi thi 19", **empty, "sort": "relevance", **given})
        return '<details class="search-filters" open>' in page.content.decode()

    assert not filters_open()
    assert not filters_open(q="chi\x00thi")  # the box's own error is shown beside the box
    assert filters_open(year_from="2010")
    assert filters_open(level="central")
    assert filters_open(sort="date")
    assert filters_open(year_from="abc")  # refused: its message stands in the filters
    assert '<details class="search-filters">' in client.get(reverse("documents:search")).content.decode()  # landing


def test_counts_of_thousands_are_grouped_as_vietnamese_writes_them(client, db):
    text = "Kế hoạch tuyên truyền về chuyển đổi số."
    make_documents_in_bulk(1234, "%d-KH/TU", "Kế hoạch về chuyển đổi số", text, datetime.date(2023, 1, 1))
    page = client.get(reverse("documents:search"), {"q": "chuyen doi so"}).content.decode()
    assert "Tìm thấy 1.234 văn bản." in page
    assert '2023</a> <span class="muted">(1.234)</span>' in page  # the year's facet, which stays "2023"
    assert "Xem tất cả 1.234 văn bản" in client.get("/tim-kiem/", {"q": "chuyen doi so"}).content.decode()


def test_a_query_too_long_keeps_its_words_and_searches_the_first_200_characters(client, seed_documents):
    query = "thông tin cơ sở " + "x" * 300
    page = client.get(reverse("documents:search"), {"q": query}).content.decode()
    assert "Từ khóa dài quá: chỉ 200 ký tự đầu được tìm." in page
    assert f'value="{query[:200]}"' in page  # the reader's words are kept in the box
    assert "07-CT/TW" not in page  # the first 200 characters hold "xxx…", which no document holds
    page = client.get(reverse("documents:search"), {"q": "thông tin cơ sở" + " thông" * 40}).content.decode()
    assert "Từ khóa dài quá" in page and "07-CT/TW" in page  # the words of the first 200 characters are found


def test_listings_by_level_and_issuer_with_feeds(client, seed_documents):
    issuer = seed_documents["07-CT/TW"].issuer
    landing = client.get(reverse("documents:search")).content.decode()
    assert reverse("documents:issuer", args=[issuer.slug]) in landing
    assert reverse("documents:level", args=["central"]) in landing and "Theo cơ quan ban hành" in landing
    page = client.get(reverse("documents:issuer", args=[issuer.slug])).content.decode()
    assert "Văn bản của Ban Bí thư Trung ương Đảng khóa XII" in page and "07-CT/TW" in page and "19-CT/TW" not in page
    feed = client.get(reverse("documents:level_feed", args=["central"])).content.decode()
    assert feed.count("<item>") == 5
    assert client.get(reverse("documents:level", args=["planet"])).status_code == 404


def test_the_api_searches_and_returns_one_document(client, seed_documents):
    body = client.get("/api/v1/documents", {"q": "chi thi 19"}).json()
    first = body["results"][0]
    assert (first["number"], first["type"], first["issued_on"], first["level"]) == (
        "19-CT/TW",
        "Chỉ thị",
        "2012-11-05",
        "central",
    )
    assert set(body["facets"]) == {"type", "level", "status", "issuer", "year"}
    one = client.get(f"/api/v1/documents/{first['id']}").json()
    assert one["issuer"] == "Ban Chấp hành Trung ương Đảng khóa XI" and one["files"] == []
    error = client.get("/api/v1/documents", {"year_from": "x"})
    assert error.status_code == 422 and error.json()["code"]


def test_the_api_takes_the_search_forms_empty_filters(client, seed_documents):
    empty = {name: "" for name in ("type", "level", "issuer", "year_from", "year_to", "status", "sort", "page")}
    given = client.get("/api/v1/documents", {"q": "chi thi 19", **empty})
    assert given.status_code == 200
    assert given.json() == client.get("/api/v1/documents", {"q": "chi thi 19"}).json()
    assert given.json()["results"][0]["number"] == "19-CT/TW"
    same_year = client.get("/api/v1/documents", {"q": "chi thi 19", "year_from": "2012", "year_to": "2012"})
    assert same_year.json()["results"][0]["number"] == "19-CT/TW"


def test_a_scanned_pdf_becomes_searchable_once_its_ocr_is_done(client, db):
    from tuyengiao.digitise.models import Scan
    from tuyengiao.digitise.services import scan_process
    from tuyengiao.documents.demo import scanned_pdf_make

    notice = make_document(
        "31-TB/BTGTU", "Thông báo kết luận", type_name="Thông báo", issued_on=datetime.date(2022, 11, 8)
    )
    content = scanned_pdf_make(
        pdf_make([("title", "THÔNG BÁO")], ["Đồng bào dân tộc thiểu số vùng biên giới Hà Giang"])
    )
    document_file_add(notice, ContentFile(content, name="scan.pdf"))
    assert document_search_count(client, "dong bao dan toc thieu so") == 0
    scan = Scan.objects.get()
    scan_process(scan)  # what the task worker runs
    notice.refresh_from_db()
    assert "Đồng bào dân tộc thiểu số" in notice.full_text
    assert document_search_count(client, "dong bao dan toc thieu so") == 1
    hit = client.get("/api/v1/documents", {"q": "bien gioi ha giang"}).json()["results"][0]
    assert hit["page"] == 1 and "<mark>" in hit["highlight"]
    document_text_refresh(notice)  # again: same result, nothing duplicated
    assert document_search_count(client, "dong bao dan toc thieu so") == 1


def document_search_count(client, query):
    return client.get("/api/v1/documents", {"q": query}).json()["count"]
