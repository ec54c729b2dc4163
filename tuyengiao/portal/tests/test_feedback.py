"""Readers' feedback ("Phản hồi"): moderated, filtered by local rules, rate limited."""

import pytest
from django.urls import reverse

from tuyengiao.accounts.roles import Role
from tuyengiao.accounts.tests.factories import PASSWORD, UserFactory
from tuyengiao.orgs.models import Unit
from tuyengiao.portal.models import Feedback


def feedback_url(article):
    return reverse("portal:feedback", args=[article.pk])


GOOD = {"name": "Nguyễn Thị Hoa", "contact": "0912 345 678", "message": "Bài viết rất bổ ích cho cán bộ cơ sở."}


def test_feedback_waits_for_moderation_and_is_not_public(client, news):
    response = client.post(feedback_url(news), GOOD, follow=True)
    page = response.content.decode()
    assert "Phản hồi của bạn đang chờ duyệt" in page
    assert "Bài viết rất bổ ích" not in page
    feedback = Feedback.objects.get()
    assert (feedback.status, feedback.contact, feedback.ip_address) == ("pending", "0912345678", "127.0.0.1")


def test_approved_feedback_shows_under_the_article_without_the_contact(client, news):
    client.post(feedback_url(news), GOOD)
    Feedback.objects.update(status=Feedback.Status.APPROVED)
    page = client.get(news.url).content.decode()
    assert "Bài viết rất bổ ích cho cán bộ cơ sở." in page
    assert "0912345678" not in page


def test_links_are_refused_and_the_text_is_kept(client, news):
    data = {**GOOD, "message": "Xem thêm tại http://quang-cao.example"}
    page = client.post(feedback_url(news), data).content.decode()
    assert "Phản hồi không được chứa đường link" in page
    assert "Xem thêm tại http://quang-cao.example" in page
    assert not Feedback.objects.exists()


def test_banned_words_flag_the_feedback_for_the_moderators(client, news):
    client.post(feedback_url(news), {**GOOD, "message": "Đồ đểu, đéo tin"})
    assert Feedback.objects.get().flagged == "đéo"


def test_a_contact_that_is_neither_email_nor_phone_is_explained(client, news):
    page = client.post(feedback_url(news), {**GOOD, "contact": "12345"}).content.decode()
    assert "Hãy ghi địa chỉ thư điện tử" in page
    assert "Bài viết rất bổ ích cho cán bộ cơ sở." in page


def test_feedback_is_rate_limited_per_address(client, news, still_clock):
    for _ in range(5):
        client.post(feedback_url(news), GOOD)
    response = client.post(feedback_url(news), GOOD)
    assert response.status_code == 429
    assert "Bạn đã gửi phản hồi quá nhiều lần" in response.content.decode()
    assert Feedback.objects.count() == 5


@pytest.fixture
def moderator(news):
    unit = Unit.objects.get(code="HG-BTG")
    return UserFactory(username="kiemduyet", unit=unit, roles=[(Role.EDITOR, unit)])


def test_editors_approve_and_reject_in_bulk(client, news, moderator):
    for text in ("Một", "Hai", "Ba"):
        client.post(feedback_url(news), {**GOOD, "message": f"Ý kiến {text}"})
    ids = list(Feedback.objects.order_by("pk").values_list("pk", flat=True))
    client.login(username="kiemduyet", password=PASSWORD)
    client.post(reverse("portal_feedback"), {"ids": ids[:2], "action": "approve"})
    client.post(reverse("portal_feedback"), {"ids": ids[2:], "action": "reject"})
    assert list(Feedback.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "approved",
        "rejected",
    ]
    page = client.get(news.url).content.decode()
    assert "Ý kiến Một" in page and "Ý kiến Ba" not in page


def test_the_queue_holds_only_feedback_on_articles_of_ones_units(client, news, moderator):
    from tuyengiao.portal.models import ArticlePage

    district_article = ArticlePage.objects.filter(unit__code="HG-BM").first()
    client.post(feedback_url(district_article), GOOD)
    client.login(username="kiemduyet", password=PASSWORD)
    page = client.get(reverse("portal_feedback")).content.decode()
    assert "Bài viết rất bổ ích" not in page
    feedback_id = Feedback.objects.get().pk
    client.post(reverse("portal_feedback"), {"ids": [feedback_id], "action": "approve"})
    assert Feedback.objects.get().status == "pending"


def test_the_form_comes_inline_for_htmx_and_as_a_page_without_javascript(client, news):
    article_html = client.get(news.url).content.decode()
    assert f'hx-get="{feedback_url(news)}"' in article_html
    assert 'name="csrfmiddlewaretoken"' not in article_html  # the article can be cached whole
    partial = client.get(feedback_url(news), HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith("<form") and 'name="csrfmiddlewaretoken"' in partial
    page = client.get(feedback_url(news)).content.decode()
    assert "<html" in page and news.title in page
