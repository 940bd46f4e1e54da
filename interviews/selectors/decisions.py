"""Reads of hiring decisions: the latest one of an application, the scorecards still owed, what a
rationale may cite, and the hiring manager's "Needs my decision" list.

"Required" scorecards are those of the application's interviews that nobody withdrew; they
are "in" when submitted. An application is ready for a decision when it has at least one
required scorecard and every one of them is in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from hiring.models import Application
from hiring.rules import applications_visible_to, is_admin
from interviews.models import HiringDecision, Scorecard

NEEDS_DECISION_LIMIT = 50

# The summary's sections whose points a rationale may cite, in the order the page lists them.
CITABLE_SECTIONS = (
    ("signal", "Signal"),
    ("disagreements", "Disagreement"),
    ("agreements", "Agreement"),
    ("coverage_gaps", "Not assessed"),
)


def decision_for(application: Application | int) -> HiringDecision | None:
    """The application's latest decision, or None (one query; a summary headline can show it).

    Takes no user: call it only for an application the viewer may read the feedback of.
    """
    if isinstance(application, int):
        return _latest_decision(application)
    # The decision panel and the summary headline of one page ask for the same application:
    # one query between them.
    if "_latest_decision" not in application.__dict__:
        application.__dict__["_latest_decision"] = _latest_decision(application.pk)
    return application.__dict__["_latest_decision"]


def _latest_decision(application_id: int) -> HiringDecision | None:
    return (
        HiringDecision.objects.filter(application_id=application_id)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
        .first()
    )


def decisions_of(*, application_ids: list[int]) -> list[HiringDecision]:
    """Every decision of these applications, newest first, with who made them (one query)."""
    return list(
        HiringDecision.objects.filter(application_id__in=application_ids)
        .select_related("decided_by", "application__job")
        .order_by("-decided_at", "-id")
    )


@dataclass(frozen=True)
class ScorecardProgress:
    submitted: int
    required: int

    @property
    def all_in(self) -> bool:
        return self.required > 0 and self.submitted >= self.required


def progress_of(scorecards) -> ScorecardProgress:
    """Required and submitted among loaded scorecards (every scorecard of the application)."""
    required = [card for card in scorecards if card.withdrawn_at is None]
    return ScorecardProgress(
        submitted=sum(1 for card in required if card.status == Scorecard.Status.SUBMITTED), required=len(required)
    )


def scorecard_progress(*, application_id: int) -> ScorecardProgress:
    """How many required scorecards the application has and how many are in (one query)."""
    rows = Scorecard.objects.filter(interview__application_id=application_id, withdrawn_at__isnull=True).values_list(
        "status", flat=True
    )
    statuses = list(rows)
    return ScorecardProgress(
        submitted=sum(1 for status in statuses if status == Scorecard.Status.SUBMITTED), required=len(statuses)
    )


@dataclass(frozen=True)
class Citable:
    key: str  # "scorecard:<id>" or "summary:<section>.<index>"
    label: str
    anchor: str  # the id of the element it links back to on the application page


def citable_points(*, application_id: int, content: dict | None, scorecards) -> list[Citable]:
    """What a rationale may cite: the summary's points and the submitted scorecards (no query).

    ``content``: the summary's stored content (or None); ``scorecards``: the loaded scorecards.
    """
    points: list[Citable] = []
    content = content or {}
    for section, label in CITABLE_SECTIONS:
        statements = content.get(section)
        if section == "signal":
            statements = [statements] if statements and content.get("scorecards") else []
        for index, statement in enumerate(statements or []):
            text = " ".join(str(statement.get("text", "")).split())[:200]
            points.append(
                Citable(
                    key=f"summary:{section}.{index}",
                    label=f"{label}: {text}",
                    # Coverage is one line on the page: every gap links to it.
                    anchor=f"summary-{application_id}-coverage"
                    if section == "coverage_gaps"
                    else f"summary-{application_id}-{section}-{index}",
                )
            )
    for card in scorecards:
        if card.status != Scorecard.Status.SUBMITTED:
            continue
        recommendation = card.get_overall_recommendation_display() if card.overall_recommendation else ""
        points.append(
            Citable(
                key=f"scorecard:{card.pk}",
                label=f"S{card.pk} · {card.interviewer.display_name}, {card.interview.step.name}"
                + (f": {recommendation}" if recommendation else ""),
                anchor=f"scorecard-{card.pk}",
            )
        )
    return points


def _ready_for_decision() -> Q:
    """At least one required scorecard, none still owed, no decision yet (on applications)."""
    required = Scorecard.objects.filter(interview__application=OuterRef("pk"), withdrawn_at__isnull=True)
    return Q(
        Exists(required),
        ~Exists(required.exclude(status=Scorecard.Status.SUBMITTED)),
        ~Exists(HiringDecision.objects.filter(application=OuterRef("pk"))),
    )


def applications_needing_decision(*, user) -> list[Application]:
    """Active applications of the user's jobs whose required scorecards are all in and that have
    no decision yet, the longest waiting first (one query). Admins see every job's."""
    if is_admin(user):
        applications: QuerySet[Application] = Application.objects.all()
    else:
        applications = applications_visible_to(user=user).filter(job__team__user=user, job__team__role="hiring_manager")
    return list(
        applications.filter(_ready_for_decision(), status=Application.Status.ACTIVE)
        .select_related("candidate", "job", "stage")
        .order_by("stage_entered_at", "id")[:NEEDS_DECISION_LIMIT]
    )
