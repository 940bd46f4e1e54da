"""Sources: applications, interviews, offers and hires per source, with conversion rates."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from hiring.models import Application, Job
from interviews.models import Interview

from .base import ReportFilters, applications_in_scope, reach_order, share, source_expression
from .seams import got_offer

COLUMNS = [
    "source",
    "applications",
    "interviewed",
    "offers",
    "hires",
    "interview_rate",
    "offer_rate",
    "hire_rate",
]


def sources_rows(*, jobs: QuerySet[Job], filters: ReportFilters) -> list[dict[str, Any]]:
    """One query: applications grouped by source with conditional counts.

    Interviewed: at least one interview scheduled. Offers: see ``seams.got_offer``.
    Rates are shares of the source's applications.
    """
    counts = (
        applications_in_scope(jobs=jobs, filters=filters)
        .annotate(
            report_source=source_expression(),
            reach=reach_order(),
            interviewed=Exists(Interview.objects.filter(application_id=OuterRef("pk"))),
        )
        .annotate(offered=got_offer())
        .values("report_source")
        .annotate(
            applications=Count("pk"),
            interviewed_n=Count("pk", filter=Q(interviewed=True)),
            offers_n=Count("pk", filter=Q(offered=True)),
            hires=Count("pk", filter=Q(status=Application.Status.HIRED)),
        )
        .order_by("-applications", "report_source")
    )
    return [
        {
            "source": row["report_source"],
            "applications": row["applications"],
            "interviewed": row["interviewed_n"],
            "offers": row["offers_n"],
            "hires": row["hires"],
            "interview_rate": share(row["interviewed_n"], row["applications"]),
            "offer_rate": share(row["offers_n"], row["applications"]),
            "hire_rate": share(row["hires"], row["applications"]),
        }
        for row in counts
    ]
