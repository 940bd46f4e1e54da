"""Background jobs of the hiring app. Thin: ids in, a service or selector call, ids out."""

from typing import Any

from celery import shared_task

from hiring.services import candidate_import_run, outbox, resume_extract_text

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


@shared_task(acks_late=True)
def extract_resume_text(resume_id: int) -> str | None:
    resume = resume_extract_text(resume_id=resume_id)
    return resume.status if resume is not None else None


@shared_task(acks_late=True)
def run_candidate_import(import_id: int) -> str | None:
    candidate_import = candidate_import_run(import_id=import_id)
    return candidate_import.status if candidate_import is not None else None
