"""Acting from the application page: a recruiter moves, rejects and reopens; a hiring manager
records a decision citing the summary; a recruiter merges two records of one person."""

import pytest
from playwright.sync_api import expect

from hiring.models import Application, Candidate
from interviews.models import HiringDecision
from interviews.services import summary_rebuild
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    HiringManagerFactory,
    HiringTeamMemberFactory,
    RecruiterFactory,
    RejectionReasonFactory,
    job_with_stages,
)
from tests.interviews.factories import application_with_scorecards

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_recruiter_moves_rejects_and_reopens_from_the_application_page(page, live_server, login, screenshot):
    job = job_with_stages(title="Platform engineer")
    application = ApplicationFactory(job=job, stage=job.stages.order_by("order").first())
    RejectionReasonFactory(name="Role filled")
    login(RecruiterFactory())
    page.goto(f"{live_server.url}/hiring/applications/{application.pk}/")
    workspace = page.locator("#workspace")

    workspace.get_by_label("Move to").select_option(label="Recruiter screen")
    workspace.get_by_role("button", name="Move").click()
    expect(workspace.get_by_role("status")).to_contain_text("moved to Recruiter screen")
    expect(page.locator("#application-status")).to_contain_text("Recruiter screen")
    expect(page.locator("#timeline")).to_contain_text("Moved from Applied to Recruiter screen")
    screenshot("workspace-moved")

    workspace.get_by_text("Reject…").click()
    workspace.get_by_label("Reason").select_option(label="Role filled")
    workspace.get_by_role("button", name="Reject").click()
    expect(workspace.get_by_role("status")).to_contain_text("was rejected (Role filled)")
    expect(page.locator("#application-status")).to_contain_text("Rejected")
    screenshot("workspace-rejected")

    workspace.get_by_label("Why reopen (optional)").fill("The other offer fell through")
    workspace.get_by_role("button", name="Reopen").click()
    expect(workspace.get_by_role("status")).to_contain_text("is back in Recruiter screen")
    expect(page.locator("#stage-history")).to_contain_text("(rejected)")
    expect(page.locator("#stage-history")).to_contain_text("(reopened)")
    expect(page.locator("#timeline")).to_contain_text("Reopened for Platform engineer")
    screenshot("workspace-reopened")
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE
    assert application.stage_changes.count() == 3


def test_a_hiring_manager_records_a_decision_citing_the_summary(page, live_server, login, screenshot):
    scored = application_with_scorecards(interviewers=3, competencies=3)
    summary_rebuild(application_id=scored.application.pk)
    manager = HiringManagerFactory(first_name="Hana", last_name="Lead")
    HiringTeamMemberFactory(job=scored.job, user=manager, role="hiring_manager")
    login(manager)

    expect(page.locator("#needs-decision-list")).to_contain_text(scored.application.candidate.full_name)
    screenshot("decision-needs-my-decision")
    page.locator("#needs-decision-list").get_by_role("link").first.click()
    page.get_by_role("link", name="Record the decision").click()
    page.get_by_label("Hire", exact=True).check()
    page.get_by_label("Rationale").fill("The panel agrees on the core competencies; the evidence is concrete.")
    page.locator("#decision-form").get_by_label("Signal", exact=False).first.check()
    screenshot("decision-form")
    page.get_by_role("button", name="Record the decision").click()

    panel = page.locator(f"#decision-{scored.application.pk}")
    expect(panel).to_contain_text("Hire")
    expect(panel).to_contain_text("the evidence is concrete")
    citation = panel.locator(".decision-citations a").first
    expect(citation).to_contain_text("Signal")
    expect(page.locator("#timeline")).to_contain_text("Decision: Hire")
    screenshot("decision-recorded")
    citation.click()
    expect(page.locator(f"#summary-{scored.application.pk}-signal-0")).to_be_in_viewport()
    assert HiringDecision.objects.get().citations[0]["key"] == "summary:signal.0"


def test_a_recruiter_merges_two_candidates(page, live_server, login, screenshot):
    keep = CandidateFactory(first_name="Grace", last_name="Hopper", email="grace@example.org", location="")
    gone = CandidateFactory(first_name="Grace", last_name="B. Hopper", email="gbh@example.org", location="Arlington")
    ApplicationFactory(candidate=keep, job=job_with_stages(title="Compiler engineer"))
    ApplicationFactory(candidate=gone, job=job_with_stages(title="Language designer"))
    login(RecruiterFactory())
    page.goto(f"{live_server.url}/hiring/candidates/{keep.pk}/")
    page.get_by_role("link", name="Merge a duplicate").click()
    page.get_by_label("Find the duplicate").fill("Grace")
    page.get_by_role("button", name="Search").click()
    page.locator("#merge-matches li", has_text="gbh@example.org").get_by_role("link", name="Compare").click()
    page.locator("#merge-row-location").get_by_label("Arlington").check()
    screenshot("merge-compare")
    page.get_by_role("button", name="Merge into this record").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Grace Hopper")
    expect(page.get_by_role("link", name="Language designer")).to_be_visible()
    expect(page.get_by_role("link", name="Compiler engineer")).to_be_visible()
    expect(page.get_by_text("Arlington")).to_be_visible()
    screenshot("merge-done")
    page.goto(f"{live_server.url}/hiring/candidates/{gone.pk}/")
    expect(page).to_have_url(f"{live_server.url}/hiring/candidates/{keep.pk}/")
    assert Candidate.objects.get(pk=gone.pk).merged_into_id == keep.pk


def test_a_recruiter_schedules_a_plan_step_and_sees_an_overlap(page, live_server, login, screenshot):
    from datetime import timedelta

    from django.utils import timezone

    from interviews.models import Interview
    from tests.hiring.factories import InterviewerFactory

    scored = application_with_scorecards(interviewers=1, competencies=1)
    busy = scored.interviewers[0]
    step = scored.interview.step
    job = scored.job
    application = ApplicationFactory(job=job, stage=job.stages.first())
    InterviewerFactory(first_name="Free", last_name="Person")
    login(RecruiterFactory())
    page.goto(f"{live_server.url}/hiring/applications/{application.pk}/")
    page.locator("#schedule-steps").get_by_role("link", name=step.name).click()
    expect(page.get_by_label("Interview step")).to_have_value(str(step.pk))
    overlapping = timezone.localtime(scored.interview.starts_at + timedelta(minutes=10))
    page.get_by_label("Starts").fill(overlapping.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Location").fill("Room 7")
    page.get_by_label(busy.display_name).check()
    expect(page.locator("#schedule-overlaps-live")).to_contain_text(f"{busy.display_name}: {step.name} with")
    screenshot("schedule-overlap-live")
    page.get_by_role("button", name="Schedule and invite").click()
    expect(page.locator("#schedule-overlaps")).to_be_visible()
    page.get_by_label("Schedule anyway").check()
    page.get_by_role("button", name="Schedule and invite").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Interview kit")
    assert Interview.objects.filter(application=application).count() == 1
