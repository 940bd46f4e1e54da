"""Cached pages in a real browser: a reload after a move shows the move, another person's view of
the same board is their own (blind review), and a cached page's forms still work."""

import re

import pytest
from playwright.sync_api import expect

from hiring.services import candidate_update
from tests.conftest import ARTIFACTS
from tests.hiring.factories import (
    DEFAULT_PASSWORD,
    ApplicationFactory,
    HiringManagerFactory,
    RecruiterFactory,
    job_with_stages,
)

pytestmark = pytest.mark.django_db(transaction=True)


def column(page, name):
    return page.locator("section.board-column", has=page.get_by_role("heading", name=re.compile(f"^{name}")))


def sign_in(page, url: str, user) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def test_a_reloaded_board_shows_every_change_and_each_person_their_own_view(
    page, browser, live_server, login, screenshot
):
    recruiter, manager = RecruiterFactory(), HiringManagerFactory(first_name="Hugo", last_name="Manager")
    job = job_with_stages(
        title="Data Platform Lead", blind_review=True, team=[(manager, "hiring_manager"), (recruiter, "recruiter")]
    )
    stages = {stage.name: stage for stage in job.stages.all()}
    ana = ApplicationFactory(job=job, stage=stages["Applied"], candidate__first_name="Ana", candidate__last_name="Lee")
    board = f"{live_server.url}/hiring/jobs/{job.pk}/board/"

    login(recruiter)
    page.goto(board)
    page.reload()  # the second view comes from the cache
    card = page.locator(f"#application-{ana.pk}")
    expect(column(page, "Applied").locator(f"#application-{ana.pk}")).to_be_visible()
    expect(card).to_contain_text("Ana Lee")

    # The cached page's "Move to" form still posts (its CSRF token is this session's).
    card.get_by_label("Move Ana Lee to").select_option(label="Recruiter screen")
    card.get_by_role("button", name="Move").click()
    expect(column(page, "Recruiter screen").locator(f"#application-{ana.pk}")).to_be_visible()
    page.reload()
    expect(column(page, "Recruiter screen").locator(f"#application-{ana.pk}")).to_be_visible()

    # A change made elsewhere (another tab, a worker) shows on the next view.
    candidate_update(candidate=ana.candidate, last_name="Lindqvist")
    page.reload()
    expect(page.locator(f"#application-{ana.pk}")).to_contain_text("Ana Lindqvist")
    screenshot("fragment-cache-board-recruiter")

    # The hiring manager of this blind job opens the same board right after: a label, not the name.
    context = browser.new_context(base_url=live_server.url)
    try:
        other = context.new_page()
        sign_in(other, live_server.url, manager)
        other.goto(board)
        other.reload()
        manager_card = other.locator(f"#application-{ana.pk}")
        expect(manager_card).to_be_visible()
        expect(manager_card).not_to_contain_text("Lindqvist")
        expect(manager_card).not_to_contain_text("Ana")
        other.screenshot(path=str(ARTIFACTS / "screenshots" / "fragment-cache-board-manager.png"), full_page=True)
    finally:
        context.close()
