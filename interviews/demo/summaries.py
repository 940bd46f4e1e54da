"""Demo step: build the summaries of the demo applications that have submitted scorecards."""

from hiring.models import Application
from interviews.models import Scorecard
from interviews.summaries.services import summary_rebuild


def seed(*, rng, candidates: int, users: dict, stdout) -> None:
    """Synchronously, through the same service as the job; idempotent (an unchanged fingerprint writes nothing)."""
    application_ids = list(
        Application.objects.filter(interviews__scorecards__status=Scorecard.Status.SUBMITTED)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    built = 0
    for application_id in application_ids:
        summary = summary_rebuild(application_id=application_id)
        built += bool(summary and summary.build_count)
    stdout.write(f"  summaries current for {built} of {len(application_ids)} applications with submitted scorecards")
