"""An interviewer opens the application they interview: the kit, nothing private."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Interview, InterviewPlan, InterviewStep
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    InterviewerFactory,
    JobFactory,
    NoteFactory,
    ResumeFactory,
    StageFactory,
)


def test_interviewer_sees_the_interview_kit_only(login, page, live_server, screenshot):
    job = JobFactory(title="Staff Machine Learning Architect")
    StageFactory(job=job, name="Technical interview", order=0)
    candidate = CandidateFactory(first_name="Ada", last_name="Lovelace", email="ada@private.test")
    application = ApplicationFactory(candidate=candidate, job=job)
    NoteFactory(candidate=candidate, application=application, body="Salary expectations: private")
    ResumeFactory(candidate=candidate, text="Analytical Engine programmer.\nPython, PyTorch, Kubernetes.")
    interviewer = InterviewerFactory(first_name="Ines", last_name="Interviewer")
    plan = InterviewPlan.objects.create(job=job)
    step = InterviewStep.objects.create(plan=plan, name="System design")
    starts = timezone.now() + timedelta(days=1)
    interview = Interview.objects.create(
        application=application, step=step, starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    interview.interviewers.add(interviewer)
    login(interviewer)

    page.goto(f"{live_server.url}/hiring/applications/{application.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")
    expect(page.get_by_text("Analytical Engine programmer.")).to_be_visible()
    expect(page.get_by_role("heading", name="Interviews")).to_be_visible()
    expect(page.get_by_text("System design").first).to_be_visible()
    expect(page.get_by_text("ada@private.test")).to_have_count(0)
    expect(page.get_by_text("Salary expectations")).to_have_count(0)
    screenshot("candidates-application-interviewer")

    page.goto(f"{live_server.url}/hiring/candidates/")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
