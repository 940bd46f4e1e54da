"""Background jobs of the interviews app: ids in, a service call, nothing else."""

from smtplib import SMTPException

from celery import shared_task

TRANSIENT = (SMTPException, ConnectionError, TimeoutError)


@shared_task(acks_late=True)
def summarize_application(application_id: int) -> None:
    """Rebuild the application's summary from its current scorecards (safe to run twice)."""
    from .summaries import summary_rebuild

    summary_rebuild(application_id=application_id)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def interview_invitations_send(interview_id: int) -> int:
    """Email each interviewer their invitation with an .ics file, once (safe to run twice)."""
    from .services import interviews

    return interviews.interview_invitations_send(interview_id=interview_id)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def scorecard_reminders_send() -> int:
    """Periodic: remind interviewers whose scorecards are overdue (safe to run twice)."""
    from .services import scorecards

    return scorecards.scorecard_reminders_send()
