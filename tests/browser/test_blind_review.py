"""Blind review in the browser: an interviewer's kit and scorecard name nobody, the résumé is masked;
the recruiter, on the same application, sees the name."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from hiring.blind import candidate_label
from interviews.services import interview_schedule
from tests.hiring.factories import (
    DEFAULT_PASSWORD,
    ApplicationFactory,
    CandidateFactory,
    InterviewerFactory,
    RecruiterFactory,
    ResumeFactory,
    job_with_stages,
)

RESUME = (
    "Zelda Quartermaine\nzelda.q@example.test · +1 555 123 4567 · https://github.com/zeldaq\n"
    "BSc Computer Science, Stanford University, 2012 - 2016.\n"
    "Built a feature store serving 40 teams; PyTorch, Kubernetes."
)


def test_an_interviewers_kit_and_scorecard_show_no_name(login, page, live_server, screenshot, browser):
    job = job_with_stages(title="Data Platform Lead", blind_review=True)
    candidate = CandidateFactory(first_name="Zelda", last_name="Quartermaine", email="zelda.q@example.test")
    ResumeFactory(candidate=candidate, text=RESUME, original_name="Zelda-Quartermaine-CV.pdf")
    application = ApplicationFactory(candidate=candidate, job=job)
    interviewer = InterviewerFactory(first_name="Ines", last_name="Interviewer")
    recruiter = RecruiterFactory()
    step = job.interview_plan.steps.order_by("order").first()
    starts = timezone.now() - timedelta(hours=2)
    interview = interview_schedule(
        application=application,
        step=step,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        interviewers=[interviewer],
        created_by=recruiter,
    )
    label = candidate_label(application.pk)
    card = interview.scorecards.get()
    login(interviewer)

    page.goto(f"{live_server.url}/interviews/{interview.pk}/kit/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Interview kit: {label}")
    expect(page.get_by_text("feature store serving 40 teams")).to_be_visible()
    for secret in ("Zelda", "Quartermaine", "zelda.q@example.test", "555 123 4567", "github.com", "Stanford"):
        expect(page.get_by_text(secret)).to_have_count(0)
    screenshot("blind-review-kit-interviewer")

    page.goto(f"{live_server.url}/interviews/scorecards/{card.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scorecard: {label}")
    expect(page.get_by_text("Quartermaine")).to_have_count(0)
    screenshot("blind-review-scorecard-interviewer")

    page.goto(f"{live_server.url}/interviews/mine/")
    expect(page.get_by_text(label).first).to_be_visible()
    expect(page.get_by_text("Quartermaine")).to_have_count(0)

    # The recruiter sees who it is on the same kit.
    context = browser.new_context()
    other = context.new_page()
    other.goto(f"{live_server.url}/accounts/login/")
    other.get_by_label("Email address").fill(recruiter.email)
    other.get_by_label("Password").fill(DEFAULT_PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    other.goto(f"{live_server.url}/interviews/{interview.pk}/kit/")
    expect(other.get_by_role("heading", level=1)).to_have_text("Interview kit: Zelda Quartermaine")
    context.close()


def test_the_hiring_manager_reveals_the_candidate_after_the_debrief(login, page, live_server, screenshot):
    from tests.hiring.factories import HiringManagerFactory
    from tests.interviews.factories import scorecard_submitted

    manager = HiringManagerFactory(first_name="Hugo", last_name="Manager")
    job = job_with_stages(title="Data Platform Lead", blind_review=True, team=[(manager, "hiring_manager")])
    candidate = CandidateFactory(first_name="Zelda", last_name="Quartermaine")
    ResumeFactory(candidate=candidate, text=RESUME)
    application = ApplicationFactory(candidate=candidate, job=job)
    interviewer = InterviewerFactory()
    starts = timezone.now() - timedelta(hours=2)
    interview = interview_schedule(
        application=application,
        step=job.interview_plan.steps.order_by("order").first(),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        interviewers=[interviewer],
        created_by=RecruiterFactory(),
    )
    scorecard_submitted(interview.scorecards.get())
    label = candidate_label(application.pk)
    login(manager)

    page.goto(f"{live_server.url}/hiring/applications/{application.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(label)
    expect(page.get_by_text("Quartermaine")).to_have_count(0)
    screenshot("blind-review-application-manager-before-reveal")
    page.get_by_role("button", name="Reveal the candidate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zelda Quartermaine")
    expect(page.get_by_text("The candidate is revealed; the reveal is recorded.")).to_be_visible()
    screenshot("blind-review-application-manager-after-reveal")
