"""The interview plan page (inline HTMX edits), My interviews, and a conflict between two tabs."""

import importlib.util
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews import services
from interviews.models import CompetencyRating, InterviewStep, StepCompetency
from tests.hiring.factories import ApplicationFactory, InterviewerFactory, JobFactory, RecruiterFactory, StageFactory
from tests.interviews.factories import competency_with_anchors


@pytest.fixture(autouse=True)
def _summary_task(monkeypatch):
    if importlib.util.find_spec("interviews.summaries.build") is None:
        from interviews import tasks

        monkeypatch.setattr(tasks.summarize_application, "delay", lambda *args, **kwargs: None)


@pytest.fixture
def job(transactional_db):
    job = JobFactory(title="Staff ML Architect")
    for order, name in enumerate(["Applied", "Recruiter screen", "Technical interview", "Panel"]):
        StageFactory(job=job, name=name, order=order)
    for i, (name, category) in enumerate(
        [
            ("ML system design", "technical"),
            ("Model evaluation", "technical"),
            ("Stakeholder communication", "soft_skill"),
            ("Technical leadership", "leadership"),
            ("Data governance", "domain"),
        ]
    ):
        competency_with_anchors(template=job.template, name=name, category=category, order=i)
    return job


def test_recruiter_edits_the_plan_inline(page, live_server, login, screenshot, job):
    services.plan_create_default(job=job)
    login(RecruiterFactory())
    page.goto(f"{live_server.url}/interviews/jobs/{job.pk}/plan/")
    expect(page.get_by_text("Every competency of the role is covered")).to_be_visible()

    # Take a competency away from its only step: the page says nobody covers it.
    step = InterviewStep.objects.get(plan__job=job, name="System design")
    only = StepCompetency.objects.filter(step=step, competency__name="Data governance").first()
    if only:
        page.locator(f"#step-{step.pk}").get_by_role("button", name=re.compile("Data governance")).click()
        expect(page.get_by_text("No step covers:")).to_be_visible()
        expect(page.locator("#coverage")).to_contain_text("Data governance")

    # Add a step, rename it in place, give it the competency and a prompt.
    page.get_by_label("Name", exact=True).fill("Governance deep dive")
    page.get_by_role("button", name="Add step").click()
    new = page.locator("li.card").last
    expect(new.get_by_label(re.compile("name$"))).to_have_value("Governance deep dive")
    new.get_by_role("button", name="Data governance").click()
    expect(page.get_by_text("Every competency of the role is covered")).to_be_visible()
    new = page.locator("li.card").last
    new.get_by_label("Prompts for Data governance (one per line)").fill(
        "How did you handle personal data in training sets?"
    )
    new.get_by_role("button", name="Save prompts").click()
    expect(page.locator("li.card").last.get_by_label("Prompts for Data governance (one per line)")).to_have_value(
        "How did you handle personal data in training sets?"
    )
    screenshot("scorecards-plan-edited")
    added = InterviewStep.objects.get(plan__job=job, name="Governance deep dive")
    assert StepCompetency.objects.get(step=added, competency__name="Data governance").prompts.startswith("How did")


def test_my_interviews_and_a_conflict_between_two_tabs(page, live_server, login, screenshot, job):
    plan = services.plan_create_default(job=job)
    me = InterviewerFactory(first_name="Ines")
    now = timezone.now()
    steps = list(plan.steps.order_by("order"))
    interviews = []
    for i, hours in enumerate([-30, -1, 20, 48]):
        application = ApplicationFactory(job=job)
        interviews.append(
            services.interview_schedule(
                application=application,
                step=steps[i % len(steps)],
                starts_at=now + timedelta(hours=hours - 1),
                ends_at=now + timedelta(hours=hours),
                interviewers=[me],
                video_url="https://meet.example.test/x",
            )
        )
    login(me)
    expect(page.get_by_role("heading", name=re.compile("Overdue scorecards"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Upcoming interviews"))).to_be_visible()
    screenshot("scorecards-my-interviews")

    card = interviews[0].scorecards.get()
    rating = card.ratings.order_by("order").first()
    url = f"{live_server.url}/interviews/scorecards/{card.pk}/"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)
    other.get_by_label("Evidence").first.fill("Written in the second tab.")
    expect(other.locator(f"#status-evidence-{rating.pk}")).to_have_text(re.compile(r"Saved \d\d:\d\d"), timeout=10_000)

    page.get_by_label("Evidence").first.fill("Written in the first tab, which is stale.")
    status = page.locator(f"#status-evidence-{rating.pk}")
    expect(status).to_contain_text("changed in another tab", timeout=10_000)
    expect(status).to_contain_text("Written in the second tab.")
    screenshot("scorecards-conflict")
    assert CompetencyRating.objects.get(pk=rating.pk).evidence == "Written in the second tab."

    status.get_by_role("button", name="Keep mine").click()
    expect(page.locator(f"#status-evidence-{rating.pk}")).to_have_text(re.compile(r"Saved \d\d:\d\d"), timeout=10_000)
    assert CompetencyRating.objects.get(pk=rating.pk).evidence == "Written in the first tab, which is stale."


def test_recruiter_schedules_an_interview_from_an_application(page, live_server, login, screenshot, job, eager_celery):
    from django.core import mail

    from interviews.models import Interview, Scorecard

    services.plan_create_default(job=job)
    application = ApplicationFactory(job=job, candidate__first_name="Ada", candidate__last_name="Lovelace")
    alice = InterviewerFactory(first_name="Alice", last_name="Archer")
    InterviewerFactory(first_name="Bob", last_name="Baker")
    login(RecruiterFactory())
    page.goto(f"{live_server.url}/interviews/applications/{application.pk}/schedule/")
    page.get_by_role("button", name="Schedule and invite").click()
    expect(page.get_by_text("Give a place or a video link.")).to_be_visible()
    screenshot("scorecards-schedule-errors")

    page.get_by_label("Interview step").select_option(label="Technical deep dive (Video, 60 min)")
    page.get_by_label("Starts").fill("2030-03-04T10:00")
    page.get_by_label("Video link").fill("https://meet.example.test/ada")
    page.get_by_label("Alice Archer").check()
    page.get_by_role("button", name="Schedule and invite").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Interview kit: Ada Lovelace")
    expect(page.get_by_text("Each interviewer gets an invitation by email.")).to_be_visible()
    screenshot("scorecards-scheduled-kit")
    interview = Interview.objects.get(application=application)
    assert list(Scorecard.objects.filter(interview=interview).values_list("interviewer", flat=True)) == [alice.pk]
    assert [m.to for m in mail.outbox] == [[alice.email]]
