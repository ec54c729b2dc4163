"""Who writes where and who publishes: a unit's editors write in their section, approvers publish."""

import pytest
from django.contrib.auth import get_user_model

from tuyengiao.accounts.roles import Role
from tuyengiao.accounts.services import role_grant, role_revoke
from tuyengiao.orgs.models import Unit
from tuyengiao.portal.models import ArticlePage, CategoryPage


def user(username):
    return get_user_model().objects.get(username=username)


def section(slug):
    return CategoryPage.objects.get(slug=slug)


@pytest.mark.parametrize(
    ("username", "slug", "may_write"),
    [
        ("bientap.bacme", "bac-me", True),
        ("bientap.bacme", "dong-van", False),
        ("bientap.bacme", "tuyen-giao-cac-cap", False),
        ("bientap.dongvan", "dong-van", True),
        ("bientap.tinh", "tuyen-giao-cac-cap", True),
        ("bientap.tinh", "bac-me", True),  # the province desk also writes in the sections inside its own
        ("canbo.yenphu", "bac-me", False),
    ],
)
def test_editors_write_only_in_their_units_sections(news, username, slug, may_write):
    assert section(slug).permissions_for_user(user(username)).can_add_subpage() is may_write


def test_editors_cannot_publish_but_approvers_can(news):
    article = ArticlePage.objects.child_of(section("bac-me")).first()
    assert article.permissions_for_user(user("bientap.bacme")).can_edit()
    assert not article.permissions_for_user(user("bientap.bacme")).can_publish()
    assert article.permissions_for_user(user("duyet.tinh")).can_publish()


def test_granting_and_revoking_the_editor_role_changes_where_one_writes(news):
    staff = user("canbo.yenphu")
    assignment = role_grant(user=staff, role=Role.EDITOR, unit=Unit.objects.get(code="HG-BM"))
    assert section("bac-me").permissions_for_user(user("canbo.yenphu")).can_add_subpage()
    role_revoke(assignment=assignment)
    assert not section("bac-me").permissions_for_user(user("canbo.yenphu")).can_add_subpage()


def test_approvers_review_the_default_workflow(news):
    from wagtail.models import GroupApprovalTask

    task = GroupApprovalTask.objects.get()
    assert task.groups.filter(user__username="duyet.tinh").exists()
    assert not task.groups.filter(user__username="bientap.bacme").exists()
