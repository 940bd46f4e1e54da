"""Interview facts on hiring's pages, provided through ``hiring.extensions`` (registered in ``apps.py``).

hiring may not import interviews, so the pipeline board, the job page, the candidate
timeline and the application page ask these providers instead. Each contributes expressions or one query, so the
pages keep their fixed query counts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Expression,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from hiring.extensions import TimelineEvent
from hiring.models import Application, Job, User
from interviews.models import HiringDecision, Interview, InterviewStep, Scorecard, overdue_q
from interviews.rules import can_read_private_notes, can_record_decision, sees_all_feedback_of_visible
from interviews.selectors import (
    application_feedback,
    application_interviews,
    application_summary,
    scorecards_visible_for,
)
from interviews.selectors.decisions import decisions_of


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


def _memo(user: User, key: tuple, compute: Callable[[], Any]) -> Any:
    """Compute once per request: the application page asks for the same interviews and
    scorecards from its timeline and from two panels. Kept on the request's user object (like
    ``hiring.groups.role_of``), so nothing outlives the request."""
    store = user.__dict__.setdefault("_interviews_page_memo", {})
    if key not in store:
        store[key] = compute()
    return store[key]


def _interviews(user: User, application_id: int) -> list[Interview]:
    return _memo(user, ("interviews", application_id), lambda: application_interviews(application_id=application_id))


def _decisions(user: User, application_ids: list[int]) -> list[HiringDecision]:
    key = ("decisions", tuple(sorted(application_ids)))
    return _memo(user, key, lambda: decisions_of(application_ids=application_ids))


def _sees_all(user: User, application: Application) -> bool:
    return _memo(
        user,
        ("sees_all", application.pk),
        lambda: sees_all_feedback_of_visible(user=user, application_id=application.pk),
    )


def _visible_scorecards(user: User, application: Application) -> dict:
    return _memo(
        user,
        ("scorecards", application.pk),
        lambda: scorecards_visible_for(user=user, application_id=application.pk, sees_all=_sees_all(user, application)),
    )


def interview_timeline_events(
    *, user: User, application_ids: list[int], private: bool, limit: int
) -> list[TimelineEvent]:
    """Interviews and hiring decisions of these applications, newest first; without private access
    only the user's own interviews and no decisions. One query (the application page reuses the
    interviews and decisions its panels load)."""
    now = timezone.now()
    with_decisions = private and bool(can_read_private_notes(user=user))
    if private and len(application_ids) == 1:
        interviews = sorted(_interviews(user, application_ids[0]), key=lambda i: i.starts_at, reverse=True)
        rows = [("interview", i.starts_at, i.step.name, i.application.job.title, "", "") for i in interviews[:limit]]
        if with_decisions:
            rows += [
                (
                    "decision",
                    d.decided_at,
                    d.get_outcome_display(),
                    d.application.job.title,
                    d.rationale,
                    d.decided_by.display_name if d.decided_by else "",
                )
                for d in _decisions(user, application_ids)[:limit]
            ]
    else:
        rows = _timeline_rows(user=user, application_ids=application_ids, private=private, decisions=with_decisions)
    rows.sort(key=lambda row: row[1], reverse=True)
    outcomes = dict(HiringDecision.Outcome.choices)
    events = []
    for kind, at, name, job_title, detail, actor in rows[: limit * 2]:
        if kind == "interview":
            events.append(
                TimelineEvent(
                    at=at,
                    kind="interview",
                    title=f"Interview: {name} ({job_title})",
                    detail="Scheduled" if at > now else "",
                )
            )
        else:
            events.append(
                TimelineEvent(
                    at=at,
                    kind="decision",
                    title=f"Decision: {outcomes.get(name, name)} ({job_title})",
                    detail=" ".join(detail.split())[:140],
                    actor=actor,
                )
            )
    return events


def _timeline_rows(*, user: User, application_ids: list[int], private: bool, decisions: bool) -> list[tuple]:
    """(kind, at, name, job title, detail, actor) of the interviews and decisions, in one UNION query."""
    interviews = Interview.objects.filter(application_id__in=application_ids)
    if not private:
        interviews = interviews.filter(interviewers=user)
    text = CharField()
    query = interviews.order_by().values_list(
        Value("interview", output_field=text),
        "starts_at",
        "step__name",
        "application__job__title",
        Value("", output_field=TextField()),
        Value("", output_field=text),
        Value("", output_field=text),
        Value("", output_field=text),
    )
    if decisions:
        query = query.union(
            HiringDecision.objects.filter(application_id__in=application_ids)
            .order_by()
            .values_list(
                Value("decision", output_field=text),
                "decided_at",
                "outcome",
                "application__job__title",
                "rationale",
                "decided_by__first_name",
                "decided_by__last_name",
                "decided_by__email",
            ),
            all=True,
        )
    return [
        (kind, at, name, job_title, detail, f"{first or ''} {last or ''}".strip() or (email or ""))
        for kind, at, name, job_title, detail, first, last, email in query
    ]


def summary_panel(*, user: User, application: Application) -> tuple[str, dict[str, Any]]:
    """The feedback summary on the application page (hidden until the user may read it)."""
    sees_all = _sees_all(user, application)
    scorecards = _visible_scorecards(user, application)["scorecards"] if sees_all else None
    return "interviews/panels/application_summary.html", {
        "application": application,
        **application_summary(user=user, application=application, sees_all=sees_all, scorecards=scorecards),
    }


def feedback_panel(*, user: User, application: Application) -> tuple[str, dict[str, Any]]:
    """The interviews and the scorecards the user may read, on the application page, and the
    plan's steps to schedule (each link pre-fills the schedule form from its step)."""
    context = application_feedback(
        user=user,
        application=application,
        interviews=_interviews(user, application.pk),
        visible=_visible_scorecards(user, application),
    )
    if context["can_schedule"]:
        context["plan_steps"] = list(
            InterviewStep.objects.filter(plan__job_id=application.job_id).order_by("order", "id")
        )
    return "interviews/panels/application_feedback.html", {"application": application, **context}


def decision_panel(*, user: User, application: Application) -> tuple[str, dict[str, Any]]:
    """The hiring decision: the latest one with its citations, earlier ones, and who may record one."""
    if not can_read_private_notes(user=user):
        return "interviews/panels/application_decision.html", {"application": application, "hidden": True}
    decisions = _decisions(user, [application.pk])
    return "interviews/panels/application_decision.html", {
        "application": application,
        "decision": decisions[0] if decisions else None,
        "earlier_decisions": decisions[1:],
        "can_decide": can_record_decision(user=user, application=application),
    }


def job_links(*, user: User, job: Job) -> list[tuple[str, str]]:
    """The job page's links to its interview plan and its weekly digest."""
    return [
        ("Interview plan", reverse("interviews:plan", args=[job.pk])),
        ("Weekly digest", reverse("interviews:job-digest", args=[job.pk])),
    ]
