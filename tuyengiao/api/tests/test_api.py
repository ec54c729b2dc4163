import pytest

pytestmark = pytest.mark.django_db


def test_units_come_in_tree_order_with_their_parent_codes(client, province):
    body = client.get("/api/v1/units").json()
    assert body["count"] == 5
    assert [(u["code"], u["parent_code"], u["depth"]) for u in body["items"]] == [
        ("HG", None, 0),
        ("HG-BM", "HG", 1),
        ("HG-BM-01", "HG-BM", 2),
        ("HG-DV", "HG", 1),
        ("HG-DV-01", "HG-DV", 2),
    ]
    assert body["items"][0]["name"] == "Tỉnh Hà Giang"
    assert set(body["items"][0]) >= {"code", "name", "kind", "parent_code", "valid_from", "valid_to"}


def test_units_filter_by_kind_and_parent(client, province):
    communes = client.get("/api/v1/units", {"kind": "commune"}).json()["items"]
    assert [u["code"] for u in communes] == ["HG-BM-01", "HG-DV-01"]
    children = client.get("/api/v1/units", {"parent": "HG"}).json()["items"]
    assert [u["code"] for u in children] == ["HG-BM", "HG-DV"]


def test_the_api_speaks_utf8(client, province):
    response = client.get("/api/v1/units", {"kind": "province"})
    assert "Tỉnh Hà Giang" in response.content.decode("utf-8")


def test_an_unknown_parent_is_a_json_404_in_vietnamese(client, province):
    response = client.get("/api/v1/units", {"parent": "XX"})
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_unit"
    assert response.json()["message"] == "Không có đơn vị nào có mã “XX”."


def test_a_bad_parameter_is_a_json_422_in_vietnamese(client, province):
    response = client.get("/api/v1/units", {"kind": "village"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert body["message"] == "Yêu cầu có tham số không hợp lệ."
    assert body["details"][0]["field"] == "kind"


def test_a_parameter_left_empty_is_one_not_given(client, province):
    """As an HTML form sends a filter no one chose: the same answer as without it, not a 422."""
    given = client.get("/api/v1/units", {"kind": "", "parent": "", "on": ""})
    assert given.status_code == 200
    assert given.json() == client.get("/api/v1/units").json()
    assert given.json()["count"] == 5
    news = client.get("/api/v1/news", {"q": "", "category": "", "tag": "", "date_from": "", "limit": "", "offset": ""})
    assert news.status_code == 200 and news.json() == client.get("/api/v1/news").json()


def test_a_required_parameter_left_empty_is_still_refused(client, province):
    response = client.get("/api/v1/library/search", {"q": ""})
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "q"


def test_an_unknown_api_address_is_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Không có địa chỉ API này.", "details": []}


def test_health_reports_database_cache_and_tasks(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["cache"]["ok"] and body["tasks"]["ok"]


def test_health_answers_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["cache"]["ok"] is False
    assert response.json()["status"] == "error"


def test_me_needs_a_signed_in_user(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["message"] == "Vui lòng đăng nhập."


def test_me_lists_the_users_roles(client, district_editor):
    client.force_login(district_editor)
    body = client.get("/api/v1/me").json()
    assert body["unit_code"] == "HG-BM"
    assert body["roles"] == [
        {"role": "editor", "role_label": "Biên tập viên", "unit_code": "HG-BM", "unit_name": "Huyện Bắc Mê"}
    ]


def test_the_openapi_document_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/units", "/api/v1/units/{code}", "/api/v1/health", "/api/v1/me", "/api/v1/news"} <= set(paths)


def _patterns(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def test_every_pattern_of_the_document_means_the_same_to_the_api_and_to_its_readers(client):
    """The API reads a pattern's \\w and \\d as Unicode, OpenAPI's readers (ECMAScript) as ASCII: a pattern must take
    the same values either way, or a client is refused what the document allows, or sent to a 200 it forbids."""
    import re

    patterns = set(_patterns(client.get("/api/v1/openapi.json").json()))
    assert patterns, "the document has patterns"
    values = [
        "tim-hieu-nghi-quyet-27",
        "chuyển-đổi-số",
        "Ì",
        "٢٠٢٠-01-01",
        "２０２５-07-01",
        "2025-07-01",
        "HG-BM",
        "a\x00",
    ]
    for pattern in patterns:
        for value in values:
            assert bool(re.search(pattern, value)) == bool(re.search(pattern, value, re.ASCII)), (pattern, value)


def test_units_on_a_day_leave_out_units_merged_before_it(client, province):
    import datetime

    from tuyengiao.orgs.services import unit_merge

    unit_merge(unit=province["HG-BM"], into=province["HG-DV"], on=datetime.date(2025, 7, 1))
    before = [u["code"] for u in client.get("/api/v1/units", {"on": "2025-06-30"}).json()["items"]]
    after = [u["code"] for u in client.get("/api/v1/units", {"on": "2025-07-01"}).json()["items"]]
    assert "HG-BM" in before and "HG-BM" not in after
    merged = client.get("/api/v1/units/HG-BM").json()
    assert (merged["valid_to"], merged["successor_code"]) == ("2025-06-30", "HG-DV")


@pytest.mark.parametrize("day", ["0", "2025-02-30", "30/06/2025"])
def test_a_bad_day_is_refused(client, province, day):
    response = client.get("/api/v1/units", {"on": day})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_an_offset_past_any_real_list_is_refused_not_a_crash(client, province):
    response = client.get("/api/v1/units", {"offset": 590695191832157224960})
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "offset"


@pytest.mark.parametrize(
    ("path", "field", "problem"),
    [
        ("/api/v1/documents?q=chi%00thi", "q", "Không được chứa ký tự rỗng (NUL)."),
        ("/api/v1/documents?q=" + "a" * 201, "q", "Tối đa 200 ký tự."),
        ("/api/v1/documents?type=x", "type", "Phải là số nguyên."),
        ("/api/v1/documents?year_from=1.5", "year_from", "Phải là số nguyên."),
        ("/api/v1/documents?type=0", "type", "Phải từ 1 trở lên."),
        ("/api/v1/documents?year_to=2101", "year_to", "Không được lớn hơn 2100."),
        ("/api/v1/documents?sort=moi-nhat", "sort", "Phải là một trong các giá trị: relevance, date."),
        (
            "/api/v1/documents?level=thon",
            "level",
            "Phải là một trong các giá trị: central, province, district, commune.",
        ),
        ("/api/v1/documents/abc", "document_id", "Phải là số nguyên."),
        ("/api/v1/library/search", "q", "Bắt buộc phải có."),
        ("/api/v1/library/search?q=", "q", "Không được để trống."),
        ("/api/v1/library/books?collection=s%C3%A1ch", "collection", "Chỉ gồm chữ cái không dấu, chữ số, “-” và “_”."),
        ("/api/v1/units?on=2020", "on", "Ngày viết theo dạng YYYY-MM-DD (năm-tháng-ngày), ví dụ 2026-12-08."),
        (
            "/api/v1/units?parent=%2Fx",
            "parent",
            "Mã đơn vị: tối đa 32 ký tự gồm chữ cái không dấu, chữ số, “.”, “-” hoặc “_”, "
            "bắt đầu bằng chữ cái hoặc chữ số.",
        ),
    ],
)
def test_a_refused_parameter_is_told_why_in_vietnamese(client, path, field, problem):
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["details"] == [{"field": field, "problem": problem}]


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"full_name": 5}, "payload.full_name", "Phải là chuỗi ký tự."),
        ({"birth_year": "1990"}, "payload.birth_year", "Phải là số nguyên."),
        ({"birth_year": 10000}, "payload.birth_year", "Không được lớn hơn 9999."),
        ({"full_name": "Nguyễn Văn A" * 20}, "payload.full_name", "Tối đa 200 ký tự."),
    ],
)
def test_a_refused_body_is_told_why_in_vietnamese(client, body, field, problem):
    response = client.post("/api/v1/contests/khong-co/attempts", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["details"] == [{"field": field, "problem": problem}]


def test_a_body_that_is_not_json_is_told_so_in_vietnamese(client):
    response = client.post("/api/v1/contests/khong-co/attempts", "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"] == "Không đọc được nội dung yêu cầu: hãy gửi dưới dạng JSON."


def test_a_problem_of_an_unforeseen_kind_is_still_vietnamese():
    from tuyengiao.api.main import problem_text

    assert problem_text({"type": "uuid_parsing", "msg": "Input should be a valid UUID"}) == "Giá trị không hợp lệ."
    assert problem_text({"type": "string_too_long", "msg": "…"}) == "Giá trị không hợp lệ."  # no context
    assert problem_text({"type": "literal_error", "ctx": {"expected": "1 or 2"}}) == "Giá trị không hợp lệ."
    assert problem_text({"type": "string_pattern_mismatch", "ctx": {"pattern": "^[a-c]+$"}}) == (
        "Không đúng dạng cho phép (^[a-c]+$)."
    )
