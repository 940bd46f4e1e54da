"""The OpenAPI schema is valid and warning-free, and its docs page is served locally under our CSP."""

import re

import pytest
from django.core.management import call_command
from lxml import html

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_schema_has_no_errors_or_warnings(tmp_path):
    """drf-spectacular validates the schema against the OpenAPI 3 specification and fails on any warning."""
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "openapi: 3" in text
    assert "/api/v1/applications/{id}/move/" in text
    assert "bearerAuth" in text


def test_schema_needs_a_token_or_session(users):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/schema/").status_code == 401
    response = token_client(users["interviewer"], scope="read").get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    operations = [op for item in schema["paths"].values() for op in item.values()]
    assert all("404" in op["responses"] and "401" in op["responses"] for op in operations)


def test_docs_page_uses_local_files_and_no_inline_code(client, users):
    client.force_login(users["recruiter"])
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    tree = html.fromstring(response.content)
    assert tree.xpath("//style") == []
    assert tree.xpath("//*[@style]") == []
    sources = tree.xpath("//script/@src") + tree.xpath("//link[@rel='stylesheet']/@href")
    assert sources
    assert all(src.startswith("/") for src in sources), sources  # nothing from another host
    assert all(script.get("src") for script in tree.xpath("//script"))  # no inline script
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert all(script.get("nonce") == nonce for script in tree.xpath("//script"))
    init = client.get(tree.xpath("//script/@src")[-1])
    assert init.status_code == 200
    assert init.headers["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in init.content.decode()


def test_docs_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
