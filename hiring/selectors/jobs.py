"""Reads for the hiring app, tuned so that pages cost a fixed number of queries."""

from django.db.models import QuerySet

from hiring import roles
from hiring.models import Job


def job_list(*, user) -> QuerySet[Job]:
    """Jobs a user may see: all for recruiters and admins, their own for hiring managers."""
    jobs = Job.objects.select_related("template").order_by("-created_at")
    role = roles.role_of(user)
    if role in (roles.ADMIN, roles.RECRUITER):
        return jobs
    if role == roles.HIRING_MANAGER:
        return jobs.filter(team__user=user)
    return jobs.none()
