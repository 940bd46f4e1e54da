"""A recruiter opens a job from a template, then works the board by mouse and by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from hiring.models import Application, Job, StageChange
from tests.conftest import ARTIFACTS
from tests.hiring.factories import (
    ApplicationFactory,
    HiringManagerFactory,
    InterviewerFactory,
    RecruiterFactory,
    RejectionReasonFactory,
    job_with_stages,
    scorecard_for,
)
from tests.roles.factories import CompetencyFactory, PublishedTemplateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def column(page, name):
    return page.locator("section.board-column", has=page.get_by_role("heading", name=re.compile(f"^{name}")))


def test_recruiter_opens_a_job_from_a_published_template(page, live_server, login, screenshot):
    template = PublishedTemplateFactory(title="Staff Machine Learning Architect")
    CompetencyFactory(template=template, name="Architectural design", category="technical")
    manager = HiringManagerFactory(first_name="Hugo", last_name="Manager")
    login(RecruiterFactory())

    page.get_by_role("link", name="Open a job").click()
    page.get_by_label("Role template").select_option(label="Staff Machine Learning Architect (version 1)")
    page.get_by_label("Department").fill("ML Platform")
    page.get_by_label("Location").fill("Berlin")
    page.get_by_label("Hiring managers").select_option(label=f"Hugo Manager <{manager.email}>")
    screenshot("pipeline-job-create")
    page.get_by_role("button", name="Open job").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Staff Machine Learning Architect")
    stages = page.locator("#stages li.list-group-item")
    expect(stages).to_have_count(6)
    expect(page.locator("#team")).to_contain_text("Hugo Manager")
    page.get_by_label("New stage name").fill("Reference check")
    page.get_by_role("button", name="Add stage").click()
    expect(stages).to_have_count(7)
    screenshot("pipeline-job-detail")
    job = Job.objects.get()
    assert job.template == template
    assert job.stages.count() == 7

    page.get_by_role("link", name="Pipeline board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pipeline · Staff Machine Learning Architect")
    expect(page.locator("section.board-column")).to_have_count(7)

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Jobs").click()
    row = page.get_by_role("row", name=re.compile("Staff Machine Learning Architect"))
    expect(row).to_contain_text("Reference check")
    screenshot("pipeline-job-list")


def test_recruiter_moves_cards_by_drag_and_drop_and_by_keyboard_then_bulk_rejects(page, live_server, login, screenshot):
    recruiter = RecruiterFactory()
    job = job_with_stages(title="Staff Machine Learning Architect")
    stages = {s.name: s for s in job.stages.all()}
    ana = ApplicationFactory(job=job, stage=stages["Applied"], candidate__first_name="Ana", candidate__last_name="Lee")
    ben = ApplicationFactory(
        job=job, stage=stages["Applied"], candidate__first_name="Ben", candidate__last_name="Okafor"
    )
    chloe = ApplicationFactory(
        job=job, stage=stages["Technical interview"], candidate__first_name="Chloe", candidate__last_name="Dubois"
    )
    scorecard_for(application=chloe, interviewer=InterviewerFactory(), status="submitted")
    scorecard_for(application=chloe, interviewer=InterviewerFactory(), status="draft", ended_hours_ago=4)
    reason = RejectionReasonFactory(name="Not enough depth in ML systems design")
    login(recruiter)

    page.goto(f"{live_server.url}/hiring/jobs/{job.pk}/board/")
    expect(column(page, "Applied").locator(".badge").first).to_have_text("2")
    expect(page.locator(f"#application-{chloe.pk}")).to_contain_text("1/2 submitted")
    expect(page.locator(f"#application-{chloe.pk}")).to_contain_text("Overdue")
    screenshot("pipeline-board")

    # Mouse: drag Ana to "Recruiter screen".
    page.locator(f"#application-{ana.pk}").drag_to(column(page, "Recruiter screen"))
    expect(column(page, "Recruiter screen")).to_contain_text("Ana Lee")
    expect(page.locator("#board .alert")).to_contain_text("Ana Lee moved to Recruiter screen.")
    ana.refresh_from_db()
    assert ana.stage == stages["Recruiter screen"]
    screenshot("pipeline-board-after-drag")

    # Keyboard: Ben's "Move to" menu, then Tab to its button and Enter.
    menu = page.get_by_label("Move Ben Okafor to")
    menu.focus()
    menu.select_option(label="Panel")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(column(page, "Panel")).to_contain_text("Ben Okafor")
    ben.refresh_from_db()
    assert ben.stage == stages["Panel"]
    assert StageChange.objects.filter(actor=recruiter).count() == 2

    # Bulk: select Ana and Ben, reject with a reason.
    page.get_by_role("checkbox", name="Select Ana Lee").check()
    page.get_by_role("checkbox", name="Select Ben Okafor").check()
    page.get_by_label("Action").select_option("reject")
    page.get_by_label("Rejection reason").select_option(label=reason.name)
    screenshot("pipeline-board-bulk-selected")
    page.get_by_role("button", name="Apply to selected").click()

    expect(page.get_by_role("alert").first).to_contain_text(f"Rejected 2 applications ({reason.name}).")
    expect(page.locator(f"#application-{ana.pk}")).to_have_count(0)
    assert set(Application.objects.filter(pk__in=[ana.pk, ben.pk]).values_list("status", flat=True)) == {"rejected"}
    screenshot("pipeline-board-after-bulk-reject")


def test_second_recruiter_sees_who_moved_the_card_first(page, live_server, login, screenshot):
    from hiring.services import application_move

    job = job_with_stages(title="Staff Machine Learning Architect")
    stages = {s.name: s for s in job.stages.all()}
    ana = ApplicationFactory(job=job, stage=stages["Applied"], candidate__first_name="Ana", candidate__last_name="Lee")
    login(RecruiterFactory())
    page.goto(f"{live_server.url}/hiring/jobs/{job.pk}/board/")
    expect(page.locator(f"#application-{ana.pk}")).to_be_visible()

    other = RecruiterFactory(first_name="Omar", last_name="Other")
    application_move(application=ana, to_stage=stages["Offer"], actor=other, expected_version=1)
    page.locator(f"#application-{ana.pk}").drag_to(column(page, "Panel"))

    expect(page.locator("#board .alert")).to_contain_text("Ana Lee was moved by Omar Other to Offer a moment ago.")
    expect(column(page, "Offer")).to_contain_text("Ana Lee")
    screenshot("pipeline-board-conflict")
    ana.refresh_from_db()
    assert ana.stage == stages["Offer"]


def test_many_cards_load_more_and_filters_in_the_url(page, live_server, login, screenshot):
    from hiring.models import Candidate

    job = job_with_stages(title="Staff Machine Learning Architect")
    applied = job.stages.get(name="Applied")
    people = Candidate.objects.bulk_create(
        Candidate(first_name=f"Person{i:02d}", last_name="Test", source="Referral" if i % 2 else "LinkedIn")
        for i in range(30)
    )
    Application.objects.bulk_create(Application(candidate=p, job=job, stage=applied) for p in people)
    login(RecruiterFactory())
    page.goto(f"{live_server.url}/hiring/jobs/{job.pk}/board/")

    cards = column(page, "Applied").locator(".board-card")
    expect(cards).to_have_count(20)
    page.get_by_role("link", name="Load more").click()
    expect(cards).to_have_count(30)

    page.get_by_label("Source").select_option("Referral")
    expect(page).to_have_url(re.compile(r"source=Referral"))
    expect(cards).to_have_count(15)
    expect(column(page, "Applied").locator(".badge").first).to_have_text("15")
    screenshot("pipeline-board-filtered")


def test_move_to_menu_works_without_javascript(browser, live_server):
    from tests.hiring.factories import DEFAULT_PASSWORD

    job = job_with_stages(title="Staff Machine Learning Architect")
    stages = {s.name: s for s in job.stages.all()}
    ana = ApplicationFactory(job=job, stage=stages["Applied"], candidate__first_name="Ana", candidate__last_name="Lee")
    recruiter = RecruiterFactory()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(recruiter.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/hiring/jobs/{job.pk}/board/?source=Referral")
    page.get_by_label("Move Ana Lee to").select_option(label="Offer")
    page.locator(f"#application-{ana.pk}").get_by_role("button", name="Move").click()

    expect(page).to_have_url(re.compile(r"/board/\?source=Referral$"))
    expect(page.get_by_role("alert").first).to_contain_text("Ana Lee moved to Offer.")
    expect(column(page, "Offer")).to_contain_text("Ana Lee")
    page.screenshot(path=str(ARTIFACTS / "screenshots" / "pipeline-board-no-js.png"), full_page=True)
    context.close()
    ana.refresh_from_db()
    assert ana.stage == stages["Offer"]


def test_dragging_a_card_that_no_longer_exists_reloads_the_board(page, live_server, login):
    job = job_with_stages(title="Staff Machine Learning Architect")
    stages = {s.name: s for s in job.stages.all()}
    ana = ApplicationFactory(job=job, stage=stages["Applied"], candidate__first_name="Ana", candidate__last_name="Lee")
    ApplicationFactory(job=job, stage=stages["Applied"], candidate__first_name="Ben", candidate__last_name="Okafor")
    login(RecruiterFactory())
    page.goto(f"{live_server.url}/hiring/jobs/{job.pk}/board/")
    card = page.locator(f"#application-{ana.pk}")
    expect(card).to_be_visible()

    Application.objects.filter(pk=ana.pk).delete()
    card.drag_to(column(page, "Panel"))

    expect(page.get_by_role("alert").first).to_contain_text("no longer exists")
    expect(card).to_have_count(0)
    expect(column(page, "Panel").locator(".board-card")).to_have_count(0)
    expect(column(page, "Applied")).to_contain_text("Ben Okafor")


def test_demo_board_shows_scorecard_status_and_overdue_markers(page, live_server, login, screenshot):
    import io
    import random

    from hiring import demo, groups
    from interviews import demo as interviews_demo

    groups.sync_groups()  # a transactional test before this one flushed the groups the migration made
    users = demo.seed_users()
    demo.seed(rng=random.Random(7), candidates=400, users=users, stdout=io.StringIO())
    interviews_demo.seed(rng=random.Random(7), candidates=400, users=users, stdout=io.StringIO())
    job = Job.objects.get(title=demo.BIG_JOB)
    login(users["recruiter@demo.test"], password=demo.DEMO_PASSWORD)

    page.goto(f"{live_server.url}/hiring/jobs/{job.pk}/board/")

    expect(page.locator("section.board-column")).to_have_count(6)
    expect(page.locator("#board").get_by_text(re.compile(r"\d/\d submitted")).first).to_be_visible()
    expect(page.locator("#board .badge", has_text="Overdue").first).to_be_visible()
    screenshot("pipeline-board-demo")
    page.get_by_label("Has overdue scorecards").check()
    expect(page).to_have_url(re.compile(r"overdue=on"))
    expect(page.locator("#board .board-card").first).to_contain_text("Overdue")
    screenshot("pipeline-board-demo-overdue")
