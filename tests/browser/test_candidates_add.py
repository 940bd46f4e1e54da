"""A recruiter adds a candidate, then meets the duplicate proposal when adding them again."""

from playwright.sync_api import expect

from tests.hiring.factories import JobFactory, RecruiterFactory, StageFactory


def test_recruiter_adds_a_candidate_and_is_offered_the_existing_record(login, page, live_server, screenshot):
    job = JobFactory(title="Staff Machine Learning Architect")
    StageFactory(job=job, name="Applied", order=0)
    login(RecruiterFactory())

    page.get_by_role("link", name="Candidates").first.click()
    page.get_by_role("link", name="Add candidate").click()
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email").fill("grace@example.test")
    page.get_by_label("Phone").fill("+1 555 010 2000")
    page.get_by_label("Location").fill("Arlington, VA")
    page.get_by_label("Links").fill("https://example.test/grace")
    page.get_by_label("Source").fill("Referral")
    page.get_by_label("Tags").fill("compilers, leadership")
    page.get_by_label("Apply to job").select_option(label="Staff Machine Learning Architect")
    screenshot("candidates-add-form")
    page.get_by_role("button", name="Add candidate").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Grace Hopper")
    expect(page.get_by_text("Grace Hopper was added.")).to_be_visible()
    expect(page.get_by_role("link", name="Staff Machine Learning Architect")).to_be_visible()
    screenshot("candidates-profile-new")

    page.goto(f"{live_server.url}/hiring/candidates/new/")
    page.get_by_label("First name").fill("Grace B.")
    page.get_by_label("Email").fill("GRACE@example.test")
    page.get_by_role("button", name="Add candidate").click()
    proposal = page.locator("#duplicate-proposal")
    expect(proposal).to_contain_text("may already be on file")
    expect(proposal.get_by_role("button", name="Use this candidate")).to_be_visible()
    expect(proposal.get_by_role("button", name="Create anyway")).to_have_count(0)
    screenshot("candidates-duplicate-email")
    proposal.get_by_role("button", name="Use this candidate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grace Hopper")

    page.goto(f"{live_server.url}/hiring/candidates/new/")
    page.get_by_label("First name").fill("Someone")
    page.get_by_label("Email").fill("someone@example.test")
    page.get_by_label("Phone").fill("(1) 555-010-2000")
    page.get_by_role("button", name="Add candidate").click()
    expect(page.get_by_role("button", name="Create anyway")).to_be_visible()
    screenshot("candidates-duplicate-phone")
    page.get_by_role("button", name="Create anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Someone")
