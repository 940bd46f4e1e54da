"""A recruiter searches as they type; the results and the URL follow without a page load."""

from playwright.sync_api import expect

from hiring.models import Candidate
from tests.hiring.factories import CandidateFactory, RecruiterFactory


def test_search_as_you_type_updates_results_and_url(login, page, live_server, screenshot):
    CandidateFactory(first_name="Ada", last_name="Lovelace", email="ada@engines.test", source="Referral")
    CandidateFactory(first_name="Alan", last_name="Turing", email="alan@bletchley.test")
    grace = CandidateFactory(first_name="Grace", last_name="Hopper", email="grace@navy.test")
    Candidate.objects.filter(pk=grace.pk).update(resume_text="Wrote the first compiler; COBOL; Kubernetes later.")
    CandidateFactory.create_batch(30)
    login(RecruiterFactory())

    page.goto(f"{live_server.url}/hiring/candidates/")
    expect(page.locator("#result-count")).to_contain_text("33 candidates")
    screenshot("candidates-list")

    page.evaluate("window.__noReload = true")
    search = page.get_by_label("Search name, email or résumé")
    search.press_sequentially("lovel", delay=60)
    expect(page.locator("#result-count")).to_contain_text("1 candidate matching")
    expect(page.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    expect(page).to_have_url(
        f"{live_server.url}/hiring/candidates/?q=lovel&job=&stage=&status=&source=&tag=&sort=newest"
    )
    screenshot("candidates-search-name")

    search.fill("")
    search.press_sequentially("kubernetes", delay=40)
    expect(page.get_by_role("link", name="Grace Hopper")).to_be_visible()
    expect(page.locator("#result-count")).to_contain_text("1 candidate matching")
    assert page.evaluate("window.__noReload") is True  # no full page load happened
    screenshot("candidates-search-resume")

    page.get_by_label("Sort by").select_option("name")
    expect(page).to_have_url(
        f"{live_server.url}/hiring/candidates/?q=kubernetes&job=&stage=&status=&source=&tag=&sort=name"
    )

    # The URL is shareable: opening it shows the same results.
    page.goto(f"{live_server.url}/hiring/candidates/?q=bletchley")
    expect(page.get_by_role("link", name="Alan Turing")).to_be_visible()
    expect(page.get_by_label("Search name, email or résumé")).to_have_value("bletchley")
