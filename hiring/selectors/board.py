"""The pipeline board of a job: columns, counts and the first page of cards in a fixed number of queries.

Whatever the number of applications, the board costs one query for the stages, one for the
counts per stage, one for the ids on each column's first page (per stage, the first entries of
the board index, joined with UNION ALL; with filters, a window function numbers the matching
cards inside each stage) and one for those cards, with scorecard figures as correlated
subqueries instead of per-card queries. The scorecard figures come from the app above hiring
through ``hiring.extensions.BoardFacts``. A card is a row (``Card``), not model instances.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from hiring import extensions
from hiring.models import Application, ApplicationSubmission, Candidate, EmailTemplate, Job, RejectionReason, Stage, Tag

CARDS_PER_COLUMN = 20
SOURCES_CACHE_SECONDS = 60


@dataclass(frozen=True)
class BoardFilters:
    source: str = ""
    tag: Tag | None = None
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.source or self.tag or self.overdue)


@dataclass(frozen=True, slots=True)
class CardCandidate:
    id: int
    first_name: str
    last_name: str
    source: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()  # as Candidate.full_name


@dataclass(frozen=True, slots=True)
class CardSubmission:
    """A careers-site application's own source and the flags for the recruiter."""

    source: str
    must_have_missed: bool
    duplicate_match: str


@dataclass(frozen=True, slots=True)
class Card:
    """An application as its board card shows it: read as one row, not as model instances
    (building an Application and a Candidate per card cost a board more than its SQL)."""

    pk: int
    stage_id: int
    version: int
    stage_entered_at: datetime
    identity_revealed_at: datetime | None
    candidate: CardCandidate
    submission: CardSubmission | None
    scorecards_total: int
    scorecards_submitted: int
    overdue_count: int
    days_in_stage: int

    @property
    def has_overdue(self) -> bool:
        return self.overdue_count > 0


@dataclass
class Column:
    stage: Stage
    count: int = 0
    cards: list[Card] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.cards)


@dataclass
class Board:
    job: Job
    filters: BoardFilters
    columns: list[Column]
    stages: list[Stage]

    @property
    def total(self) -> int:
        return sum(column.count for column in self.columns)


def board_applications(*, job: Job, filters: BoardFilters, now: datetime | None = None) -> QuerySet[Application]:
    """The active applications of a job that pass the board's filters."""
    applications = Application.objects.active().filter(job=job)
    if filters.source:
        # The source a card shows: the careers-site submission's, else the candidate's.
        applications = applications.filter(
            Q(submission__source=filters.source) | Q(submission__isnull=True, candidate__source=filters.source)
        )
    if filters.tag is not None:
        applications = applications.filter(candidate__tags=filters.tag)
    if filters.overdue:
        overdue = extensions.board_facts().overdue_applications(job=job, now=now or timezone.now())
        applications = applications.filter(pk__in=overdue)
    return applications


# The columns a card reads, then the interview facts (``extensions.CARD_FACTS``) as correlated subqueries.
_CARD_COLUMNS = (
    "id",
    "stage_id",
    "version",
    "stage_entered_at",
    "identity_revealed_at",  # blind review: whether the job's hiring managers see the name
    "candidate_id",
    "candidate__first_name",
    "candidate__last_name",
    "candidate__source",
    # Careers-site applications: their own source and the flags for the recruiter.
    "submission__id",
    "submission__source",
    "submission__must_have_missed",
    "submission__duplicate_match",
)


def _card_rows(applications: QuerySet[Application], *, now: datetime) -> QuerySet[Any]:
    """The cards' rows: ``_CARD_COLUMNS`` and then ``extensions.CARD_FACTS``, as tuples."""
    facts = extensions.board_facts().card_annotations(now=now)
    return applications.annotate(**facts).values_list(*_CARD_COLUMNS, *extensions.CARD_FACTS)


def _card(row: tuple, *, now: datetime) -> Card:
    (pk, stage_id, version, entered, revealed, candidate_id, first_name, last_name, source) = row[:9]
    submission_id, submission_source, must_have_missed, duplicate_match = row[9:13]
    total, submitted, overdue = row[13:]
    return Card(
        pk=pk,
        stage_id=stage_id,
        version=version,
        stage_entered_at=entered,
        identity_revealed_at=revealed,
        candidate=CardCandidate(id=candidate_id, first_name=first_name, last_name=last_name, source=source),
        submission=(
            None
            if submission_id is None
            else CardSubmission(
                source=submission_source, must_have_missed=must_have_missed, duplicate_match=duplicate_match
            )
        ),
        scorecards_total=total,
        scorecards_submitted=submitted,
        overdue_count=overdue,
        days_in_stage=max(0, (now - entered).days),
    )


def _first_pages(
    applications: QuerySet[Application], *, job: Job, filters: BoardFilters, stages: list[Stage], per_column: int
) -> QuerySet[Application]:
    """The applications on the first page of each column, in column order."""
    order = ("stage_id", "stage_entered_at", "id")
    if not filters.active:
        ids = _first_page_ids(job=job, stages=stages, per_column=per_column)
    else:
        # Filtered (few rows, joins to check): a window numbers the matching cards inside each stage.
        chosen = applications.annotate(
            position=Window(RowNumber(), partition_by=[F("stage_id")], order_by=[F(name).asc() for name in order[1:]])
        ).filter(position__lte=per_column)
        ids = list(chosen.values_list("pk", flat=True))
    # The ids as a list, not a subquery: PostgreSQL cannot estimate how many rows the subqueries
    # keep, and planned the cards' scorecard subqueries for the job's every application (with JIT
    # compilation: seconds at 200,000 candidates); with the ids written out it plans for 100 rows.
    return Application.objects.filter(pk__in=ids).order_by(*order)


def _first_page_ids(*, job: Job, stages: list[Stage], per_column: int) -> list[int]:
    """The ids on the first page of each column of the unfiltered board (the job's active applications).

    Per stage, a subquery takes the first ids from the board index (job, status, stage,
    stage_entered_at) and stops there: the cost does not grow with the column, where numbering
    every active card with a window did. The pages are joined with UNION ALL, so the database
    reads about 20 index entries per stage: 0.07 ms at 5,000 active cards on SQLite, where
    checking the job's every active application against an OR of the subqueries took 1.7 ms.

    Written in SQL: SQLite takes no LIMIT in a compound's member, so the ORM needs a wrapper
    query around each page, and putting the twelve queries together cost 2 ms, thirty times
    what running them does.
    """
    if not stages:
        return []
    table = connection.ops.quote_name(Application._meta.db_table)
    page = f"""SELECT id FROM (
        SELECT id FROM {table} WHERE job_id = %s AND status = %s AND stage_id = %s
        ORDER BY stage_entered_at, id LIMIT %s
    ) AS page"""  # noqa: S608 -- the table name from the model, values as parameters
    params = [value for stage in stages for value in (job.pk, Application.Status.ACTIVE.value, stage.pk, per_column)]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([page] * len(stages)), params)
        return [row[0] for row in cursor.fetchall()]


def board_get(*, job: Job, filters: BoardFilters, per_column: int = CARDS_PER_COLUMN) -> Board:
    """Every stage of the job as a column with its count and its first ``per_column`` cards."""
    now = timezone.now()
    stages = list(job.stages.order_by("order", "id"))
    applications = board_applications(job=job, filters=filters, now=now)
    counts = dict(applications.order_by().values_list("stage_id").annotate(n=Count("id")))
    rows = _card_rows(
        _first_pages(applications, job=job, filters=filters, stages=stages, per_column=per_column), now=now
    )
    columns = {stage.pk: Column(stage=stage, count=counts.get(stage.pk, 0)) for stage in stages}
    for row in rows:
        card = _card(row, now=now)
        columns[card.stage_id].cards.append(card)
    return Board(job=job, filters=filters, columns=list(columns.values()), stages=stages)


def board_column_page(
    *, job: Job, stage: Stage, filters: BoardFilters, offset: int, limit: int = CARDS_PER_COLUMN
) -> tuple[list[Card], bool]:
    """The next page of one column's cards and whether more follow."""
    now = timezone.now()
    applications = board_applications(job=job, filters=filters, now=now).filter(stage=stage)
    rows = list(_card_rows(applications, now=now).order_by("stage_entered_at", "id")[offset : offset + limit + 1])
    return [_card(row, now=now) for row in rows[:limit]], len(rows) > limit


def board_sources(*, job: Job) -> list[str]:
    """Sources of the job's candidates, for the board's filter; cached for a minute.

    A DISTINCT over every application of a big job costs more than the rest of the board,
    and a new source may well take a minute to appear in a filter's list.
    """
    key = f"hiring:board-sources:{job.pk}:{job.created_at.timestamp()}"
    sources = cache.get_or_set(
        key,
        lambda: sorted(
            set(
                Candidate.objects.filter(applications__job=job)
                .exclude(source="")
                .order_by()
                .values_list("source", flat=True)
                .distinct()
            )
            | set(
                ApplicationSubmission.objects.filter(application__job=job)
                .exclude(source="")
                .order_by()
                .values_list("source", flat=True)
                .distinct()
            )
        ),
        timeout=SOURCES_CACHE_SECONDS,
    )
    return list(sources or [])


def board_tags() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


def reject_options() -> tuple[QuerySet, QuerySet]:
    """The admin-managed rejection reasons and rejection emails a recruiter may pick from."""
    return (
        RejectionReason.objects.filter(active=True),
        EmailTemplate.objects.filter(active=True, kind=EmailTemplate.Kind.REJECTION),
    )


__all__ = [
    "CARDS_PER_COLUMN",
    "Board",
    "BoardFilters",
    "Card",
    "CardCandidate",
    "CardSubmission",
    "Column",
    "board_applications",
    "board_column_page",
    "board_get",
    "board_sources",
    "board_tags",
    "reject_options",
]
