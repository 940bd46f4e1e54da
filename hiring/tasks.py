"""Background jobs of the hiring app. Thin: ids in, a service or selector call, ids out."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError

from hiring.services import (
    candidate_import_run_batch,
    candidate_imports_sweep_stale,
    rejection_email_send,
    resume_extract_text,
    resume_mark_unreadable,
)


@shared_task(acks_late=True)
def team_size() -> int:
    """How many people have an account: a cheap round trip through broker, worker and database."""
    return get_user_model().objects.count()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_rejection_email(application_id: int) -> bool:
    """Send an application's rejection email; running it twice sends it once."""
    return rejection_email_send(application_id=application_id)


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
