import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from hiring import groups
from tests.hiring.factories import (
    DEFAULT_PASSWORD,
    AdminFactory,
    InterviewerFactory,
    RecruiterFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_migration_creates_the_four_role_groups_with_permissions():
    by_name = {group.name: group for group in Group.objects.prefetch_related("permissions")}

    assert set(groups.ROLE_NAMES) <= set(by_name)
    recruiter_perms = {p.codename for p in by_name[groups.RECRUITER].permissions.all()}
    interviewer_perms = {p.codename for p in by_name[groups.INTERVIEWER].permissions.all()}
    assert {"add_candidate", "change_application", "view_job"} <= recruiter_perms
    assert "change_scorecard" in interviewer_perms
    assert "delete_candidate" not in interviewer_perms


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_with_email_and_password(client):
    user = RecruiterFactory(email="rosa@example.test")

    response = client.post(reverse("login"), {"username": "rosa@example.test", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_keeps_the_form_with_a_message(client):
    RecruiterFactory(email="rosa@example.test")

    response = client.post(reverse("login"), {"username": "rosa@example.test", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        (RecruiterFactory, "/interviews/reports/dashboard/"),
        (InterviewerFactory, "/interviews/mine/"),
    ],
)
def test_home_sends_each_role_to_its_page(client, factory, expected):
    client.force_login(factory())

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == expected


def test_admin_home_links_to_the_admin(client):
    client.force_login(AdminFactory())

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert reverse("admin:index") in response.content.decode()


def test_user_without_a_role_is_told_to_ask_for_one(client):
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    assert "has no role yet" in response.content.decode()


def test_interviewer_cannot_open_the_jobs_list(client):
    client.force_login(InterviewerFactory())

    response = client.get(reverse("hiring:job-list"))

    assert response.status_code == 404


def test_password_reset_sends_an_email_with_a_link(client):
    RecruiterFactory(email="rosa@example.test")

    response = client.post(reverse("password_reset"), {"email": "rosa@example.test"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_healthz_answers_ok(client):
    assert client.get(reverse("healthz")).content == b"ok"


def test_csrf_token_is_sent_with_every_htmx_request(client):
    client.force_login(AdminFactory())

    html = client.get(reverse("home")).content.decode()

    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "htmx" in html
    assert "cdn" not in html.lower()


def test_unknown_page_answers_404_with_the_app_page(client):
    client.force_login(RecruiterFactory())

    response = client.get("/hiring/no-such-page/")

    assert response.status_code == 404
    assert "This page does not exist, or you do not have access to it." in response.content.decode()


def test_logout_is_a_post_and_ends_the_session(client):
    client.force_login(RecruiterFactory())

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_signed_in_user_comes_with_their_role_in_one_query(client):
    """Session (cached), then the user row with their most capable role group: no groups query."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = RecruiterFactory()
    user.groups.add(Group.objects.get(name="Interviewer"))  # two roles: the more capable one wins
    client.force_login(user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == "/interviews/reports/dashboard/"
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "auth_group"')]
    assert sum(q["sql"].startswith('SELECT "hiring_user"') for q in queries.captured_queries) == 1
