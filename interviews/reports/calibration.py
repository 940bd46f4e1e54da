"""Interviewer calibration: leniency against the panel, spread, agreement with the outcome."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Avg,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    StdDev,
    Subquery,
)
from django.db.models.functions import Cast

from hiring.models import Job
from interviews.models import Scorecard
from roles.scale import Rating

from .base import MIN_GROUP, ReportFilters, applications_in_scope, share
from .seams import negative_outcome, positive_outcome

COLUMNS = ["interviewer", "scorecards", "mean_rating", "leniency", "spread", "decided", "matched_outcome", "match_rate"]
HIDDEN = ("mean_rating", "leniency", "spread", "decided", "matched_outcome", "match_rate")


def _panel(application_field: str, aggregate: Any) -> Subquery:
    """An aggregate of the submitted recommendations on the same application (correlated)."""
    return Subquery(
        Scorecard.objects.submitted()
        .filter(interview__application_id=OuterRef(application_field), overall_recommendation__isnull=False)
        .values("interview__application_id")
        .annotate(figure=aggregate)
        .values("figure")
    )


def calibration_rows(*, jobs: QuerySet[Job], filters: ReportFilters) -> list[dict[str, Any]]:
    """One query: submitted scorecards grouped by interviewer.

    * leniency: the mean, over the interviewer's scorecards on applications with at least two
      submitted scorecards, of their overall recommendation minus the panel's mean
      recommendation on that application (their own included); positive: more lenient;
    * spread: the standard deviation of their recommendations (1 Strong no .. 4 Strong yes);
    * matched outcome: a Yes or Strong yes on an application later hired, or a No or Strong
      no on one rejected, out of their scorecards on decided applications.

    Interviewers with fewer than 5 scorecards show only their count; a match rate resting on
    fewer than 5 decided applications is not shown.
    """
    cards = (
        Scorecard.objects.submitted()
        .filter(
            interview__application__in=applications_in_scope(jobs=jobs, filters=filters).values("pk"),
            overall_recommendation__isnull=False,
        )
        .annotate(
            panel_mean=Cast(_panel("interview__application_id", Avg("overall_recommendation")), FloatField()),
            panel_size=Cast(_panel("interview__application_id", Count("pk")), IntegerField()),
            recommendation=Cast("overall_recommendation", FloatField()),
        )
    )
    yes = Q(overall_recommendation__gte=Rating.YES)
    decided = positive_outcome("interview__application__") | negative_outcome("interview__application__")
    matched = (yes & positive_outcome("interview__application__")) | (
        ~yes & negative_outcome("interview__application__")
    )
    grouped = (
        cards.values("interviewer_id", "interviewer__first_name", "interviewer__last_name", "interviewer__email")
        .annotate(
            scorecards=Count("pk"),
            mean_rating=Avg("recommendation"),
            leniency=Avg(F("recommendation") - F("panel_mean"), filter=Q(panel_size__gte=2)),
            spread=StdDev("recommendation"),
            decided=Count("pk", filter=decided),
            matched_outcome=Count("pk", filter=matched),
        )
        .order_by("interviewer__last_name", "interviewer__first_name", "interviewer_id")
    )
    rows = []
    for row in grouped:
        name = f"{row['interviewer__first_name']} {row['interviewer__last_name']}".strip()
        out: dict[str, Any] = {
            "interviewer": name or row["interviewer__email"],
            "scorecards": row["scorecards"],
            "mean_rating": _round(row["mean_rating"]),
            "leniency": _round(row["leniency"]),
            "spread": _round(row["spread"]),
            "decided": row["decided"],
            "matched_outcome": row["matched_outcome"],
            "match_rate": share(row["matched_outcome"], row["decided"]),
        }
        if row["scorecards"] < MIN_GROUP:
            out.update(dict.fromkeys(HIDDEN))
        elif row["decided"] < MIN_GROUP:
            out["match_rate"] = None
        rows.append(out)
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
