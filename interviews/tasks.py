"""Background jobs of the interviews app: ids in, a service call, nothing else."""

from celery import shared_task


@shared_task(acks_late=True)
def summarize_application(application_id: int) -> None:
    """Rebuild the application's summary from its current scorecards (safe to run twice)."""
    from .summaries import summary_rebuild

    summary_rebuild(application_id=application_id)
