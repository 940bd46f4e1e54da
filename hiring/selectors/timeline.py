"""The activity timeline of a candidate: stage changes, notes, résumés and interviews, newest first.

Four queries whatever the history (one per kind of event), each limited to what the user
may see; the events are merged in Python. Interview events come from the app above hiring
through ``hiring.extensions`` (one query).
"""

import html
from collections.abc import Sequence

from django.db.models import Q
from django.utils.html import strip_tags

from hiring import extensions
from hiring.extensions import TimelineEvent
from hiring.models import Application, Candidate, CandidateEmail, Note, Resume, StageChange
from hiring.rules import applications_visible_to, notes_visible_to

from .candidates import render_markdown, sees_private_candidate_details

PER_KIND = 50
STATUS_LABELS = dict(Application.Status.choices)


def _stage_title(change: StageChange) -> str:
    job = change.application.job.title
    if change.from_stage is None and change.to_stage is not None:
        return f"Applied to {job} ({change.to_stage.name})"
    if change.to_status == "active" and change.from_status and change.from_status != "active":
        return f"Reopened for {job} ({change.to_stage.name if change.to_stage else '—'})"
    if change.to_status and change.to_status != change.from_status and change.to_status != "active":
        return f"{STATUS_LABELS.get(change.to_status, change.to_status)} for {job}"
    from_name = change.from_stage.name if change.from_stage else "—"
    to_name = change.to_stage.name if change.to_stage else "—"
    return f"Moved from {from_name} to {to_name} ({job})"


def candidate_timeline(
    *,
    user,
    candidate: Candidate,
    application_id: int | None = None,
    visible_application_ids: list[int] | None = None,
    stage_changes: Sequence[StageChange] | None = None,
    notes: Sequence[Note] | None = None,
    resumes: Sequence[Resume] | None = None,
    hide_file_names: bool = False,
    emails: Sequence[CandidateEmail] | None = None,
) -> list[TimelineEvent]:
    """What happened to a candidate (or one of their applications), as the user may see it.

    ``hide_file_names``: blind review; a résumé's file name often carries the candidate's name.

    ``visible_application_ids``: the candidate's applications the caller already loaded from
    ``applications_visible_to`` (saves a query and gives the planner a plain id list).
    ``stage_changes`` / ``notes`` / ``resumes`` / ``emails`` (the application's): rows the page
    loaded already (with their actor, author, uploader and application's job), so the timeline reuses them instead of
    asking again; they must be what this user may see, as the selectors here would load them.
    """
    if visible_application_ids is None:
        visible_application_ids = list(
            applications_visible_to(user=user).filter(candidate=candidate).values_list("pk", flat=True)
        )
    applications = [pk for pk in visible_application_ids if application_id is None or pk == application_id]
    events: list[TimelineEvent] = []
    private = sees_private_candidate_details(user=user)

    if private:
        if stage_changes is None:
            changes: Sequence[StageChange] = list(
                StageChange.objects.filter(application_id__in=applications)
                .select_related("from_stage", "to_stage", "actor", "application__job")
                .order_by("-created_at", "-id")[:PER_KIND]
            )
        else:
            changes = sorted(stage_changes, key=lambda c: (c.created_at, c.pk), reverse=True)[:PER_KIND]
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
        if emails is None and application_id is not None:
            emails = list(
                CandidateEmail.objects.filter(application_id=application_id, status=CandidateEmail.Status.SCHEDULED)
                .select_related("sent_by")
                .order_by("-created_at", "-id")[:PER_KIND]
            )
        written = [email for email in emails or () if email.status == CandidateEmail.Status.SCHEDULED]
        for email in sorted(written, key=lambda e: (e.created_at, e.id), reverse=True)[:PER_KIND]:
            events.append(
                TimelineEvent(
                    at=email.created_at,
                    kind="email",
                    title=f"Email to the candidate: {email.subject}",
                    detail=" ".join(email.body_text.split())[:140],
                    actor=email.sent_by.display_name if email.sent_by else "",
                )
            )
        if notes is None:
            queryset = notes_visible_to(
                user=user, candidate=candidate, visible_application_ids=visible_application_ids
            ).select_related("author", "application__job")
            if application_id is not None:
                queryset = queryset.filter(Q(application_id=application_id) | Q(application__isnull=True))
            notes = list(queryset.order_by("-created_at", "-id")[:PER_KIND])
        for note in notes[:PER_KIND]:
            about = f" about {note.application.job.title}" if note.application else ""
            events.append(
                TimelineEvent(
                    at=note.created_at,
                    kind="note",
                    title=f"Note added{about}",
                    detail=" ".join(
                        html.unescape(
                            strip_tags(getattr(note, "body_html", None) or render_markdown(note.body))
                        ).split()
                    )[:140],
                    actor=note.author.display_name if note.author else "",
                )
            )

    if resumes is None:
        resumes = list(
            Resume.objects.filter(candidate=candidate).select_related("uploaded_by").order_by("-created_at")[:PER_KIND]
        )
    for resume in resumes[:PER_KIND]:
        events.append(
            TimelineEvent(
                at=resume.created_at,
                kind="resume",
                title="Résumé uploaded" if hide_file_names else f"Résumé uploaded: {resume.original_name}",
                detail=resume.get_status_display(),
                actor=resume.uploaded_by.display_name if resume.uploaded_by else "",
            )
        )

    events.extend(extensions.timeline_events(user=user, application_ids=applications, private=private, limit=PER_KIND))
    events.sort(key=lambda event: event.at, reverse=True)
    return events


__all__ = ["PER_KIND", "TimelineEvent", "candidate_timeline"]
