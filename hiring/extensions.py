"""Extension points: how an app above hiring adds its facts to hiring's pages and reacts to its writes.

The layers are ``roles <- hiring <- interviews``: hiring never imports interviews, not even
inside a function. Where a hiring page needs interview facts, hiring declares here what it
needs (small typed protocols) and interviews registers its providers in
``InterviewsConfig.ready()``. Without a provider, hiring still works: cards show no
scorecards, nobody is overdue, the timeline has no interviews, interviewers see no
applications, opening a job creates no interview plan, the application page has no
interview panels, the job page links no plan or digest and nobody's decision is waiting.

Providers contribute query expressions and querysets rather than rows, so a page keeps a
fixed number of queries (the board's card facts are correlated subqueries of the one cards
query). Registration is keyed by name, so calling ``ready()`` twice registers nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Expression, IntegerField, Q, QuerySet, Value

if TYPE_CHECKING:
    from hiring.models import Application, Job, User

# What a board card knows about its interviews: one integer annotation per name.
CARD_FACTS = ("scorecards_total", "scorecards_submitted", "overdue_count")


@dataclass(frozen=True)
class TimelineEvent:
    """One line of a candidate's activity timeline."""

    at: datetime
    kind: str  # "stage", "note", "resume", "interview"
    title: str
    detail: str = ""
    actor: str = ""


class BoardFacts(Protocol):
    """Interview facts of the pipeline board and the job page."""

    def card_annotations(self, *, now: datetime) -> dict[str, Expression]:
        """An integer expression per name of ``CARD_FACTS``, correlated on the application (``OuterRef("pk")``)."""
        ...

    def overdue_applications(self, *, job: Job, now: datetime) -> QuerySet[Any]:
        """A one-column queryset of the ids of the job's applications with an overdue scorecard."""
        ...

    def overdue_count(self, *, job: Job, now: datetime) -> int:
        """How many scorecards of the job's active applications are overdue (one query)."""
        ...


class TimelineProvider(Protocol):
    def __call__(self, *, user: User, application_ids: list[int], private: bool, limit: int) -> list[TimelineEvent]:
        """Events of these applications the user may see, newest first, at most ``limit`` (one query)."""
        ...


class JobOpenedHook(Protocol):
    def __call__(self, *, job: Job) -> Any:
        """Runs inside ``job_create``'s transaction, after the job, its stages and its team exist."""
        ...


class ApplicationAccess(Protocol):
    def __call__(self, *, user: User) -> QuerySet[Any]:
        """A one-column queryset of application ids the user may read through this app (e.g. as interviewer)."""
        ...


class ApplicationPanel(Protocol):
    def __call__(self, *, user: User, application: Application) -> tuple[str, dict[str, Any]]:
        """A panel of the application page: its template and context (it checks what the user may see)."""
        ...


class DecisionQueue(Protocol):
    def __call__(self, *, user: User) -> list[Application]:
        """Applications waiting for this user's hiring decision, with candidate, job and stage loaded (one query)."""
        ...


class JobLinks(Protocol):
    def __call__(self, *, user: User, job: Job) -> list[tuple[str, str]]:
        """(label, url) pairs the job page links to (no query)."""
        ...


class _NoBoardFacts:
    """What the board shows without an interviews app: no scorecards, nothing overdue."""

    def card_annotations(self, *, now: datetime) -> dict[str, Expression]:
        return {name: Value(0, output_field=IntegerField()) for name in CARD_FACTS}

    def overdue_applications(self, *, job: Job, now: datetime) -> QuerySet[Any]:
        return job.applications.none().values("pk")

    def overdue_count(self, *, job: Job, now: datetime) -> int:
        return 0


class DebriefReached(Protocol):
    def __call__(self, *, application: Application) -> bool:
        """Blind review: the application's feedback is complete, so a hiring manager may reveal the name."""
        ...


@dataclass
class Registry:
    board_facts: dict[str, BoardFacts] = field(default_factory=dict)
    timeline: dict[str, TimelineProvider] = field(default_factory=dict)
    job_opened: dict[str, JobOpenedHook] = field(default_factory=dict)
    application_access: dict[str, ApplicationAccess] = field(default_factory=dict)
    application_panels: dict[str, ApplicationPanel] = field(default_factory=dict)
    decision_queues: dict[str, DecisionQueue] = field(default_factory=dict)
    job_links: dict[str, JobLinks] = field(default_factory=dict)
    debrief_reached: dict[str, DebriefReached] = field(default_factory=dict)


registry = Registry()


def register_board_facts(name: str, provider: BoardFacts) -> None:
    """Only one provider answers the board (the last registered); the name makes it idempotent."""
    registry.board_facts.clear()
    registry.board_facts[name] = provider


def register_timeline(name: str, provider: TimelineProvider) -> None:
    registry.timeline[name] = provider


def register_job_opened(name: str, hook: JobOpenedHook) -> None:
    registry.job_opened[name] = hook


def register_application_access(name: str, provider: ApplicationAccess) -> None:
    registry.application_access[name] = provider


def register_application_panel(name: str, panel: ApplicationPanel) -> None:
    """Panels show in the order they were first registered."""
    registry.application_panels[name] = panel


def register_decision_queue(name: str, provider: DecisionQueue) -> None:
    registry.decision_queues[name] = provider


def register_job_links(name: str, provider: JobLinks) -> None:
    registry.job_links[name] = provider


def register_debrief_reached(name: str, provider: DebriefReached) -> None:
    registry.debrief_reached[name] = provider


# --- What hiring calls ----------------------------------------------------------------------------------------


def board_facts() -> BoardFacts:
    return next(iter(registry.board_facts.values()), _NoBoardFacts())


def timeline_events(*, user: User, application_ids: list[int], private: bool, limit: int) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    for provider in registry.timeline.values():
        events.extend(provider(user=user, application_ids=application_ids, private=private, limit=limit))
    return events


def job_opened(*, job: Job) -> None:
    for hook in registry.job_opened.values():
        hook(job=job)


def applications_accessible(*, user: User) -> Q | None:
    """A condition on applications for what other apps grant this user, or None when none do."""
    condition: Q | None = None
    for provider in registry.application_access.values():
        granted = Q(pk__in=provider(user=user))
        condition = granted if condition is None else condition | granted
    return condition


def application_panels(*, user: User, application: Application) -> list[tuple[str, dict[str, Any]]]:
    return [panel(user=user, application=application) for panel in registry.application_panels.values()]


def decisions_needed(*, user: User) -> list[Application]:
    """The hiring manager's "Needs my decision" list (empty without a provider)."""
    found: list[Application] = []
    for provider in registry.decision_queues.values():
        found.extend(provider(user=user))
    return found


def job_links(*, user: User, job: Job) -> list[tuple[str, str]]:
    return [link for provider in registry.job_links.values() for link in provider(user=user, job=job)]


def debrief_reached(*, application: Application) -> bool:
    """Every provider agrees the debrief is reached; without one (no interviews app) it never is."""
    providers = list(registry.debrief_reached.values())
    return bool(providers) and all(provider(application=application) for provider in providers)


__all__ = [
    "CARD_FACTS",
    "ApplicationAccess",
    "ApplicationPanel",
    "BoardFacts",
    "DebriefReached",
    "DecisionQueue",
    "JobLinks",
    "JobOpenedHook",
    "Registry",
    "TimelineEvent",
    "TimelineProvider",
    "application_panels",
    "applications_accessible",
    "board_facts",
    "debrief_reached",
    "decisions_needed",
    "job_links",
    "job_opened",
    "register_application_access",
    "register_application_panel",
    "register_board_facts",
    "register_debrief_reached",
    "register_decision_queue",
    "register_job_links",
    "register_job_opened",
    "register_timeline",
    "registry",
    "timeline_events",
]
