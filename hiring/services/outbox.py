"""The outbox: every email leaves through a row written in the business transaction.

Why: sending mail inside a transaction holds row locks (and, on SQLite, the whole write
lock) for as long as the mail server takes, and a rollback after the send cannot unsend
it. So a service that wants to send calls ``outbox_enqueue`` inside its own transaction:
the message is a row that exists if and only if the change committed. After the commit a
task delivers it:

1. ``outbox_claim`` - a short transaction marks due rows ``sending`` with a claim token
   (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so concurrent workers take
   different rows without waiting; a conditional ``UPDATE`` elsewhere, which two workers
   cannot both win);
2. the message is sent with no transaction open;
3. the row is marked ``sent`` - only by the holder of the claim.

A failed send puts the row back to ``pending`` with an exponential backoff
(``OUTBOX_RETRY_BASE_SECONDS`` doubled per attempt, at most ``OUTBOX_RETRY_MAX_SECONDS``)
until ``OUTBOX_MAX_ATTEMPTS``, then ``failed``. A claim older than
``OUTBOX_CLAIM_TIMEOUT_SECONDS`` (the worker died between claim and mark) is claimable
again. The sweeper (``outbox_sweep``, every minute) delivers whatever is due, so a lost
task message or a broker outage delays mail but never loses it. The one window left is a
worker dying after the mail server accepted a message and before the row is marked: that
message is sent again after the claim timeout (at least once, never silently lost).
"""

from __future__ import annotations

import base64
import logging
import os
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from hiring.background import enqueue
from hiring.models import OutboxMessage

logger = logging.getLogger(__name__)

DELIVER_TASK = "hiring.tasks.outbox_deliver"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass
class Email:
    """One email to queue: one recipient, one purpose."""

    purpose: str
    recipient: str
    subject: str
    body_text: str
    body_html: str = ""
    reference: str = ""
    attachments: Sequence[Attachment] = field(default_factory=tuple)
    key: str = ""
    not_before: datetime | None = None  # not due before then (an undo window)

    def outbox_key(self) -> str:
        return self.key or outbox_key(purpose=self.purpose, reference=self.reference, recipient=self.recipient)


def outbox_key(*, purpose: str, reference: str, recipient: str) -> str:
    """The unique key of a message: one per purpose, record and recipient."""
    return f"{purpose}:{reference}:{recipient.strip().lower()}"[:255]


def _row(email: Email, now: datetime) -> OutboxMessage:
    row = OutboxMessage(
        kind=OutboxMessage.Kind.EMAIL,
        key=email.outbox_key(),
        purpose=email.purpose,
        reference=email.reference,
        recipient=email.recipient.strip(),
        subject=" ".join(email.subject.split())[:255],
        body_text=email.body_text,
        body_html=email.body_html,
        attachments=[
            {
                "filename": a.filename,
                "mimetype": a.mimetype,
                "content_b64": base64.b64encode(a.content).decode("ascii"),
            }
            for a in email.attachments
        ],
        next_attempt_at=email.not_before or now,
        created_at=now,
    )
    row.full_clean(validate_unique=False, validate_constraints=False)
    return row


def outbox_enqueue_many(*, emails: Iterable[Email], deliver_on_commit: bool = True) -> list[int]:
    """Queue emails in the caller's transaction; idempotent on each message's key. One query.

    Returns the ids of the messages (new or already queued with the same key). Unless
    ``deliver_on_commit`` is false, a delivery task per message is enqueued after the commit.
    A key queued before keeps its first content: the same message is never queued twice.
    """
    now = timezone.now()
    rows: dict[str, OutboxMessage] = {}
    for email in emails:
        row = _row(email, now)
        rows.setdefault(row.key, row)
    if not rows:
        return []
    # INSERT ... ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id: a no-op
    # update that hands back the id of a row queued before (ignore_conflicts would not).
    created = OutboxMessage.objects.bulk_create(
        list(rows.values()), update_conflicts=True, unique_fields=["key"], update_fields=["key"]
    )
    ids = [row.pk for row in created]
    if deliver_on_commit:
        outbox_deliver_on_commit(message_ids=ids)
    return ids


def outbox_deliver_on_commit(*, message_ids: Sequence[int]) -> None:
    """One on-commit hook for the batch: after the commit, one delivery task per message."""
    ids = list(message_ids)
    if ids:
        transaction.on_commit(lambda: [enqueue(DELIVER_TASK, message_id) for message_id in ids])


def outbox_enqueue(
    *,
    purpose: str,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    reference: str = "",
    attachments: Sequence[Attachment] = (),
    key: str = "",
    deliver_on_commit: bool = True,
) -> int:
    """Queue one email (see ``outbox_enqueue_many``); returns the message's id."""
    email = Email(
        purpose=purpose,
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        reference=reference,
        attachments=tuple(attachments),
        key=key,
    )
    return outbox_enqueue_many(emails=[email], deliver_on_commit=deliver_on_commit)[0]


# --------------------------------------------------------------------------- claiming


def claim_token() -> str:
    """Who holds a claim: host, process and a random part (unique per claim)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _due(now: datetime) -> Q:
    stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
    return Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=stale
    )


def outbox_claim(
    *, ids: Sequence[int] | None = None, limit: int = 50, now: datetime | None = None
) -> list[OutboxMessage]:
    """Claim due messages (all due ones, or those of ``ids``); returns the rows this call won.

    Due: pending and past ``next_attempt_at``, or ``sending`` under a claim older than
    ``OUTBOX_CLAIM_TIMEOUT_SECONDS``. Two queries (three on SQLite without ``ids``) in a
    short transaction of its own: calling it inside another transaction is an error, since
    the mail it leads to would leave before that transaction's outcome is known.
    """
    now = now or timezone.now()
    token = claim_token()
    due = OutboxMessage.objects.filter(_due(now))
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    claim = {
        "status": OutboxMessage.Status.SENDING,
        "claimed_at": now,
        "claimed_by": token,
        "attempts": F("attempts") + 1,
    }
    # durable: a claim inside someone else's transaction would send mail before that
    # transaction commits (or rolls back); refuse it loudly.
    with transaction.atomic(durable=True):
        if connection.features.has_select_for_update_skip_locked:
            # Rows another worker is claiming right now are skipped, not waited for.
            rows = list(due.select_for_update(skip_locked=True).order_by("next_attempt_at", "id")[:limit])
            if rows:
                OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(**claim)
            for row in rows:
                row.status, row.claimed_at, row.claimed_by = OutboxMessage.Status.SENDING, now, token
                row.attempts += 1
            return rows
        # No row locks (SQLite): the UPDATE re-checks "due", so of two workers racing for a
        # row only the first one's UPDATE matches it; each reads back the rows with its token.
        if ids is None:
            ids = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
            if not ids:
                return []
            due = OutboxMessage.objects.filter(_due(now), pk__in=ids)
        if not due.update(**claim):
            return []
        return list(OutboxMessage.objects.filter(claimed_by=token, status=OutboxMessage.Status.SENDING).order_by("id"))


# --------------------------------------------------------------------------- delivering


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the ``attempts``-th failed attempt."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _email(message: OutboxMessage, mail_connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.body_text, to=[message.recipient], connection=mail_connection
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for item in message.attachments:
        email.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    return email


def _send(message: OutboxMessage, mail_connection) -> None:
    if message.kind != OutboxMessage.Kind.EMAIL:
        raise ValueError(f"{message.get_kind_display()} delivery is not available yet")
    _email(message, mail_connection).send()


def _mark_sent(message: OutboxMessage) -> bool:
    marked = OutboxMessage.objects.filter(
        pk=message.pk, claimed_by=message.claimed_by, status=OutboxMessage.Status.SENDING
    ).update(status=OutboxMessage.Status.SENT, sent_at=timezone.now(), claimed_at=None, last_error="")
    if not marked:
        logger.warning("Outbox message %s was sent after its claim timed out and another worker took it", message.pk)
    return bool(marked)


def _mark_failed(message: OutboxMessage, error: Exception) -> None:
    now = timezone.now()
    final = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    OutboxMessage.objects.filter(
        pk=message.pk, claimed_by=message.claimed_by, status=OutboxMessage.Status.SENDING
    ).update(
        status=OutboxMessage.Status.FAILED if final else OutboxMessage.Status.PENDING,
        next_attempt_at=now + retry_delay(message.attempts),
        claimed_at=None,
        claimed_by="",
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    log = logger.error if final else logger.warning
    log("Outbox message %s (%s) failed, attempt %s: %s", message.pk, message.purpose, message.attempts, error)


def _deliver(messages: Sequence[OutboxMessage]) -> int:
    """Send claimed messages, no transaction open; one UPDATE per message. Returns how many were sent."""
    if not messages:
        return 0
    sent = 0
    mail_connection = get_connection()
    try:
        for message in messages:
            try:
                _send(message, mail_connection)
            except Exception as error:  # any failure: retried with backoff, never lost
                _mark_failed(message, error)
                continue
            _mark_sent(message)
            sent += 1
    finally:
        try:
            mail_connection.close()
        except Exception:  # closing a broken connection must not hide what was sent
            logger.debug("Closing the mail connection failed", exc_info=True)
    return sent


def outbox_deliver(*, message_id: int) -> bool:
    """Deliver one message if it is due and nobody else holds it; True when this call sent it.

    Three queries when it sends (claim, read, mark sent), one when there is nothing to do.
    Safe to run twice and from two workers at once: only one of them wins the claim.
    """
    return _deliver(outbox_claim(ids=[message_id], limit=1)) == 1


def outbox_sweep(*, batch: int = 50, max_batches: int = 20) -> int:
    """Deliver every due message (new ones whose task was lost, retries, stale claims).

    Claims ``batch`` rows at a time (two or three queries) and marks each one after its
    send (one query each). Returns how many messages went out.
    """
    sent = 0
    for _ in range(max_batches):
        claimed = outbox_claim(limit=batch)
        if not claimed:
            break
        sent += _deliver(claimed)
        if len(claimed) < batch:
            break
    return sent
