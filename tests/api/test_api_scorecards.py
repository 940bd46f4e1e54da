"""Scorecards through the API: independent feedback exactly as on the pages, writes through the services."""

import pytest

from interviews.models import Scorecard
from tests.api.conftest import token_client
from tests.interviews.factories import scorecard_submitted

pytestmark = pytest.mark.django_db


def _cards(application, users):
    cards = Scorecard.objects.filter(interview__application=application)
    return cards.get(interviewer=users["interviewer"]), cards.get(interviewer=users["interviewer2"])


def test_interviewer_cannot_read_a_colleagues_scorecard_before_submitting_their_own(application_with_interviews, users):
    mine, theirs = _cards(application_with_interviews, users)
    scorecard_submitted(theirs, recommendation=4, key_takeaways="Strong systems thinking.")
    client = token_client(users["interviewer"], scope="read")

    listed = client.get("/api/v1/scorecards/").json()["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    assert client.get(f"/api/v1/scorecards/{theirs.pk}/").status_code == 404
    filtered = client.get(f"/api/v1/scorecards/?application={application_with_interviews.pk}").json()
    assert filtered["results"] == listed
    assert client.get(f"/api/v1/summaries/{application_with_interviews.pk}/").status_code == 404

    scorecard_submitted(mine, recommendation=3)

    colleague = client.get(f"/api/v1/scorecards/{theirs.pk}/")
    assert colleague.status_code == 200
    assert colleague.json()["key_takeaways"] == "Strong systems thinking."
    assert colleague.json()["private_note"] is None  # interviewers never read colleagues' private notes
    assert {row["id"] for row in client.get("/api/v1/scorecards/").json()["results"]} == {mine.pk, theirs.pk}


def test_drafts_of_colleagues_stay_hidden_from_everyone(application_with_interviews, users):
    mine, theirs = _cards(application_with_interviews, users)
    scorecard_submitted(mine)
    for role in ("interviewer", "recruiter", "admin"):
        assert token_client(users[role]).get(f"/api/v1/scorecards/{theirs.pk}/").status_code == 404, role
    recruiter_view = token_client(users["recruiter"]).get(f"/api/v1/scorecards/{mine.pk}/").json()
    assert recruiter_view["status"] == "submitted"
    assert recruiter_view["private_note"] == ""  # the hiring team reads private notes


def test_interviewer_saves_and_submits_their_draft_through_the_services(application_with_interviews, users):
    mine, _theirs = _cards(application_with_interviews, users)
    client = token_client(users["interviewer"])
    ratings = [
        {"id": r.pk, "rating": "3", "evidence": "Explained the design with numbers."} for r in mine.ratings.all()
    ]
    saved = client.patch(
        f"/api/v1/scorecards/{mine.pk}/",
        {"version": mine.version, "overall_recommendation": 3, "key_takeaways": "Solid.", "ratings": ratings},
        format="json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == mine.version + 1
    stale = client.patch(
        f"/api/v1/scorecards/{mine.pk}/", {"version": mine.version, "key_takeaways": "Other"}, format="json"
    )
    assert stale.status_code == 409
    submitted = client.post(f"/api/v1/scorecards/{mine.pk}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    locked = client.patch(f"/api/v1/scorecards/{mine.pk}/", {"version": 99, "key_takeaways": "x"}, format="json")
    assert locked.status_code == 409


def test_incomplete_scorecard_cannot_be_submitted(application_with_interviews, users):
    mine, _theirs = _cards(application_with_interviews, users)
    response = token_client(users["interviewer"]).post(f"/api/v1/scorecards/{mine.pk}/submit/")
    assert response.status_code == 400
    assert "overall_recommendation" in response.json()["error"]["fields"]
    mine.refresh_from_db()
    assert mine.status == Scorecard.Status.DRAFT


def test_nobody_writes_someone_elses_scorecard(application_with_interviews, users):
    mine, theirs = _cards(application_with_interviews, users)
    scorecard_submitted(mine)
    scorecard_submitted(theirs)
    recruiter = token_client(users["recruiter"])
    assert recruiter.post(f"/api/v1/scorecards/{theirs.pk}/submit/").status_code == 403
    response = token_client(users["interviewer"]).patch(
        f"/api/v1/scorecards/{theirs.pk}/", {"version": theirs.version, "key_takeaways": "Mine now"}, format="json"
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.key_takeaways != "Mine now"


def test_nested_field_errors_name_their_place(application_with_interviews, users):
    mine, _theirs = _cards(application_with_interviews, users)
    response = token_client(users["interviewer"]).patch(
        f"/api/v1/scorecards/{mine.pk}/", {"version": mine.version, "ratings": [{"id": "x"}]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["ratings.0.id"]


def test_a_second_interview_still_owed_keeps_colleagues_closed_as_on_the_pages(
    application_with_interviews, users, django_capture_on_commit_callbacks
):
    """Independence per interview: one submission of two owed opens nothing, through the API too."""
    from datetime import timedelta

    from django.utils import timezone

    from interviews.services import interview_schedule

    mine, theirs = _cards(application_with_interviews, users)
    scorecard_submitted(theirs, recommendation=4)
    step = mine.interview.step
    with django_capture_on_commit_callbacks(execute=False):
        interview_schedule(
            application=application_with_interviews,
            step=step,
            starts_at=timezone.now() - timedelta(minutes=30),
            ends_at=timezone.now() + timedelta(minutes=30),
            interviewers=[users["interviewer"]],
            created_by=users["recruiter"],
        )
    scorecard_submitted(mine, recommendation=3)
    client = token_client(users["interviewer"], scope="read")

    assert client.get(f"/api/v1/scorecards/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/summaries/{application_with_interviews.pk}/").status_code == 404

    second = Scorecard.objects.get(interviewer=users["interviewer"], status=Scorecard.Status.DRAFT)
    scorecard_submitted(second, recommendation=3)

    assert client.get(f"/api/v1/scorecards/{theirs.pk}/").status_code == 200
