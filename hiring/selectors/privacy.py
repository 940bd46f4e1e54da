"""Reads for privacy: the retention policy and who it anonymises next (the admins' dry run)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import DateTimeField, Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from hiring.models import Application, Candidate, Note, RetentionPolicy


def retention_policy() -> RetentionPolicy:
    """The admins' policy, or the default one (24 months, hires kept) until they save theirs."""
    return RetentionPolicy.objects.order_by("pk").first() or RetentionPolicy()


def _latest(queryset: QuerySet, column: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{column}").values(column)[:1], output_field=DateTimeField())


def _candidates_in_scope(policy: RetentionPolicy, *, inactive_before: datetime) -> QuerySet[Candidate]:
    """Not anonymised yet, no open application, not hired (when the policy keeps hires), and no
    activity (their record, an application, a note) since ``inactive_before``, oldest first; each
    with the date of that last activity (``last_activity``)."""
    applications = Application.objects.filter(candidate=OuterRef("pk"))
    scope = Candidate.objects.filter(anonymised_at__isnull=True).exclude(
        Exists(applications.filter(status=Application.Status.ACTIVE))
    )
    if policy.keep_hired:
        scope = scope.exclude(Exists(applications.filter(status=Application.Status.HIRED)))
    last_activity = Greatest(
        "updated_at",
        Coalesce(_latest(applications, "updated_at"), "updated_at"),
        Coalesce(_latest(Note.objects.filter(candidate=OuterRef("pk")), "created_at"), "updated_at"),
    )
    return (
        scope.annotate(**{"last_activity": last_activity})  # declared on Candidate for the rows' type
        .filter(**{"last_activity__lt": inactive_before})
        .order_by(F("last_activity").asc(), "pk")
    )


def retention_due_ids(*, policy: RetentionPolicy, now: datetime) -> list[int]:
    """The ids of the candidates due for anonymisation at ``now`` (one query)."""
    cutoff = now - relativedelta(months=policy.inactive_months)
    return list(_candidates_in_scope(policy, inactive_before=cutoff).values_list("pk", flat=True))


@dataclass(frozen=True)
class RetentionRow:
    candidate_id: int
    name: str
    last_activity: datetime
    due_at: datetime


def retention_dry_run(*, now: datetime, within_days: int = 30, limit: int = 200) -> list[RetentionRow]:
    """Who the policy anonymises by ``now + within_days`` (overdue first) and when: one query."""
    policy = retention_policy()
    months = relativedelta(months=policy.inactive_months)
    horizon = now + timedelta(days=within_days) - months
    rows = _candidates_in_scope(policy, inactive_before=horizon)[:limit]
    return [
        RetentionRow(
            candidate_id=row.pk,
            name=row.full_name,
            last_activity=row.last_activity,
            due_at=max(row.last_activity + months, now),
        )
        for row in rows
    ]
