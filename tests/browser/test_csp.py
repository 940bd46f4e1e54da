"""The Content-Security-Policy in a real browser: it is enforced, the guard of every browser test
sees a violation, and the main screens keep their styling with no inline CSS or JavaScript.

Screenshots: test-artifacts/screenshots/csp-*.png.
"""

import re

import pytest
from django_celery_beat.models import CrontabSchedule
from playwright.sync_api import expect

from hiring.demo import DEMO_PASSWORD
from hiring.models import User
from interviews.models import Scorecard
from roles.models import RoleTemplate

pytestmark = pytest.mark.django_db(transaction=True)


def viewport_shot(page, screenshot, name: str) -> None:
    """The full page, and what is on screen (a long form's full-page shot is too tall to read)."""
    path = screenshot(name)
    page.screenshot(path=str(path.with_name(f"{name}-viewport.png")))


def style(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(f"(element) => getComputedStyle(element)[{prop!r}]")


def test_the_browser_refuses_inline_code_and_the_guard_reports_it(page, live_server, login, csp_violations):
    from tests.hiring.factories import RecruiterFactory

    login(RecruiterFactory())
    page.goto(f"{live_server.url}/hiring/jobs/")

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          document.body.setAttribute("style", "background: rgb(255, 0, 0)");
        }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("() => window.injected === undefined")
    assert style(page, "body", "backgroundColor") != "rgb(255, 0, 0)"
    caught = "\n".join(csp_violations)
    assert "script-src" in caught
    assert "style-src" in caught
    csp_violations.clear()  # provoked on purpose: the guard must not fail this test


def test_main_screens_keep_their_styling_under_the_policy(page, live_server, login, screenshot, demo_site):
    recruiter = User.objects.get(email="recruiter@demo.test")
    scorecard = Scorecard.objects.filter(status=Scorecard.Status.DRAFT, interviewer__email="interviewer@demo.test")
    scorecard = scorecard.select_related("interview__application__job").order_by("pk").first()
    application = scorecard.interview.application

    login(recruiter, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/hiring/jobs/{application.job_id}/board/")
    expect(page.locator("section.board-column").first).to_be_visible()
    assert style(page, ".board-columns", "display") == "flex"
    assert style(page, ".board-column", "borderRadius") == "8px"
    assert style(page, "nav.navbar", "backgroundColor") == "rgb(33, 37, 41)"  # Bootstrap's dark navbar
    screenshot("csp-board")
    # Bootstrap's scripts (the account menu) run under the policy as well.
    page.get_by_role("button", name=re.compile("Rosa Recruiter")).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.keyboard.press("Escape")

    page.goto(f"{live_server.url}/hiring/applications/{application.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.candidate.full_name)
    assert style(page, ".card", "borderRadius") != "0px"
    viewport_shot(page, screenshot, "csp-application")

    page.context.clear_cookies()
    login(User.objects.get(email="interviewer@demo.test"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/interviews/scorecards/{scorecard.pk}/")
    expect(page.locator("#scorecard-form")).to_be_visible()
    assert style(page, ".rating-options", "display") == "grid"
    assert style(page, ".rating-option", "borderTopStyle") == "solid"
    viewport_shot(page, screenshot, "csp-scorecard")

    page.context.clear_cookies()
    crontab = CrontabSchedule.objects.create(minute="0", hour="7")
    login(User.objects.get(email="admin@demo.test"), DEMO_PASSWORD)
    template = RoleTemplate.objects.filter(status=RoleTemplate.Status.PUBLISHED).order_by("pk").first()
    page.goto(f"{live_server.url}/admin/roles/roletemplate/{template.pk}/change/")
    expect(page.locator(".role-status-panel")).to_be_visible()
    assert style(page, ".role-status-panel", "borderLeftWidth") == "6px"
    assert style(page, ".role-status", "borderRadius") == "10px"
    viewport_shot(page, screenshot, "csp-admin-roletemplate")
    page.goto(f"{live_server.url}/admin/roles/roletemplate/{template.pk}/preview/")
    assert style(page, ".scorecard .levels", "display") == "grid"
    viewport_shot(page, screenshot, "csp-admin-roletemplate-preview")
    # Django's own admin screens (a list, a change form with inlines, the custom import page) and
    # django-celery-beat's periodic-task form run under the policy too: the guard fails on any refusal.
    for path in (
        "/admin/hiring/application/",
        f"/admin/hiring/job/{application.job_id}/change/",
        "/admin/roles/roletemplate/import/",
        "/admin/django_celery_beat/periodictask/add/",
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()
    # The periodic-task form's crontab help, now from a static script, still reads the schedule out.
    page.locator("#id_crontab").select_option(str(crontab.pk))
    expect(page.locator(".field-crontab .crontab-translation")).to_contain_text("Translation: At 07:00")
