"""The careers site in a browser: a candidate on a phone finds a job, applies, follows the status link
and withdraws; the recruiter finds the application on the board with its source and answers.
axe-core checks every careers page for serious or critical accessibility violations."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from hiring.models import Application
from tests.conftest import ARTIFACTS
from tests.hiring.factories import HiringTeamMemberFactory, PostingFactory, RecruiterFactory, published_posting

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def careers_settings(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.CAREERS_MIN_FILL_SECONDS = 1
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "browser"}}
    return settings


def watch_console(page) -> list[str]:
    """Errors the page logs (CSP violations included): a journey must end with none.

    A form answered 400 (the journey sends a bad résumé on purpose) is expected. Every page
    declares its icon, so no request for /favicon.ico fails.
    """
    problems: list[str] = []

    def on_console(message) -> None:
        url = (message.location or {}).get("url", "")
        if message.type == "error" and "status of 400" not in message.text:
            problems.append(f"{message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core violations of the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fill_application(page, resume: bytes = b"%PDF-1.4\n%%EOF\n") -> None:
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email").fill("grace@example.test")
    page.get_by_label("Phone").fill("+1 555 010 2000")
    page.get_by_label("Links").fill("https://example.test/grace")
    page.get_by_label("Résumé").set_input_files(
        files=[{"name": "grace-hopper.pdf", "mimeType": "application/pdf", "buffer": resume}]
    )
    page.get_by_label("Cover letter").fill("I would love to build your ML platform.")
    questions = page.locator("fieldset.careers-question")
    for index in range(questions.count()):
        questions.nth(index).get_by_label("Yes").check()
    page.locator("summary", has_text="Voluntary self-identification").click()
    page.get_by_label("Gender").select_option(label="I don't wish to answer")
    page.get_by_role("checkbox", name=re.compile("I have read the privacy notice")).check()


def test_candidate_on_a_phone_applies_checks_status_and_withdraws(browser, live_server, careers_settings, screenshot):
    posting = published_posting(title="Staff Machine Learning Architect", department="ML Platform")
    PostingFactory(title="Data Engineer", team="Data")
    recruiter = RecruiterFactory(email="rosa@example.test")
    HiringTeamMemberFactory(job=posting.job, user=recruiter, role="recruiter")

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems = watch_console(page)
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/careers/?utm_source=newsletter")
    page.get_by_label("Team").select_option("ML Platform")
    page.get_by_role("button", name="Show positions").click()
    expect(page.get_by_role("heading", name="1 open position matching your filters")).to_be_visible()
    page.screenshot(path=str(shots / "careers-phone-index.png"), full_page=True)
    page.get_by_role("link", name="Staff Machine Learning Architect").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff Machine Learning Architect")
    page.screenshot(path=str(shots / "careers-phone-posting.png"), full_page=True)

    page.get_by_role("link", name="Apply for this job").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply for Staff Machine Learning Architect")
    # A renamed executable first: refused with a reason, nothing written.
    fill_application(page, resume=b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 20)
    page.wait_for_timeout(1100)  # people take longer than the minimum fill time
    page.get_by_role("button", name="Send application").click()
    expect(page.locator("#form-errors")).to_contain_text("whatever its name says")
    page.screenshot(path=str(shots / "careers-phone-apply-error.png"), full_page=True)
    assert not Application.objects.exists()

    page.get_by_label("Résumé").set_input_files(
        files=[{"name": "grace-hopper.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    page.get_by_role("checkbox", name=re.compile("I have read the privacy notice")).check()
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for applying")
    page.screenshot(path=str(shots / "careers-phone-applied.png"), full_page=True)

    application = Application.objects.select_related("submission").get()
    assert application.submission.source == "newsletter"
    confirmation = next(m for m in mail.outbox if m.to == ["grace@example.test"])
    status_link = re.search(r"(http://\S+/careers/status/\S+/)", confirmation.body).group(1)
    page.goto(status_link)
    expect(page.locator("#stage-words")).to_contain_text("Received")
    page.screenshot(path=str(shots / "careers-phone-status.png"), full_page=True)
    page.get_by_role("button", name="Withdraw my application").click()
    expect(page.get_by_role("status")).to_contain_text("You have withdrawn your application")
    expect(page.locator("#stage-words")).to_contain_text("Withdrawn")
    page.screenshot(path=str(shots / "careers-phone-withdrawn.png"), full_page=True)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert problems == []
    context.close()


def test_recruiter_sees_the_application_on_the_board_with_source_and_answers(
    login, page, live_server, careers_settings, screenshot
):
    posting = published_posting(title="Staff Machine Learning Architect")
    recruiter = RecruiterFactory()
    HiringTeamMemberFactory(job=posting.job, user=recruiter, role="recruiter")
    candidate_page = page.context.browser.new_context(viewport=PHONE).new_page()
    candidate_page.goto(f"{live_server.url}/careers/{posting.slug}/apply/?source=Meetup")
    fill_application(candidate_page)
    candidate_page.get_by_role("group", name=re.compile("Python and PyTorch")).get_by_label("No").check()
    candidate_page.wait_for_timeout(1100)
    candidate_page.get_by_role("button", name="Send application").click()
    expect(candidate_page.get_by_role("heading", level=1)).to_have_text("Thank you for applying")
    candidate_page.context.close()

    problems = watch_console(page)
    login(recruiter)
    page.goto(f"{live_server.url}/hiring/jobs/{posting.job_id}/")
    expect(page.locator("#careers-panel")).to_contain_text("Meetup")
    page.get_by_role("link", name="Pipeline board").click()
    card = page.locator(".board-card", has_text="Grace Hopper")
    expect(card).to_contain_text("Meetup")
    expect(card).to_contain_text("Missed a must-have")
    screenshot("careers-recruiter-board")
    card.get_by_role("link", name="Grace Hopper").click()
    form = page.locator("#application-form")
    expect(form).to_contain_text("Meetup")
    expect(form).to_contain_text("Python and PyTorch in production? No")
    expect(form).to_contain_text("I would love to build your ML platform.")
    screenshot("careers-recruiter-application")
    assert problems == []


def test_careers_pages_have_no_serious_or_critical_accessibility_violations(browser, live_server, careers_settings):
    posting = published_posting(title="Staff Machine Learning Architect")
    # Inject axe with CSP bypassed in this context only (the journeys above run with the page's CSP).
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    found = {}

    def check(name: str) -> None:
        found[name] = axe_violations(page)

    page.goto(f"{live_server.url}/careers/")
    check("index")
    page.goto(f"{live_server.url}/careers/{posting.slug}/")
    check("posting")
    page.goto(f"{live_server.url}/careers/{posting.slug}/apply/")
    page.locator("summary", has_text="Voluntary self-identification").click()
    check("apply")
    page.get_by_role("button", name="Send application").click()  # empty: the form with its errors
    expect(page.locator("#form-errors")).to_be_visible()
    check("apply with errors")
    fill_application(page)
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for applying")
    check("applied")
    status_link = re.search(r"(http://\S+/careers/status/\S+/)", mail.outbox[0].body).group(1)
    page.goto(status_link)
    check("status")
    page.goto(f"{live_server.url}/careers/privacy/")
    check("privacy")
    context.close()
    assert found == {name: [] for name in found}
