"""Blind review: per role, every page that shows a candidate of a blind job hides who they are.

Interviewers never see the name; the job's hiring manager sees it only after the debrief (every
scorecard submitted) and an explicit, recorded reveal; recruiters and admins always see it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.blind import candidate_label
from hiring.models import Application
from hiring.services import application_create, application_move
from interviews.models import Scorecard
from interviews.services import interview_schedule
from interviews.summaries.digest import digest_text, digest_week_start, job_digest
from tests.hiring.factories import CandidateFactory, ResumeFactory, job_with_stages
from tests.interviews.factories import scorecard_submitted

FIRST, LAST = "Zelda", "Quartermaine"
EMAIL = "zelda.q@example.test"
PHONE = "+1 555 123 4567"
LINK = "github.com/zeldaq"
SCHOOL = "Stanford University"
RESUME = (
    f"{FIRST} {LAST}\n{EMAIL} · {PHONE} · https://{LINK}\n"
    f"Education: BSc Computer Science, {SCHOOL}, 2012 - 2016.\n"
    "Built a feature store serving 40 teams; PyTorch, Kubernetes."
)
GIVEAWAYS = (FIRST, LAST, EMAIL, PHONE, LINK, SCHOOL, "resume.txt")


@pytest.fixture
def blind(users, django_capture_on_commit_callbacks):
    """A blind job with the manager on its team; Zelda at the panel with a past interview (two interviewers)."""
    job = job_with_stages(
        title="Data Platform Lead",
        blind_review=True,
        team=[(users["manager"], "hiring_manager"), (users["recruiter"], "recruiter")],
    )
    stages = {stage.name: stage for stage in job.stages.all()}
    candidate = CandidateFactory(first_name=FIRST, last_name=LAST, email=EMAIL, phone=PHONE, links=[f"https://{LINK}"])
    ResumeFactory(candidate=candidate, text=RESUME)
    application = application_create(candidate=candidate, job=job, actor=users["recruiter"])
    application = application_move(application=application, to_stage=stages["Panel"], actor=users["recruiter"])
    step = job.interview_plan.steps.filter(stage=stages["Panel"]).order_by("order").first()
    start = timezone.now() - timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=False):
        interview = interview_schedule(
            application=application,
            step=step,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            interviewers=[users["interviewer"], users["interviewer2"]],
            created_by=users["recruiter"],
        )
    return {"job": job, "application": application, "candidate": candidate, "interview": interview}


def _submit_all(blind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the summary is built (eager Celery)
        for card in Scorecard.objects.filter(interview=blind["interview"]):
            scorecard_submitted(card, key_takeaways="Calm under pressure.")


def _pages(blind, user) -> dict[str, str]:
    application, job = blind["application"], blind["job"]
    pages = {
        "kit": reverse("interviews:kit", args=[blind["interview"].pk]),
        "my interviews": reverse("interviews:my-interviews"),
        "application page": reverse("hiring:application-detail", args=[application.pk]),
        "candidate page": reverse("hiring:candidate-detail", args=[blind["candidate"].pk]),
        "board": reverse("hiring:board", args=[job.pk]),
        "search": reverse("hiring:candidate-list") + "?q=",
        "summary": reverse("interviews:application-summary", args=[application.pk]),
        "debrief": reverse("interviews:debrief", args=[application.pk]),
        "feedback": reverse("interviews:feedback", args=[application.pk]),
        "digest": reverse("interviews:job-digest", args=[job.pk]),
    }
    card = Scorecard.objects.filter(interview=blind["interview"], interviewer=user).first()
    if card is not None:
        pages["scorecard"] = reverse("interviews:scorecard-edit", args=[card.pk])
    return pages


def _shown(client, user, blind) -> dict[str, tuple[int, str]]:
    client.force_login(user)
    return {
        name: (r.status_code, r.content.decode()) for name, url in _pages(blind, user).items() if (r := client.get(url))
    }


def _assert_blind(shown: dict[str, tuple[int, str]], label: str, *, expect: set[str]) -> None:
    seen = {name for name, (status, _) in shown.items() if status == 200}
    assert expect <= seen, f"pages not shown: {expect - seen}"
    for name in seen:
        body = shown[name][1]
        leaks = [text for text in GIVEAWAYS if text in body]
        assert not leaks, f"{name} shows {leaks}"
    for name in expect - {"search", "summary"}:
        assert label in shown[name][1], f"{name} does not show {label}"


def _assert_named(shown: dict[str, tuple[int, str]], *, expect: set[str]) -> None:
    for name in expect:
        status, body = shown[name]
        assert status == 200, name
        assert f"{FIRST} {LAST}" in body, f"{name} does not name the candidate"


def test_the_label_is_stable_distinct_and_not_the_id(settings):
    assert candidate_label(7) == candidate_label(7)
    assert candidate_label(7) != candidate_label(8)
    assert candidate_label(7).startswith("Candidate ")
    assert candidate_label(7).removeprefix("Candidate ") != "7"
    first = candidate_label(7)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert candidate_label(7) != first  # keyed: not computable without the secret


def test_an_interviewer_sees_the_label_on_the_kit_scorecard_and_their_interviews(client, users, blind):
    label = candidate_label(blind["application"].pk)
    shown = _shown(client, users["interviewer"], blind)
    _assert_blind(shown, label, expect={"kit", "scorecard", "my interviews", "application page", "candidate page"})
    assert "[school]" in shown["kit"][1]
    assert "[email]" in shown["kit"][1]
    assert "feature store serving 40 teams" in shown["kit"][1]
    assert {shown[name][0] for name in ("board", "search", "digest")} == {404}


def test_an_interviewer_who_submitted_sees_the_summary_without_the_name(
    client, users, blind, django_capture_on_commit_callbacks
):
    _submit_all(blind, django_capture_on_commit_callbacks)
    label = candidate_label(blind["application"].pk)
    shown = _shown(client, users["interviewer"], blind)
    _assert_blind(shown, label, expect={"kit", "scorecard", "application page", "summary", "feedback"})
    assert "Feedback summary" in shown["summary"][1]


def test_the_hiring_manager_sees_the_label_until_the_debrief_and_cannot_reveal_early(client, users, blind):
    label = candidate_label(blind["application"].pk)
    shown = _shown(client, users["manager"], blind)
    _assert_blind(
        shown, label, expect={"kit", "application page", "candidate page", "board", "search", "debrief", "digest"}
    )
    assert "Reveal the candidate" not in shown["application page"][1]
    response = client.post(reverse("hiring:application-reveal", args=[blind["application"].pk]))
    assert response.status_code == 404
    # Searching the name cannot confirm who the label is.
    found = client.get(reverse("hiring:candidate-list"), {"q": LAST}).content.decode()
    assert "No candidates match" in found
    assert label not in found


def test_the_debrief_needs_every_scorecard_of_every_interviewer(users, blind):
    from hiring.rules import can_reveal_identity

    application = blind["application"]
    first, second = Scorecard.objects.filter(interview=blind["interview"]).order_by("pk")
    scorecard_submitted(first)
    assert not can_reveal_identity(users["manager"], application)
    scorecard_submitted(second)
    assert can_reveal_identity(users["manager"], application)
    assert not can_reveal_identity(users["recruiter"], application)  # sees the name anyway; nothing to reveal


def test_the_hiring_manager_reveals_after_the_debrief_and_the_reveal_is_recorded(
    client, users, blind, django_capture_on_commit_callbacks, caplog
):
    _submit_all(blind, django_capture_on_commit_callbacks)
    application = blind["application"]
    label = candidate_label(application.pk)
    shown = _shown(client, users["manager"], blind)
    _assert_blind(
        shown, label, expect={"application page", "candidate page", "board", "summary", "debrief", "digest", "feedback"}
    )
    assert "Reveal the candidate" in shown["application page"][1]

    client.force_login(users["interviewer"])  # an interviewer may not reveal, debrief or not
    assert client.post(reverse("hiring:application-reveal", args=[application.pk])).status_code == 404

    client.force_login(users["manager"])
    with caplog.at_level(logging.INFO, logger="hiring.access"):
        response = client.post(reverse("hiring:application-reveal", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.identity_revealed_by == users["manager"]
    assert application.identity_revealed_at is not None
    [event] = [record for record in caplog.records if record.name == "hiring.access"]
    assert event.what == "blind review reveal"
    assert event.user_id == users["manager"].pk
    assert FIRST not in event.getMessage()
    assert FIRST not in event.label
    from auditlog.models import LogEntry

    [entry] = LogEntry.objects.filter(object_pk=str(application.pk), additional_data__access="blind review reveal")
    assert entry.actor == users["manager"]  # in the audit trail, attributed to who revealed
    assert FIRST not in entry.object_repr

    shown = _shown(client, users["manager"], blind)
    _assert_named(shown, expect={"application page", "candidate page", "board", "debrief", "digest", "kit"})
    # Interviewers stay blind after the reveal.
    _assert_blind(_shown(client, users["interviewer"], blind), label, expect={"kit", "scorecard", "application page"})


@pytest.mark.parametrize("role", ["recruiter", "admin"])
def test_recruiters_and_admins_always_see_the_name(client, users, blind, role):
    shown = _shown(client, users[role], blind)
    _assert_named(shown, expect={"kit", "application page", "candidate page", "board", "debrief", "digest"})
    assert EMAIL in shown["candidate page"][1]
    search = client.get(reverse("hiring:candidate-list"), {"q": LAST}).content.decode()
    assert f"{FIRST} {LAST}" in search


def test_the_resume_file_is_not_downloadable_while_blind(client, users, blind):
    resume = blind["candidate"].resumes.get()
    url = reverse("hiring:resume-download", args=[resume.pk])
    for role, status in (("interviewer", 404), ("manager", 404), ("recruiter", 200)):
        client.force_login(users[role])
        assert client.get(url).status_code == status, role


def test_the_digest_email_of_a_blind_job_names_nobody_until_the_reveal(blind):
    application = blind["application"]
    data = job_digest(job=blind["job"], week=digest_week_start())
    text = digest_text(data)
    assert candidate_label(application.pk) in text
    assert LAST not in text
    Application.objects.filter(pk=application.pk).update(identity_revealed_at=timezone.now())
    assert LAST in digest_text(job_digest(job=blind["job"], week=digest_week_start()))


def test_a_job_without_blind_review_shows_names_to_interviewers(client, users, blind):
    blind["job"].blind_review = False
    blind["job"].save()
    shown = _shown(client, users["interviewer"], blind)
    _assert_named(shown, expect={"kit", "scorecard", "my interviews", "application page", "candidate page"})


def test_the_recruiter_turns_blind_review_on_in_the_job_form(client, users, job):
    client.force_login(users["recruiter"])
    url = reverse("hiring:job-edit", args=[job.pk])
    page = client.get(url).content.decode()
    assert "Blind review" in page
    data = {
        "title": job.title,
        "employment_type": job.employment_type,
        "headcount": 1,
        "status": job.status,
        "blind_review": "on",
    }
    assert client.post(url, data).status_code == 302
    job.refresh_from_db()
    assert job.blind_review is True
    detail = client.get(reverse("hiring:job-detail", args=[job.pk])).content.decode()
    assert "On: interviewers, and hiring managers until the debrief, see a label" in detail


def test_invitations_and_reminders_to_interviewers_name_nobody(users, blind, settings):
    from hiring.models import OutboxMessage
    from interviews.services import interview_invitations_send
    from interviews.services.interviews import interview_ics
    from interviews.services.scorecards import scorecard_reminders_send

    settings.SCORECARD_REMINDER_HOURS = 1
    label = candidate_label(blind["application"].pk)
    interview_invitations_send(interview_id=blind["interview"].pk)
    scorecard_reminders_send()
    messages = list(OutboxMessage.objects.filter(purpose__in=["interview-invitation", "scorecard-reminder"]))
    assert {m.purpose for m in messages} == {"interview-invitation", "scorecard-reminder"}
    for message in messages:
        text = f"{message.subject}\n{message.body_text}\n{message.attachments}"
        assert label in message.subject
        assert FIRST not in text
        assert LAST not in text
    ics = interview_ics(interview=blind["interview"], interviewer=users["interviewer"]).decode()
    assert label in ics
    assert LAST not in ics
