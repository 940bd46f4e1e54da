"""A recruiter creates a personal API token on the profile page, uses it, and revokes it; the API docs
page (Swagger UI from vendored files) renders under the strict CSP."""

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.hiring.factories import RecruiterFactory


def _api_status(base: str, token: str) -> int:
    request = urllib.request.Request(f"{base}/api/v1/jobs/", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.browser
def test_create_use_and_revoke_a_token(login, page, live_server, screenshot):
    user = RecruiterFactory()
    login(user)

    page.get_by_role("button", name=user.display_name).click()
    page.get_by_role("link", name="Profile and API tokens").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    page.get_by_label("Name").fill("Weekly BI export")
    page.get_by_label("Read and write").check()
    page.get_by_label("Expires after (days)").fill("30")
    page.get_by_role("button", name="Create token").click()

    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    token = page.get_by_label("New API token").input_value()
    assert token.startswith("hire_")
    expect(page.locator("#token-list")).to_contain_text("Weekly BI export")
    expect(page.locator("#token-list")).to_contain_text("Read and write")
    screenshot("api-token-created")
    assert _api_status(live_server.url, token) == 200

    page.get_by_role("button", name="Revoke Weekly BI export").click()
    expect(page.get_by_text("Token revoked")).to_be_visible()
    expect(page.locator("#token-list")).to_contain_text("Revoked")
    expect(page.get_by_label("New API token")).to_have_count(0)
    screenshot("api-token-revoked")
    assert _api_status(live_server.url, token) == 401


@pytest.mark.browser
def test_api_docs_render_without_csp_violations(login, page, live_server, screenshot):
    login(RecruiterFactory())
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_text("Structured hiring API").first).to_be_visible()
    expect(page.locator(".opblock-tag", has_text="applications").first).to_be_visible()
    screenshot("api-docs")
