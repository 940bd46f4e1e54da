"""The activity timeline of a candidate: stage changes, notes, résumés and interviews, newest first.

Four queries whatever the history (one per kind of event), each limited to what the user
may see; the events are merged in Python. Interview events come from the app above hiring
through ``hiring.extensions`` (one query).
"""

import html

from django.db.models import Q
from django.utils.html import strip_tags

from hiring import extensions
from hiring.extensions import TimelineEvent
from hiring.models import Application, Candidate, CandidateEmail, Resume, StageChange
from hiring.rules import applications_visible_to, notes_visible_to

from .candidates import render_markdown, sees_private_candidate_details

PER_KIND = 50
STATUS_LABELS = dict(Application.Status.choices)


def _stage_title(change: StageChange) -> str:
    job = change.application.job.title
    if change.from_stage is None and change.to_stage is not None:
        return f"Applied to {job} ({change.to_stage.name})"
    if change.to_status and change.to_status != change.from_status and change.to_status != "active":
        return f"{STATUS_LABELS.get(change.to_status, change.to_status)} for {job}"
    from_name = change.from_stage.name if change.from_stage else "—"
    to_name = change.to_stage.name if change.to_stage else "—"
    return f"Moved from {from_name} to {to_name} ({job})"


def candidate_timeline(
    *, user, candidate: Candidate, application_id: int | None = None, visible_application_ids: list[int] | None = None
) -> list[TimelineEvent]:
    """What happened to a candidate (or one of their applications), as the user may see it.

    ``visible_application_ids``: the candidate's applications the caller already loaded from
    ``applications_visible_to`` (saves a query and gives the planner a plain id list).
    """
    if visible_application_ids is None:
        visible_application_ids = list(
            applications_visible_to(user=user).filter(candidate=candidate).values_list("pk", flat=True)
        )
    applications = [pk for pk in visible_application_ids if application_id is None or pk == application_id]
    events: list[TimelineEvent] = []
    private = sees_private_candidate_details(user=user)

    if private:
        changes = (
            StageChange.objects.filter(application_id__in=applications)
            .select_related("from_stage", "to_stage", "actor", "application__job")
            .order_by("-created_at", "-id")[:PER_KIND]
        )
        for change in changes:
            events.append(
                TimelineEvent(
                    at=change.created_at,
                    kind="stage",
                    title=_stage_title(change),
                    detail=change.reason,
                    actor=change.actor.display_name if change.actor else "",
                )
            )
        # Emails written to the candidate show on the application's own timeline (its page), where
        # the thread is; the profile's timeline of every application keeps its query count.
        emails = (
            CandidateEmail.objects.filter(application_id=application_id, status=CandidateEmail.Status.SCHEDULED)
            .select_related("sent_by")
            .order_by("-created_at", "-id")[:PER_KIND]
            if application_id is not None
            else []
        )
        for email in emails:
            events.append(
                TimelineEvent(
                    at=email.created_at,
                    kind="email",
                    title=f"Email to the candidate: {email.subject}",
                    detail=" ".join(email.body_text.split())[:140],
                    actor=email.sent_by.display_name if email.sent_by else "",
                )
            )
        notes = notes_visible_to(
            user=user, candidate=candidate, visible_application_ids=visible_application_ids
        ).select_related("author", "application__job")
        if application_id is not None:
            notes = notes.filter(Q(application_id=application_id) | Q(application__isnull=True))
        for note in notes.order_by("-created_at", "-id")[:PER_KIND]:
            about = f" about {note.application.job.title}" if note.application else ""
            events.append(
                TimelineEvent(
                    at=note.created_at,
                    kind="note",
                    title=f"Note added{about}",
                    detail=" ".join(html.unescape(strip_tags(render_markdown(note.body))).split())[:140],
                    actor=note.author.display_name if note.author else "",
                )
            )

    for resume in (
        Resume.objects.filter(candidate=candidate).select_related("uploaded_by").order_by("-created_at")[:PER_KIND]
    ):
        events.append(
            TimelineEvent(
                at=resume.created_at,
                kind="resume",
                title=f"Résumé uploaded: {resume.original_name}",
                detail=resume.get_status_display(),
                actor=resume.uploaded_by.display_name if resume.uploaded_by else "",
            )
        )

    events.extend(extensions.timeline_events(user=user, application_ids=applications, private=private, limit=PER_KIND))
    events.sort(key=lambda event: event.at, reverse=True)
    return events


__all__ = ["PER_KIND", "TimelineEvent", "candidate_timeline"]
