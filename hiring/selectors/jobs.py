"""Reads about jobs: the list with counts per stage and a job's page, in a fixed number of queries."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from hiring.models import Application, HiringTeamMember, Job, Stage
from roles.models import RoleTemplate

from .access import jobs_visible_to

# A draft scorecard is overdue once its interview ended this long ago.
SCORECARD_OVERDUE_AFTER = datetime.timedelta(hours=2)


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
        Application.objects.filter(job__in=jobs, status=Application.Status.ACTIVE)
        .values_list("stage_id")
        .annotate(n=Count("id"))
        .order_by()
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


def overdue_cutoff() -> datetime.datetime:
    return timezone.now() - SCORECARD_OVERDUE_AFTER


def overdue_scorecards_q(prefix: str = "") -> Q:
    """Scorecards still owed: a draft never submitted whose interview ended over two hours ago.

    ``prefix`` is the path from the queried model to the scorecard (e.g. ``"scorecards__"``).
    A draft that was submitted before (being amended) or withdrawn is not overdue, the same
    rule the scorecard reminders follow.
    """
    from interviews.models import Scorecard

    return Q(
        **{
            f"{prefix}status": Scorecard.Status.DRAFT,
            f"{prefix}submitted_at__isnull": True,
            f"{prefix}withdrawn_at__isnull": True,
            f"{prefix}interview__ends_at__lt": overdue_cutoff(),
        }
    )


def job_get(*, user, pk: int) -> Job:
    """One job the user may see (404 otherwise), with its template."""
    return get_object_or_404(jobs_visible_to(user=user).select_related("template"), pk=pk)


def job_detail(*, user, pk: int) -> Job:
    """A job with its stages (and active counts), team and the figures its page shows."""
    from interviews.models import Scorecard

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
    job.overdue_scorecards = Scorecard.objects.filter(
        overdue_scorecards_q(),
        interview__application__job=job,
        interview__application__status=Application.Status.ACTIVE,
    ).count()
    return job


def published_templates() -> QuerySet[RoleTemplate]:
    return RoleTemplate.objects.filter(status=RoleTemplate.Status.PUBLISHED).order_by("title", "-version")
