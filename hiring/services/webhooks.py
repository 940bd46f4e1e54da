"""Outgoing webhooks: events written with the change, delivered after the commit, signed.

``webhook_emit(event_type=..., data=...)`` is the one call a service makes, inside its own
transaction: it writes one ``WebhookDelivery`` row per active endpoint subscribed to the
event, so a delivery exists if and only if the change committed. After the commit a task per
row delivers it, following the outbox's pattern (``hiring/services/outbox.py``):

1. ``webhook_claim`` - a short transaction of its own marks due rows ``sending`` with a claim
   token (``SKIP LOCKED`` on PostgreSQL, a conditional UPDATE elsewhere);
2. the HTTP POST runs with no transaction open;
3. the attempt is logged (status code, duration) and the row marked by the claim holder only.

Each request carries the Standard Webhooks headers: ``webhook-id`` (the same on every retry,
so a receiver can drop repeats), ``webhook-timestamp`` and ``webhook-signature``
(``v1,`` + base64 of HMAC-SHA256 over ``id.timestamp.body`` with the endpoint's key). Any
answer but a 2xx is a failure: retried with exponential backoff until ``retry_until`` (24 hours
after the event). An endpoint failing ``WEBHOOK_DISABLE_AFTER_FAILURES`` times in a row, or
whose delivery ran out of retries, is disabled and the admins are emailed through the outbox.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from hiring import groups
from hiring.background import enqueue
from hiring.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

from .outbox import Email, claim_token, outbox_enqueue_many

logger = logging.getLogger(__name__)

DELIVER_TASK = "hiring.tasks.webhook_deliver"
SECRET_PREFIX = "whsec_"  # noqa: S105 - the marker in front of a secret, not one
# The events an endpoint may subscribe to, each emitted by its service in the changing transaction.
EVENT_TYPES: dict[str, str] = {
    "application.created": "A candidate applied to a job (any way: page, API, careers site).",
    "application.moved": "An application moved to another stage.",
    "scorecard.submitted": "An interviewer submitted a scorecard.",
    "summary.ready": "The feedback summary of an application was rebuilt.",
    "offer.accepted": "A candidate accepted an offer.",
    "candidate.erased": "A candidate's personal data was erased.",
}
ENDPOINTS_CACHE_KEY = "hiring:webhook-endpoints:v1"
ENDPOINTS_CACHE_SECONDS = 60


# --------------------------------------------------------------------------- signing


def webhook_secret_new() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def webhook_signature(*, secret: str, msg_id: str, timestamp: int, body: str) -> str:
    """``v1,<base64 HMAC-SHA256>`` over ``msg_id.timestamp.body`` (Standard Webhooks)."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


# --------------------------------------------------------------------------- endpoints


def _active_endpoints() -> list[tuple[int, list[str]]]:
    """(id, events) of the active endpoints; cached, so a change that emits costs no query
    when nothing is registered. Every endpoint write goes through ``webhook_endpoint_save``,
    which forgets the cached list."""
    try:
        found = cache.get(ENDPOINTS_CACHE_KEY)
    except Exception:  # a cache that is down must not fail the change that emits: read the table
        logger.warning("Webhook endpoints: the cache is unreachable; reading them from the database")
        found, cache_up = None, False
    else:
        cache_up = True
    if found is None:
        found = [
            (pk, list(events or []))
            for pk, events in WebhookEndpoint.objects.filter(active=True).values_list("pk", "events")
        ]
        if cache_up:
            with contextlib.suppress(Exception):
                cache.set(ENDPOINTS_CACHE_KEY, found, ENDPOINTS_CACHE_SECONDS)
    return found


def webhook_endpoints_forget() -> None:
    """Drop the cached endpoint list (the next emit reads it again)."""
    with contextlib.suppress(Exception):  # an unreachable cache holds nothing to forget
        cache.delete(ENDPOINTS_CACHE_KEY)


def webhook_endpoints_changed() -> None:
    """Forget the cached list now and again after the commit (a concurrent emit may have cached the old one)."""
    webhook_endpoints_forget()
    transaction.on_commit(webhook_endpoints_forget)


@transaction.atomic
def webhook_endpoint_save(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Create or change an endpoint: known event types only; a new endpoint gets a secret; turning
    a disabled endpoint back on clears its failure streak."""
    unknown = sorted(set(endpoint.events or []) - set(EVENT_TYPES))
    if unknown:
        raise ValidationError({"events": f"Unknown event types: {', '.join(unknown)}."})
    if not isinstance(endpoint.events, list) or not endpoint.events:
        raise ValidationError({"events": "Choose at least one event."})
    if not endpoint.secret:
        endpoint.secret = webhook_secret_new()
    if endpoint.active:
        endpoint.disabled_at, endpoint.disabled_reason, endpoint.failure_streak = None, "", 0
    endpoint.full_clean()
    endpoint.save()
    webhook_endpoints_changed()
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()
    webhook_endpoints_changed()


# --------------------------------------------------------------------------- emitting


def application_data(application, **extra: Any) -> dict[str, Any]:
    """What an application event says about the application: ids and state, no personal data."""
    return {
        "application_id": application.pk,
        "job_id": application.job_id,
        "candidate_id": application.candidate_id,
        "stage_id": application.stage_id,
        "status": application.status,
        **extra,
    }


def webhook_wanted(*, event_type: str) -> bool:
    """Does any active endpoint want this event? (No query while the endpoint list is cached.)"""
    return any(event_type in events for _pk, events in _active_endpoints())


def webhook_emit(*, event_type: str, data: dict[str, Any]) -> list[int]:
    """Queue ``event_type`` for every active endpoint subscribed to it, in the caller's transaction.

    The one helper every service calls (also for future events such as ``offer.accepted``).
    No query when no endpoint wants the event; otherwise one INSERT. A delivery task per row
    is sent after the commit; nothing is sent if the transaction rolls back.
    """
    return webhook_emit_many(events=[(event_type, data)])


def webhook_emit_many(*, events: Sequence[tuple[str, dict[str, Any]]]) -> list[int]:
    """``webhook_emit`` for several events (a bulk action, an import batch): one INSERT for all."""
    unknown = {event_type for event_type, _data in events} - set(EVENT_TYPES)
    if unknown:
        raise ValueError(f"Unknown webhook event types {sorted(unknown)}; add them to EVENT_TYPES.")
    endpoints = _active_endpoints()
    now = timezone.now()
    retry_until = now + timedelta(hours=settings.WEBHOOK_RETRY_HOURS)
    rows: list[WebhookDelivery] = []
    for event_type, data in events:
        endpoint_ids = [pk for pk, wanted in endpoints if event_type in wanted]
        if not endpoint_ids:
            continue
        event_id = f"msg_{uuid.uuid4().hex}"
        body = json.dumps(
            {"type": event_type, "timestamp": now.isoformat(), "data": data},
            cls=DjangoJSONEncoder,
            separators=(",", ":"),
            sort_keys=True,
        )
        rows.extend(
            WebhookDelivery(
                endpoint_id=pk,
                event_id=event_id,
                event_type=event_type,
                body=body,
                next_attempt_at=now,
                retry_until=retry_until,
                created_at=now,
            )
            for pk in endpoint_ids
        )
    if not rows:
        return []
    ids = [row.pk for row in WebhookDelivery.objects.bulk_create(rows)]
    transaction.on_commit(lambda: [enqueue(DELIVER_TASK, delivery_id) for delivery_id in ids])
    return ids


@transaction.atomic
def webhook_redeliver(*, delivery_ids: Iterable[int]) -> int:
    """Send deliveries again by hand (admin): pending now, with a fresh 24-hour retry window."""
    ids = list(delivery_ids)
    now = timezone.now()
    count = (
        WebhookDelivery.objects.filter(pk__in=ids)
        .exclude(status=WebhookDelivery.Status.SENDING)
        .update(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at=now,
            retry_until=now + timedelta(hours=settings.WEBHOOK_RETRY_HOURS),
            claimed_at=None,
            claimed_by="",
        )
    )
    transaction.on_commit(lambda: [enqueue(DELIVER_TASK, delivery_id) for delivery_id in ids])
    return count


# --------------------------------------------------------------------------- delivering


def _due(now: datetime) -> Q:
    stale = now - timedelta(seconds=settings.WEBHOOK_CLAIM_TIMEOUT_SECONDS)
    return Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=WebhookDelivery.Status.SENDING, claimed_at__lt=stale
    )


def webhook_claim(
    *, ids: Sequence[int] | None = None, limit: int = 50, now: datetime | None = None
) -> list[WebhookDelivery]:
    """Claim due deliveries (all due ones, or those of ``ids``); the rows this call won, with
    their endpoints. A short transaction of its own (``durable``: never inside a business one)."""
    now = now or timezone.now()
    token = claim_token()
    due = WebhookDelivery.objects.filter(_due(now))
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    claim = {
        "status": WebhookDelivery.Status.SENDING,
        "claimed_at": now,
        "claimed_by": token,
        "attempts": F("attempts") + 1,
    }
    with transaction.atomic(durable=True):
        if connection.features.has_select_for_update_skip_locked:
            picked = list(
                due.select_for_update(skip_locked=True)
                .order_by("next_attempt_at", "id")
                .values_list("pk", flat=True)[:limit]
            )
        else:
            picked = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
        if not picked:
            return []
        # The UPDATE re-checks "due": of two workers racing for a row (SQLite) only one matches it.
        if not WebhookDelivery.objects.filter(_due(now), pk__in=picked).update(**claim):
            return []
    return list(
        WebhookDelivery.objects.filter(claimed_by=token, status=WebhookDelivery.Status.SENDING)
        .select_related("endpoint")
        .order_by("id")
    )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is an answer, not a delivery
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery; (status code or None, error text). No transaction is open here."""
    timestamp = int(time.time())
    endpoint = delivery.endpoint
    if not endpoint.url.lower().startswith(("https://", "http://")):
        return None, "Only http and https addresses are called."
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        endpoint.url,
        data=delivery.body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "structured-hiring-webhooks/1",
            "webhook-id": delivery.event_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": webhook_signature(
                secret=endpoint.secret, msg_id=delivery.event_id, timestamp=timestamp, body=delivery.body
            ),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read(1024)
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except Exception as error:  # refused, timed out, bad certificate: a failed attempt, retried
        return None, f"{type(error).__name__}: {error}"[:500]


def retry_delay(attempts: int) -> timedelta:
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def _record(delivery: WebhookDelivery, *, status_code: int | None, error: str, duration_ms: int) -> bool:
    """Log the attempt and mark the row (claim holder only); True when it was delivered."""
    now = timezone.now()
    ok = status_code is not None and 200 <= status_code < 300
    mine = WebhookDelivery.objects.filter(
        pk=delivery.pk, claimed_by=delivery.claimed_by, status=WebhookDelivery.Status.SENDING
    )
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, attempted_at=now, status_code=status_code, duration_ms=duration_ms, error=error[:500]
        )
        if ok:
            mine.update(
                status=WebhookDelivery.Status.DELIVERED,
                delivered_at=now,
                claimed_at=None,
                last_status_code=status_code,
                last_error="",
            )
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id, failure_streak__gt=0).update(failure_streak=0)
            return True
        next_at = now + retry_delay(delivery.attempts)
        final = next_at > delivery.retry_until
        mine.update(
            status=WebhookDelivery.Status.FAILED if final else WebhookDelivery.Status.PENDING,
            next_attempt_at=next_at,
            claimed_at=None,
            claimed_by="",
            last_status_code=status_code,
            last_error=error or f"HTTP {status_code}",
        )
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(failure_streak=F("failure_streak") + 1)
        streak = (
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).values_list("failure_streak", flat=True).first()
        )
        if final or (streak or 0) >= settings.WEBHOOK_DISABLE_AFTER_FAILURES:
            reason = (
                f"Delivery {delivery.event_id} failed for {settings.WEBHOOK_RETRY_HOURS} hours"
                if final
                else f"{streak} deliveries failed in a row"
            )
            _disable(delivery.endpoint, reason=f"{reason} (last: {error or f'HTTP {status_code}'})"[:255])
    logger.warning(
        "Webhook %s to endpoint %s failed (attempt %s): %s",
        delivery.event_id,
        delivery.endpoint_id,
        delivery.attempts,
        error or status_code,
    )
    return False


def _disable(endpoint: WebhookEndpoint, *, reason: str) -> None:
    """Turn the endpoint off (once) and email the admins through the outbox, in the caller's transaction."""
    now = timezone.now()
    if not WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
        active=False, disabled_at=now, disabled_reason=reason
    ):
        return
    webhook_endpoints_changed()
    admins = (
        get_user_model()
        .objects.filter(Q(groups__name=groups.ADMIN) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    body = (
        f"The webhook endpoint {endpoint.url} was turned off: {reason}.\n\n"
        "Deliveries to it stop until an admin turns it on again (Admin > Webhook endpoints); "
        "failed deliveries can then be sent again from the deliveries list.\n"
    )
    outbox_enqueue_many(
        emails=[
            Email(
                purpose="webhook-disabled",
                reference=f"webhook-endpoint:{endpoint.pk}:{int(now.timestamp())}",
                recipient=email,
                subject=f"Webhook endpoint turned off: {endpoint.url}"[:200],
                body_text=body,
            )
            for email in admins
        ]
    )


def _deliver(deliveries: Sequence[WebhookDelivery]) -> int:
    delivered = 0
    for delivery in deliveries:
        if not delivery.endpoint.active:
            WebhookDelivery.objects.filter(pk=delivery.pk, claimed_by=delivery.claimed_by).update(
                status=WebhookDelivery.Status.FAILED, claimed_at=None, last_error="The endpoint is turned off."
            )
            continue
        started = time.monotonic()
        status_code, error = _post(delivery)
        duration_ms = int((time.monotonic() - started) * 1000)
        delivered += _record(delivery, status_code=status_code, error=error, duration_ms=duration_ms)
    return delivered


def webhook_deliver(*, delivery_id: int) -> bool:
    """Deliver one row if it is due and unclaimed; safe to run twice (only one claim wins)."""
    return _deliver(webhook_claim(ids=[delivery_id], limit=1)) == 1


def webhooks_sweep(*, batch: int = 10, max_batches: int = 20) -> int:
    """Deliver what is due: retries whose time came, lost task messages, claims of dead workers."""
    delivered = 0
    for _ in range(max_batches):
        claimed = webhook_claim(limit=batch)
        if not claimed:
            break
        delivered += _deliver(claimed)
        if len(claimed) < batch:
            break
    return delivered
