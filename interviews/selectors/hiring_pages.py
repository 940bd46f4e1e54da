"""Interview facts on hiring's pages, provided through ``hiring.extensions`` (registered in ``apps.py``).

hiring may not import interviews, so the pipeline board, the job page, the candidate
timeline and the application page ask these providers instead. Each contributes expressions or one query, so the
pages keep their fixed query counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Expression, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hiring.extensions import TimelineEvent
from hiring.models import Application, Job, User
from interviews.models import Interview, Scorecard, overdue_q
from interviews.selectors import application_feedback, application_summary


def _scorecard_count(condition: Q | None = None) -> Expression:
    """A correlated count of the application's scorecards (matching ``condition``).

    The condition goes into the aggregate, not the WHERE clause, so the database looks the
    scorecards up by application (an index) instead of scanning every scorecard of a status.
    """
    return Coalesce(
        Subquery(
            Scorecard.objects.filter(interview__application=OuterRef("pk"))
            .order_by()
            .values("interview__application")
            .annotate(n=Count("pk", filter=condition))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


class ScorecardBoardFacts:
    """The board's "x/y submitted" and overdue marker, and the job page's overdue count."""

    def card_annotations(self, *, now: datetime) -> dict[str, Expression]:
        return {
            "scorecards_total": _scorecard_count(),
            "scorecards_submitted": _scorecard_count(Q(status=Scorecard.Status.SUBMITTED)),
            "overdue_count": _scorecard_count(overdue_q(now=now)),
        }

    def overdue_applications(self, *, job: Job, now: datetime) -> QuerySet[Any]:
        """Applications of the job with an overdue scorecard: one uncorrelated subquery."""
        return (
            Scorecard.objects.overdue(now)
            .filter(interview__application__job=job)
            .order_by()
            .values("interview__application_id")
        )

    def overdue_count(self, *, job: Job, now: datetime) -> int:
        return (
            Scorecard.objects.overdue(now)
            .filter(interview__application__job=job, interview__application__status=Application.Status.ACTIVE)
            .count()
        )


def interview_timeline_events(
    *, user: User, application_ids: list[int], private: bool, limit: int
) -> list[TimelineEvent]:
    """Interviews of these applications, newest first; without private access only the user's own."""
    interviews = Interview.objects.filter(application_id__in=application_ids).select_related("step", "application__job")
    if not private:
        interviews = interviews.filter(interviewers=user)
    now = timezone.now()
    return [
        TimelineEvent(
            at=interview.starts_at,
            kind="interview",
            title=f"Interview: {interview.step.name} ({interview.application.job.title})",
            detail="Scheduled" if interview.starts_at > now else "",
        )
        for interview in interviews.order_by("-starts_at")[:limit]
    ]


def summary_panel(*, user: User, application: Application) -> tuple[str, dict[str, Any]]:
    """The feedback summary on the application page (hidden until the user may read it)."""
    return "interviews/panels/application_summary.html", {
        "application": application,
        **application_summary(user=user, application=application),
    }


def feedback_panel(*, user: User, application: Application) -> tuple[str, dict[str, Any]]:
    """The interviews and the scorecards the user may read, on the application page."""
    return "interviews/panels/application_feedback.html", {
        "application": application,
        **application_feedback(user=user, application=application),
    }
