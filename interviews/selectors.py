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


def summary_fingerprint_now(*, application) -> str:
    """The fingerprint the summary of ``application`` would have if it were built now (2 queries)."""
    from hiring.models import Job

    from .models import Scorecard
    from .summaries import fingerprint_of

    template_id, template_version = Job.objects.filter(pk=application.job_id).values_list(
        "template_id", "template__version"
    )[0]
    scorecards = Scorecard.objects.filter(
        interview__application_id=application.pk, status=Scorecard.Status.SUBMITTED
    ).values_list("id", "version")
    return fingerprint_of(template_id=template_id, template_version=template_version, scorecards=list(scorecards))


def application_summary(*, user, application) -> dict:
    """The summary of an application as the panel shows it, or hidden when this user may not read it yet.

    ``pending``: a rebuild is on its way (requested, or the stored fingerprint no longer matches
    the inputs); ``outdated``: what is stored describes other inputs than the current ones.
    """
    from .models import ApplicationSummary, Scorecard
    from .rules import can_see_all_feedback

    if not can_see_all_feedback(user=user, application_id=application.pk):
        return {"summary": None, "summary_hidden": True, "pending": False, "outdated": False, "content": None}
    summary = ApplicationSummary.objects.filter(application_id=application.pk).first()
    if summary is None:
        has_feedback = Scorecard.objects.filter(
            interview__application_id=application.pk, status=Scorecard.Status.SUBMITTED
        ).exists()
        return {"summary": None, "summary_hidden": False, "pending": has_feedback, "outdated": False, "content": None}
    current = summary_fingerprint_now(application=application)
    outdated = bool(summary.fingerprint) and summary.fingerprint != current
    failed = summary.status == ApplicationSummary.Status.FAILED
    pending = not failed and (summary.status == ApplicationSummary.Status.PENDING or summary.fingerprint != current)
    return {
        "summary": summary,
        "summary_hidden": False,
        "pending": pending,
        "outdated": outdated,
        "failed": failed,
        "content": summary.content or None,
    }
