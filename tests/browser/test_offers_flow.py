"""An offer above the role's pay band: drafted by the recruiter, signed off by the hiring manager,
then by the chosen approver; its letter downloads as a PDF."""

import io
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from hiring.models import HiringTeamMember, Offer, OfferApprover
from hiring.services import application_create
from tests.hiring.factories import (
    AdminFactory,
    CandidateFactory,
    HiringManagerFactory,
    RecruiterFactory,
    band_for,
    job_with_stages,
    offer_terms,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_an_offer_above_the_band_asks_for_approval_and_the_approver_approves(login, page, live_server, screenshot):
    manager = HiringManagerFactory(first_name="Hugo", last_name="Manager")
    job = job_with_stages(title="Data Engineer", team=[(manager, HiringTeamMember.Role.HIRING_MANAGER)])
    band_for(job, currency="EUR", minimum=90_000, median=110_000, maximum=130_000)
    recruiter = RecruiterFactory(first_name="Rosa", last_name="Recruiter")
    approver = AdminFactory(first_name="Fina", last_name="Approver")
    OfferApprover.objects.create(user=approver)
    candidate = CandidateFactory(first_name="Zoë", last_name="Ada", email="zoe@example.test")
    application = application_create(candidate=candidate, job=job, actor=recruiter)
    terms = offer_terms()

    login(recruiter)
    page.goto(f"{live_server.url}/hiring/applications/{application.pk}/")
    page.get_by_role("link", name="Make an offer").click()
    page.get_by_label("Base salary (yearly)").fill("150000")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Start date").fill(terms["start_date"].isoformat())
    page.get_by_label("Offer expires on").fill(terms["expires_on"].isoformat())
    page.get_by_label("Bonus").fill("10% target bonus")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#offer-out-of-band")).to_have_text("Outside the pay band")
    expect(page.locator(".offer-band-verdict")).to_contain_text("15% above the band's maximum")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#justification_id_justification, .invalid-feedback, .alert-danger").first).to_contain_text(
        "say why"
    )
    page.get_by_label("Why this figure").fill("A competing offer at 148,000; strongest panel this year.")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("#offer-status")).to_have_text("Pending approval")
    expect(page.locator("#offer-waiting")).to_have_text("a hiring manager of the job")
    screenshot("offers-pending-approval")
    offer = Offer.objects.get()

    page.context.clear_cookies()
    login(manager)
    page.goto(f"{live_server.url}/hiring/offers/{offer.pk}/")
    page.get_by_label("Reason").fill("Worth it: the team needs this profile.")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator("#offer-waiting")).to_have_text("Fina Approver")
    expect(page.locator("#offer-approval-refusal")).to_contain_text("another person")

    page.context.clear_cookies()
    login(approver)
    page.goto(f"{live_server.url}/hiring/offers/{offer.pk}/")
    page.get_by_label("Reason").fill("Budget allows it this quarter.")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator("#offer-status")).to_have_text("Approved")
    expect(page.locator("#offer-approvals li")).to_have_count(2)
    screenshot("offers-approved")

    page.get_by_role("link", name="Printable letter").click()
    expect(page.locator("#offer-letter")).to_contain_text("Dear Zoë")
    screenshot("offers-letter-page")
    response = page.request.get(f"{live_server.url}/hiring/offers/{offer.pk}/letter.pdf")
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    (ARTIFACTS / "offer-letter.pdf").write_bytes(pdf)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Dear Zoë," in text
    assert "EUR 150,000" in text

    # The recruiter emails the letter, records the yes: the application is hired and the job filled.
    page.context.clear_cookies()
    login(recruiter)
    page.goto(f"{live_server.url}/hiring/offers/{offer.pk}/")
    page.get_by_label("Email the letter (PDF) to the candidate now").check()
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.locator("#offer-status")).to_have_text("Sent")
    page.get_by_role("button", name="Accepted").click()
    expect(page.locator("#offer-status")).to_have_text("Accepted")
    page.goto(f"{live_server.url}/hiring/jobs/{job.pk}/")
    expect(page.locator("#job-filled")).to_have_text("Filled")
    page.goto(f"{live_server.url}/hiring/offers/")
    expect(page.locator("#offer-table")).to_contain_text("Filled")
    screenshot("offers-list-filled")
