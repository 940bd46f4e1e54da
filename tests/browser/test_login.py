import pytest
from playwright.sync_api import expect

from tests.hiring.factories import AdminFactory, HiringManagerFactory, InterviewerFactory, RecruiterFactory


@pytest.mark.parametrize(
    ("factory", "heading"),
    [
        (AdminFactory, "Administration"),
        (RecruiterFactory, "Dashboard"),
        (HiringManagerFactory, "Your hiring"),
        (InterviewerFactory, "My interviews"),
    ],
)
def test_each_role_signs_in_and_lands_on_its_home_page(login, page, screenshot, factory, heading):
    user = factory()

    login(user)

    expect(page.get_by_role("heading", level=1).first).to_have_text(heading)
    assert user.display_name in page.get_by_role("navigation", name="Main navigation").inner_text()
    screenshot(f"home-{factory.__name__.removesuffix('Factory').lower()}")


def test_wrong_password_shows_the_error_in_place(page, live_server, screenshot):
    RecruiterFactory(email="rosa@example.test")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("rosa@example.test")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("Please enter a correct email address and password")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("rosa@example.test")
    screenshot("login-error")
