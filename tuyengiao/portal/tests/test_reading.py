"""A reader on the portal: home, categories, the seed article, tags, archive, feeds, sitemap."""

import re

import pytest

from tuyengiao.portal.models import ArticlePage


def text_of(response) -> str:
    import html

    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_seed_article_reads_as_on_the_old_portal(client, news):
    response = client.get(news.url)
    page = text_of(response)
    assert "Tuyên giáo các cấp" in page
    assert "Thứ Năm, 20/10/2022 15:32'(GMT+7)" in page
    assert "Ngành tuyên giáo Hà Giang nỗ lực hoàn thành tốt nhiệm vụ trong quý III" in page
    assert "Lê Thanh Quỳnh - Ban Tuyên giáo Tỉnh ủy Hà Giang" in page
    assert "203 điểm cầu" in page
    assert "<figcaption>Hội nghị trực tuyến học tập" in response.content.decode()
    for block in ("Phản hồi", "Các tin khác"):
        assert block in page


def test_the_article_image_has_webp_renditions_in_a_srcset_and_loads_lazily(client, news):
    html = client.get(news.url).content.decode()
    img = re.search(r"<img [^>]*>", html).group(0)
    assert 'loading="lazy"' in img
    assert "srcset=" in img and ".webp" in img


def test_other_news_come_from_the_same_category(client, news):
    others = client.get(news.url).context["others"]
    assert others and all(article.get_parent().pk == news.get_parent().pk for article in others)
    assert news not in others


def test_the_home_page_has_latest_featured_categories_and_links(client, news):
    response = client.get("/")
    page = text_of(response)
    for heading in ("Mới nhất", "Tin nổi bật", "Tuyên giáo các cấp", "Nghiên cứu - Trao đổi", "Liên kết website"):
        assert heading in page, heading
    assert news.title in page
    assert 'role="search"' in response.content.decode()


def test_the_home_pages_html_css_and_javascript_stay_under_150_kb(client, news):
    from django.contrib.staticfiles import finders

    html = client.get("/").content.decode()
    assets = re.findall(r'(?:src|href)="/static/([^"]+\.(?:css|js))"', html)
    assert assets, "the page links its CSS and JavaScript"
    total = len(html.encode()) + sum(len(open(finders.find(asset), "rb").read()) for asset in assets)
    assert total < 150_000, total


def test_the_category_page_pages_through_its_articles(client, news):
    category = news.get_parent()
    page = text_of(client.get(category.url))
    assert news.title in page
    assert client.get(category.url, {"page": "999"}).status_code == 200


def test_the_menu_lists_the_categories_editors_put_in_it(client, news):
    html = client.get("/don-vi/").content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert "Tuyên giáo các cấp" in nav and "Thông tin cơ sở" in nav


def test_tag_pages_list_tagged_articles(client, news):
    page = text_of(client.get("/chu-de/chuyển-đổi-số/"))
    assert news.title in page
    assert client.get("/chu-de/khong-co/").status_code == 404


def test_the_archive_lists_articles_by_month(client, news):
    assert client.get("/luu-tru/").status_code == 302
    page = text_of(client.get("/luu-tru/2022/10/"))
    assert news.title in page
    assert client.get("/luu-tru/2022/13/").status_code == 404
    assert client.get("/luu-tru/99999/1/").status_code == 404
    assert client.get("/phan-hoi/99999999999999999999/").status_code == 404


def test_rss_feeds_hold_the_latest_and_each_category(client, news):
    latest = client.get("/rss/").content.decode()
    assert "<rss" in latest and news.title in latest
    category = client.get("/rss/tuyen-giao-cac-cap/").content.decode()
    assert news.title in category
    assert "Lễ hội Khèn Mông" not in category


def test_the_sitemap_lists_published_articles(client, news):
    assert news.url in client.get("/sitemap.xml").content.decode()


def test_a_draft_is_not_public(client, news):
    draft = ArticlePage.objects.exclude(pk=news.pk).first()
    draft.unpublish()
    assert client.get("/rss/").content.decode().count(draft.title) == 0
    assert draft.title not in text_of(client.get("/"))


def test_open_graph_tags_describe_the_article(client, news):
    html = client.get(news.url).content.decode()
    assert f'<meta property="og:title" content="{news.title}">' in html
    assert '<meta property="og:type" content="article">' in html


@pytest.mark.parametrize("path", ["/", "/tuyen-giao-cac-cap/", "/tim-kiem/?q=ha+giang", "/luu-tru/2022/10/"])
def test_news_pages_are_vietnamese(client, news, path):
    assert '<html lang="vi">' in client.get(path).content.decode()


def test_the_organisation_page_gives_functions_structure_and_contacts(client, news):
    page = text_of(client.get("/gioi-thieu/"))
    for part in (
        "Chức năng",
        "Cơ cấu tổ chức",
        "Văn phòng Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Giang",
        "0219 3866 000",
    ):
        assert part in page


def test_the_english_page_is_marked_english(client, news):
    html = client.get("/english/").content.decode()
    assert '<html lang="en">' in html
    assert "Structure" in html and "Office of the Commission" in html


def test_every_page_links_the_organisation_and_english_pages(client, news):
    html = client.get(news.url).content.decode()
    assert 'href="/gioi-thieu/"' in html and 'href="/english/" lang="en"' in html


def test_the_photo_library_lists_albums_with_captioned_photos(client, news):
    library = text_of(client.get("/thu-vien-anh/"))
    assert "Lễ hội Khèn Mông" in library
    album = client.get("/thu-vien-anh/album-2/").content.decode()
    assert album.count("<figcaption>") == 3
    assert "Trang phục truyền thống" in album
    assert 'loading="lazy"' in album and ".webp" in album
    assert "Thư viện ảnh" in text_of(client.get("/"))


def test_the_article_lists_the_documents_and_books_editors_linked(client, news):
    page = text_of(client.get(news.url))
    assert "Tài liệu, sách liên quan" in page
    assert "Chỉ thị 19-CT/TW ngày 05/11/2012 của Ban Bí thư" in page
    assert "Lịch sử Đảng bộ tỉnh Hà Giang (1945–2020)" in page
