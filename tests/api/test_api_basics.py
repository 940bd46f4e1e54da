"""The public API's ground rules: tokens, scopes, session + CSRF, the error format, paging,
rate limits, and writes that go through the services (the stage history is kept)."""

from datetime import timedelta
from unittest.mock import patch

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from hiring.models import ApiToken, Application, StageChange
from hiring.services import api_token_create, api_token_revoke, application_create
from tests.api.conftest import token_client
from tests.hiring.factories import CandidateFactory, RejectionReasonFactory

pytestmark = pytest.mark.django_db


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def test_no_token_answers_401_in_the_error_format():
    response = APIClient().get("/api/v1/applications/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert _error(response)["code"] == "not_authenticated"


def test_token_is_stored_hashed_and_shown_once(users):
    new = api_token_create(user=users["recruiter"], name="BI export", scope="read", days=30)
    stored = ApiToken.objects.get(pk=new.token.pk)
    assert new.secret.startswith("hire_")
    assert len(new.secret) > 40
    assert new.secret not in (stored.digest, stored.prefix)
    assert len(stored.digest) == 64
    assert new.secret.startswith(stored.prefix)
    assert (stored.expires_at - stored.created_at).days == 30


@pytest.mark.parametrize("state", ["revoked", "expired", "garbage"])
def test_unusable_tokens_are_refused(users, state):
    new = api_token_create(user=users["recruiter"], name="t", scope="read")
    secret = new.secret
    if state == "revoked":
        assert api_token_revoke(user=users["recruiter"], token_id=new.token.pk)
    elif state == "expired":
        ApiToken.objects.filter(pk=new.token.pk).update(
            created_at=timezone.now() - timedelta(days=10), expires_at=timezone.now() - timedelta(seconds=1)
        )
    else:
        secret = "hire_" + "x" * 43
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get("/api/v1/jobs/")
    assert response.status_code == 401
    assert _error(response)["code"] == "authentication_failed"


def test_someone_elses_token_cannot_be_revoked(users):
    new = api_token_create(user=users["recruiter"], name="t")
    assert not api_token_revoke(user=users["manager"], token_id=new.token.pk)
    assert ApiToken.objects.usable().filter(pk=new.token.pk).exists()


def test_read_token_may_read_but_not_write(users, job, stages):
    application = application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"])
    reader = token_client(users["recruiter"], scope="read")
    assert reader.get(f"/api/v1/applications/{application.pk}/").status_code == 200
    response = reader.post(
        f"/api/v1/applications/{application.pk}/move/", {"stage": stages["Recruiter screen"].pk}, format="json"
    )
    assert response.status_code == 403
    assert "only read" in _error(response)["message"]
    application.refresh_from_db()
    assert application.stage == stages["Applied"]


def test_move_goes_through_the_pipeline_service(users, job, stages):
    application = application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"])
    client = token_client(users["recruiter"])
    response = client.post(
        f"/api/v1/applications/{application.pk}/move/",
        {"stage": stages["Recruiter screen"].pk, "version": application.version, "reason": "API"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage_name"] == "Recruiter screen"
    change = StageChange.objects.filter(application=application).order_by("-id").first()
    assert (change.to_stage, change.actor, change.reason) == (stages["Recruiter screen"], users["recruiter"], "API")
    # The version read before is stale now: a second mover gets a conflict, nothing changes.
    stale = client.post(
        f"/api/v1/applications/{application.pk}/move/",
        {"stage": stages["Applied"].pk, "version": application.version},
        format="json",
    )
    assert stale.status_code == 409
    assert _error(stale)["code"] == "conflict"


def test_move_to_a_stage_of_another_job_is_a_field_error(users, job, stages):
    from tests.hiring.factories import job_with_stages

    other = job_with_stages(title="Other")
    application = application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"])
    response = token_client(users["recruiter"]).post(
        f"/api/v1/applications/{application.pk}/move/", {"stage": other.stages.first().pk}, format="json"
    )
    assert response.status_code == 400
    assert "stage" in _error(response)["fields"]


def test_reject_and_create_through_services(users, job, stages):
    client = token_client(users["recruiter"])
    candidate = CandidateFactory()
    created = client.post("/api/v1/applications/", {"candidate": candidate.pk, "job": job.pk}, format="json")
    assert created.status_code == 201, created.content
    again = client.post("/api/v1/applications/", {"candidate": candidate.pk, "job": job.pk}, format="json")
    assert again.status_code == 400
    assert "already applied" in _error(again)["message"]
    reason = RejectionReasonFactory()
    pk = created.json()["id"]
    rejected = client.post(f"/api/v1/applications/{pk}/reject/", {"reason": reason.pk}, format="json")
    assert rejected.status_code == 200, rejected.content
    assert Application.objects.get(pk=pk).status == "rejected"
    assert StageChange.objects.filter(application_id=pk, to_status="rejected").count() == 1


def test_bad_json_is_a_400_not_a_500(users):
    client = token_client(users["recruiter"])
    response = client.generic("POST", "/api/v1/applications/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert _error(response)["code"] == "parse_error"
    response = client.post("/api/v1/applications/", {"candidate": "x", "job": -1}, format="json")
    assert response.status_code == 400
    assert set(_error(response)["fields"]) == {"candidate", "job"}


def test_session_auth_needs_the_csrf_token(users, job, stages):
    application = application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"])
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["recruiter"])
    assert client.get("/api/v1/applications/").status_code == 200
    response = client.post(
        f"/api/v1/applications/{application.pk}/move/", {"stage": stages["Recruiter screen"].pk}, format="json"
    )
    assert response.status_code == 403
    assert "CSRF" in _error(response)["message"]


def test_cursor_pagination_walks_every_row_once(users, job, stages):
    for _ in range(5):
        application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"])
    client = token_client(users["recruiter"])
    seen, url = [], "/api/v1/applications/?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == 5
    assert len(set(seen)) == 5
    assert seen == sorted(seen, reverse=True)


def test_filtering_and_ordering(users, job, stages):
    first = application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"])
    application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"])
    client = token_client(users["recruiter"])
    client.post(f"/api/v1/applications/{first.pk}/move/", {"stage": stages["Recruiter screen"].pk}, format="json")
    rows = client.get(f"/api/v1/applications/?stage={stages['Recruiter screen'].pk}").json()["results"]
    assert [row["id"] for row in rows] == [first.pk]
    ordered = client.get("/api/v1/applications/?ordering=id").json()["results"]
    assert [row["id"] for row in ordered] == sorted(row["id"] for row in ordered)


def test_rate_limit_is_per_token(users):
    cache.clear()
    from hiring.apikit import PerTokenThrottle

    with patch.object(PerTokenThrottle, "THROTTLE_RATES", {"api": "3/minute"}):
        first, second = token_client(users["recruiter"]), token_client(users["recruiter"])
        answers = [first.get("/api/v1/jobs/").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        limited = first.get("/api/v1/jobs/")
        assert _error(limited)["code"] == "throttled"
        assert "Retry-After" in limited.headers
        assert second.get("/api/v1/jobs/").status_code == 200  # another token has its own budget
    cache.clear()


def test_candidates_hide_contact_details_from_interviewers(application_with_interviews, users):
    candidate_id = application_with_interviews.candidate_id
    recruiter = token_client(users["recruiter"]).get(f"/api/v1/candidates/{candidate_id}/").json()
    interviewer = token_client(users["interviewer"]).get(f"/api/v1/candidates/{candidate_id}/").json()
    assert "email" in recruiter
    assert "phone" in recruiter
    assert set(interviewer) == {"id", "first_name", "last_name", "created_at", "updated_at"}


def test_self_identification_is_never_in_any_answer(users, job, stages):
    """The API's serializers name their fields; none reaches the self-identification answers."""
    from hiring import api as hiring_api
    from interviews import api as interviews_api

    for module in (hiring_api, interviews_api):
        for name in dir(module):
            serializer = getattr(module, name)
            fields = getattr(getattr(serializer, "Meta", None), "fields", [])
            assert not any("self" in str(field) or "identification" in str(field) for field in fields), name
