"""Background jobs of the interviews app: ids in, a service call, nothing else."""

from datetime import date
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from interviews.services import interviews, scorecards
from interviews.services import report_snapshots as report_services
from interviews.summaries import digest
from interviews.summaries import services as summary_services

# Transient failures worth another try: the database or the broker went away for a moment.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerOperationalError)
RELIABLE: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(**RELIABLE, bind=True, soft_time_limit=120, time_limit=150)
def summarize_application(self, application_id: int) -> None:
    """Rebuild the application's summary from its current scorecards (safe to run twice)."""
    # The message's id names the build's claim: a redelivery of this same message (its
    # worker process died mid-build) takes the claim over at once instead of waiting it out.
    claimant = f"task:{self.request.id}" if self.request.id else None
    try:
        summary_services.summary_rebuild(application_id=application_id, claimant=claimant)
    except TRANSIENT_ERRORS:
        raise  # retried with backoff; if it never succeeds, the summary stays pending for the sweeper
    except Exception:
        summary_services.summary_mark_failed(application_id=application_id)  # a bug or bad data: stop polling, say so
        raise


@shared_task(**RELIABLE, soft_time_limit=50, time_limit=60)
def summaries_sweep() -> int:
    """Beat, every minute: re-enqueue summaries a lost message or a dead worker left stale."""
    return len(summary_services.summary_sweep_stale())


@shared_task(**RELIABLE, soft_time_limit=50, time_limit=60)
def job_digests_send() -> int:
    """Beat, weekly: one digest task per open job, for the week that just ended."""
    week = digest.digest_week_start(previous=True)
    job_ids = digest.digest_jobs_due(week=week)
    for job_id in job_ids:
        job_digest_send.delay(job_id, week.isoformat())
    return len(job_ids)


@shared_task(**RELIABLE, soft_time_limit=110, time_limit=120)
def job_digest_send(job_id: int, week: str) -> bool:
    """Email the job's hiring team its weekly digest (once per job and week)."""
    return digest.digest_send(job_id=job_id, week=date.fromisoformat(week))


@shared_task(**RELIABLE)
def interview_invitations_send(interview_id: int) -> int:
    """Queue each interviewer's invitation (email with an .ics file) once; safe to run twice."""
    return interviews.interview_invitations_send(interview_id=interview_id)


@shared_task(**RELIABLE)
def scorecard_reminders_send() -> int:
    """Periodic: queue reminders to interviewers whose scorecards are overdue (safe to run twice)."""
    return scorecards.scorecard_reminders_send()


@shared_task(**RELIABLE, soft_time_limit=1800, time_limit=1900)
def report_snapshots_store(day: str | None = None) -> int:
    """Nightly: store every report's figures for the day (safe to run twice: the day's rows are replaced)."""
    return report_services.report_snapshots_store(day=date.fromisoformat(day) if day else timezone.localdate())
