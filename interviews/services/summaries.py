"""Writes around application summaries."""

from django.db import transaction
from django.utils import timezone

from interviews.models import ApplicationSummary


def summary_request(*, application_id: int) -> None:
    """Mark the application's summary as being rebuilt and enqueue the rebuild on commit.

    Called by every write that changes a summary's inputs (submit, amend, withdraw).
    """
    from interviews.tasks import summarize_application

    ApplicationSummary.objects.update_or_create(
        application_id=application_id,
        defaults={"status": ApplicationSummary.Status.PENDING, "requested_at": timezone.now()},
    )
    transaction.on_commit(lambda: summarize_application.delay(application_id))
