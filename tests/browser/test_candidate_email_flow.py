"""A recruiter writes to a candidate from a template: preview, send, undo, then send for real."""

from playwright.sync_api import expect

from hiring.models import CandidateEmail, OutboxMessage
from hiring.services import application_create
from tests.hiring.factories import CandidateFactory, EmailTemplateFactory, RecruiterFactory, job_with_stages


def test_an_email_is_composed_previewed_undone_then_sent(login, page, live_server, screenshot, settings):
    settings.CANDIDATE_EMAIL_UNDO_SECONDS = 30
    job = job_with_stages(title="Data Engineer")
    recruiter = RecruiterFactory(first_name="Rosa", last_name="Recruiter")
    candidate = CandidateFactory(first_name="Zoë", last_name="Ada", email="zoe@example.test")
    application = application_create(candidate=candidate, job=job, actor=recruiter)
    EmailTemplateFactory(
        name="Check-in",
        kind="other",
        subject="{{ job_title }}: next steps",
        body="Hi {{ first_name }},\n\n{{ recruiter_name }}",
    )
    login(recruiter)

    page.goto(f"{live_server.url}/hiring/applications/{application.pk}/")
    page.get_by_role("link", name="Write an email").click()
    page.get_by_label("Template").select_option(label="Check-in")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-subject")).to_have_text("Data Engineer: next steps")
    expect(page.locator("#preview-body")).to_contain_text("Hi Zoë,")
    screenshot("emails-preview")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#email-thread")).to_contain_text("sending soon")
    screenshot("emails-sending-with-undo")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".alert")).to_contain_text("was not sent")
    expect(page.locator("#email-thread")).to_contain_text("undone")
    assert not OutboxMessage.objects.exists()

    page.get_by_role("link", name="Write an email").click()
    page.get_by_label("Template").select_option(label="Check-in")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#email-thread li")).to_have_count(2)
    assert CandidateEmail.objects.filter(status="scheduled").count() == 1
    assert OutboxMessage.objects.get().status == "pending"  # leaves when the window closes
    screenshot("emails-thread")
