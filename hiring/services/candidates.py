"""Writes about candidates: creating them, applying them to jobs, notes."""

import re
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hiring.models import Application, Candidate, Job, Note, StageChange, Tag

from .pipeline import tag_get_or_create
from .webhooks import application_data, webhook_emit

NOTE_MAX_CHARS = 20_000


class DuplicateCandidate(ValidationError):
    """A candidate with the same email or phone exists; the caller proposes it instead."""

    def __init__(self, *, existing: Candidate, match: str):
        self.existing = existing
        self.match = match  # "email" or "phone"
        what = "email address" if match == "email" else "phone number"
        super().__init__(f"{existing.full_name} already has this {what}.", code=f"duplicate_{match}")


def phone_digits(phone: str) -> str:
    """The digits of a phone number, as the database's ``phone_digits`` column keeps them."""
    return re.sub(r"\D", "", phone or "")


def candidate_find_duplicate(*, email: str = "", phone: str = "") -> tuple[Candidate | None, str]:
    """An existing candidate with this email (case-insensitive) or phone (same digits).

    Returns ``(candidate, "email" | "phone")`` or ``(None, "")``. An email match wins.
    """
    email = (email or "").strip()
    if email:
        existing = Candidate.objects.filter(email__iexact=email).order_by("id").first()
        if existing is not None:
            return existing, "email"
    digits = phone_digits(phone)
    if len(digits) >= 6:
        existing = Candidate.objects.filter(phone_digits=digits).order_by("id").first()
        if existing is not None:
            return existing, "phone"
    return None, ""


def _tags_from_names(names: Iterable[str]) -> list[Tag]:
    """Tags by name, matched case-insensitively (as the pipeline's tagging does), created when new."""
    tags: dict[str, Tag] = {}
    for raw in names:
        name = " ".join((raw or "").split())[:50]
        if not name or name.lower() in tags:
            continue
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag, _ = Tag.objects.get_or_create(name=name)
        tags[name.lower()] = tag
    return list(tags.values())


@transaction.atomic
def candidate_create(
    *,
    first_name: str,
    last_name: str = "",
    email: str = "",
    phone: str = "",
    location: str = "",
    links: list[str] | None = None,
    source: str = "",
    tags: Iterable[str] = (),
    consent_at: datetime | None = None,
    actor=None,
    allow_phone_duplicate: bool = False,
    job: Job | None = None,
) -> Candidate:
    """Create a candidate (and apply them to ``job``), unless the same person is already on file.

    The same email never makes a second record (``DuplicateCandidate`` with ``match="email"``);
    the same phone number does only when ``allow_phone_duplicate`` says the recruiter checked.
    Both writes happen together or not at all.
    """
    existing, match = candidate_find_duplicate(email=email, phone=phone)
    if existing is not None and (match == "email" or not allow_phone_duplicate):
        raise DuplicateCandidate(existing=existing, match=match)
    candidate = Candidate(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        location=location.strip(),
        links=list(links or []),
        source=source.strip(),
        consent_at=consent_at,
    )
    candidate.full_clean(exclude=["search_document", "phone_digits"])
    candidate.save()
    tag_objects = _tags_from_names(tags)
    if tag_objects:
        candidate.tags.add(*tag_objects)
    if job is not None:
        application_create(candidate=candidate, job=job, actor=actor, source=candidate.source)
    return candidate


CANDIDATE_FIELDS = ("first_name", "last_name", "email", "phone", "location", "links", "source", "consent_at")


@transaction.atomic
def candidate_update(*, candidate: Candidate, tags: Iterable[Tag] | None = None, **fields) -> Candidate:
    """Change a person's details; an email or phone another candidate already has is refused."""
    unknown = set(fields) - set(CANDIDATE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(candidate, name, value.strip() if isinstance(value, str) else value)
    candidate.email = candidate.email.lower()
    errors = {}
    if candidate.email and Candidate.objects.filter(email__iexact=candidate.email).exclude(pk=candidate.pk).exists():
        errors["email"] = "Another candidate already has this email address."
    digits = phone_digits(candidate.phone)
    if len(digits) >= 6 and Candidate.objects.filter(phone_digits=digits).exclude(pk=candidate.pk).exists():
        errors["phone"] = "Another candidate already has this phone number."
    if errors:
        raise ValidationError(errors, code="duplicate")
    candidate.version += 1
    candidate.full_clean(exclude=["search_document", "phone_digits"])
    candidate.save()
    if tags is not None:
        candidate.tags.set(tags)
    return candidate


class CandidateConflict(ValidationError):
    """The record changed since the user loaded it (another edit or a merge); nothing was written."""

    def __init__(self, candidate: Candidate):
        self.candidate = candidate
        if candidate.merged_into_id is not None:
            message = f"{candidate.full_name} was merged into another record a moment ago; nothing was changed."
        else:
            message = f"{candidate.full_name} was changed by someone else a moment ago; reload to see their changes."
        super().__init__(message, code="conflict")


@transaction.atomic
def candidate_edit(
    *, candidate: Candidate, expected_version: int, tags: Iterable[str] | None = None, **fields
) -> Candidate:
    """A recruiter's edit of contact details, links, source and tags: under the row lock, and only
    from the version the form was loaded with (a concurrent edit or merge raises ``CandidateConflict``)."""
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.version != expected_version or locked.merged_into_id is not None:
        raise CandidateConflict(locked)
    tag_objects = None
    if tags is not None:
        tag_objects = [tag_get_or_create(name=name) for name in dict.fromkeys(tags)]
    return candidate_update(candidate=locked, tags=tag_objects, **fields)


@transaction.atomic
def candidate_delete(*, candidate: Candidate) -> None:
    """Remove a person and everything about them (applications, notes, résumés, interviews)."""
    candidate.delete()


def candidate_touch(*, candidate_id: int) -> None:
    """Mark activity on a candidate (the list's "last activity" order)."""
    Candidate.objects.filter(pk=candidate_id).update(updated_at=timezone.now())


@transaction.atomic
def application_create(*, candidate: Candidate, job: Job, actor=None, source: str = "") -> Application:
    """Apply a candidate to a job: first stage, active, with its first ``StageChange``."""
    first_stage = job.stages.order_by("order", "id").first()
    if first_stage is None:
        raise ValidationError(f"{job.title} has no stages yet; add a stage before adding candidates.", code="no_stage")
    if Application.objects.filter(candidate=candidate, job=job).exists():
        raise ValidationError(f"{candidate.full_name} has already applied to {job.title}.", code="already_applied")
    now = timezone.now()
    application = Application(candidate=candidate, job=job, stage=first_stage, stage_entered_at=now, applied_at=now)
    application.full_clean(exclude=["candidate", "job", "stage"], validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # a concurrent request applied the same pair first
        raise ValidationError(
            f"{candidate.full_name} has already applied to {job.title}.", code="already_applied"
        ) from error
    StageChange.objects.create(
        application=application,
        from_stage=None,
        to_stage=first_stage,
        from_status="",
        to_status=Application.Status.ACTIVE,
        actor=actor,
        reason=f"Applied ({source})"[:255] if source else "Applied",
        created_at=now,
    )
    candidate_touch(candidate_id=candidate.pk)
    webhook_emit(event_type="application.created", data=application_data(application, source=source))
    return application


@transaction.atomic
def application_delete(*, application: Application) -> None:
    """Remove an application entered by mistake: still active where it started, never moved.

    Any other is rejected or withdrawn instead, so its history (and its interviews) stay.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.ACTIVE or locked.stage_changes.count() > 1:
        raise ValidationError(
            "This application has a history on the board; reject it instead of deleting it.", code="has_history"
        )
    locked.delete()


@transaction.atomic
def note_create(*, candidate: Candidate, author, body: str, application: Application | None = None) -> Note:
    """A Markdown note on a candidate (optionally about one application), for the hiring team."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something first."}, code="empty")
    if len(body) > NOTE_MAX_CHARS:
        raise ValidationError({"body": f"Keep notes under {NOTE_MAX_CHARS:,} characters."}, code="too_long")
    if application is not None and application.candidate_id != candidate.pk:
        raise ValidationError("That application belongs to another candidate.", code="wrong_candidate")
    note = Note(candidate=candidate, application=application, author=author, body=body)
    note.full_clean(exclude=["candidate", "application", "author"])
    note.save()
    candidate_touch(candidate_id=candidate.pk)
    return note
