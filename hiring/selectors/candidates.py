"""Reads of the candidate screens: the searchable list, the profile, the import preview.

Every function starts from the visibility querysets of ``hiring.rules``, so a user never reads a
candidate or application outside them. Query counts are fixed whatever the data.
"""

import re
from dataclasses import dataclass, field

import rules
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Value

from hiring.models import (
    Application,
    Candidate,
    EmailTemplate,
    Note,
    RejectionReason,
    Resume,
    Stage,
    StageChange,
    Tag,
)
from hiring.rules import (
    applications_blind_to,
    applications_visible_to,
    candidates_visible_to,
    jobs_visible_to,
    notes_visible_to,
    tags_visible_to,
)

PAGE_SIZE = 25
SORTS = {
    "newest": ("-created_at", "-id"),
    "name": ("last_name", "first_name", "id"),
    "activity": ("-updated_at", "-id"),
}


def search_vector():
    """The full-text expression the GIN index of migration 0003 is built on (PostgreSQL)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("search_document", config="simple")


def search_query(text: str):
    """A prefix query for every word typed ("ali smi" finds "Alice Smith"), or None."""
    from django.contrib.postgres.search import SearchQuery

    words = re.findall(r"\w+", text.lower())[:8]
    if not words:
        return None
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="simple")


def _search(queryset: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    text = text.strip()
    if not text:
        return queryset
    queryset = queryset.filter(anonymised_at__isnull=True)  # erased people are never found by a search
    if settings.IS_POSTGRES:
        query = search_query(text)
        if query is None:
            return queryset
        return queryset.annotate(search=search_vector()).filter(search=query)
    condition = Q()
    for word in text.split()[:8]:
        condition &= Q(search_document__icontains=word)
    return queryset.filter(condition)


@dataclass
class CandidateListResult:
    page: Page
    applications_by_candidate: dict[int, list[Application]] = field(default_factory=dict)


def candidate_list(
    *,
    user,
    q: str = "",
    job: int | None = None,
    stage: int | None = None,
    status: str = "",
    source: str = "",
    tag: str = "",
    sort: str = "newest",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> CandidateListResult:
    """One page of the candidates a user may see, searched, filtered and sorted (3 or 4 queries)."""
    candidates = _search(candidates_visible_to(user=user), q or "")
    if (q or "").strip():
        candidates = candidates.exclude(pk__in=applications_blind_to(user=user).values("candidate_id"))
    visible_applications = applications_visible_to(user=user)
    if job or stage or status:
        matching = visible_applications
        if job:
            matching = matching.filter(job_id=job)
        if stage:
            matching = matching.filter(stage_id=stage)
        if status:
            matching = matching.filter(status=status)
        candidates = candidates.filter(pk__in=matching.values("candidate_id"))
    if source:
        candidates = candidates.filter(source__iexact=source)
    if tag:
        candidates = candidates.filter(
            pk__in=Tag.candidates.through.objects.filter(tag__name=tag).values("candidate_id")
        )
    candidates = candidates.order_by(*SORTS.get(sort, SORTS["newest"])).only(
        "id", "first_name", "last_name", "email", "location", "source", "created_at", "updated_at"
    )
    applications = visible_applications.select_related("job", "stage").order_by("-applied_at", "-id")
    if job:
        applications = applications.filter(job_id=job)
    candidates = candidates.prefetch_related(
        Prefetch("applications", queryset=applications, to_attr="visible_applications"),
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
    )
    paginator = Paginator(candidates, page_size)
    return CandidateListResult(page=paginator.get_page(page))


def candidate_list_options(*, user) -> dict:
    """What the filters offer: the user's jobs with their stages, and the tags in use (2 queries)."""
    stages = list(
        Stage.objects.filter(job__in=jobs_visible_to(user=user)).select_related("job").order_by("job__title", "order")
    )
    jobs: dict[int, dict] = {}
    for stage in stages:
        jobs.setdefault(stage.job_id, {"job": stage.job, "stages": []})["stages"].append(stage)
    tags = tags_visible_to(user=user)
    return {
        "jobs": list(jobs.values()),
        "tags": list(tags.order_by("name").values_list("name", flat=True)[:500]),
        "statuses": Application.Status.choices,
    }


def bulk_action_choices() -> dict:
    """Active rejection reasons and rejection emails for the bulk bar, in one query."""
    reasons = RejectionReason.objects.filter(active=True).order_by().values_list(Value("reason"), "pk", "name", "order")
    templates = (
        EmailTemplate.objects.filter(active=True, kind=EmailTemplate.Kind.REJECTION)
        .order_by()
        .values_list(Value("template"), "pk", "name", Value(0))
    )
    rows = sorted(reasons.union(templates, all=True), key=lambda row: (row[0], row[3], row[2]))
    return {
        "reasons": [(pk, name) for kind, pk, name, _ in rows if kind == "reason"],
        "email_templates": [(pk, name) for kind, pk, name, _ in rows if kind == "template"],
    }


def job_stages(*, user, job_id: int) -> list[Stage]:
    """The stages of a job the user may see (for the bulk bar's "Move to"), in board order."""
    return list(Stage.objects.filter(job_id=job_id, job__in=jobs_visible_to(user=user)).order_by("order", "id"))


def sees_private_candidate_details(*, user) -> bool:
    """Contact details, notes, sources and stage history: the hiring team, not interviewers."""
    return rules.has_perm("hiring.view_candidate_private", user)


def candidate_profile(*, user, candidate_id: int) -> Candidate | None:
    """The candidate (if visible) with their visible applications and their history."""
    applications = (
        applications_visible_to(user=user)
        .select_related("job", "stage", "rejection_reason")
        .prefetch_related(
            Prefetch(
                "stage_changes",
                queryset=StageChange.objects.select_related("from_stage", "to_stage", "actor").order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("-applied_at", "-id")
    )
    return (
        candidates_visible_to(user=user)
        .prefetch_related(
            Prefetch("applications", queryset=applications, to_attr="visible_applications"),
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            Prefetch(
                "resumes",
                queryset=Resume.objects.select_related("uploaded_by").order_by("-created_at", "-id"),
                to_attr="resume_list",
            ),
        )
        .filter(pk=candidate_id)
        .first()
    )


MARKDOWN_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "code", "pre", "blockquote", "a", "h3", "h4", "h5", "h6",
    "hr", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show: nh3 keeps only harmless tags and http(s)/mailto links."""
    import markdown
    import nh3

    html = markdown.markdown(text, extensions=["sane_lists", "fenced_code", "tables"])
    return nh3.clean(
        html,
        tags=MARKDOWN_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def candidate_notes(*, user, candidate: Candidate) -> list[Note]:
    """Notes the user may read: none for interviewers; for hiring managers those about their jobs."""
    if not sees_private_candidate_details(user=user):
        return []
    notes = notes_visible_to(user=user, candidate=candidate).select_related("author", "application__job")
    result = list(notes.order_by("-created_at", "-id")[:200])
    for note in result:
        note.body_html = render_markdown(note.body)
    return result


def application_page(*, user, application_id: int) -> Application | None:
    """An application (if visible) with its candidate, job, stage and history, and what the
    applicant sent through the careers site (``submission`` and its answers, when there is one)."""
    return (
        applications_visible_to(user=user)
        .select_related("candidate", "job__template", "stage", "rejection_reason", "submission")
        .prefetch_related(
            Prefetch(
                "stage_changes",
                queryset=StageChange.objects.select_related("from_stage", "to_stage", "actor").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "candidate__resumes",
                queryset=Resume.objects.select_related("uploaded_by").order_by("-created_at", "-id"),
                to_attr="resume_list",
            ),
            "submission__answers",
        )
        .filter(pk=application_id)
        .first()
    )


@dataclass
class ApplicationActions:
    """What the application page's actions offer: the job's stages, the active rejection reasons
    and rejection emails, and the candidate's tags."""

    stages: list[tuple[int, str]] = field(default_factory=list)
    reasons: list[tuple[int, str]] = field(default_factory=list)
    email_templates: list[tuple[int, str]] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)


def application_actions(*, application: Application) -> ApplicationActions:
    """The choices of the application page's actions, in one query (a UNION of four short lists)."""
    stages = (
        Stage.objects.filter(job_id=application.job_id).order_by().values_list(Value("stage"), "pk", "name", "order")
    )
    reasons = RejectionReason.objects.filter(active=True).order_by().values_list(Value("reason"), "pk", "name", "order")
    templates = (
        EmailTemplate.objects.filter(active=True, kind=EmailTemplate.Kind.REJECTION)
        .order_by()
        .values_list(Value("template"), "pk", "name", Value(0))
    )
    tags = (
        Tag.objects.filter(candidates=application.candidate_id)
        .order_by()
        .values_list(Value("tag"), "pk", "name", Value(0))
    )
    rows = sorted(stages.union(reasons, templates, tags, all=True), key=lambda row: (row[0], row[3], row[2], row[1]))
    result = ApplicationActions()
    buckets = {"stage": result.stages, "reason": result.reasons, "template": result.email_templates, "tag": result.tags}
    for kind, pk, name, _order in rows:
        buckets[kind].append((pk, name))
    return result


def candidate_record_counts(*, candidate: Candidate) -> dict[str, int]:
    """What a merge would move from this record: its applications, notes and résumés (one query)."""
    row = (
        Candidate.objects.filter(pk=candidate.pk)
        .annotate(
            n_applications=Count("applications", distinct=True),
            n_notes=Count("notes", distinct=True),
            n_resumes=Count("resumes", distinct=True),
        )
        .values_list("n_applications", "n_notes", "n_resumes")
        .first()
    ) or (0, 0, 0)
    return dict(zip(("applications", "notes", "resumes"), row, strict=True))


def merged_target(*, user, candidate_id: int) -> Candidate | None:
    """The record a merged duplicate (a tombstone) now lives in, if the user may see it (at most three hops)."""
    current = candidate_id
    for _ in range(3):
        row = Candidate.objects.filter(pk=current).values_list("merged_into_id", flat=True).first()
        if row is None:
            break
        current = row
    if current == candidate_id:
        return None
    return candidates_visible_to(user=user).filter(pk=current).first()
