"""Everyone reads and enters times in their own time zone; invitations name it; scheduling shows the
interviewers' overlapping interviews; a scorecard is submitted only once its interview has started."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import OutboxMessage, User
from interviews import services
from interviews.models import Interview, Scorecard
from tests.hiring.factories import ApplicationFactory
from tests.interviews.factories import scorecard_fill

pytestmark = pytest.mark.django_db


def test_a_person_chooses_their_time_zone_and_pages_follow_it(client, people):
    client.force_login(people["recruiter"])
    page = client.get(reverse("hiring:my-settings")).content.decode()
    assert "Europe/Berlin" in page
    assert client.post(reverse("hiring:my-settings"), {"time_zone": "Asia/Tokyo"}).status_code == 302
    assert User.objects.get(pk=people["recruiter"].pk).time_zone == "Asia/Tokyo"
    assert "in Asia/Tokyo" in client.get(reverse("hiring:my-settings")).content.decode()
    refused = client.post(reverse("hiring:my-settings"), {"time_zone": "Mars/Olympus"})
    assert refused.status_code == 400
    assert User.objects.get(pk=people["recruiter"].pk).time_zone == "Asia/Tokyo"


def test_times_are_entered_in_the_schedulers_zone_and_invitations_name_the_interviewers(
    client, job, step, people, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=people["recruiter"].pk).update(time_zone="Asia/Tokyo")
    User.objects.filter(pk=people["alice"].pk).update(time_zone="America/New_York")
    application = ApplicationFactory(job=job)
    client.force_login(people["recruiter"])
    url = reverse("interviews:schedule", args=[application.pk])
    assert "In your time zone, Asia/Tokyo" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            url,
            {
                "step": step.pk,
                "starts_at": "2031-03-04T10:00",
                "duration_minutes": "60",
                "location": "Room 1",
                "interviewers": [people["alice"].pk],
            },
        )
    assert response.status_code == 302
    interview = Interview.objects.get(application=application)
    assert interview.starts_at == datetime(2031, 3, 4, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo
    invitation = OutboxMessage.objects.get(purpose="interview-invitation")
    assert "Mon 03 Mar 2031, 20:00 (America/New_York)" in invitation.body_text
    ics = OutboxMessage.objects.get(pk=invitation.pk).attachments[0]["content_b64"]
    text = base64.b64decode(ics).replace(b"\r\n ", b"")
    assert b"TZID:America/New_York" in text
    assert b"DTSTART;TZID=America/New_York:20310303T200000" in text


def test_scheduling_shows_overlapping_interviews_before_it_books(client, job, step, people, interview):
    application = ApplicationFactory(job=job)
    client.force_login(people["recruiter"])
    url = reverse("interviews:schedule", args=[application.pk])
    starts = timezone.localtime(interview.starts_at + timedelta(minutes=30))
    data = {
        "step": step.pk,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "location": "Room 2",
        "interviewers": [people["alice"].pk],
    }
    response = client.post(url, data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Overlapping interviews" in body
    assert f"{people['alice'].display_name}: Panel with {interview.application.candidate.full_name}" in body
    assert not Interview.objects.filter(application=application).exists()
    assert client.post(url, {**data, "confirm_overlaps": "on"}).status_code == 302
    assert Interview.objects.filter(application=application).count() == 1
    later = timezone.localtime(interview.ends_at + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, {**data, "starts_at": later}).status_code == 302  # no overlap: booked at once


def test_a_scorecard_cannot_be_submitted_before_its_interview_starts(job, step, people):
    application = ApplicationFactory(job=job)
    soon = timezone.now() + timedelta(hours=2)
    upcoming = services.interview_schedule(
        application=application,
        step=step,
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
        interviewers=[people["alice"]],
        location="Room 4",
    )
    card = Scorecard.objects.get(interview=upcoming)
    scorecard_fill(card, recommendation=3)  # drafts can be written ahead
    with pytest.raises(Exception, match="submit once it has started"):
        services.scorecard_submit(scorecard_id=card.pk, user=people["alice"])
    card.refresh_from_db()
    assert card.status == Scorecard.Status.DRAFT
    Interview.objects.filter(pk=upcoming.pk).update(
        starts_at=timezone.now() - timedelta(minutes=1), ends_at=timezone.now() + timedelta(minutes=59)
    )
    assert services.scorecard_submit(scorecard_id=card.pk, user=people["alice"]).status == Scorecard.Status.SUBMITTED


def test_submitting_early_through_the_page_is_answered_with_the_reason(client, job, step, people):
    application = ApplicationFactory(job=job)
    soon = timezone.now() + timedelta(days=1)
    upcoming = services.interview_schedule(
        application=application,
        step=step,
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
        interviewers=[people["alice"]],
        location="Room 4",
    )
    card = scorecard_fill(Scorecard.objects.get(interview=upcoming), recommendation=3)
    client.force_login(people["alice"])
    response = client.post(
        reverse("interviews:scorecard-edit", args=[card.pk]), {"action": "submit", "version": card.version}
    )
    assert response.status_code == 422
    assert "submit once it has started" in response.content.decode()


def test_overlaps_show_while_the_form_is_filled_in(client, job, step, people, interview):
    application = ApplicationFactory(job=job)
    client.force_login(people["recruiter"])
    url = reverse("interviews:schedule-overlaps", args=[application.pk])
    starts = timezone.localtime(interview.starts_at + timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M")
    body = client.get(url, {"step": step.pk, "starts_at": starts, "interviewers": [people["bob"].pk]}).content.decode()
    assert f"{people['bob'].display_name}: Panel with" in body
    free = timezone.localtime(interview.ends_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    body = client.get(url, {"step": step.pk, "starts_at": free, "interviewers": [people["bob"].pk]}).content.decode()
    assert "No overlapping interviews" in body
    assert "show here once the time" in client.get(url, {"starts_at": "not a time"}).content.decode()
    client.force_login(people["manager"])
    assert client.get(url).status_code == 404
