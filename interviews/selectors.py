"""Reads for the interviews app."""

from django.db.models import QuerySet

from .models import Interview


def my_interviews(*, user) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(interviewers=user)
        .select_related("step", "application__candidate", "application__job")
        .order_by("starts_at")
    )
