"""Finding documents: folded words, numbers in loose forms, phrases, tiers, facets, restricted ones hidden."""

import datetime
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import AnonymousUser

from tuyengiao.documents.models import Access
from tuyengiao.documents.selectors import document_search, documents_latest
from tuyengiao.documents.tests.conftest import SEED, make_document, make_documents_in_bulk

ANONYMOUS = AnonymousUser()


@pytest.fixture(params=["few", "many", "sampled", "walked"])
def either_path(request, monkeypatch, settings):
    """Run a test through every way of ordering: few matches are read once as narrow rows and ordered in
    Python; many are read tier by tier; too many to count are estimated from a sample, which also tells how
    big each tier is, and a big one is read by walking the date index ("walked": every one, on PostgreSQL).
    All must give the same results. (SQLite's sample takes the filters as independent of the words: its estimates
    are not exact even on a few documents, and it has no walk to choose; the last two run on PostgreSQL.)"""
    from django.db import connection

    if request.param in ("sampled", "walked") and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's sample and scans")
    if request.param != "few":
        monkeypatch.setattr("tuyengiao.documents.selectors.COMPACT_UP_TO", 0)
        monkeypatch.setattr("tuyengiao.documents.selectors.COMPACT_UP_TO_SQLITE", 0)
    if request.param in ("sampled", "walked"):
        settings.DOCUMENTS_EXACT_COUNT_UP_TO = 0
    if request.param == "walked":
        monkeypatch.setattr("tuyengiao.documents.selectors.WALK_COST", 0.0)
    return request.param


def numbers(result):
    return [hit.document.number for hit in result.hits]


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("day nghe lao dong nong thon", "19-CT/TW"),
        ("tuyen truyen mieng", "17-CT/TW"),
        ("doi ngu tri thuc", "27-NQ/TW"),
        ("thong tin co so", "07-CT/TW"),
        ("phoi hop ban tuyen giao", "238-QĐ/TW"),
    ],
)
def test_every_seed_document_is_found_without_diacritics(seed_documents, query, number):
    assert numbers(document_search(ANONYMOUS, query))[0] == number


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("19/CT-TW", "19-CT/TW"),
        ("19 - CT/TW", "19-CT/TW"),
        ("Số 19–CT/TW", "19-CT/TW"),
        ("chi thi 19", "19-CT/TW"),
        ("Nghị quyết 27", "27-NQ/TW"),
        ("238/QD-TW", "238-QĐ/TW"),
        ("7-ct/tw", "07-CT/TW"),
        ("07 CT TW", "07-CT/TW"),
        ("so 238 qd tw", "238-QĐ/TW"),
    ],
)
def test_a_number_in_a_loose_form_puts_that_document_first(seed_documents, query, number):
    assert numbers(document_search(ANONYMOUS, query))[0] == number


def test_a_number_and_two_words_are_words_unless_the_middle_one_is_a_type_code(seed_documents):
    from tuyengiao.documents.selectors import typed_number

    assert str(typed_number("19 ct tw")) == "19-CT/TW"
    assert typed_number("2020 ha giang") is None  # "ha" is no type code: the words are looked for as words
    spread = make_document("46-KH/TU", "Kế hoạch năm 2020 của tỉnh", type_name="Kế hoạch", text="Tỉnh Hà Giang đề ra…")
    assert numbers(document_search(ANONYMOUS, "2020 ha giang")) == [spread.number]


@pytest.mark.parametrize(
    ("query", "number", "title"),
    [
        ("19/CT-TW", "19-CT/TW", "Kế hoạch thực hiện Chỉ thị"),
        ("07 CT TW", "07-CT/TW", "Kế hoạch thực hiện Chỉ thị số 07-CT/TW"),  # spaces for marks; cited in the title
    ],
)
def test_the_number_goes_first_then_documents_that_cite_it(seed_documents, either_path, query, number, title):
    citing = make_document(
        "45-KH/TU",
        title,
        type_name="Kế hoạch",
        issuer="Tỉnh ủy Hà Giang",
        issued_on=datetime.date(2017, 1, 10),
        text=f"Thực hiện Chỉ thị số {number} của Ban Bí thư…",
    )
    result = document_search(ANONYMOUS, query)
    assert numbers(result)[:2] == [number, citing.number]


def test_a_number_is_found_where_it_is_cited_whatever_stands_between_its_parts(db, either_path):
    """A number cited in a text is found however its parts are set apart ("05 - NQ / TU", across a line end), in a
    phrase of more words too, and only where its parts stand together; after an edit the text is found by what it
    says now. (On PostgreSQL each cited number is a lexeme of its own that the search asks for: a document that
    holds the phrase must hold it.)"""
    from django.db import connection

    from tuyengiao.core.text import fold_aligned

    day = datetime.date(2023, 1, 1)
    cited = make_document("10-KH/TU", "Kế hoạch", type_name="Kế hoạch", issued_on=day, text="Căn cứ 05-NQ/TU.")
    spaced = make_document("11-KH/TU", "Kế hoạch", type_name="Kế hoạch", issued_on=day, text="Nghị quyết 05 - NQ /\nTU")
    make_document("12-KH/TU", "Kế hoạch", type_name="Kế hoạch", issued_on=day, text="Có 05 ý kiến về NQ của TU.")
    make_document("13-KH/TU", "Kế hoạch", type_name="Kế hoạch", issued_on=day, text="Căn cứ 05-NQ/HU.")
    assert set(numbers(document_search(ANONYMOUS, "05-NQ/TU"))) == {cited.number, spaced.number}
    assert numbers(document_search(ANONYMOUS, '"nghi quyet 05-nq/tu"')) == [spaced.number]
    spaced.full_text = "Nghị quyết 06-NQ/TU"
    spaced.folded_text = fold_aligned(spaced.full_text)
    spaced.save(update_fields=["full_text", "folded_text"])
    assert numbers(document_search(ANONYMOUS, "05/NQ-TU")) == [cited.number]
    assert numbers(document_search(ANONYMOUS, "06-NQ/TU")) == [spaced.number]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT number FROM documents_document WHERE search_vector @@ 'fnum05nqtu'::tsquery ORDER BY number"
            )
            assert [row[0] for row in cursor.fetchall()] == [cited.number]


def test_a_type_and_number_put_that_document_before_newer_ones_without_a_number(db, either_path):
    """ "chi thi 19": a newer directive with no number (its number unknown to the database, not 19) that cites
    Chỉ thị 19 comes after the directive numbered 19, in every way of ordering."""
    numbered = make_document(
        "19-CT/TW", "Về công tác dạy nghề", type_name="Chỉ thị", issued_on=datetime.date(2012, 11, 5), text="Chỉ thị."
    )
    unnumbered = make_document(
        "", "Chỉ thị về học tập", type_name="Chỉ thị", issued_on=datetime.date(2024, 1, 1), text="Theo Chỉ thị 19."
    )
    result = document_search(ANONYMOUS, "chi thi 19")
    assert [hit.document for hit in result.hits] == [numbered, unnumbered]


def test_accented_matches_come_before_folded_ones_and_head_before_body(db, either_path):
    body_only = make_document(
        "01-TB/TU",
        "Thông báo kết luận",
        type_name="Thông báo",
        issued_on=datetime.date(2024, 1, 1),
        text="Nội dung về đảng viên mới",
    )
    folded_title = make_document(
        "02-TB/TU", "Thông báo về dang vien", type_name="Thông báo", issued_on=datetime.date(2024, 2, 1)
    )
    accented_title = make_document(
        "03-TB/TU", "Thông báo về đảng viên", type_name="Thông báo", issued_on=datetime.date(2020, 1, 1)
    )
    result = document_search(ANONYMOUS, "đảng viên")
    assert [hit.document for hit in result.hits] == [accented_title, folded_title, body_only]
    assert result.count == 3


def test_a_title_edited_moves_the_document_to_the_tier_of_its_new_title(db, either_path):
    """The head is indexed on its own (title_vector; SQLite's documents_head_fts, migration 0010): an edit of the
    title moves a document between the head and body tiers, and a deleted one leaves both."""
    older = make_document("01-KH/TU", "Kế hoạch về chè Shan tuyết", issued_on=datetime.date(2020, 1, 1))
    newer = make_document(
        "02-KH/TU", "Kế hoạch mùa vụ", issued_on=datetime.date(2024, 1, 1), text="Trồng chè Shan tuyết"
    )
    assert [hit.document for hit in document_search(ANONYMOUS, "che shan tuyet").hits] == [older, newer]

    from tuyengiao.core.text import fold_aligned
    from tuyengiao.documents.services import document_save

    older.title, newer.title = "Kế hoạch mùa vụ", "Kế hoạch về chè Shan tuyết"
    older.full_text = "Trồng chè Shan tuyết"
    older.folded_text = fold_aligned(older.full_text)
    document_save(older)
    document_save(newer)
    assert [hit.document for hit in document_search(ANONYMOUS, "che shan tuyet").hits] == [newer, older]

    newer.delete()
    result = document_search(ANONYMOUS, "che shan tuyet")
    assert ([hit.document for hit in result.hits], result.count) == ([older], 1)


def test_phrases_in_quotes_match_only_words_side_by_side(db, either_path):
    together = make_document(
        "01-KH/TU", "Kế hoạch về thông tin cơ sở", type_name="Kế hoạch", issued_on=datetime.date(2023, 1, 1)
    )
    make_document("02-KH/TU", "Kế hoạch về cơ sở thông tin", type_name="Kế hoạch", issued_on=datetime.date(2023, 1, 2))
    assert [hit.document for hit in document_search(ANONYMOUS, '"thong tin co so"').hits] == [together]
    assert document_search(ANONYMOUS, "thong tin co so").count == 2


def test_excerpts_are_highlighted_and_give_the_page_of_the_hit(db, either_path):
    text = "Trang một nói về kinh tế.\fTrang hai nói về công tác tuyên giáo ở Hà Giang."
    document = make_document(
        "09-HD/BTGTU", "Hướng dẫn", type_name="Hướng dẫn", issued_on=datetime.date(2022, 1, 1), text=text
    )
    document.page_map = [[77, 2]]
    document.save(update_fields=["page_map"])
    hit = document_search(ANONYMOUS, "tuyen giao ha giang").hits[0]
    assert ("tuyên giáo", True) in hit.excerpt and ("Hà Giang", True) in hit.excerpt
    assert (hit.file_id, hit.page) == (77, 2)


def test_filters_and_facets_count_the_whole_result(seed_documents):
    result = document_search(ANONYMOUS, "", filters={"year_from": 2010})
    assert sorted(numbers(result)) == ["07-CT/TW", "19-CT/TW", "238-QĐ/TW"]
    types = {label: count for _value, label, count in result.facets["type"]}
    assert types == {"Chỉ thị": 2, "Quyết định": 1}
    years = [(value, count) for value, _label, count in result.facets["year"]]
    assert years == [(2020, 1), (2016, 1), (2012, 1)]
    assert document_search(ANONYMOUS, "chi thi", filters={"year_to": 2010}).count == 1


def test_a_restricted_document_is_invisible_to_anonymous_readers(seed_documents, province, commune_staff, either_path):
    secret = make_document(
        "99-CV/TU",
        "Công văn mật về công tác tuyên giáo",
        type_name="Công văn",
        issued_on=datetime.date(2022, 5, 5),
        access=Access.UNITS,
        access_units=[province["HG-BM"]],
        level="province",
    )
    cadres = make_document(
        "98-CV/TU",
        "Công văn nội bộ về công tác tuyên giáo",
        type_name="Công văn",
        issued_on=datetime.date(2022, 5, 6),
        access=Access.CADRES,
        level="province",
    )
    for query in ("cong tac tuyen giao", "99-CV/TU", ""):
        result = document_search(ANONYMOUS, query)
        assert secret not in [hit.document for hit in result.hits]
        assert cadres not in [hit.document for hit in result.hits]
        assert "Công văn" not in [label for _v, label, _c in result.facets["type"]]
    # commune_staff's commune is under Bắc Mê, which may read the restricted one.
    staff_result = document_search(commune_staff, "cong tac tuyen giao")
    assert {hit.document for hit in staff_result.hits} >= {secret, cadres}


def test_a_sibling_unit_does_not_see_a_document_for_named_units(province, sibling_user):
    secret = make_document(
        "99-CV/TU",
        "Công văn gửi Bắc Mê",
        type_name="Công văn",
        issued_on=datetime.date(2022, 5, 5),
        access=Access.UNITS,
        access_units=[province["HG-BM"]],
    )
    assert secret not in [hit.document for hit in document_search(sibling_user, "cong van").hits]


def test_sorted_by_date_the_newest_match_comes_first_whatever_its_tier(db, either_path):
    older_title = make_document(
        "01-KH/TU", "Kế hoạch về chuyển đổi số", type_name="Kế hoạch", issued_on=datetime.date(2021, 1, 1)
    )
    newer_body = make_document(
        "02-KH/TU", "Kế hoạch", type_name="Kế hoạch", issued_on=datetime.date(2023, 1, 1), text="Về chuyển đổi số."
    )
    make_document("03-KH/TU", "Kế hoạch khác", type_name="Kế hoạch", issued_on=datetime.date(2024, 1, 1))
    result = document_search(ANONYMOUS, "chuyen doi so", sort="date")
    assert [hit.document for hit in result.hits] == [newer_body, older_title]
    assert [hit.document for hit in document_search(ANONYMOUS, "chuyen doi so").hits] == [older_title, newer_body]


def test_pages_of_results_follow_the_tiers(db, either_path):
    for index in range(25):
        make_document(
            f"{index + 1}-TB/TU",
            f"Thông báo số {index + 1} về hội nghị",
            type_name="Thông báo",
            issued_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=index),
        )
    first = document_search(ANONYMOUS, "hoi nghi", page=1)
    second = document_search(ANONYMOUS, "hoi nghi", page=2)
    assert (first.count, first.pages, len(first.hits), len(second.hits)) == (25, 2, 20, 5)
    assert not {hit.document.pk for hit in first.hits} & {hit.document.pk for hit in second.hits}


def test_pages_that_cross_the_tiers_show_each_match_once_in_order(db, either_path):
    """Page after page of a few at a time: the title matches newest first, then the body matches newest first, the
    undated last in each; each match on exactly one page, however each tier is read (counted, or counted and paged
    in one read)."""
    titles = [
        make_document(f"{index + 1}-TB/TU", "Thông báo về hội nghị", type_name="Thông báo", issued_on=day)
        for index, day in enumerate([datetime.date(2021, 1, index + 1) for index in range(5)] + [None])
    ]
    bodies = [
        make_document(f"{index + 11}-KL/TU", "Kết luận", type_name="Kết luận", issued_on=day, text="Tại hội nghị.")
        for index, day in enumerate([datetime.date(2024, 1, index + 1) for index in range(4)] + [None])
    ]
    expected = [*reversed(titles[:5]), titles[5], *reversed(bodies[:4]), bodies[4]]
    pages = [document_search(ANONYMOUS, "hoi nghi", page=page, per_page=3) for page in range(1, 5)]
    assert [result.count for result in pages] == [11] * 4 and pages[0].pages == 4
    assert [hit.document for result in pages for hit in result.hits] == expected


def test_seed_fixture_matches_the_shared_data():
    import csv
    from pathlib import Path

    rows = list(
        csv.DictReader((Path(__file__).parents[1] / "fixtures" / "documents_from_seed.csv").open(encoding="utf-8"))
    )
    assert [row["number"] for row in rows] == [number for number, *_rest in SEED]


def test_a_query_matching_very_many_documents_shows_an_estimate(seed_documents, settings, client):
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_document")
    settings.DOCUMENTS_EXACT_COUNT_UP_TO = 2
    result = document_search(ANONYMOUS, "trung uong")  # in every seed document's issuer
    assert result.approximate and result.count == 5  # the sample is the whole (small) table
    assert sum(count for _v, _l, count in result.facets["level"]) >= 1
    assert numbers(result)  # the page itself is exact
    page = client.get("/van-ban/", {"q": "trung uong"}).content.decode()
    assert "Tìm thấy khoảng" in page
    assert client.get("/api/v1/documents", {"q": "trung uong"}).json()["approximate"] is True
    settings.DOCUMENTS_EXACT_COUNT_UP_TO = 20_000
    exact = document_search(ANONYMOUS, "trung uong")
    assert not exact.approximate and exact.count == 5


def test_the_estimate_of_words_that_go_together_comes_from_a_sample_not_from_each_word(db, settings):
    """ "học tập" stands in 40 of 60 documents and "làm theo" in 40, always together in 20: taken as independent
    words they would be estimated in 60 × 2/3 × 2/3 ≈ 27 documents; the sample finds the 20."""
    from django.db import connection

    for index in range(60):
        text = ["Báo cáo tháng và quý."]
        if index < 40:
            text.append("Đẩy mạnh học tập.")
        if index < 20 or index >= 40:
            text.append("Làm theo tấm gương.")
        if index < 20:
            text.append("Học tập và làm theo tư tưởng, đạo đức.")
        make_document(
            f"{index + 1}-BC/TU",
            "Báo cáo",
            type_name="Báo cáo",
            issued_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
            text=" ".join(text),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_document")
    settings.DOCUMENTS_EXACT_COUNT_UP_TO = 10
    estimated = document_search(ANONYMOUS, '"học tập và làm theo"')
    assert estimated.approximate and estimated.count == 20
    settings.DOCUMENTS_EXACT_COUNT_UP_TO = 20_000
    assert document_search(ANONYMOUS, '"học tập và làm theo"').count == 20


def test_a_sample_is_kept_through_a_few_changes_and_taken_again_once_the_documents_grow(db, settings):
    """The share of a sample that matches is kept through changes of the documents and multiplied by how many
    there are now: one more document takes no new sample. Once the documents grow by more than a tenth (an
    import), a new sample is taken, and new documents without the words bring the estimate down."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def report(index, text):
        make_document(
            f"{index + 1}-BC/TU",
            "Báo cáo",
            type_name="Báo cáo",
            issued_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
            text=text,
        )

    for index in range(40):
        report(index, "Kết luận của hội nghị tỉnh." if index < 30 else "Báo cáo tháng.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_document")
    settings.DOCUMENTS_EXACT_COUNT_UP_TO = 10

    def estimate():
        with CaptureQueriesContext(connection) as captured:
            result = document_search(ANONYMOUS, '"hoi nghi"')
        statements = [query["sql"] for query in captured.captured_queries]
        assert result.approximate
        return result.count, any("TABLESAMPLE" in sql or "rowid BETWEEN" in sql for sql in statements)

    assert estimate() == (30, True)  # 30 of 40: the sample is the whole (small) table
    assert estimate() == (30, False)  # asked again: kept
    report(40, "Báo cáo quý.")
    report(41, "Báo cáo quý.")
    assert estimate() == (32, False)  # the share kept (three in four) of the 42 documents now: round(31.5)
    for index in range(42, 50):
        report(index, "Báo cáo năm.")
    assert estimate() == (30, True)  # 50 documents, more than a tenth above 40: sampled again, 30 of 50


def lung_cu_among_analysed(number: str) -> None:
    """A notice on Lũng Cú (`number`, issued 2024-05-01) among 60 notices on a conference, the table analysed on
    PostgreSQL: its statistics then tell that "lung cu" is rare (SQLite counts every word)."""
    from django.db import connection

    for index in range(60):
        make_document(f"{index + 100}-TB/TU", "Thông báo về hội nghị", type_name="Thông báo", text="Hội nghị cán bộ.")
    make_document(number, "Thông báo về Lũng Cú", type_name="Thông báo", issued_on=datetime.date(2024, 5, 1))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_document")


def test_rare_words_are_read_at_once_and_a_document_added_since_is_found(db):
    """The index's statistics tell that a word is rare before any match is read (PostgreSQL: no planner estimate
    is asked), and a document added since is found."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lung_cu_among_analysed("70-TB/TU")
    with CaptureQueriesContext(connection) as captured:
        result = document_search(ANONYMOUS, "lung cu")
    assert numbers(result) == ["70-TB/TU"] and result.count == 1
    assert not [query for query in captured.captured_queries if query["sql"].startswith("EXPLAIN")]
    make_document("71-TB/TU", "Kế hoạch về cột cờ Lũng Cú", type_name="Kế hoạch", issued_on=datetime.date(2024, 6, 1))
    assert numbers(document_search(ANONYMOUS, "lung cu")) == ["71-TB/TU", "70-TB/TU"]


def test_sqlite_keeps_the_count_of_a_word_some_document_holds_through_a_change_and_counts_a_missing_one_again(db):
    """SQLite's counts of words steer a search, as PostgreSQL's statistics do: the count of a word that documents
    hold is not read again after a change (FTS5 reads the word's whole list of documents for it), and the results
    are exact all the same; a word that no document held is counted again, so the document that brings it is found."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor == "postgresql":
        pytest.skip("SQLite's counts of words (PostgreSQL's statistics come from ANALYZE)")
    make_document("01-TB/TU", "Thông báo về Lũng Cú", type_name="Thông báo", issued_on=datetime.date(2024, 5, 1))
    assert numbers(document_search(ANONYMOUS, "lung cu")) == ["01-TB/TU"]
    assert document_search(ANONYMOUS, "khen thuong").count == 0  # no document holds the words yet
    make_document(
        "02-KH/TU", "Kế hoạch khen thưởng ở Lũng Cú", type_name="Kế hoạch", issued_on=datetime.date(2024, 6, 1)
    )

    with CaptureQueriesContext(connection) as captured:
        kept = document_search(ANONYMOUS, "lung cu")
    assert (numbers(kept), kept.count) == (["02-KH/TU", "01-TB/TU"], 2)
    assert not [query for query in captured.captured_queries if "documents_fts_terms" in query["sql"]]
    assert numbers(document_search(ANONYMOUS, "khen thuong")) == ["02-KH/TU"]


def test_the_publics_search_is_kept_until_a_document_changes_and_a_signed_in_readers_never(province, commune_staff):
    """Asked again by any anonymous reader, a search of few matches reads only its page of hits: the order and the
    facets are kept, until a document changes. A signed-in reader's is read afresh each time: moved to a unit that
    may not read a document, they no longer find it, though no document changed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_document("01-TB/TU", "Thông báo về Lũng Cú", type_name="Thông báo", issued_on=datetime.date(2024, 5, 1))
    secret = make_document(
        "02-CV/TU",
        "Công văn về cột cờ Lũng Cú",
        type_name="Công văn",
        issued_on=datetime.date(2024, 5, 2),
        access=Access.UNITS,
        access_units=[province["HG-BM"]],
    )
    assert numbers(document_search(ANONYMOUS, "lung cu")) == ["01-TB/TU"]
    with CaptureQueriesContext(connection) as captured:
        again = document_search(ANONYMOUS, "lung cu")
    assert (numbers(again), again.count, [label for _v, label, _c in again.facets["type"]]) == (
        ["01-TB/TU"],
        1,
        ["Thông báo"],
    )
    assert not [query for query in captured.captured_queries if "GROUPING" in query["sql"] or '"day"' in query["sql"]]
    make_document("03-KH/TU", "Kế hoạch về Lũng Cú", type_name="Kế hoạch", issued_on=datetime.date(2024, 6, 1))
    assert numbers(document_search(ANONYMOUS, "lung cu")) == ["03-KH/TU", "01-TB/TU"]

    assert secret in [hit.document for hit in document_search(commune_staff, "lung cu").hits]
    commune_staff.unit = province["HG-DV-01"]  # moved to Đồng Văn: no document changed
    commune_staff.save()
    moved = document_search(commune_staff, "lung cu")
    assert secret not in [hit.document for hit in moved.hits] and moved.count == 2


def test_the_publics_page_of_hits_is_kept_without_texts_and_made_again_after_a_change(province, commune_staff):
    """Asked again by an anonymous reader, a search of few matches reads no document: its hits (the marked title and
    excerpt, the page) are kept beside its order, without the texts. A change of any document makes them again, with
    the new text; a signed-in reader's are made afresh each time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuyengiao.core.text import fold_aligned
    from tuyengiao.documents.services import document_save

    plan = make_document(
        "01-KH/TU",
        "Kế hoạch về du lịch",
        type_name="Kế hoạch",
        issuer="Tỉnh ủy Hà Giang",
        issued_on=datetime.date(2024, 5, 1),
        text="Xây dựng điểm du lịch cột cờ Lũng Cú, huyện Đồng Văn.",
    )

    def shown(result):
        return [
            (hit.document.number, hit.document.type.name, str(hit.document.issuer), hit.title, hit.excerpt, hit.page)
            for hit in result.hits
        ]

    def texts_read(captured):
        return [query for query in captured.captured_queries if '"full_text"' in query["sql"]]

    first = document_search(ANONYMOUS, "lung cu")
    assert [(piece, marked) for piece, marked in first.hits[0].excerpt if marked] == [("Lũng Cú", True)]
    with CaptureQueriesContext(connection) as captured:
        again = document_search(ANONYMOUS, "lung cu")
    assert shown(again) == shown(first) and again.count == 1
    assert not texts_read(captured)
    assert {"full_text", "folded_text"} <= again.hits[0].document.get_deferred_fields()

    plan.full_text = "Tuyên truyền về cột cờ Lũng Cú trong trường học."
    plan.folded_text = fold_aligned(plan.full_text)
    document_save(plan)
    changed = document_search(ANONYMOUS, "lung cu")
    assert "".join(piece for piece, _marked in changed.hits[0].excerpt).startswith("Tuyên truyền về cột cờ Lũng Cú")
    assert shown(document_search(ANONYMOUS, "lung cu")) == shown(changed)

    document_search(commune_staff, "lung cu")
    with CaptureQueriesContext(connection) as captured:
        signed_in = document_search(commune_staff, "lung cu")
    assert shown(signed_in) == shown(changed) and texts_read(captured)


def test_a_search_served_from_what_is_kept_builds_no_queryset_of_documents(db, monkeypatch):
    """Asked again by an anonymous reader, a search of few matches is served from what is kept: it does not even
    build the querysets that would read the documents (which readers may see, with which filters). After a change it
    builds them and finds the new document. (PostgreSQL tells few matches from the statistics of ANALYZE; without
    them it asks its planner at each search, with a queryset.)"""
    from tuyengiao.documents import selectors

    lung_cu_among_analysed("01-TB/TU")
    built = []

    def visible(user):
        built.append(user)
        return documents_visible(user)

    documents_visible = selectors.documents_visible
    monkeypatch.setattr(selectors, "documents_visible", visible)
    filters = {"type": None, "level": None, "status": None}
    assert numbers(document_search(ANONYMOUS, "lung cu", filters=filters)) == ["01-TB/TU"]
    assert built == [ANONYMOUS]
    assert numbers(document_search(ANONYMOUS, "lung cu", filters=filters)) == ["01-TB/TU"]
    assert built == [ANONYMOUS]
    make_document("02-KH/TU", "Kế hoạch về Lũng Cú", type_name="Kế hoạch", issued_on=datetime.date(2024, 6, 1))
    assert numbers(document_search(ANONYMOUS, "lung cu", filters=filters)) == ["02-KH/TU", "01-TB/TU"]
    assert built == [ANONYMOUS, ANONYMOUS]


def test_empty_filters_are_no_filters_and_share_what_is_kept(db):
    """The search form sends every filter, empty; the API sends only those given. Both are the same search, and the
    second is served from what the first kept (no narrow rows read again)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_document("01-TB/TU", "Thông báo về Lũng Cú", type_name="Thông báo", issued_on=datetime.date(2024, 5, 1))
    assert numbers(document_search(ANONYMOUS, "lung cu")) == ["01-TB/TU"]
    with CaptureQueriesContext(connection) as captured:
        result = document_search(ANONYMOUS, "lung cu", filters={"type": "", "level": None, "year_from": None})
    assert numbers(result) == ["01-TB/TU"] and result.count == 1
    assert not [query for query in captured.captured_queries if '"day"' in query["sql"]]


def test_a_count_kept_for_the_next_page_follows_each_change_and_each_reader(province, commune_staff, monkeypatch):
    """More matches than one read of narrow rows takes are counted once and the count kept: the next page does not
    count them again, a change counts them afresh, and each reader has the count of what they may read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("tuyengiao.documents.selectors.COMPACT_UP_TO", 0)
    monkeypatch.setattr("tuyengiao.documents.selectors.COMPACT_UP_TO_SQLITE", 0)
    for index in range(3):
        make_document(f"{index + 1}-TB/TU", "Thông báo về hội nghị", type_name="Thông báo")
    first = document_search(ANONYMOUS, "hoi nghi", per_page=2)
    assert (first.count, first.pages, first.facets["type"]) == (3, 2, [(first.facets["type"][0][0], "Thông báo", 3)])
    with CaptureQueriesContext(connection) as captured:
        second = document_search(ANONYMOUS, "hoi nghi", per_page=2, page=2)
    assert (second.count, len(second.hits)) == (3, 1)
    facet_reads = [
        query for query in captured.captured_queries if "GROUPING" in query["sql"] or '"day"' in query["sql"]
    ]
    assert not facet_reads  # the facets and count are not read again (PostgreSQL: grouping sets; SQLite: narrow rows)

    make_document("1-KH/TU", "Kế hoạch hội nghị", type_name="Kế hoạch", issued_on=datetime.date(2024, 1, 1))
    make_document(
        "2-KH/TU",
        "Kế hoạch hội nghị nội bộ",
        type_name="Kế hoạch",
        access=Access.UNITS,
        access_units=[province["HG-BM"]],
    )
    after = document_search(ANONYMOUS, "hoi nghi", per_page=2)
    assert after.count == 4 and {label: count for _v, label, count in after.facets["type"]} == {
        "Thông báo": 3,
        "Kế hoạch": 1,
    }
    assert document_search(commune_staff, "hoi nghi", per_page=2).count == 5
    assert document_search(ANONYMOUS, "hoi nghi", per_page=2).count == 4


def test_facets_of_an_estimate_are_recomputed_after_a_change(seed_documents, settings):
    from tuyengiao.documents.selectors import documents_version

    before = documents_version()
    make_document("01-TB/TU", "Thông báo mới", type_name="Thông báo", issued_on=datetime.date(2024, 1, 1))
    assert documents_version() != before


def test_the_title_of_a_hit_is_shown_whole_with_the_match_marked(db):
    title = "Kế hoạch tổ chức các hoạt động kỷ niệm và tuyên truyền về chuyển đổi số"
    make_document("12-KH/TU", title, type_name="Kế hoạch", issued_on=datetime.date(2023, 3, 1))
    hit = document_search(ANONYMOUS, "chuyen doi so").hits[0]
    assert "".join(piece for piece, _marked in hit.title) == title
    assert ("chuyển đổi số", True) in hit.title


def test_filters_beside_words_follow_each_change_of_the_document(seed_documents, either_path):
    from tuyengiao.documents.models import Document, DocumentType, Status

    directive = DocumentType.objects.get(name="Chỉ thị").pk
    wanted = {"type": directive, "level": "central", "year_from": 2010, "year_to": 2020}
    assert sorted(numbers(document_search(ANONYMOUS, "chi thi", filters=wanted))) == ["07-CT/TW", "19-CT/TW"]
    assert numbers(document_search(ANONYMOUS, "chi thi", filters={**wanted, "year_from": 2013})) == ["07-CT/TW"]
    document = Document.objects.get(number="07-CT/TW")
    document.status = Status.EXPIRED
    document.save(update_fields=["status"])
    expired = document_search(ANONYMOUS, "chi thi", filters={"status": Status.EXPIRED})
    assert numbers(expired) == ["07-CT/TW"] and expired.count == 1
    assert "07-CT/TW" not in numbers(document_search(ANONYMOUS, "chi thi", filters={"status": Status.IN_FORCE}))


def test_with_filters_the_title_matches_that_pass_them_come_first(db, either_path):
    """Filters narrow the tiers as well as the matches: among the resolutions of 2015–2020, one with the words in
    its title comes before newer ones that hold them only in the text, and a newer title match outside the
    filters is not shown."""
    from tuyengiao.documents.models import DocumentType

    make_document(
        "01-NQ/TU", "Nghị quyết về công tác cán bộ", type_name="Nghị quyết", issued_on=datetime.date(2016, 3, 1)
    )
    make_document(
        "02-NQ/TU", "Nghị quyết về kinh tế", type_name="Nghị quyết", issued_on=datetime.date(2019, 3, 1), text="Cán bộ."
    )
    make_document("03-CT/TU", "Chỉ thị về cán bộ", type_name="Chỉ thị", issued_on=datetime.date(2018, 3, 1))
    make_document("04-NQ/TU", "Nghị quyết về cán bộ", type_name="Nghị quyết", issued_on=datetime.date(2022, 3, 1))
    resolution = DocumentType.objects.get(name="Nghị quyết").pk
    filters = {"type": resolution, "year_from": 2015, "year_to": 2020}
    result = document_search(ANONYMOUS, "cán bộ", filters=filters)
    assert numbers(result) == ["01-NQ/TU", "02-NQ/TU"] and result.count == 2
    assert numbers(document_search(ANONYMOUS, "can bo", filters=filters)) == ["01-NQ/TU", "02-NQ/TU"]


def test_a_year_range_that_ends_before_it_starts_finds_nothing(seed_documents, either_path):
    assert document_search(ANONYMOUS, "chi thi", filters={"year_from": 2016, "year_to": 2010}).count == 0
    assert document_search(ANONYMOUS, "chi thi", filters={"year_from": 2010, "year_to": 2016}).count == 2


def test_the_api_gives_an_empty_year_range_no_documents_and_says_so(client, seed_documents):
    """The API answers the same range with no documents, not an error: OpenAPI cannot say that one parameter must
    not exceed another, and an error for a request its document allows breaks the clients made from it. Its
    document says so instead."""
    found = client.get("/api/v1/documents", {"q": "chi thi", "year_from": 2016, "year_to": 2010})
    assert found.status_code == 200 and found.json()["count"] == 0 and found.json()["results"] == []
    assert client.get("/api/v1/documents", {"q": "chi thi", "year_from": 2010, "year_to": 2016}).json()["count"] == 2
    parameters = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/documents"]["get"]["parameters"]
    described = {parameter["name"]: parameter.get("description", "") for parameter in parameters}
    assert "Before year_from, the range holds no document" in described["year_to"]


def test_more_matches_than_stale_statistics_foretold_are_estimated_not_read(db, settings, monkeypatch):
    """Documents written in bulk (no signals, no ANALYZE yet) leave the words' statistics stale: "Lũng Cú" still
    looks rare. The narrow read of its matches stops at its limit, and the count comes from a sample instead."""
    from django.db import connection

    for index in range(30):
        make_document(f"{index + 1}-TB/TU", "Thông báo về hội nghị", type_name="Thông báo", text="Hội nghị.")
    make_document("40-TB/TU", "Thông báo về Lũng Cú", type_name="Thông báo")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_document")
    assert document_search(ANONYMOUS, "lung cu").count == 1  # counts of words read (and kept) now
    text = "Chuyến công tác lên cột cờ Lũng Cú."
    make_documents_in_bulk(14, "%d-KH/TU", "Kế hoạch", text, datetime.date(2023, 1, 1), start=50, step=1)
    monkeypatch.setattr("tuyengiao.documents.selectors.COMPACT_UP_TO", 5)
    monkeypatch.setattr("tuyengiao.documents.selectors.COMPACT_UP_TO_SQLITE", 5)
    settings.DOCUMENTS_EXACT_COUNT_UP_TO = 8
    result = document_search(ANONYMOUS, "lung cu")
    assert result.approximate and result.count == 15  # the sample is the whole (small) table
    assert numbers(result)[0] == "40-TB/TU"  # the head tier first, as ever
    assert len(result.hits) == 15


def test_a_big_tier_is_read_by_walking_the_date_index_and_a_small_one_from_the_index_of_words(db, settings):
    """Too many matches to count (PostgreSQL): the sample tells how big each tier is. Titles with the words in
    nearly every document are read newest first along the date index; a tier the sample finds small is read
    through the GIN index. The page is the same either way."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's scans")
    for index in range(40):
        make_document(
            f"{index + 1}-TB/TU",
            "Thông báo về hội nghị" if index % 10 else "Thông báo",
            type_name="Thông báo",
            issued_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
            text="Kết luận của hội nghị.",
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE documents_document")
    settings.DOCUMENTS_EXACT_COUNT_UP_TO = 10

    def scans(query):
        with CaptureQueriesContext(connection) as captured:
            result = document_search(ANONYMOUS, query)
        settings_made = [query["sql"] for query in captured.captured_queries if "enable_bitmapscan" in query["sql"]]
        return result, ["walk" if "'enable_bitmapscan', 'off'" in sql else "bitmap" for sql in settings_made]

    walked, made = scans("hoi nghi")  # 36 of 40 in the head: a walk tests about 22 documents for 20
    assert walked.approximate and made[:1] == ["walk"]
    newest = [f"{index + 1}-TB/TU" for index in reversed(range(40)) if index % 10][:20]
    assert numbers(walked) == newest
    assert document_search(ANONYMOUS, "hoi nghi", page=2).hits[-1].document.number == "01-TB/TU"  # the body tier
    settings.DOCUMENTS_EXACT_COUNT_UP_TO = 20_000
    assert numbers(document_search(ANONYMOUS, "hoi nghi")) == newest  # read once as narrow rows: the same page
    settings.DOCUMENTS_EXACT_COUNT_UP_TO = 10
    _result, made = scans("ket luan thong bao")  # "thông báo" in every title, "kết luận" in none
    assert made[:1] == ["bitmap"]


def test_words_in_more_documents_than_the_filters_leave_are_read_by_walking_those_documents(
    db, monkeypatch, commune_staff
):
    """SQLite: "đảng viên" stands in every document, and the province's plans are 6 of 30. Its matches among them
    are read by walking those 6, each tested against the words' matches; a rare word is looked up. Both ways
    find the same documents, in the same order, with the same facets."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuyengiao.documents.models import Level, Status

    if connection.vendor == "postgresql":
        pytest.skip("SQLite's plan; PostgreSQL's planner weighs both ways itself")
    for index in range(30):
        make_document(
            f"{index + 1}-KH/TU",
            "Kế hoạch",
            type_name="Kế hoạch",
            level=Level.PROVINCE if index % 5 == 0 else Level.CENTRAL,
            issued_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
            text="Phát triển đảng viên mới ở cơ sở." + (" Bản Lũng Cú." if index % 10 == 0 else ""),
        )
    make_document("31-CV/TU", "Công văn", type_name="Công văn", access=Access.CADRES, text="Kết nạp đảng viên.")
    filters = {"level": Level.PROVINCE, "status": Status.IN_FORCE}

    def searched(query, user=ANONYMOUS, filters=filters):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            result = document_search(user, query, filters=filters)
        walked = any("+documents_document.id IN" in item["sql"] for item in captured.captured_queries)
        return walked, (result.count, numbers(result), result.facets)

    walked, found = searched("dang vien")
    assert walked and found[0] == 6
    walked, (count, *_rest) = searched("dang vien", filters={"level": None, "status": None})  # as the form sends
    assert not walked and count == 30  # no filter: every public document would be walked (the words stand in 31)
    assert found[1] == ["26-KH/TU", "21-KH/TU", "16-KH/TU", "11-KH/TU", "06-KH/TU", "01-KH/TU"]  # newest first
    assert dict((value, count) for value, _label, count in found[2]["level"]) == {Level.PROVINCE: 6}
    walked, (count, rare, _facets) = searched("lung cu")
    assert not walked and (count, rare) == (3, ["21-KH/TU", "11-KH/TU", "01-KH/TU"])
    # A cadre's count of the documents the filters leave is read from the documents: words in fewer documents than
    # are counted exactly are looked up, without it.
    assert searched("dang vien", commune_staff) == (False, found)
    monkeypatch.setattr("tuyengiao.documents.selectors.RARE_SHARE", 1.0)  # every word rare: each match looked up
    assert searched("dang vien") == (False, found)


def test_what_steers_a_search_is_not_counted_again_after_a_change(db):
    """SQLite: how many documents there are steers a search, as the words' counts do, and is kept through changes:
    the first search after a document changed does not count them again. What it finds is the documents as they
    are now."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's statistics come from ANALYZE")
    for index in range(3):
        make_document(f"{index + 1}-KH/TU", "Kế hoạch", type_name="Kế hoạch", text="Phát triển đảng viên mới.")

    def searched():
        with CaptureQueriesContext(connection) as captured:
            result = document_search(ANONYMOUS, "dang vien")
        counted = [item["sql"] for item in captured.captured_queries if 'COUNT(*) AS "__count"' in item["sql"]]
        return result.count, bool(counted)

    assert searched() == (3, True)
    make_document("4-KH/TU", "Kế hoạch", type_name="Kế hoạch", text="Kết nạp đảng viên.")
    assert searched() == (4, False)


def test_a_word_no_document_holds_finds_nothing_and_is_found_once_a_document_holds_it(db):
    """A word that no document holds finds nothing before any search is built. SQLite counts every word of its
    index, keeps the counts of the words that documents hold, and counts the missing word again at each search: one
    statement, with no version read. PostgreSQL knows the common words from its statistics and looks up the others
    in the index: one statement. Both follow each change of the documents (on PostgreSQL, before any new ANALYZE)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for index in range(30):
        make_document(f"{index + 1}-TB/TU", "Thông báo về hội nghị", type_name="Thông báo", text="Hội nghị cán bộ.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE documents_document")
    assert document_search(ANONYMOUS, "xyzzy").count == 0
    document_search(ANONYMOUS, "hoi nghi xyzzy")  # the counts of its words are read, and kept
    with CaptureQueriesContext(connection) as captured:
        result = document_search(ANONYMOUS, "hoi nghi xyzzy")
    assert (result.count, result.hits) == (0, [])
    assert len(captured.captured_queries) == 1
    make_document("39-TB/TU", "Thông báo", type_name="Thông báo", text="Hội nghị.")  # a change, without the word
    with CaptureQueriesContext(connection) as captured:
        assert document_search(ANONYMOUS, "xyzzy").count == 0
    statements = [query["sql"] for query in captured.captured_queries]
    assert len(statements) == 1  # SQLite: the word counted again, no version; the documents are not read
    if connection.vendor != "postgresql":
        assert "documents_fts_terms" in statements[0]
    make_document("40-TB/TU", "Thông báo", type_name="Thông báo", text="Hội nghị về xyzzy.")
    assert numbers(document_search(ANONYMOUS, "hoi nghi xyzzy")) == ["40-TB/TU"]
    assert numbers(document_search(ANONYMOUS, "xyzzy")) == ["40-TB/TU"]


def test_rare_words_found_together_are_not_looked_up_again_and_a_stale_answer_finds_what_there_is(db):
    """PostgreSQL looks up the words its statistics do not know together in the index before it searches. That they
    stand together is kept, so the next ask does not look them up again; once no document holds them, the search
    finds nothing, and that they stand in none is not kept: a document that holds them again is found at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statistics (SQLite counts every word)")
    for index in range(30):
        make_document(f"{index + 1}-TB/TU", "Thông báo về hội nghị", type_name="Thông báo", text="Hội nghị cán bộ.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE documents_document")  # the words below stand in no document: unknown to the statistics
    mansion = make_document("31-TB/TU", "Thông báo", type_name="Thông báo", text="Dinh thự họ Vương ở Sà Phìn.")

    def looked_up(captured):
        return [query for query in captured.captured_queries if "MATERIALIZED (SELECT 1 FROM" in query["sql"]]

    with CaptureQueriesContext(connection) as captured:
        assert numbers(document_search(ANONYMOUS, "dinh thu ho vuong")) == ["31-TB/TU"]
    assert len(looked_up(captured)) == 1
    with CaptureQueriesContext(connection) as captured:
        assert numbers(document_search(ANONYMOUS, "dinh thu ho vuong")) == ["31-TB/TU"]
    assert not looked_up(captured)
    mansion.delete()
    assert document_search(ANONYMOUS, "dinh thu ho vuong").count == 0
    for _ask in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert document_search(ANONYMOUS, "vuong sa phin").count == 0
        assert len(looked_up(captured)) == 1 and len(captured.captured_queries) == 1
    make_document("32-TB/TU", "Thông báo", type_name="Thông báo", text="Dinh thự họ Vương ở Sà Phìn.")
    assert numbers(document_search(ANONYMOUS, "vuong sa phin")) == ["32-TB/TU"]


def test_or_is_a_word_like_any_other(db, either_path):
    """Every word typed is required, "or" too: PostgreSQL's websearch syntax would read it as OR, and "hoi nghi or
    xyzzy" would find every document about a conference."""
    make_document("01-TB/TU", "Thông báo về hội nghị", type_name="Thông báo", text="Hội nghị cán bộ.")
    make_document("02-TB/TU", "Thông báo", type_name="Thông báo", text="Hội nghị bàn về open or closed.")
    assert numbers(document_search(ANONYMOUS, "hoi nghi or xyzzy")) == []
    assert numbers(document_search(ANONYMOUS, "hoi nghi or")) == ["02-TB/TU"]


def test_in_each_tier_the_newest_come_first_and_the_undated_last(db, either_path):
    make_document("", "Kế hoạch về cột cờ Lũng Cú", type_name="Kế hoạch", issued_on=None)
    make_document("2-KH/TU", "Kế hoạch về Lũng Cú", type_name="Kế hoạch", issued_on=datetime.date(2020, 1, 1))
    make_document("3-KH/TU", "Kế hoạch về du lịch", type_name="Kế hoạch", issued_on=None, text="Lũng Cú, Hà Giang.")
    make_document(
        "4-KH/TU",
        "Kế hoạch về du lịch",
        type_name="Kế hoạch",
        issued_on=datetime.date(2024, 1, 1),
        text="Cột cờ Lũng Cú.",
    )
    make_document("5-KH/TU", "Kế hoạch về Lũng Cú", type_name="Kế hoạch", issued_on=datetime.date(2023, 1, 1))
    assert numbers(document_search(ANONYMOUS, "lung cu")) == ["05-KH/TU", "02-KH/TU", "", "04-KH/TU", "03-KH/TU"]
    newest = ["04-KH/TU", "05-KH/TU", "02-KH/TU", "03-KH/TU", ""]  # undated: the last added first
    assert numbers(document_search(ANONYMOUS, "lung cu", sort="date")) == newest
    assert [document.number for document in documents_latest(ANONYMOUS)] == newest


def test_facets_and_hits_name_a_type_and_an_issuer_as_they_are_now(seed_documents, either_path):
    from tuyengiao.documents.models import DocumentType, Issuer

    result = document_search(ANONYMOUS, "chi thi")
    assert "Chỉ thị" in [label for _value, label, _count in result.facets["type"]]
    kind = DocumentType.objects.get(name="Chỉ thị")
    kind.name = "Chỉ thị của Ban Bí thư"
    kind.save()
    issuer = Issuer.objects.get(name="Ban Bí thư Trung ương Đảng", term="XII")
    issuer.name = "Ban Bí thư"
    issuer.save()
    result = document_search(ANONYMOUS, "thong tin co so")
    assert ("Chỉ thị của Ban Bí thư", 1) in [(label, count) for _value, label, count in result.facets["type"]]
    assert "Ban Bí thư khóa XII" in [label for _value, label, _count in result.facets["issuer"]]
    hit = result.hits[0].document
    assert (hit.number, hit.type.name, str(hit.issuer)) == ("07-CT/TW", "Chỉ thị của Ban Bí thư", "Ban Bí thư khóa XII")


@contextmanager
def another_process():
    """What the task worker (an import, an OCR run) or a second web server does: it writes to the same database
    and keeps a cache of its own, as local memory is (`make run`: the server and the worker are two processes)."""
    from django.test import override_settings

    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "another-process"}}
    with override_settings(CACHES=caches):
        yield


def test_a_document_made_restricted_in_another_process_leaves_every_search_at_once(seed_documents, either_path, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuyengiao.documents import selectors

    def api_numbers():
        return [row["number"] for row in client.get("/api/v1/documents", {"q": "chi thi"}).json()["results"]]

    before = document_search(ANONYMOUS, "chi thi")
    assert "07-CT/TW" in numbers(before)
    assert "07-CT/TW" in api_numbers()
    with another_process():
        directive = seed_documents["07-CT/TW"]
        directive.access = Access.CADRES
        directive.save()
    with CaptureQueriesContext(connection) as captured:
        after = document_search(ANONYMOUS, "chi thi")
    assert [query["sql"] for query in captured.captured_queries].count(selectors._VERSION_SQL) == 1  # once a search
    assert "07-CT/TW" not in numbers(after)
    assert after.count == before.count - 1
    years = [[year for year, _label, _count in result.facets["year"]] for result in (before, after)]
    assert 2016 in years[0]
    assert 2016 not in years[1]  # the directive was the only document of 2016
    assert "07-CT/TW" not in api_numbers()


def test_a_document_that_another_process_imported_is_found_at_once(seed_documents):
    """An import or an OCR run ends in the task worker: words asked before, found then in no document (SQLite
    keeps that zero), are found now, and the store's kept counts take the document in."""
    assert document_search(ANONYMOUS, "lung cu").count == 0
    assert document_search(ANONYMOUS, "").count == len(SEED)
    with another_process():
        make_document("05-KH/TU", "Kế hoạch thông tin cơ sở", type_name="Kế hoạch", text="Loa truyền thanh ở Lũng Cú.")
    assert numbers(document_search(ANONYMOUS, "lung cu")) == ["05-KH/TU"]
    assert document_search(ANONYMOUS, "").count == len(SEED) + 1


def test_the_version_moves_with_every_change_and_old_changes_are_dropped(seed_documents, monkeypatch):
    import contextlib

    from django.db import transaction

    from tuyengiao.documents import services
    from tuyengiao.documents.models import StoreChange
    from tuyengiao.documents.selectors import documents_version

    monkeypatch.setattr(services, "STORE_CHANGES_KEPT", 3)
    seen = [documents_version()]
    for _ in range(8):
        services.documents_changed()
        seen.append(documents_version())
    assert len(set(seen)) == len(seen)  # each change moved it to a version never seen before
    assert StoreChange.objects.count() <= 2 * 3 + 1
    with contextlib.suppress(RuntimeError), transaction.atomic():
        services.documents_changed()
        rolled_back = documents_version()
        raise RuntimeError
    assert documents_version() == seen[-1]
    services.documents_changed()  # on SQLite, the next change takes the id of the one rolled back
    assert documents_version() not in (rolled_back, *seen)
    # On PostgreSQL, a change may commit after a later one: its row, with a lower id, moves the version all the same.
    newest = documents_version()
    free_id = min(StoreChange.objects.values_list("pk", flat=True)) - 1
    StoreChange.objects.create(pk=free_id)
    assert documents_version() not in (newest, rolled_back, *seen)
    StoreChange.objects.bulk_create([StoreChange(mark=2**62) for _ in range(3)])  # marks too big do not overflow
    assert document_search(ANONYMOUS, "chi thi").count == 3


def test_a_name_changed_in_another_process_shows_at_once_and_a_document_change_reads_no_list(seed_documents):
    """The types and issuers that name facets and hits are read again once one of them changes, in any process;
    a change of a document leaves them as they were read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuyengiao.documents.models import Issuer

    def searched():
        with CaptureQueriesContext(connection) as captured:
            result = document_search(ANONYMOUS, "thong tin co so")
        read = any('FROM "documents_issuer"' in item["sql"] for item in captured.captured_queries)
        return [label for _value, label, _count in result.facets["issuer"]], str(result.hits[0].document.issuer), read

    labels, first, read = searched()
    assert first == "Ban Bí thư Trung ương Đảng khóa XII" and read
    with another_process():
        make_document("05-KH/TU", "Kế hoạch thông tin cơ sở", type_name="Kế hoạch", text="Loa truyền thanh.")
    assert searched() == (labels, first, False)  # the plan has no issuer: the names were not read again
    with another_process():
        issuer = Issuer.objects.get(name="Ban Bí thư Trung ương Đảng", term="XII")
        issuer.name = "Ban Bí thư"
        issuer.save()
    labels, first, read = searched()
    assert first == "Ban Bí thư khóa XII" and "Ban Bí thư khóa XII" in labels and read


def test_the_version_of_the_lists_moves_with_a_type_or_an_issuer_only_and_never_back(seed_documents, monkeypatch):
    """A change of a document leaves the lists' version; a change of an issuer moves it. Dropping old changes
    keeps the newest change of the lists, so the version never comes back to one from before it, which a process
    may still hold its lists under."""
    from tuyengiao.documents import services
    from tuyengiao.documents.models import Issuer, StoreChange
    from tuyengiao.documents.selectors import documents_version, lists_version

    monkeypatch.setattr(services, "STORE_CHANGES_KEPT", 10**9)  # no old change dropped
    before = (documents_version(), lists_version())
    make_document("05-KH/TU", "Kế hoạch", type_name="Kế hoạch")
    assert documents_version() != before[0] and lists_version() == before[1]
    issuer = Issuer.objects.get(name="Ban Bí thư Trung ương Đảng", term="XII")
    issuer.name = "Ban Bí thư"
    issuer.save()
    renamed = lists_version()
    assert renamed != before[1]
    monkeypatch.setattr(services, "STORE_CHANGES_KEPT", 3)
    for _ in range(12):  # old changes dropped every third
        services.documents_changed()
        assert lists_version() != before[1]
    assert StoreChange.objects.filter(lists=True).count() == 1  # the rename's, newest of the lists
    assert lists_version() != before[1]


def test_a_name_changed_without_a_signal_shows_once_the_kept_lists_expire(seed_documents, monkeypatch):
    import time

    from tuyengiao.documents import selectors
    from tuyengiao.documents.models import Issuer

    document_search(ANONYMOUS, "thong tin co so")
    Issuer.objects.filter(name="Ban Bí thư Trung ương Đảng", term="XII").update(name="Ban Bí thư")  # no signal
    later = time.monotonic() + selectors.FACET_CACHE_SECONDS + 1
    monkeypatch.setattr(selectors.time, "monotonic", lambda: later)
    result = document_search(ANONYMOUS, "thong tin co so")
    assert "Ban Bí thư khóa XII" in [label for _value, label, _count in result.facets["issuer"]]
    assert str(result.hits[0].document.issuer) == "Ban Bí thư khóa XII"


def test_statements_steered_to_an_index_are_not_compiled_by_jit(transactional_db):
    """A path switched off costs PostgreSQL's planner ten billion, over any JIT threshold: compiling a plan of a
    few rows took 45 ms. The settings last for the steered statements only."""
    from django.db import connection

    from tuyengiao.documents.selectors import _scans

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        before = cursor.fetchone()
    with _scans("bitmap"), connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
        cursor.execute("EXPLAIN (FORMAT JSON) SELECT * FROM documents_issuer ORDER BY name, term")
        plan = cursor.fetchone()[0]
    assert plan[0]["Plan"]["Total Cost"] > 1e9  # a path switched off: why JIT must be too
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == before


def test_a_page_far_past_the_last_shows_the_last_one(db, either_path):
    for index in range(25):
        make_document(
            f"{index + 1}-TB/TU",
            "Thông báo về Lũng Cú",
            type_name="Thông báo",
            issued_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=index),
        )
    result = document_search(ANONYMOUS, "lung cu", page=10**18)
    assert (result.page, result.pages, result.count) == (2, 2, 25)
    assert numbers(result) == ["05-TB/TU", "04-TB/TU", "03-TB/TU", "02-TB/TU", "01-TB/TU"]
