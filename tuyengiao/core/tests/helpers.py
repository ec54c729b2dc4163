"""Assertions shared by the tests of several apps."""


def assert_denied(response):
    """The admin refuses: Wagtail turns PermissionDenied into a redirect to the dashboard with a message."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
