import re


def test_news_lists_published_articles_newest_first(client, news):
    body = client.get("/api/v1/news", {"limit": 5}).json()
    assert body["count"] == 21
    dates = [item["date"] for item in body["items"]]
    assert dates == sorted(dates, reverse=True)
    assert body["items"][0]["title"] == news.title
    assert body["items"][0]["date"].startswith("2022-10-20T")


def test_news_filters_by_category_tag_and_date(client, news):
    in_category = client.get("/api/v1/news", {"category": "van-hoa-van-nghe"}).json()
    assert in_category["count"] == 4 and all(item["category"] == "Văn hóa - Văn nghệ" for item in in_category["items"])
    tagged = client.get("/api/v1/news", {"tag": "chuyển-đổi-số"}).json()
    assert [item["id"] for item in tagged["items"]] == [news.pk]
    day = client.get("/api/v1/news", {"date_from": "2022-10-20", "date_to": "2022-10-20"}).json()
    assert [item["id"] for item in day["items"]] == [news.pk]


def test_the_openapi_document_admits_the_vietnamese_slugs_the_api_serves(client, news):
    """OpenAPI's patterns are ECMAScript's, whose \\w is ASCII: the document must take "chuyển-đổi-số" as the API
    does (schemathesis sent "Ì" as a value it forbids, and got a 200)."""
    parameters = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/news"]["get"]["parameters"]
    patterns = {
        parameter["name"]: branch["pattern"]
        for parameter in parameters
        if parameter["name"] in ("category", "tag")
        for branch in parameter["schema"]["anyOf"][0]["anyOf"]
        if "pattern" in branch
    }
    for name in ("category", "tag"):
        assert re.fullmatch(patterns[name], "chuyển-đổi-số", re.ASCII), name
        assert not re.fullmatch(patterns[name], "a\x00", re.ASCII), name
    assert client.get("/api/v1/news", {"category": "không-có"}).json() == {"count": 0, "items": []}
    assert client.get("/api/v1/news", {"tag": "Ì"}).json() == {"count": 0, "items": []}


def test_news_search_without_accents(client, news):
    body = client.get("/api/v1/news", {"q": "tuyen giao ha giang"}).json()
    assert body["items"][0]["id"] == news.pk


def test_one_article_has_its_text(client, news):
    body = client.get(f"/api/v1/news/{news.pk}").json()
    assert body["unit_code"] == "HG-BTG" and body["author"] == "Lê Thanh Quỳnh"
    assert "203 điểm cầu" in body["body_text"]


def test_an_unpublished_article_is_not_in_the_api(client, news):
    news.unpublish()
    assert client.get(f"/api/v1/news/{news.pk}").status_code == 404
    assert news.pk not in [item["id"] for item in client.get("/api/v1/news", {"limit": 100}).json()["items"]]
