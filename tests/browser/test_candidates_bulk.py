"""From the candidate list, a recruiter selects applications and rejects them in one go."""

from playwright.sync_api import expect

from hiring.models import Application, RejectionReason
from tests.hiring.factories import ApplicationFactory, CandidateFactory, JobFactory, RecruiterFactory, StageFactory


def test_recruiter_rejects_selected_applications_from_the_list(login, page, live_server, screenshot):
    job = JobFactory(title="Data Scientist")
    StageFactory(job=job, name="Applied", order=0)
    StageFactory(job=job, name="Recruiter screen", order=1)
    RejectionReason.objects.create(name="Not enough experience")
    ada = ApplicationFactory(job=job, candidate=CandidateFactory(first_name="Ada", last_name="Lovelace"))
    alan = ApplicationFactory(job=job, candidate=CandidateFactory(first_name="Alan", last_name="Turing"))
    grace = ApplicationFactory(job=job, candidate=CandidateFactory(first_name="Grace", last_name="Hopper"))
    login(RecruiterFactory())

    page.goto(f"{live_server.url}/hiring/candidates/?job={job.pk}")
    page.locator(f"#app-{ada.pk}").check()
    page.locator(f"#app-{alan.pk}").check()
    page.get_by_label("With the selected applications").select_option("reject")
    page.get_by_label("Rejection reason").select_option(label="Not enough experience")
    screenshot("candidates-list-bulk-bar")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.get_by_text("Rejected 2 applications")).to_be_visible()
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {ada.pk: "rejected", alan.pk: "rejected", grace.pk: "active"}
    screenshot("candidates-list-after-bulk")
