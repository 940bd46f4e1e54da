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


def _stages_with_counts() -> QuerySet[Stage]:
    return Stage.objects.annotate(
        active_count=Count("applications", filter=Q(applications__status=Application.Status.ACTIVE))
    ).order_by("order", "id")


def job_list_with_counts(*, user, status: str = "") -> QuerySet[Job]:
    """Jobs a user may see, each with ``stages`` carrying ``active_count``: two queries per page."""
    jobs = job_list(user=user)
    if status:
        jobs = jobs.filter(status=status)
    return jobs.prefetch_related(Prefetch("stages", queryset=_stages_with_counts(), to_attr="stage_list"))


def overdue_cutoff() -> datetime.datetime:
    return timezone.now() - SCORECARD_OVERDUE_AFTER


def overdue_scorecards_q(prefix: str = "") -> Q:
    """Scorecards still owed: a draft never submitted whose interview ended over two hours ago.

    ``prefix`` is the path from the queried model to the scorecard (e.g. ``"scorecards__"``).
    A draft that was submitted before (being amended) is not overdue.
    """
    from interviews.models import Scorecard

    return Q(
        **{
            f"{prefix}status": Scorecard.Status.DRAFT,
            f"{prefix}submitted_at__isnull": True,
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
            Prefetch("stages", queryset=_stages_with_counts(), to_attr="stage_list"),
            Prefetch(
                "team",
                queryset=HiringTeamMember.objects.select_related("user").order_by("role", "user__first_name"),
                to_attr="team_list",
            ),
        ),
        pk=pk,
    )
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
