from django.db.models import QuerySet

from hiring.models import Job

from .access import jobs_visible_to


def job_list(*, user) -> QuerySet[Job]:
    """Jobs a user may see, newest first."""
    return jobs_visible_to(user=user).select_related("template").order_by("-created_at")
