"""An admin browses the audit trail: a recruiter's change shows with who, from where and old/new
values; the person filter narrows the list; the CSV export downloads what is shown."""

from pathlib import Path

from playwright.sync_api import expect

from hiring import services
from roles import audit
from tests.hiring.factories import AdminFactory, HiringManagerFactory, RecruiterFactory


def test_admin_filters_the_audit_trail_by_person_and_exports_it(login, page, live_server, screenshot):
    rosa = RecruiterFactory(first_name="Rosa", last_name="Recruiter")
    hugo = HiringManagerFactory(first_name="Hugo", last_name="Manager")
    with audit.acting_as(rosa, remote_addr="192.0.2.10"):
        ada = services.candidate_create(first_name="Ada", last_name="Lovelace", email="ada@example.test")
        services.candidate_update(candidate=ada, location="London")
    with audit.acting_as(hugo, remote_addr="192.0.2.20"):
        services.candidate_create(first_name="Charles", last_name="Babbage")

    login(AdminFactory())
    page.goto(f"{live_server.url}/admin/auditlog/logentry/")
    expect(page.get_by_role("cell", name="location:  → London")).to_be_visible()
    expect(page.get_by_text("Charles Babbage")).to_be_visible()

    page.locator("#changelist-filter").get_by_role("link", name="Rosa Recruiter").click()
    expect(page.get_by_text("Charles Babbage")).to_have_count(0)
    expect(page.get_by_role("cell", name="192.0.2.10").first).to_be_visible()
    screenshot("audit-trail-filtered-by-person")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Ada Lovelace" in text
    assert "London" in text
    assert "Charles Babbage" not in text
