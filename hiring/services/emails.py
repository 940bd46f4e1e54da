"""Email to candidates: written in the app, held for an undo window, then sent by the outbox.

``candidate_email_send`` writes the email's thread row and its outbox row in one transaction;
the outbox row is not due before the end of the undo window (``CANDIDATE_EMAIL_UNDO_SECONDS``, 30 s), and a delivery
task is enqueued for that moment (the outbox sweeper sends it if that message is lost).
``candidate_email_undo`` deletes the outbox row only while it is still pending: the delete and
the outbox's claim both check the row's status, so either the undo wins and nothing leaves, or
the claim wins and the undo answers "already sent". Rejection emails (one or in bulk) take the
same path: one row per application and address, queued once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hiring.background import enqueue
from hiring.models import Application, Candidate, CandidateEmail, EmailTemplate, Job, OutboxMessage, User
from hiring.placeholders import fill_placeholders
from hiring.selectors.emails import email_values

from .outbox import DELIVER_TASK, Attachment, Email, outbox_enqueue_many


@dataclass(frozen=True)
class Filled:
    subject: str
    body_text: str


def email_fill(*, subject: str, body: str, values: dict[str, str]) -> Filled:
    return Filled(
        subject=" ".join(fill_placeholders(subject, values).split())[:255], body_text=fill_placeholders(body, values)
    )


def candidate_emails_queue(
    *,
    items: Sequence[tuple[Application, Candidate, Job]],
    subject: str,
    body: str,
    sender: User | None,
    purpose: str = "message",
    template: EmailTemplate | None = None,
    undo_seconds: int | None = None,
    reference: str = "",
    attachments: Sequence[Attachment] = (),
) -> list[CandidateEmail]:
    """Queue one email per (application, candidate, job) with an address, inside the caller's transaction.

    Two queries plus one per email (the thread rows need the outbox ids). A rejection's outbox
    key is one per application and address, so a second rejection path never sends twice.
    """
    if undo_seconds is None:
        undo_seconds = settings.CANDIDATE_EMAIL_UNDO_SECONDS
    now = timezone.now()
    send_after = now + timedelta(seconds=undo_seconds)
    rows: list[CandidateEmail] = []
    emails: list[Email] = []
    for application, candidate, job in items:
        if not candidate.email:
            continue
        filled = email_fill(
            subject=subject,
            body=body,
            values=email_values(application=application, candidate=candidate, job=job, sender=sender),
        )
        row = CandidateEmail(
            application=application,
            template=template,
            purpose=purpose,
            recipient=candidate.email,
            subject=filled.subject,
            body_text=filled.body_text,
            send_after=send_after,
            sent_by=sender,
            created_at=now,
        )
        row.full_clean(exclude=["application", "template", "sent_by", "outbox_message"])
        rows.append(row)
    if not rows:
        return []
    CandidateEmail.objects.bulk_create(rows)
    for row in rows:
        if purpose == "rejection":
            row_reference = f"application:{row.application_id}"
        else:
            row_reference = reference or f"candidate-email:{row.pk}"
        emails.append(
            Email(
                purpose=purpose if purpose in ("rejection", "offer-letter") else "candidate-email",
                reference=row_reference,
                recipient=row.recipient,
                subject=row.subject,
                body_text=row.body_text,
                not_before=send_after,
                attachments=tuple(attachments),
            )
        )
    ids = outbox_enqueue_many(emails=emails, deliver_on_commit=False)
    for row, message_id in zip(rows, ids, strict=True):
        row.outbox_message_id = message_id
    CandidateEmail.objects.bulk_update(rows, ["outbox_message"])
    # One on-commit hook for the batch: a delivery task per message, due when its window closes.
    countdown = undo_seconds + 1
    transaction.on_commit(lambda: [enqueue(DELIVER_TASK, message_id, countdown=countdown) for message_id in ids])
    return rows


@transaction.atomic
def candidate_email_send(
    *,
    application: Application,
    sender: User | None,
    subject: str,
    body: str,
    template: EmailTemplate | None = None,
    undo_seconds: int | None = None,
) -> CandidateEmail:
    """Write to the application's candidate; it leaves after the undo window unless undone."""
    current = Application.objects.select_related("candidate", "job").get(pk=application.pk)
    if not current.candidate.email:
        raise ValidationError(f"{current.candidate.full_name} has no email address on file.")
    if template is not None and not template.active:
        raise ValidationError({"template": "That email template is no longer offered."})
    if not subject.strip() or not body.strip():
        raise ValidationError("Write a subject and a message.")
    rows = candidate_emails_queue(
        items=[(current, current.candidate, current.job)],
        subject=subject,
        body=body,
        sender=sender,
        template=template,
        undo_seconds=undo_seconds,
    )
    return rows[0]


@transaction.atomic
def candidate_email_undo(*, email: CandidateEmail, actor: User | None) -> CandidateEmail:
    """Take the email back while its outbox row is still pending; else "already sent"."""
    current = CandidateEmail.objects.select_for_update().get(pk=email.pk)
    if current.status == CandidateEmail.Status.UNDONE:
        return current
    # Lock the outbox row while it is still pending, then delete it. The lock is what the claim
    # respects (it skips locked rows; a lock taken after its claim re-reads "sending" and finds
    # nothing). A plain conditional delete would not do: Django reads the rows first (to clear
    # this row's link) and then deletes by id, without checking the status again.
    message = (
        OutboxMessage.objects.select_for_update()
        .filter(pk=current.outbox_message_id, status=OutboxMessage.Status.PENDING, attempts=0)
        .first()
        if current.outbox_message_id is not None
        else None
    )
    if message is None:
        raise ValidationError("Too late to undo: the email has been sent.", code="sent")
    current.status = CandidateEmail.Status.UNDONE
    current.undone_at = timezone.now()
    current.outbox_message = None
    current.save(update_fields=["status", "undone_at", "outbox_message"])
    message.delete()
    return current
