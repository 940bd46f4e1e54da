"""Background jobs of the hiring app. Thin: ids in, a service or selector call, ids out."""

from celery import shared_task
from django.contrib.auth import get_user_model

from hiring.services import candidate_import_run, rejection_email_send, resume_extract_text


@shared_task(acks_late=True)
def team_size() -> int:
    """How many people have an account: a cheap round trip through broker, worker and database."""
    return get_user_model().objects.count()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_rejection_email(application_id: int) -> bool:
    """Send an application's rejection email; running it twice sends it once."""
    return rejection_email_send(application_id=application_id)


@shared_task(acks_late=True)
def extract_resume_text(resume_id: int) -> str | None:
    resume = resume_extract_text(resume_id=resume_id)
    return resume.status if resume is not None else None


@shared_task(acks_late=True)
def run_candidate_import(import_id: int) -> str | None:
    candidate_import = candidate_import_run(import_id=import_id)
    return candidate_import.status if candidate_import is not None else None
