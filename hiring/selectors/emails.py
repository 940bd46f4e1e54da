"""Reads for email to candidates: the placeholders' values, the preview and the thread."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from hiring import extensions
from hiring.models import Application, Candidate, CandidateEmail, Job, User
from hiring.placeholders import fill_placeholders


def candidate_zone(candidate: Candidate) -> zoneinfo.ZoneInfo:
    """The candidate's time zone when one is on file, else the site's (``TIME_ZONE``)."""
    name = str(getattr(candidate, "time_zone", "") or settings.TIME_ZONE)
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def next_interview_at(*, application: Application, user: User | None) -> datetime | None:
    """The application's next scheduled interview, from the app above hiring (one query)."""
    if user is None:
        return None
    now = timezone.now()
    events = extensions.timeline_events(user=user, application_ids=[application.pk], private=True, limit=20)
    upcoming = sorted(event.at for event in events if event.kind == "interview" and event.at > now)
    return upcoming[0] if upcoming else None


def email_values(*, application: Application, candidate: Candidate, job: Job, sender: User | None) -> dict[str, str]:
    """What the placeholders of an email template stand for, for this application."""
    when = next_interview_at(application=application, user=sender)
    zone = candidate_zone(candidate)
    interview_time = (
        f"{when.astimezone(zone):%A %d %B %Y, %H:%M} ({zone.key})" if when is not None else "(no interview scheduled)"
    )
    return {
        "candidate_name": candidate.full_name,
        "first_name": candidate.first_name,
        "job_title": job.title,
        "interview_time": interview_time,
        "recruiter_name": sender.display_name if sender is not None else "The hiring team",
    }


def email_preview(*, application: Application, sender: User | None, subject: str, body: str) -> dict[str, str]:
    values = email_values(application=application, candidate=application.candidate, job=application.job, sender=sender)
    return {
        "recipient": application.candidate.email,
        "subject": " ".join(fill_placeholders(subject, values).split()),
        "body": fill_placeholders(body, values),
    }


def application_emails(*, application: Application) -> QuerySet[CandidateEmail]:
    """The thread: every email written about the application, oldest first, with its delivery state."""
    return (
        CandidateEmail.objects.filter(application_id=application.pk)
        .select_related("outbox_message", "sent_by")
        .order_by("created_at", "id")
    )


def application_email_list(*, application: Application) -> list[CandidateEmail]:
    """``application_emails`` as a list, loaded once per application object: the page's email
    thread and its timeline share one query."""
    if "_email_list" not in application.__dict__:
        application.__dict__["_email_list"] = list(application_emails(application=application))
    return application.__dict__["_email_list"]


def email_state(email: CandidateEmail, now: datetime | None = None) -> str:
    """ "undone", "scheduled" (inside the undo window), "queued", "sent" or "failed"."""
    if email.status == CandidateEmail.Status.UNDONE:
        return "undone"
    message = email.outbox_message
    if message is None:
        return "sent"
    if message.status in ("sent", "failed"):
        return message.status
    if message.status == "pending" and message.attempts == 0 and (now or timezone.now()) < email.send_after:
        return "scheduled"
    return "queued"
