"""Schemathesis against the live schema: every operation, generated requests (valid and not),
no 5xx, and every answer matches the schema (status codes, content types, bodies).

The schema is the one /api/schema/ serves (checked below); requests go to the app in process
(WSGI) and
carry an admin's token (who may do everything) over a small world. Examples per operation are
limited so the module runs in a minute or two.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from hiring.services import api_token_create
from tests.api.test_api_queries import add_world
from tests.hiring.factories import (
    AdminFactory,
    EmailTemplateFactory,
    HiringManagerFactory,
    InterviewerFactory,
    RecruiterFactory,
    RejectionReasonFactory,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 12


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI app: keep Django from closing the test's database connection
    at the end of each request (its own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(db, django_capture_on_commit_callbacks):
    users = {
        "admin": AdminFactory(),
        "recruiter": RecruiterFactory(),
        "manager": HiringManagerFactory(),
        "interviewer": InterviewerFactory(),
        "interviewer2": InterviewerFactory(),
    }
    with django_capture_on_commit_callbacks(execute=False):
        add_world(1, "fuzz", users)
    RejectionReasonFactory()
    EmailTemplateFactory()
    return api_token_create(user=users["admin"], name="schemathesis", scope="write").secret


def generated_schema() -> dict:
    """The schema /api/schema/ serves (the same generator), as JSON."""
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


schema = schemathesis.openapi.from_dict(generated_schema())
schema.app = application  # requests go to the app in process (WSGI), on the test database


def test_the_fuzzed_schema_is_the_live_one(api_token):
    """What the tests below fuzz is exactly what /api/schema/ serves."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert client.get("/api/schema/?format=json").json() == generated_schema()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, api_token):
    response = case.call(headers={"Authorization": f"Bearer {api_token}"})
    case.validate_response(response, checks=CHECKS)
