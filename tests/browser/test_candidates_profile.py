"""A recruiter reads a profile, adds a Markdown note (HTMX) and uploads a résumé."""

from playwright.sync_api import expect

from hiring.models import StageChange
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    JobFactory,
    NoteFactory,
    RecruiterFactory,
    ResumeFactory,
    StageFactory,
)


def test_recruiter_reads_a_profile_and_adds_a_note(login, page, live_server, screenshot):
    job = JobFactory(title="Staff Machine Learning Architect")
    applied = StageFactory(job=job, name="Applied", order=0)
    screen = StageFactory(job=job, name="Recruiter screen", order=1)
    candidate = CandidateFactory(
        first_name="Ada", last_name="Lovelace", email="ada@example.test", links=["https://example.test/ada"]
    )
    application = ApplicationFactory(candidate=candidate, job=job, stage=screen)
    recruiter = RecruiterFactory(first_name="Rosa", last_name="Recruiter")
    StageChange.objects.create(application=application, from_stage=None, to_stage=applied, to_status="active")
    StageChange.objects.create(
        application=application, from_stage=applied, to_stage=screen, actor=recruiter, reason="Strong portfolio"
    )
    NoteFactory(candidate=candidate, application=application, author=recruiter, body="Met at **PyCon**.")
    ResumeFactory(candidate=candidate, text="Analytical Engine programmer.\nPython, PyTorch, Kubernetes.")
    login(recruiter)

    page.goto(f"{live_server.url}/hiring/candidates/{candidate.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    expect(page.get_by_text("Analytical Engine programmer.")).to_be_visible()
    expect(page.locator(".note-body strong", has_text="PyCon")).to_be_visible()

    page.get_by_label("Add a note").fill(
        "Follow up on **system design**.\n\n<script>alert('x')</script>\n\n- evals\n- MLOps"
    )
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".note-body strong", has_text="system design")).to_be_visible()
    expect(page.get_by_label("Add a note")).to_have_value("")
    expect(page.locator(".note-body li", has_text="MLOps")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Follow up on system design")  # updated out of band
    screenshot("candidates-profile-note")

    page.get_by_label("New résumé file").set_input_files(
        files=[{"name": "setup.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00\x03\x00\x00\x00\x04" * 10}]
    )
    page.get_by_role("button", name="Upload résumé").click()
    expect(page.get_by_text("whatever its name says")).to_be_visible()
    screenshot("candidates-profile-bad-upload")

    page.get_by_role("link", name="Staff Machine Learning Architect").first.click()
    expect(page.get_by_role("heading", name="Stage history")).to_be_visible()
    expect(page.get_by_text("Strong portfolio").first).to_be_visible()
    screenshot("candidates-application-page")
