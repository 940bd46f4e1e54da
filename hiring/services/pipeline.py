"""Writes on the pipeline: moving, rejecting and tagging applications, one at a time or in bulk.

Every move locks the application row and checks its ``version``, so two recruiters moving
the same card at the same moment cannot both win: the second one gets a ``MoveConflict``
naming who moved it where, and the stage history stays a single consistent chain.
"""

import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hiring.models import Application, Candidate, EmailTemplate, Job, RejectionReason, Stage, StageChange, Tag, User
from hiring.placeholders import fill_placeholders  # noqa: F401 - kept importable here
from roles import audit

from .emails import candidate_emails_queue
from .webhooks import application_data, webhook_emit, webhook_emit_many

logger = logging.getLogger(__name__)

# More selected applications than this ask for a confirmation before a bulk action runs.
BULK_CONFIRM_OVER = 25


class MoveConflict(Exception):
    """The application changed since the user loaded it; carries the current state."""

    def __init__(self, application: Application, last_change: StageChange | None):
        self.application = application
        self.last_change = last_change
        super().__init__(self.message)

    @property
    def message(self) -> str:
        who = "someone else"
        if self.last_change is not None and self.last_change.actor is not None:
            who = self.last_change.actor.display_name
        app = self.application
        if app.status != Application.Status.ACTIVE:
            return f"{app.candidate.full_name} was {app.get_status_display().lower()} by {who} a moment ago."
        return f"{app.candidate.full_name} was moved by {who} to {app.stage.name} a moment ago."


# Foreign keys the pipeline services fill from rows they have just loaded.
_RELATIONS = [
    "application",
    "candidate",
    "job",
    "stage",
    "from_stage",
    "to_stage",
    "actor",
    "rejection_reason",
    "rejection_email_template",
]


def _lock(application: Application) -> Application:
    """Lock the application row and read its current state.

    No joins in the locking query: when it waits for another mover, PostgreSQL re-checks the
    joined rows against the updated row and would drop it (the old stage no longer matches).
    """
    current = Application.objects.select_for_update().get(pk=application.pk)
    if Application.candidate.is_cached(application) and application.candidate_id == current.candidate_id:
        current.candidate = application.candidate  # the caller's loaded candidate; saves a query
    return current


def _last_change(application: Application) -> StageChange | None:
    return application.stage_changes.select_related("actor").order_by("-created_at", "-id").first()


@transaction.atomic
def application_move(
    *,
    application: Application,
    to_stage: Stage,
    actor: User | None,
    expected_version: int | None = None,
    reason: str = "",
) -> Application:
    """Move an active application to another stage of its job, recording who did it and why."""
    current = _lock(application)
    if expected_version is not None and current.version != expected_version:
        raise MoveConflict(current, _last_change(current))
    if to_stage.job_id != current.job_id:
        raise ValidationError({"to_stage": "That stage belongs to another job."})
    if current.status != Application.Status.ACTIVE:
        raise ValidationError(f"{current.candidate.full_name} is {current.get_status_display().lower()}; not moved.")
    if current.stage_id == to_stage.pk:
        return current
    now = timezone.now()
    change = StageChange(
        application=current,
        from_stage=current.stage,
        to_stage=to_stage,
        from_status=current.status,
        to_status=current.status,
        actor=actor,
        reason=reason[:255],
        created_at=now,
    )
    # The related rows were just loaded (and the application is locked): validate the values,
    # not the existence of each foreign key again (four queries per move saved).
    change.full_clean(exclude=_RELATIONS)
    change.save()
    current.stage = to_stage
    current.stage_entered_at = now
    current.version += 1
    current.full_clean(exclude=_RELATIONS, validate_unique=False, validate_constraints=False)
    current.save(update_fields=["stage", "stage_entered_at", "version", "updated_at"])
    webhook_emit(
        event_type="application.moved",
        data=application_data(current, from_stage_id=change.from_stage_id, actor_id=getattr(actor, "pk", None)),
    )
    return current


@transaction.atomic
def application_reject(
    *,
    application: Application,
    reason: RejectionReason,
    actor: User | None,
    email_template: EmailTemplate | None = None,
    expected_version: int | None = None,
) -> Application:
    """Reject an application with a reason; an optional email is queued in the outbox (sent after the commit)."""
    current = _lock(application)
    if expected_version is not None and current.version != expected_version:
        raise MoveConflict(current, _last_change(current))
    if current.status != Application.Status.ACTIVE:
        raise ValidationError(f"{current.candidate.full_name} is {current.get_status_display().lower()} already.")
    if not reason.active:
        raise ValidationError({"reason": "That rejection reason is no longer offered."})
    if email_template is not None and not email_template.active:
        raise ValidationError({"email_template": "That email template is no longer offered."})
    StageChange.objects.create(
        application=current,
        from_stage=current.stage,
        to_stage=current.stage,
        from_status=current.status,
        to_status=Application.Status.REJECTED,
        actor=actor,
        reason=reason.name[:255],
    )
    current.status = Application.Status.REJECTED
    current.rejection_reason = reason
    current.rejection_email_template = email_template
    current.version += 1
    current.full_clean()
    fields = ["status", "rejection_reason", "rejection_email_template", "version", "updated_at"]
    if email_template is not None and current.rejection_email_sent_at is None:
        job = application.job if Application.job.is_cached(application) else current.job
        if rejection_emails_queue(
            applications=[(current, current.candidate, job)], template=email_template, sender=actor
        ):
            current.rejection_email_sent_at = timezone.now()
            fields.append("rejection_email_sent_at")
    current.save(update_fields=fields)
    return current


@transaction.atomic
def application_reopen(
    *, application: Application, actor: User | None, expected_version: int | None = None, reason: str = ""
) -> Application:
    """Bring a rejected application back into the pipeline, in the stage it was rejected in.

    The rejection stays in the stage history (its ``StageChange``); the reopening is a second
    row. The rejection email, if one was queued, is not queued again should it be rejected anew.
    """
    current = _lock(application)
    if expected_version is not None and current.version != expected_version:
        raise MoveConflict(current, _last_change(current))
    if current.status != Application.Status.REJECTED:
        raise ValidationError(f"{current.candidate.full_name} is {current.get_status_display().lower()}; not reopened.")
    StageChange.objects.create(
        application=current,
        from_stage=current.stage,
        to_stage=current.stage,
        from_status=current.status,
        to_status=Application.Status.ACTIVE,
        actor=actor,
        reason=(reason or "Reopened")[:255],
    )
    current.status = Application.Status.ACTIVE
    current.rejection_reason = None
    current.rejection_email_template = None
    current.version += 1
    current.full_clean(exclude=_RELATIONS, validate_unique=False, validate_constraints=False)
    current.save(update_fields=["status", "rejection_reason", "rejection_email_template", "version", "updated_at"])
    return current


@transaction.atomic
def application_tag(*, application: Application, tag: str | Tag, actor: User | None = None) -> Tag:
    """Tag the application's candidate (tags belong to the person, so every job sees them)."""
    tag_obj = tag if isinstance(tag, Tag) else tag_get_or_create(name=tag)
    application.candidate.tags.add(tag_obj)
    return tag_obj


def tag_get_or_create(*, name: str) -> Tag:
    name = " ".join(name.split())
    existing = Tag.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    tag = Tag(name=name)
    tag.full_clean()
    tag.save()
    return tag


def rejection_emails_queue(
    *,
    applications: Sequence[tuple[Application, Candidate, Job]],
    template: EmailTemplate,
    sender: User | None = None,
) -> int:
    """Queue the rejection email of each (application, candidate, job) with an address.

    Called inside the rejecting transaction, through the path of every email to candidates
    (``hiring.services.emails``): each email shows in its application's thread, waits out the
    undo window, and exists if and only if the rejection committed; the outbox's unique key (one
    per application and address) means a second call never queues a second email. Returns how
    many were queued.
    """
    for application, candidate, _job in applications:
        if not candidate.email:
            logger.info("Application %s: no email address, no rejection email", application.pk)
    rows = candidate_emails_queue(
        items=applications,
        subject=template.subject,
        body=template.body,
        sender=sender,
        purpose="rejection",
        template=template,
    )
    return len(rows)


def _lock_many(applications: Sequence[Application]) -> list[Application]:
    """Lock the rows (in id order, so two bulk actions cannot deadlock) and reload their state."""
    return list(Application.objects.select_for_update().filter(pk__in=[a.pk for a in applications]).order_by("pk"))


@transaction.atomic
def applications_bulk_move(*, applications: Sequence[Application], to_stage: Stage, actor: User | None) -> int:
    """Move every active application of the selection (all of ``to_stage``'s job) or none of them.

    A constant number of queries: one lock, one insert of the history rows, one update.
    """
    wrong_job = [a for a in applications if a.job_id != to_stage.job_id]
    if wrong_job:
        raise ValidationError(
            {"to_stage": f"{len(wrong_job)} of the selected applications belong to another job than that stage."}
        )
    now = timezone.now()
    moving = [
        a
        for a in _lock_many(applications)
        if a.status == Application.Status.ACTIVE and a.stage_id != to_stage.pk and a.job_id == to_stage.job_id
    ]
    StageChange.objects.bulk_create(
        StageChange(
            application=a,
            from_stage_id=a.stage_id,
            to_stage=to_stage,
            from_status=a.status,
            to_status=a.status,
            actor=actor,
            reason="Bulk move",
            created_at=now,
        )
        for a in moving
    )
    Application.objects.filter(pk__in=[a.pk for a in moving]).update(
        stage=to_stage, stage_entered_at=now, version=F("version") + 1, updated_at=now
    )
    audit.record_changes(
        model=Application,
        rows=[(a.pk, f"Application #{a.pk}", {"stage": (a.stage_id, to_stage.pk)}) for a in moving],
        actor=actor,
    )
    webhook_emit_many(
        events=[
            (
                "application.moved",
                {
                    "application_id": a.pk,
                    "job_id": a.job_id,
                    "candidate_id": a.candidate_id,
                    "stage_id": to_stage.pk,
                    "status": a.status,
                    "from_stage_id": a.stage_id,
                    "actor_id": getattr(actor, "pk", None),
                },
            )
            for a in moving
        ]
    )
    return len(moving)


@transaction.atomic
def applications_bulk_reject(
    *,
    applications: Sequence[Application],
    reason: RejectionReason,
    actor: User | None,
    email_template: EmailTemplate | None = None,
) -> int:
    """Reject every active application of the selection (inactive ones are left as they are).

    The optional email is one outbox message per application, delivered after the commit.
    """
    if not reason.active:
        raise ValidationError({"reason": "That rejection reason is no longer offered."})
    if email_template is not None and not email_template.active:
        raise ValidationError({"email_template": "That email template is no longer offered."})
    now = timezone.now()
    rejecting = [a for a in _lock_many(applications) if a.status == Application.Status.ACTIVE]
    StageChange.objects.bulk_create(
        StageChange(
            application=a,
            from_stage_id=a.stage_id,
            to_stage_id=a.stage_id,
            from_status=a.status,
            to_status=Application.Status.REJECTED,
            actor=actor,
            reason=reason.name[:255],
            created_at=now,
        )
        for a in rejecting
    )
    ids = [a.pk for a in rejecting]
    Application.objects.filter(pk__in=ids).update(
        status=Application.Status.REJECTED,
        rejection_reason=reason,
        rejection_email_template=email_template,
        version=F("version") + 1,
        updated_at=now,
    )
    audit.record_changes(
        model=Application,
        rows=[
            (
                a.pk,
                f"Application #{a.pk}",
                {"status": (a.status, Application.Status.REJECTED), "rejection_reason": (None, reason.pk)},
            )
            for a in rejecting
        ],
        actor=actor,
    )
    if email_template is not None:
        to_send = [a.pk for a in rejecting if a.rejection_email_sent_at is None]
        loaded = Application.objects.filter(pk__in=to_send).select_related("candidate", "job").order_by("pk")
        queued = [a for a in loaded if a.candidate.email]
        rejection_emails_queue(
            applications=[(a, a.candidate, a.job) for a in queued], template=email_template, sender=actor
        )
        Application.objects.filter(pk__in=[a.pk for a in queued]).update(rejection_email_sent_at=now)
    return len(rejecting)


@transaction.atomic
def applications_bulk_tag(*, applications: Sequence[Application], tag: str, actor: User | None) -> Tag:
    tag_obj = tag_get_or_create(name=tag)
    through = Tag.candidates.through
    candidate_ids = {a.candidate_id for a in applications}
    existing = set(
        through.objects.filter(tag=tag_obj, candidate_id__in=candidate_ids).values_list("candidate_id", flat=True)
    )
    through.objects.bulk_create(through(tag=tag_obj, candidate_id=cid) for cid in candidate_ids - existing)
    return tag_obj
