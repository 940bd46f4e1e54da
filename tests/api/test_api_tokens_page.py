"""Personal API tokens on the profile page and from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from hiring.models import ApiToken

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_and_works_until_revoked(client, users):
    client.force_login(users["manager"])
    response = client.post("/hiring/profile/", {"action": "create", "name": "BI", "scope": "read", "days": "30"})
    assert response.status_code == 200
    secret = response.context["new_secret"]
    assert secret.startswith("hire_")
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=users["manager"])
    assert (token.name, token.scope) == ("BI", "read")
    assert secret not in client.get("/hiring/profile/").content.decode()  # never shown again

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/applications/").status_code == 200

    revoked = client.post("/hiring/profile/", {"action": "revoke", "token": str(token.pk)})
    assert revoked.status_code == 302
    assert api.get("/api/v1/applications/").status_code == 401


def test_nobody_revokes_someone_elses_token(client, users):
    token = ApiToken.objects.create(
        user=users["recruiter"], name="x", prefix="hire_x", digest="0" * 64, expires_at="2999-01-01T00:00Z"
    )
    client.force_login(users["manager"])
    client.post("/hiring/profile/", {"action": "revoke", "token": str(token.pk)})
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "hire_x" not in client.get("/hiring/profile/").content.decode()


def test_bad_input_is_a_form_error(client, users):
    client.force_login(users["interviewer"])
    response = client.post("/hiring/profile/", {"action": "create", "name": "", "scope": "admin", "days": "9999"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "scope", "days"}
    assert not ApiToken.objects.exists()


def test_command_prints_the_token_last(users):
    out = StringIO()
    call_command("api_token", users["recruiter"].email.upper(), "--scope", "write", "--days", "7", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user=users["recruiter"])
    assert token.scope == "write"
    assert (token.expires_at - token.created_at).days == 7
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/jobs/").status_code == 200


def test_command_refuses_unknown_users_and_bad_days(users):
    with pytest.raises(CommandError, match="No active user"):
        call_command("api_token", "nobody@example.test", stdout=StringIO())
    with pytest.raises(CommandError, match="between 1 and"):
        call_command("api_token", users["recruiter"].email, "--days", "0", stdout=StringIO())
