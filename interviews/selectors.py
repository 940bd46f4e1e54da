"""Reads for the interviews app."""

from django.db.models import QuerySet

from .models import Interview


def my_interviews(*, user) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(interviewers=user)
        .select_related("step", "application__candidate", "application__job")
        .order_by("starts_at")
    )


def application_feedback(*, user, application) -> dict:
    """Interviews of an application and the scorecards this user may read."""
    from .rules import can_see_all_feedback

    interviews = list(
        Interview.objects.filter(application=application)
        .select_related("step")
        .prefetch_related("interviewers", "scorecards")
        .order_by("starts_at")
    )
    sees_all = can_see_all_feedback(user=user, application_id=application.pk)
    return {"interviews": interviews, "sees_all_feedback": sees_all}


def application_summary(*, user, application) -> dict:
    """The summary of an application, or None when this user may not read it yet."""
    from .models import ApplicationSummary
    from .rules import can_see_all_feedback

    if not can_see_all_feedback(user=user, application_id=application.pk):
        return {"summary": None, "summary_hidden": True}
    return {"summary": ApplicationSummary.objects.filter(application=application).first(), "summary_hidden": False}
