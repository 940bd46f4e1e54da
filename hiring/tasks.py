"""Background jobs of the hiring app. Thin: ids in, a service or selector call, ids out."""

from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from hiring.services import (
    candidate_import_run_batch,
    candidate_imports_sweep_stale,
    offers,
    outbox,
    resume_extract_text,
    resume_mark_unreadable,
    resumes_sweep_pending,
    webhooks,
)
from hiring.services.privacy import retention_apply

# The outbox's claim timeout (OUTBOX_CLAIM_TIMEOUT_SECONDS, 300 s by default) stays above
# these limits, so a live worker's claim is never taken over by another.
OUTBOX_LIMITS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": 200,
    "time_limit": 240,
}


@shared_task(**OUTBOX_LIMITS)
def outbox_deliver(message_id: int) -> bool:
    """Send one outbox message (enqueued on commit); running it twice sends it once."""
    return outbox.outbox_deliver(message_id=message_id)


@shared_task(**OUTBOX_LIMITS)
def outbox_sweep() -> int:
    """Beat, every minute: send what is due (lost task messages, retries, stale claims)."""
    return outbox.outbox_sweep()


# Bounded extraction: hiring/resume_text.py refuses oversized files and stops after
# RESUME_EXTRACT_SECONDS; these limits are the backstop (soft: the résumé is marked "could not
# read"; hard: the pool process is replaced). The worker's --max-memory-per-child bounds memory.
@shared_task(acks_late=True, soft_time_limit=30, time_limit=45)
def extract_resume_text(resume_id: int) -> str | None:
    try:
        resume = resume_extract_text(resume_id=resume_id)
    except SoftTimeLimitExceeded:
        resume_mark_unreadable(resume_id=resume_id, reason="Reading the text took too long.")
        return "failed"
    return resume.status if resume is not None else None


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=6,
    soft_time_limit=60,
    time_limit=90,
)
def run_candidate_import(import_id: int, cursor: int | None = None) -> str | None:
    """One batch of an import (it enqueues the next); a repeated message for a done batch does nothing."""
    candidate_import = candidate_import_run_batch(import_id=import_id, cursor=cursor)
    return candidate_import.status if candidate_import is not None else None


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def candidate_imports_sweep() -> int:
    """Beat, every minute: resume imports a lost message or a killed worker left without progress."""
    return len(candidate_imports_sweep_stale())


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def resumes_sweep() -> int:
    """Beat, every few minutes: re-send the extraction of résumés a lost message left pending."""
    stale, _given_up = resumes_sweep_pending()
    return len(stale)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=120, time_limit=180)
def offers_expire() -> int:
    """Beat, hourly: expire approved or sent offers past their last day (safe to run twice)."""
    return offers.offers_expire()


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def retention_run() -> int:
    """Beat, every night: anonymise the people the retention policy says are due; how many."""
    return retention_apply()


@shared_task(**OUTBOX_LIMITS)
def webhook_deliver(delivery_id: int) -> bool:
    """POST one webhook delivery (enqueued on commit); running it twice sends it once."""
    return webhooks.webhook_deliver(delivery_id=delivery_id)


@shared_task(**OUTBOX_LIMITS)
def webhooks_sweep() -> int:
    """Beat, every minute: deliver due webhooks (retries, lost messages, stale claims)."""
    return webhooks.webhooks_sweep()
