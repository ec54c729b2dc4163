"""Text with a NUL character (which PostgreSQL refuses) gets a 422 with a message, never a server error."""

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units?parent=HG%00",
        "/api/v1/units/HG%00",
        "/api/v1/news?q=a%00b",
        "/api/v1/news?category=a%00",
        "/api/v1/documents?q=a%00b",
    ],
)
def test_a_nul_character_is_refused_with_a_message(client, province, url):
    response = client.get(url)
    assert response.status_code == 422, response.content
    assert response.json()["code"] and response.json()["message"]
