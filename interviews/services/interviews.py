"""Scheduling interviews and inviting their interviewers."""

from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hiring.rules import candidate_name_for
from hiring.services.outbox import Attachment, Email, outbox_enqueue_many
from interviews.models import CompetencyRating, Interview, InterviewInvitation, InterviewStep, Scorecard
from interviews.selectors import interviewer_choices


def scorecards_create_for(*, interview: Interview, interviewers) -> list[Scorecard]:
    """One draft scorecard per interviewer, with the step's competencies copied into it."""
    step = interview.step
    cards = []
    focus = list(step.focus.select_related("competency").prefetch_related("competency__anchors"))
    for person in interviewers:
        card = Scorecard(interview=interview, interviewer=person)
        card.full_clean(exclude=["interview"])
        card.save()
        rows = []
        for index, item in enumerate(focus):
            competency = item.competency
            rows.append(
                CompetencyRating(
                    scorecard=card,
                    competency=competency,
                    name=competency.name,
                    category=competency.category,
                    description=competency.description,
                    weight=competency.weight,
                    anchors={str(anchor.level): anchor.description for anchor in competency.anchors.all()},
                    prompts=item.prompts,
                    order=index,
                )
            )
        CompetencyRating.objects.bulk_create(rows)
        cards.append(card)
    return cards


@transaction.atomic
def interview_schedule(
    *,
    application,
    step: InterviewStep,
    starts_at: datetime,
    ends_at: datetime,
    interviewers,
    location: str = "",
    video_url: str = "",
    created_by=None,
) -> Interview:
    """Schedule an interview, create each interviewer's draft scorecard and queue their invitations.

    The invitations are outbox messages written in this transaction: they go out after the
    commit, and only if it commits.
    """
    interviewers = list(interviewers)
    errors = {}
    if step.plan.job_id != application.job_id:
        errors["step"] = "Pick a step of this job's interview plan."
    if not interviewers:
        errors["interviewers"] = "Choose at least one interviewer."
    else:
        eligible = set(
            interviewer_choices(job=application.job)
            .filter(pk__in=[p.pk for p in interviewers])
            .values_list("pk", flat=True)
        )
        strangers = [p.display_name for p in interviewers if p.pk not in eligible]
        if strangers:
            errors["interviewers"] = (
                f"Not on the hiring team or an interviewer: {', '.join(strangers)}. Add them to the team first."
            )
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = "The interview must end after it starts."
    if errors:
        raise ValidationError(errors)
    interview = Interview(
        application=application,
        step=step,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        video_url=video_url.strip(),
        created_by=created_by,
    )
    interview.full_clean()
    interview.save()
    interview.interviewers.set(interviewers)
    scorecards_create_for(interview=interview, interviewers=interviewers)
    _invitations_queue(interview=interview, people=interviewers)
    return interview


@transaction.atomic
def interview_reschedule(
    *, interview: Interview, starts_at: datetime, ends_at: datetime, location: str = "", video_url: str = ""
) -> Interview:
    """Move an interview in time or place; its interviewers and scorecards stay as they are."""
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": "The interview must end after it starts."})
    interview.starts_at, interview.ends_at = starts_at, ends_at
    interview.location, interview.video_url = location.strip(), video_url.strip()
    interview.full_clean()
    interview.save(update_fields=["starts_at", "ends_at", "location", "video_url"])
    return interview


def interview_ics(*, interview: Interview, interviewer) -> bytes:
    """An iCalendar invitation for one interviewer."""
    from icalendar import Calendar, Event, vCalAddress, vText

    calendar = Calendar()
    calendar.add("prodid", "-//Structured hiring//Interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"interview-{interview.pk}@structured-hiring")
    event.add("dtstamp", timezone.now())
    zone = _zone_of(interviewer)
    event.add("dtstart", interview.starts_at.astimezone(zone))
    event.add("dtend", interview.ends_at.astimezone(zone))
    event.add("summary", f"{interview.step.name}: {candidate_name_for(interviewer, interview.application)}")
    kit_url = settings.SITE_URL.rstrip("/") + reverse("interviews:kit", args=[interview.pk])
    event.add("description", f"Interview kit and scorecard: {kit_url}")
    if interview.location or interview.video_url:
        event["location"] = vText(interview.location or interview.video_url)
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText("Hiring team")
    event["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{interviewer.email}")
    attendee.params["cn"] = vText(interviewer.display_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    calendar.add_missing_timezones()  # the VTIMEZONE of the interviewer's zone, so calendars show their time
    return calendar.to_ical()


def _zone_of(person) -> ZoneInfo:
    """The person's time zone (the site's when unset or unknown to this system)."""
    try:
        return ZoneInfo(getattr(person, "zone_name", "") or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def _invitation_email(*, interview: Interview, interviewer) -> Email:
    candidate = candidate_name_for(interviewer, interview.application)  # blind review: the label
    kit_url = settings.SITE_URL.rstrip("/") + reverse("interviews:kit", args=[interview.pk])
    zone = _zone_of(interviewer)
    when = f"{interview.starts_at.astimezone(zone):%a %d %b %Y, %H:%M} ({zone.key})"
    where = interview.location or interview.video_url or "to be confirmed"
    body = (
        f"Hello {interviewer.display_name},\n\n"
        f"You are interviewing {candidate} for {interview.application.job.title} ({interview.step.name}).\n"
        f"When: {when} ({interview.step.duration_minutes} minutes)\nWhere: {where}\n\n"
        f"The interview kit (résumé, focus competencies, prompts) and your scorecard: {kit_url}\n"
        "Please write your scorecard before reading anyone else's.\n"
    )
    return Email(
        purpose="interview-invitation",
        reference=f"interview:{interview.pk}",
        recipient=interviewer.email,
        subject=f"Interview: {candidate}, {interview.step.name}",
        body_text=body,
        attachments=[
            Attachment("interview.ics", interview_ics(interview=interview, interviewer=interviewer), "text/calendar")
        ],
    )


def _invitations_queue(*, interview: Interview, people) -> int:
    """Record the invitations and queue their emails, in the caller's transaction (two queries)."""
    if not people:
        return 0
    now = timezone.now()
    InterviewInvitation.objects.bulk_create(
        InterviewInvitation(interview=interview, interviewer=person, sent_at=now) for person in people
    )
    outbox_enqueue_many(
        emails=[_invitation_email(interview=interview, interviewer=person) for person in people if person.email]
    )
    return len(people)


@transaction.atomic
def interview_invitations_send(*, interview_id: int) -> int:
    """Queue an invitation for every interviewer not invited yet; safe to run twice.

    The interview row is locked while the invitations are recorded, so two runs at once
    invite each interviewer once; the emails are outbox messages sent after the commit.
    Returns how many invitations this run queued.
    """
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("step", "application__candidate", "application__job")
        .filter(pk=interview_id)
        .first()
    )
    if interview is None:
        return 0
    invited = set(InterviewInvitation.objects.filter(interview=interview).values_list("interviewer_id", flat=True))
    people = [person for person in interview.interviewers.all() if person.pk not in invited]
    return _invitations_queue(interview=interview, people=people)
