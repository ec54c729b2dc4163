"""Site search: diacritic-insensitive, accented matches first, excerpts highlighted."""

import unicodedata

from tuyengiao.core.search import highlight
from tuyengiao.portal.selectors import article_search


def titles(results):
    return [article.title for article in results]


def test_typing_without_accents_finds_the_accented_article(news):
    assert news.title in titles(article_search("tuyen giao ha giang"))


def test_nfd_input_and_upper_case_match_too(news):
    query = unicodedata.normalize("NFD", "TUYÊN GIÁO HÀ GIANG")
    assert news.title in titles(article_search(query))


def test_d_without_stroke_finds_dong_van(news):
    assert "Đồng Văn nâng cao chất lượng đội ngũ báo cáo viên cơ sở" in titles(article_search("dong van bao cao vien"))


def test_accented_matches_rank_above_folded_ones(news):
    results = titles(article_search("Khèn Mông"))
    assert results[0] == "Lễ hội Khèn Mông lần thứ VII"


def test_words_match_whole_not_inside_other_words(news):
    assert article_search("ha") == [] or all(" ha " in a.search_folded for a in article_search("ha"))


def test_phrases_in_quotes_must_stand_together(news):
    together = titles(article_search('"chỉ thị 19"'))
    assert any("Chỉ thị 19-CT/TW" in title for title in together) or together
    assert article_search('"giang ha"') == []


def test_filters_by_category_and_date(news):
    import datetime

    category = news.get_parent()
    in_category = article_search("hà giang", category=category)
    assert in_category and all(a.get_parent().pk == category.pk for a in in_category)
    assert article_search("hà giang", date_from=datetime.date(2023, 1, 1)) == []
    assert news in article_search(
        "hà giang", date_from=datetime.date(2022, 10, 20), date_to=datetime.date(2022, 10, 20)
    )


def test_the_excerpt_marks_the_words_found_in_their_accented_form():
    pieces = highlight("Ngành tuyên giáo Hà Giang nỗ lực hoàn thành tốt nhiệm vụ", "ha giang")
    assert [piece for piece, is_match in pieces if is_match] == ["Hà Giang"]


def test_the_search_page_shows_highlighted_results_and_refuses_bad_dates(client, news):
    html = client.get("/tim-kiem/", {"q": "tuyen giao ha giang", "from": "31/02/2022"}).content.decode()
    assert "<mark>" in html
    assert "“31/02/2022” không phải là ngày; hãy ghi theo dạng dd/mm/yyyy." in html
    assert 'value="tuyen giao ha giang"' in html


def test_the_news_filters_stay_closed_for_the_box_alone_and_open_when_one_is_given(client, news):
    """As the form sends them (empty), they stay folded, so that the results stand in a phone's first screen."""

    def filters_open(**given) -> bool:
        page = client.get("/tim-kiem/", {"q": "tuyen giao ha giang", "category": "", "from": "", "to": "", **given})
        assert news.title in page.content.decode()
        return '<details class="search-filters" open>' in page.content.decode()

    assert not filters_open()
    assert filters_open(category=str(news.get_parent().pk))
    assert filters_open(to="31/12/2030")
    assert filters_open(**{"from": "31/02/2022"})  # refused: the reader sees the date to mend


def test_dates_at_the_ends_of_the_calendar_bound_nothing(client, news):
    """From the first day there is (01/01/0001) or to the last (31/12/9999), on the page and in the API: every
    article is in range; none of these may overflow when the day is turned into a time in Vietnam's zone."""
    import datetime

    assert news in article_search("hà giang", date_from=datetime.date.min, date_to=datetime.date.max)
    html = client.get("/tim-kiem/", {"q": "tuyen giao ha giang", "from": "01/01/0001", "to": "31/12/9999"})
    assert html.status_code == 200 and news.title in html.content.decode()
    page = client.get("/api/v1/news", {"q": "hà giang", "date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert page.status_code == 200 and news.title in [item["title"] for item in page.json()["items"]]
    page = client.get("/api/v1/news", {"date_from": "0001-01-01", "date_to": "9999-12-31", "limit": 100})
    assert page.status_code == 200 and news.title in [item["title"] for item in page.json()["items"]]
