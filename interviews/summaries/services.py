"""Writes around application summaries: request a rebuild, rebuild, sweep the stale ones.

A burst of submissions leads to one rebuild: ``summary_request`` enqueues only when no
rebuild is queued since the last build (``queued_at`` is claimed with one conditional
UPDATE, so two concurrent requests cannot both win), after a short countdown
(``SUMMARY_DEBOUNCE_SECONDS``). The rebuild locks the summary row, compares the
fingerprint of the current inputs with the stored one and writes only when they differ.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from hiring.background import enqueue
from interviews.models import ApplicationSummary, Scorecard
from interviews.summaries import backends as summary_backends
from interviews.summaries import build as summaries

logger = logging.getLogger(__name__)


SUMMARIZE_TASK = "interviews.tasks.summarize_application"


def _enqueue(application_ids: list[int]) -> None:
    """Send the rebuilds by task name (services never import their tasks), debounced. When the
    broker is down, release their claim instead: the next sweep (every minute) re-enqueues a
    pending summary that has no message queued."""
    countdown = settings.SUMMARY_DEBOUNCE_SECONDS or None
    for position, application_id in enumerate(application_ids):
        if not enqueue(SUMMARIZE_TASK, application_id, countdown=countdown):
            ApplicationSummary.objects.filter(
                application_id__in=application_ids[position:], status=ApplicationSummary.Status.PENDING
            ).update(queued_at=None)
            return


@transaction.atomic
def summary_request(*, application_id: int) -> bool:
    """Mark the application's summary as being rebuilt; enqueue the rebuild on commit unless one is queued.

    Called by every write that changes a summary's inputs (submit, amend, withdraw).
    Returns True when this call enqueued the rebuild.
    """
    now = timezone.now()
    pending = {"status": ApplicationSummary.Status.PENDING, "requested_at": now}
    # Not queued, or queued so long ago that the message was surely lost: claim the rebuild.
    lost = now - timedelta(seconds=settings.SUMMARY_STALE_AFTER_SECONDS)
    claimed = (
        ApplicationSummary.objects.filter(application_id=application_id)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=lost))
        .update(queued_at=now, **pending)
    )
    if not claimed and not ApplicationSummary.objects.filter(application_id=application_id).update(**pending):
        summary = ApplicationSummary(application_id=application_id, queued_at=now, **pending)
        summary.full_clean(exclude=["application"], validate_unique=False)
        _, claimed = ApplicationSummary.objects.get_or_create(
            application_id=application_id, defaults={"queued_at": now, **pending}
        )
    if claimed:
        transaction.on_commit(lambda: _enqueue([application_id]))
    return bool(claimed)


def _test_delay() -> None:
    """TEST ONLY: ``SUMMARY_TEST_DELAY_SECONDS`` makes every build slow, so the services tier
    can kill a worker in the middle of one. Zero (no delay) everywhere else."""
    delay = float(settings.SUMMARY_TEST_DELAY_SECONDS or 0)
    if delay > 0:
        time.sleep(delay)


def summary_rebuild(*, application_id: int) -> ApplicationSummary | None:
    """Rebuild the summary from the current inputs; a run on unchanged inputs writes nothing.

    The summary row is locked (``SELECT ... FOR UPDATE``) for the whole build, so two
    workers never build the same summary at once; the second one finds the fingerprint
    already stored and stops. Eight queries for any number of scorecards (three more the
    very first time, when the summary row does not exist yet).
    """
    from hiring.models import Application

    with transaction.atomic():
        locked = (
            ApplicationSummary.objects.select_for_update(of=("self",))
            .select_related("application__job__template", "application__candidate")
            .defer("content", "narrative")  # large, and replaced whole when rebuilt
            .filter(application_id=application_id)
        )
        summary = locked.first()
        if summary is None:
            if not Application.objects.filter(pk=application_id).exists():
                logger.info("Summary of application %s not built: the application is gone.", application_id)
                return None
            ApplicationSummary.objects.bulk_create(
                [ApplicationSummary(application_id=application_id)], ignore_conflicts=True
            )
            summary = locked.first()
            if summary is None:  # the application was deleted in between
                return None

        head = summaries.load_head(summary.application)
        fingerprint = head.fingerprint
        if fingerprint == summary.fingerprint:
            if summary.status != ApplicationSummary.Status.READY or summary.queued_at is not None:
                # Requested but nothing changed: the stored content is current (checked now).
                summary.status = ApplicationSummary.Status.READY
                summary.queued_at = None
                summary.built_at = timezone.now()
                summary.save(update_fields=["status", "queued_at", "built_at"])
            return summary

        content = summaries.build_content(summaries.load_inputs(head))
        _test_delay()
        narrative = summary_backends.narrative_for(content, people=summary_backends.people_to_redact(head))
        if narrative.error:
            content["narrative_error"] = narrative.error
        summary.fingerprint = fingerprint
        summary.content = content
        summary.narrative = narrative.text
        summary.backend = narrative.backend
        summary.status = ApplicationSummary.Status.READY
        summary.queued_at = None
        summary.built_at = timezone.now()
        summary.build_count += 1
        summary.full_clean(exclude=["application"], validate_unique=False)
        summary.save(
            update_fields=[
                "fingerprint",
                "content",
                "narrative",
                "backend",
                "status",
                "queued_at",
                "built_at",
                "build_count",
            ]
        )
        return summary


def summary_mark_failed(*, application_id: int) -> None:
    """The rebuild failed for a reason other than a transient error: the page says so and stops
    polling; the last good content stays readable. The next request (a scorecard change) tries again."""
    logger.error("Summary of application %s could not be built.", application_id)
    ApplicationSummary.objects.filter(application_id=application_id).update(
        status=ApplicationSummary.Status.FAILED, queued_at=None
    )


@transaction.atomic
def summary_sweep_stale(*, limit: int = 500) -> list[int]:
    """Re-enqueue summaries left behind by a lost message or a dead worker (four queries).

    Stale means: pending with no message queued (the broker was down when it was requested);
    pending (or queued) for longer than ``SUMMARY_STALE_AFTER_SECONDS``; or, for a
    submitted scorecard changed in the last ``SUMMARY_SWEEP_WINDOW_HOURS`` (and more than the
    stale threshold ago), a summary built before that change or no summary at all (a write that
    did not go through ``summary_request``).
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.SUMMARY_STALE_AFTER_SECONDS)
    stuck = list(
        ApplicationSummary.objects.filter(
            Q(queued_at__isnull=True) | Q(queued_at__lt=cutoff, requested_at__lt=cutoff),
            status=ApplicationSummary.Status.PENDING,
        )
        .order_by("requested_at")
        .values_list("application_id", flat=True)[:limit]
    )
    summary = "interview__application__summary"
    behind = list(
        Scorecard.objects.filter(
            status=Scorecard.Status.SUBMITTED,
            updated_at__gte=now - timedelta(hours=settings.SUMMARY_SWEEP_WINDOW_HOURS),
            updated_at__lt=cutoff,
        )
        .filter(
            Q(**{f"{summary}__isnull": True})
            | Q(**{f"{summary}__status": ApplicationSummary.Status.READY, f"{summary}__built_at__lt": F("updated_at")})
        )
        .exclude(interview__application_id__in=stuck)
        .order_by("interview__application_id")
        .values_list("interview__application_id", flat=True)
        .distinct()[: max(0, limit - len(stuck))]
    )
    ids = stuck + behind
    if not ids:
        return []
    ApplicationSummary.objects.bulk_create(
        [ApplicationSummary(application_id=pk, requested_at=now) for pk in behind], ignore_conflicts=True
    )
    ApplicationSummary.objects.filter(application_id__in=ids).update(
        status=ApplicationSummary.Status.PENDING, queued_at=now
    )
    logger.info("Re-enqueueing %d stale summaries.", len(ids))
    transaction.on_commit(lambda: _enqueue(ids))
    return ids
