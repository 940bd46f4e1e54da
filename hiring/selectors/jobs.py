"""Reads about jobs: the list with counts per stage and a job's page, in a fixed number of queries."""

from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.shortcuts import get_object_or_404
from django.utils import timezone

from hiring import extensions
from hiring.models import Application, HiringTeamMember, Job, Stage
from hiring.rules import jobs_visible_to
from roles.models import RoleTemplate


def job_list(*, user) -> QuerySet[Job]:
    """Jobs a user may see, newest first."""
    return jobs_visible_to(user=user).select_related("template").order_by("-created_at")


def jobs_with_stage_counts(*, jobs: list[Job]) -> list[Job]:
    """Give each job ``stage_list``: its stages, each with ``active_count``. Two queries for any page.

    The counts come from one grouped query over the active applications (the board index),
    which is several times cheaper than a per-stage join and aggregate filtered afterwards.
    """
    by_job: dict[int, list[Stage]] = {job.pk: [] for job in jobs}
    for stage in Stage.objects.filter(job__in=jobs).order_by("job_id", "order", "id"):
        by_job[stage.job_id].append(stage)
    counts = dict(
        Application.objects.active().filter(job__in=jobs).values_list("stage_id").annotate(n=Count("id")).order_by()
    )
    for job in jobs:
        job.stage_list = by_job[job.pk]
        for stage in job.stage_list:
            stage.active_count = counts.get(stage.pk, 0)
    return jobs


def job_list_filtered(*, user, status: str = "") -> QuerySet[Job]:
    """Jobs a user may see, optionally of one status, newest first (pair with ``jobs_with_stage_counts``)."""
    jobs = job_list(user=user)
    return jobs.filter(status=status) if status else jobs


def job_get(*, user, pk: int) -> Job:
    """One job the user may see (404 otherwise), with its template."""
    return get_object_or_404(jobs_visible_to(user=user).select_related("template"), pk=pk)


def job_detail(*, user, pk: int) -> Job:
    """A job with its stages (and active counts), team and the figures its page shows."""
    job = get_object_or_404(
        jobs_visible_to(user=user)
        .select_related("template", "created_by")
        .prefetch_related(
            Prefetch(
                "team",
                queryset=HiringTeamMember.objects.select_related("user").order_by("role", "user__first_name"),
                to_attr="team_list",
            ),
        ),
        pk=pk,
    )
    jobs_with_stage_counts(jobs=[job])
    status_counts = dict(job.applications.values_list("status").annotate(n=Count("id")).order_by())
    job.status_counts = {label: status_counts.get(value, 0) for value, label in Application.Status.choices}
    job.active_count = status_counts.get(Application.Status.ACTIVE, 0)
    job.hired_count = status_counts.get(Application.Status.HIRED, 0)
    # Interview facts come from the app above hiring (``hiring.extensions``): one query.
    job.overdue_scorecards = extensions.board_facts().overdue_count(job=job, now=timezone.now())
    return job


def published_templates() -> QuerySet[RoleTemplate]:
    """Published roles for the job form; ``same_title_count`` lets the form tell same-titled roles apart."""
    return (
        RoleTemplate.objects.published()
        .annotate(same_title_count=Window(Count("id"), partition_by=[F("title")]))
        .order_by("title", "-version")
    )
