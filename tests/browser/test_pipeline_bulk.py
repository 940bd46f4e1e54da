"""Bulk actions over 25 cards ask first; a busy stage cannot be removed and says why, in place."""

import pytest
from playwright.sync_api import expect

from hiring.models import Application, Candidate
from tests.hiring.factories import ApplicationFactory, RecruiterFactory, job_with_stages

pytestmark = pytest.mark.django_db(transaction=True)


def test_rejecting_more_than_25_asks_for_confirmation(page, live_server, login, screenshot):
    job = job_with_stages(title="Staff Machine Learning Architect")
    applied, screen = job.stages.get(name="Applied"), job.stages.get(name="Recruiter screen")
    people = Candidate.objects.bulk_create(Candidate(first_name=f"Person{i:02d}", last_name="Bulk") for i in range(30))
    Application.objects.bulk_create(
        Application(candidate=p, job=job, stage=applied if i % 2 else screen) for i, p in enumerate(people)
    )
    from hiring.models import RejectionReason

    RejectionReason.objects.create(name="Position filled")
    login(RecruiterFactory())
    page.goto(f"{live_server.url}/hiring/jobs/{job.pk}/board/")

    for checkbox in page.get_by_role("checkbox", name="Select Person").all():
        checkbox.check()
    page.get_by_label("Rejection reason").select_option(label="Position filled")
    page.get_by_role("button", name="Apply to selected").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to 30 applications?")
    screenshot("pipeline-bulk-confirm")
    assert Application.objects.filter(status="rejected").count() == 0
    page.get_by_role("button", name="Yes, apply to all 30").click()

    expect(page.get_by_role("alert").first).to_contain_text("Rejected 30 applications (Position filled).")
    assert Application.objects.filter(status="rejected").count() == 30


def test_removing_a_stage_with_applications_is_refused_in_place(page, live_server, login, screenshot):
    job = job_with_stages(title="Staff Machine Learning Architect")
    ApplicationFactory(job=job, stage=job.stages.get(name="Panel"))
    login(RecruiterFactory())
    page.goto(f"{live_server.url}/hiring/jobs/{job.pk}/")

    panel = page.locator("#stages li", has_text="Panel")
    panel.get_by_text("Rename or remove").click()
    panel.get_by_role("button", name="Remove Panel").click()

    expect(page.locator("#stages [role=alert]")).to_have_text(
        "“Panel” still holds 1 application; move them to another stage first."
    )
    screenshot("pipeline-stage-remove-refused")
    assert job.stages.filter(name="Panel").exists()


def test_a_refused_bulk_action_says_why_in_place_and_keeps_the_selection(page, live_server, login, screenshot):
    job = job_with_stages(title="Staff Machine Learning Architect")
    applied = job.stages.get(name="Applied")
    for i in range(4):
        ApplicationFactory(job=job, stage=applied, candidate__first_name=f"Person{i}", candidate__last_name="Kept")
    from hiring.models import RejectionReason

    RejectionReason.objects.create(name="Position filled")
    login(RecruiterFactory())
    board_url = f"{live_server.url}/hiring/jobs/{job.pk}/board/"
    page.goto(board_url)

    page.get_by_role("checkbox", name="Select Person1 Kept").check()
    page.get_by_role("checkbox", name="Select Person3 Kept").check()
    page.get_by_role("button", name="Apply to selected").click()  # rejecting, but no reason chosen

    feedback = page.locator("#bulk-feedback [role=alert]")
    expect(feedback).to_contain_text("Nothing was changed.")
    expect(feedback).to_contain_text("Choose a rejection reason.")
    assert page.url == board_url  # still the board, not a page of its own
    expect(page.get_by_role("checkbox", name="Select Person1 Kept")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Select Person3 Kept")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Select Person0 Kept")).not_to_be_checked()
    screenshot("pipeline-bulk-refused-in-place")

    page.get_by_label("Rejection reason").select_option(label="Position filled")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.get_by_role("alert").first).to_contain_text("Rejected 2 applications (Position filled).")
    assert set(Application.objects.filter(status="rejected").values_list("candidate__first_name", flat=True)) == {
        "Person1",
        "Person3",
    }
