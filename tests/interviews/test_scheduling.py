from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hiring.services.outbox import outbox_sweep
from interviews import services
from interviews.models import CompetencyRating, Interview, InterviewInvitation, Scorecard
from interviews.tasks import interview_invitations_send
from tests.hiring.factories import ApplicationFactory, InterviewerFactory, JobFactory
from tests.interviews.factories import InterviewStepFactory


def test_scheduling_creates_a_draft_per_interviewer_with_a_snapshot_of_each_focus_competency(
    interview, people, competencies
):
    cards = Scorecard.objects.filter(interview=interview).order_by("interviewer__first_name")
    assert [c.interviewer for c in cards] == [people["alice"], people["bob"]]
    assert {c.status for c in cards} == {Scorecard.Status.DRAFT}
    row = CompetencyRating.objects.get(scorecard=cards[0], name="System design")
    assert row.category == "technical"
    assert row.anchors["4"].startswith("System design:")
    assert row.prompts.startswith("Tell me about a time")
    # Editing the template afterwards never rewrites the scorecard's copy.
    competencies[0].name = "Architecture"
    competencies[0].description = "Changed later"
    competencies[0].save()
    competencies[0].anchors.filter(level=4).update(description="New anchor text")
    row.refresh_from_db()
    assert row.name == "System design"
    assert row.anchors["4"].startswith("System design:")
    assert CompetencyRating.objects.filter(scorecard=cards[0]).count() == 2  # only the step's focus


def test_scheduling_enqueues_the_invitations_on_commit(
    job, step, people, django_capture_on_commit_callbacks, eager_celery
):
    application = ApplicationFactory(job=job)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        interview = services.interview_schedule(
            application=application,
            step=step,
            starts_at=timezone.now() + timedelta(days=1),
            ends_at=timezone.now() + timedelta(days=1, hours=1),
            interviewers=[people["alice"], people["bob"]],
            video_url="https://meet.example.test/abc",
        )
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["alice"].email, people["bob"].email])
    message = mail.outbox[0]
    name, content, mimetype = message.attachments[0]
    assert name == "interview.ics"
    assert mimetype.startswith("text/calendar")
    ics = (content if isinstance(content, bytes) else content.encode()).replace(b"\r\n ", b"")  # unfold lines
    assert b"BEGIN:VEVENT" in ics
    assert b"ORGANIZER" in ics
    assert people["alice"].email.encode() in ics or people["bob"].email.encode() in ics
    assert reverse("interviews:kit", args=[interview.pk]) in message.body


def test_invitation_task_run_twice_sends_once(interview, people, django_capture_on_commit_callbacks):
    """Scheduling queued both invitations in its transaction (their delivery never ran here);
    the task queues only interviewers added since, and every delivery path sends each once."""
    carol = InterviewerFactory(email="carol@example.test")
    interview.interviewers.add(carol)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox delivers after the commit
        assert interview_invitations_send(interview.pk) == 1  # only Carol was not invited yet
        assert interview_invitations_send(interview.pk) == 0
    assert outbox_sweep() == 2  # the two queued at scheduling, whose delivery tasks never ran
    assert outbox_sweep() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["alice"].email, people["bob"].email, "carol@example.test"]
    )
    assert InterviewInvitation.objects.filter(interview=interview).count() == 3


def test_invitation_task_for_a_deleted_interview_does_nothing(db):
    assert interview_invitations_send(987654) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_before_start": True}, "ends_at"),
        ({"interviewers": []}, "interviewers"),
        ({"other_job_step": True}, "step"),
    ],
)
def test_scheduling_refuses_bad_input_and_writes_nothing(job, step, people, change, field):
    application = ApplicationFactory(job=job)
    start = timezone.now() + timedelta(days=1)
    kwargs = {
        "application": application,
        "step": step,
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "interviewers": change.get("interviewers", [people["alice"]]),
        "location": "Room 1",
    }
    if change.get("ends_before_start"):
        kwargs["ends_at"] = start - timedelta(minutes=5)
    if change.get("other_job_step"):
        kwargs["step"] = InterviewStepFactory(plan__job=JobFactory())
    with pytest.raises(ValidationError) as error:
        services.interview_schedule(**kwargs)
    assert field in error.value.message_dict
    assert not Interview.objects.filter(application=application).exists()


def test_schedule_page_for_recruiters_creates_the_interview(
    client, job, step, people, django_capture_on_commit_callbacks, eager_celery
):
    application = ApplicationFactory(job=job)
    client.force_login(people["recruiter"])
    url = reverse("interviews:schedule", args=[application.pk])
    page = client.get(url)
    assert people["alice"].display_name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "step": step.pk,
                "starts_at": "2030-01-10T10:00",
                "location": "Room 2",
                "interviewers": [people["alice"].pk],
            },
        )
    interview = Interview.objects.get(application=application)
    assert response.status_code == 302
    assert response["Location"] == reverse("interviews:kit", args=[interview.pk])
    assert (interview.ends_at - interview.starts_at).total_seconds() == step.duration_minutes * 60
    assert len(mail.outbox) == 1


def test_schedule_form_errors_show_in_place(client, job, step, people):
    application = ApplicationFactory(job=job)
    client.force_login(people["recruiter"])
    response = client.post(reverse("interviews:schedule", args=[application.pk]), {"step": step.pk})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Give a place or a video link." in body
    assert "This field is required." in body
    assert not Interview.objects.filter(application=application).exists()


@pytest.mark.parametrize("who", ["alice", "manager", "nobody", "outsider"])
def test_schedule_page_is_404_for_everyone_but_recruiters_and_admins(client, interview, people, who):
    client.force_login(people[who])
    assert client.get(reverse("interviews:schedule", args=[interview.application_id])).status_code == 404


def test_admins_can_schedule(client, interview, people):
    client.force_login(people["admin"])
    assert client.get(reverse("interviews:schedule", args=[interview.application_id])).status_code == 200


def test_only_the_team_or_interviewers_can_be_invited(job, step, people):
    from tests.hiring.factories import UserFactory

    stranger = UserFactory(first_name="Sam", last_name="Stranger")
    with pytest.raises(ValidationError) as error:
        services.interview_schedule(
            application=ApplicationFactory(job=job),
            step=step,
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
            interviewers=[people["alice"], stranger],
            location="Room 1",
        )
    assert "Sam Stranger" in error.value.message_dict["interviewers"][0]
    assert not Interview.objects.filter(interviewers=stranger).exists()
