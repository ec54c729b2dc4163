"""Schemathesis fuzzes every endpoint of our own OpenAPI document: no server error, and every
response matches the document (status codes, content types and bodies)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_survives_schemathesis(case, province):
    case.call_and_validate()
