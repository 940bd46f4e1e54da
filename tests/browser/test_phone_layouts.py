"""On a phone (390 x 844): the scorecard, the board, the candidate list and the summary fit the screen.

Each page is measured: the document is never wider than the viewport (the board's columns
scroll sideways inside their own strip, which does not widen the page).
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import HiringTeamMember
from hiring.services import application_create, application_move
from interviews.services import interview_schedule
from interviews.summaries.services import summary_rebuild
from tests.conftest import ARTIFACTS
from tests.hiring.factories import CandidateFactory, InterviewerFactory, RecruiterFactory, job_with_stages
from tests.interviews.factories import InterviewStepFactory, competency_with_anchors
from tests.interviews.summary_builders import scorecard
from tests.roles.factories import PublishedTemplateFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
NAMES = ["System design", "Model lifecycle", "Data engineering", "Communication", "Mentoring"]


def fits_the_screen(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide on a {widths[1]} px screen"


@pytest.fixture
def world(transactional_db):
    template = PublishedTemplateFactory(title="Staff Machine Learning Architect")
    comps = [
        competency_with_anchors(template=template, name=name, category="technical", order=i)
        for i, name in enumerate(NAMES)
    ]
    recruiter = RecruiterFactory(first_name="Rita", last_name="Recruiter")
    job = job_with_stages(template=template, team=[(recruiter, HiringTeamMember.Role.RECRUITER)])
    step = InterviewStepFactory(plan=job.interview_plan, name="Panel interview", competencies=comps)
    stages = list(job.stages.order_by("order"))
    applications = []
    for i in range(8):
        candidate = CandidateFactory(
            first_name=f"Maximiliana{i}",
            last_name="Oppenheimer-Castellanos",
            email=f"maximiliana.oppenheimer-castellanos.{i}@very-long-example-domain.example.com",
            source="Referral",
        )
        application = application_create(candidate=candidate, job=job, actor=recruiter)
        target = stages[i % 4]
        if target != application.stage:
            application = application_move(application=application, to_stage=target, actor=recruiter)
        applications.append(application)
    alice = InterviewerFactory(first_name="Alice", last_name="Archer")
    end = timezone.now() - timedelta(hours=1)
    interview = interview_schedule(
        application=applications[0],
        step=step,
        starts_at=end - timedelta(hours=1),
        ends_at=end,
        interviewers=[alice],
    )
    # The summary: five submitted scorecards over the five competencies, opinions split.
    summarised = applications[1]
    for k in range(5):
        scorecard(
            application=summarised,
            step=step,
            competencies=comps,
            ratings={
                name: ((k + j) % 4 + 1, f"{name}: described the work of {k + 1} teams and measured what changed.")
                for j, name in enumerate(NAMES)
            },
            recommendation=(k % 4) + 1,
        )
    summary_rebuild(application_id=summarised.pk)
    return {
        "job": job,
        "recruiter": recruiter,
        "alice": alice,
        "card": interview.scorecards.get(interviewer=alice),
        "summarised": summarised,
    }


def test_scorecard_on_a_phone_shows_anchors_on_focus_keeps_progress_and_rates_by_key(
    page, live_server, login, screenshot, world
):
    login(world["alice"])
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('interviews:scorecard-edit', args=[world['card'].pk])}")

    progress = page.locator("#scorecard-progress-count")
    expect(progress).to_have_text("0 of 5 rated")
    first = page.locator("section[id^='competency-']").nth(0)
    second = page.locator("section[id^='competency-']").nth(1)
    expect(first.locator(".anchor").first).to_be_hidden()
    fits_the_screen(page)
    screenshot("phone-scorecard-1-untouched")

    # Focus a competency: its anchors show; keys 1-4 rate it (and autosave takes it like a tap).
    first.locator("input[type=radio]").first.focus()
    expect(first.get_by_text("System design: Showed it clearly on the problems we discussed.")).to_be_visible()
    expect(second.locator(".anchor").first).to_be_hidden()
    page.keyboard.press("3")
    expect(first.locator("input[type=radio][value='3']")).to_be_checked()
    expect(progress).to_have_text("1 of 5 rated")
    expect(page.locator(f"#status-rating-{first.get_attribute('id').split('-')[-1]}")).to_have_text(
        re.compile(r"Saved \d\d:\d\d"), timeout=10_000
    )

    # Typing a digit into the evidence box types it; it does not rate.
    evidence = first.locator("textarea")
    evidence.fill("Sized the feature store for ")
    evidence.press("4")
    expect(first.locator("input[type=radio][value='3']")).to_be_checked()
    expect(evidence).to_have_value("Sized the feature store for 4")

    second.locator("input[type=radio]").first.focus()
    page.keyboard.press("2")
    expect(progress).to_have_text("2 of 5 rated")
    fits_the_screen(page)
    screenshot("phone-scorecard-2-rated-by-key")

    # Scrolled down to the last competency, the progress line is still at the top of the screen.
    page.locator("section[id^='competency-']").nth(4).scroll_into_view_if_needed()
    box = page.locator("#scorecard-progress").bounding_box()
    assert box is not None
    assert -1 <= box["y"] <= 40
    page.screenshot(path=str(_viewport_path("phone-scorecard-3-sticky-progress")))  # the screen as seen


def _viewport_path(name: str):
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


def test_board_list_and_summary_on_a_phone_fit_the_screen(page, live_server, login, screenshot, world):
    login(world["recruiter"])
    page.set_viewport_size(PHONE)

    # The candidate list becomes cards: no table header row, each candidate a bordered block.
    page.goto(f"{live_server.url}{reverse('hiring:candidate-list')}")
    rows = page.locator("#candidate-results tbody tr")
    expect(rows).to_have_count(8)
    assert page.locator("#candidate-results tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert page.locator("#candidate-results thead").evaluate("el => el.getBoundingClientRect().height") <= 1
    email = rows.first.get_by_text(re.compile(r"@very-long-example-domain"))
    # The email has the card's whole width (a table column squeezed it to a few letters per line).
    assert email.evaluate("el => el.getBoundingClientRect().width") >= 300
    fits_the_screen(page)
    screenshot("phone-candidate-list")

    # The board: its columns scroll sideways inside their strip; the page itself does not.
    page.goto(f"{live_server.url}{reverse('hiring:board', args=[world['job'].pk])}")
    strip = page.locator(".board-columns")
    expect(strip.locator("section.board-column").first).to_be_visible()
    sizes = strip.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1]
    column_width = strip.locator("section.board-column").first.evaluate("el => el.getBoundingClientRect().width")
    assert column_width >= 250
    fits_the_screen(page)
    screenshot("phone-board")
    strip.evaluate("el => el.scrollBy(el.clientWidth, 0)")
    fits_the_screen(page)

    # The summary on the application page.
    page.goto(f"{live_server.url}{reverse('hiring:application-detail', args=[world['summarised'].pk])}")
    expect(page.locator(".summary-panel")).to_contain_text("5 submitted scorecards")
    fits_the_screen(page)
    screenshot("phone-summary")
