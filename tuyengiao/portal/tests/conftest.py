import pytest
from django.core.management import call_command

from tuyengiao.portal.models import ArticlePage

SEED_SLUG = "nganh-tuyen-giao-ha-giang-no-luc-hoan-thanh-tot-nhiem-vu-quy-iii"


@pytest.fixture
def news(db):
    """The demo province with its news, as `make run` loads it."""
    call_command(
        "seed_demo", "--without-documents", "--without-contests", "--without-library", stdout=open("/dev/null", "w")
    )
    return ArticlePage.objects.get(slug=SEED_SLUG)
