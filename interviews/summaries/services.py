"""Writes around application summaries: request a rebuild, rebuild, sweep the stale ones.

A burst of submissions leads to one rebuild: ``summary_request`` enqueues only when no
rebuild is queued since the last build (``queued_at`` is claimed with one conditional
UPDATE, so two concurrent requests cannot both win), after a short countdown
(``SUMMARY_DEBOUNCE_SECONDS``).

The rebuild holds no transaction and no row lock while it computes and while the
language-model backend answers (seconds, or its whole timeout): it claims the summary row
(``claimed_by``/``claimed_at``, one conditional UPDATE), reads and builds outside any
transaction, then writes back with one UPDATE guarded by the claim and by ``requested_at``
after re-reading the inputs' fingerprint. When the inputs changed meanwhile, the stale
content is dropped and the rebuild is requested again.
"""

import contextlib
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from hiring.background import enqueue
from hiring.services.webhooks import webhook_emit, webhook_wanted
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
    # First mark it requested: this locks the row until the commit, so a rebuild writing back
    # at this moment waits, then sees the new ``requested_at`` and does not overwrite it.
    if ApplicationSummary.objects.filter(application_id=application_id).update(**pending):
        # Not queued, or queued so long ago that the message was surely lost: claim the rebuild.
        lost = now - timedelta(seconds=settings.SUMMARY_STALE_AFTER_SECONDS)
        claimed = (
            ApplicationSummary.objects.filter(application_id=application_id)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=lost))
            .update(queued_at=now)
        )
    else:
        summary = ApplicationSummary(application_id=application_id, queued_at=now, **pending)
        summary.full_clean(exclude=["application"], validate_unique=False)
        _, claimed = ApplicationSummary.objects.get_or_create(
            application_id=application_id, defaults={"queued_at": now, **pending}
        )
    if claimed:
        transaction.on_commit(lambda: _enqueue([application_id]))
    return bool(claimed)


def _load(application_id: int) -> ApplicationSummary | None:
    """The summary row with its application, job, template and candidate (one query), created if missing."""
    from hiring.models import Application

    rows = (
        ApplicationSummary.objects.select_related("application__job__template", "application__candidate")
        .defer("content", "narrative")  # large, and replaced whole when rebuilt
        .filter(application_id=application_id)
    )
    summary = rows.first()
    if summary is None:
        if not Application.objects.filter(pk=application_id).exists():
            logger.info("Summary of application %s not built: the application is gone.", application_id)
            return None
        ApplicationSummary.objects.bulk_create(
            [ApplicationSummary(application_id=application_id)], ignore_conflicts=True
        )
        summary = rows.first()  # None: the application was deleted in between
    return summary


def _rerequest(*, summary: ApplicationSummary, claimant: str) -> None:
    """Drop our build: give the claim back and queue the rebuild again (the inputs moved on)."""
    now = timezone.now()
    if ApplicationSummary.objects.filter(pk=summary.pk, claimed_by=claimant).update(
        claimed_by="", claimed_at=None, status=ApplicationSummary.Status.PENDING, queued_at=now
    ):
        logger.info("Summary of application %s: inputs changed during the build, rebuilding.", summary.application_id)
        transaction.on_commit(lambda: _enqueue([summary.application_id]))


def summary_rebuild(*, application_id: int, claimant: str | None = None) -> ApplicationSummary | None:
    """Rebuild the summary from the current inputs; a run on unchanged inputs writes nothing.

    1. Read the row and the inputs' fingerprint (two queries). Unchanged: nothing to build.
    2. Claim the row (one conditional UPDATE): free, already ours (a redelivery of the same
       task, ``claimant``), or held longer than ``SUMMARY_STALE_AFTER_SECONDS`` (its worker
       died). Someone else building: stop here; their write-back re-checks the inputs.
    3. Load the inputs and build, then ask the narrative backend (a language model may take
       seconds): no transaction, no lock.
    4. Re-read the fingerprint, then write with one UPDATE that matches only while we hold the
       claim and nobody requested a rebuild since we read the row. Otherwise, or when the
       inputs changed, the content is dropped and the rebuild requested again.

    Ten queries for any number of scorecards (three more the very first time, when the
    summary row does not exist yet).
    """
    claimant = claimant or f"call:{uuid.uuid4().hex}"
    summary = _load(application_id)
    if summary is None:
        return None
    head = summaries.load_head(summary.application)
    fingerprint = head.fingerprint
    now = timezone.now()
    if fingerprint == summary.fingerprint:
        if summary.status != ApplicationSummary.Status.READY or summary.queued_at is not None:
            # Requested but nothing changed: the stored content is current (checked now),
            # unless a new request came in since the read above.
            if ApplicationSummary.objects.filter(
                pk=summary.pk, requested_at=summary.requested_at, fingerprint=fingerprint
            ).update(status=ApplicationSummary.Status.READY, queued_at=None, built_at=now):
                summary.status, summary.queued_at, summary.built_at = ApplicationSummary.Status.READY, None, now
            else:
                transaction.on_commit(lambda: _enqueue([application_id]))
        return summary

    stale = now - timedelta(seconds=settings.SUMMARY_STALE_AFTER_SECONDS)
    if (
        not ApplicationSummary.objects.filter(pk=summary.pk)
        .filter(Q(claimed_by="") | Q(claimed_by=claimant) | Q(claimed_at__lt=stale))
        .update(claimed_by=claimant, claimed_at=now)
    ):
        logger.info("Summary of application %s is being built by another worker.", application_id)
        return summary

    content = summaries.build_content(summaries.load_inputs(head))
    narrative = summary_backends.narrative_for(content, people=summary_backends.people_to_redact(head))
    if narrative.error:
        content["narrative_error"] = narrative.error

    if summaries.load_head(summary.application).fingerprint != fingerprint:
        _rerequest(summary=summary, claimant=claimant)
        return summary
    summary.fingerprint = fingerprint
    summary.content = content
    summary.narrative = narrative.text
    summary.backend = narrative.backend
    summary.status = ApplicationSummary.Status.READY
    summary.queued_at = None
    summary.built_at = timezone.now()
    summary.claimed_by, summary.claimed_at = "", None
    summary.full_clean(exclude=["application"], validate_unique=False)
    # The summary and its summary.ready event are written together (one UPDATE when nobody listens).
    with transaction.atomic() if webhook_wanted(event_type="summary.ready") else contextlib.nullcontext():
        written = _write_back(summary, claimant=claimant)
    if not written:
        _rerequest(summary=summary, claimant=claimant)  # does nothing when our claim was taken over
        return summary
    summary.build_count += 1
    return summary


def _write_back(summary: ApplicationSummary, *, claimant: str) -> int:
    written = ApplicationSummary.objects.filter(
        pk=summary.pk, claimed_by=claimant, requested_at=summary.requested_at
    ).update(
        fingerprint=summary.fingerprint,
        content=summary.content,
        narrative=summary.narrative,
        backend=summary.backend,
        status=summary.status,
        queued_at=None,
        built_at=summary.built_at,
        build_count=F("build_count") + 1,
        claimed_by="",
        claimed_at=None,
    )
    if written:
        webhook_emit(
            event_type="summary.ready",
            data={"application_id": summary.application_id, "built_at": summary.built_at, "backend": summary.backend},
        )
    return written


def summary_mark_failed(*, application_id: int) -> None:
    """The rebuild failed for a reason other than a transient error: the page says so and stops
    polling; the last good content stays readable. The next request (a scorecard change) tries again."""
    logger.error("Summary of application %s could not be built.", application_id)
    ApplicationSummary.objects.filter(application_id=application_id).update(
        status=ApplicationSummary.Status.FAILED, queued_at=None, claimed_by="", claimed_at=None
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
