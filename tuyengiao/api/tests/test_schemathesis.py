"""Schemathesis fuzzes every endpoint of our own OpenAPI document: no server error, and every
response matches the document (status codes, content types and bodies)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from config.wsgi import application
from tuyengiao.contests.tests.fixtures_api import *  # noqa: F403 (the fixtures contest and open_round)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open():
    """Calls go straight to the WSGI app, so do what Django's test client does: do not close the
    database connection at the end of each request (it holds the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _an_open_contest(open_round):
    """A published contest with a round open now, under the slug the API gives as its example, so that the
    contest endpoints answer more than 404."""


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_survives_schemathesis(case, province):
    case.call_and_validate()
