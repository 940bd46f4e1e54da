"""Who may see and do what in the interviews app (the one place views, selectors and admin ask).

Independent feedback, per interview: until an interviewer has submitted every one of their own
scorecards for an application (one per interview they sit on), they see no other interviewer's
scorecard and no summary of it; an interviewer whose second interview is still ahead stays
independent for it. A withdrawn scorecard is owed again. Recruiters,
admins and the job's hiring managers see all feedback of the applications they can see.
Everything a user may not see answers 404 in the views.
"""

from typing import Any

import rules
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from hiring.models import Job
from hiring.rules import (
    applications_visible_to,
    is_admin,
    is_hiring_manager,
    is_on_job_team,
    is_staff_recruiter,
    jobs_visible_to,
)

from .models import ApplicationSummary, Interview, Scorecard

# Recruiters, admins and hiring managers: the people who decide, as opposed to interviewers.
is_hiring_team = is_staff_recruiter | is_hiring_manager


def applications_interviewed_by(*, user) -> QuerySet[Any]:
    """The ids of the applications the user interviews: what an interviewer may read in hiring
    (granted through ``hiring.extensions``, registered in ``apps.py``)."""
    return Interview.objects.filter(interviewers=user).values("application_id")


def has_submitted_for(*, user, application_id: int) -> bool:
    """Every scorecard the user owes for this application is submitted (or is a once-submitted one
    being amended), and there is at least one: one query."""
    counts = Scorecard.objects.filter(interview__application_id=application_id, interviewer=user).aggregate(
        total=Count("pk"),
        owed=Count("pk", filter=Q(status=Scorecard.Status.DRAFT, submitted_at__isnull=True)),
    )
    return bool(counts["total"]) and not counts["owed"]


def can_see_all_feedback(*, user, application_id: int) -> bool:
    """Other interviewers' scorecards and the summary of this application."""
    if not applications_visible_to(user=user).filter(pk=application_id).exists():
        return False
    if is_hiring_team(user):
        return True
    return has_submitted_for(user=user, application_id=application_id)


def sees_all_feedback_of_visible(*, user, application_id: int) -> bool:
    """``can_see_all_feedback`` for an application the caller already loaded from the visibility
    queryset (the application page): no second visibility query."""
    if is_hiring_team(user):
        return True
    return has_submitted_for(user=user, application_id=application_id)


def can_record_decision(*, user, application) -> bool:
    """The hire / no hire / hold call: admins, and hiring managers on the job's team."""
    if is_admin(user):
        return True
    return bool(is_hiring_manager(user)) and bool(is_on_job_team(user, application.job))


def debrief_reached(*, application) -> bool:
    """Blind review's debrief: the application has interviews and every interviewer of every one of
    them has submitted their scorecard (then a hiring manager may reveal the candidate)."""
    assignments = Interview.interviewers.through.objects.filter(interview__application_id=application.pk)
    submitted = Scorecard.objects.filter(
        interview_id=OuterRef("interview_id"), interviewer_id=OuterRef("user_id"), status=Scorecard.Status.SUBMITTED
    )
    return assignments.exists() and not assignments.exclude(Exists(submitted)).exists()


def can_edit_plans(*, user) -> bool:
    """Interview plans are built by recruiters and admins."""
    return bool(is_staff_recruiter(user))


def can_schedule(*, user, application) -> bool:
    return bool(is_staff_recruiter(user))


def can_read_private_notes(*, user) -> bool:
    """Interviewers' private notes: recruiters, admins and hiring managers, never other interviewers."""
    return bool(is_hiring_team(user))


def can_open_kit(*, user, interview: Interview) -> bool:
    """The interview's interviewers, and recruiters, admins and hiring managers of the job."""
    if interview.interviewers.filter(pk=user.pk).exists():
        return True
    if is_staff_recruiter(user):
        return True
    return bool(is_hiring_manager(user)) and bool(is_on_job_team(user, interview.application.job))


@rules.predicate
def sees_all_feedback(user, application) -> bool:
    return application is not None and can_see_all_feedback(user=user, application_id=application.pk)


@rules.predicate
def edits_plans(user) -> bool:
    return can_edit_plans(user=user)


rules.add_perm("interviews.view_all_feedback", sees_all_feedback)
rules.add_perm("interviews.edit_plan", edits_plans)


# --- Reports -----------------------------------------------------------------------------------------------
# Recruiters and admins: every job; hiring managers: the jobs whose team they are on; interviewers: none.
# Adverse impact (self-identification totals): admins only.


def report_jobs_visible_to(*, user) -> QuerySet[Any]:
    """The jobs whose figures the user may see in the reports (none for interviewers)."""
    if is_hiring_team(user):
        return jobs_visible_to(user=user)
    return Job.objects.none()


rules.add_perm("interviews.view_reports", is_hiring_team)
rules.add_perm("interviews.view_adverse_impact", is_admin)
rules.add_perm("interviews.view_dashboard", is_staff_recruiter)


def reports_cover_all_jobs(*, user) -> bool:
    """Recruiters and admins: their unfiltered reports cover every job (so a snapshot of all jobs fits)."""
    return bool(is_staff_recruiter(user))


# --- Visibility querysets for the API (the same answers as the pages) --------------------------------------


def _opened_application_ids(*, user) -> QuerySet[Any]:
    """Applications whose colleagues' feedback this user may read (see ``can_see_all_feedback``)."""
    visible = applications_visible_to(user=user)
    if is_hiring_team(user):
        return visible.values("pk")
    # As ``has_submitted_for``: every scorecard they owe for the application is in (a second
    # interview still ahead keeps colleagues' feedback closed).
    owed = Scorecard.objects.filter(interviewer=user, status=Scorecard.Status.DRAFT, submitted_at__isnull=True).values(
        "interview__application_id"
    )
    return (
        Scorecard.objects.filter(interviewer=user, interview__application__in=visible)
        .exclude(interview__application_id__in=owed)
        .values("interview__application_id")
    )


def scorecards_visible_to(*, user) -> QuerySet[Scorecard]:
    """The user's own scorecards, and colleagues' submitted ones where independent feedback allows."""
    if is_staff_recruiter(user):  # every application is visible: no need to list them
        return Scorecard.objects.filter(Q(interviewer=user) | Q(status=Scorecard.Status.SUBMITTED))
    return Scorecard.objects.filter(
        Q(interviewer=user)
        | Q(status=Scorecard.Status.SUBMITTED, interview__application_id__in=_opened_application_ids(user=user))
    )


def summaries_visible_to(*, user) -> QuerySet[ApplicationSummary]:
    """Summaries of the applications whose feedback this user may read in full."""
    if is_staff_recruiter(user):
        return ApplicationSummary.objects.all()
    return ApplicationSummary.objects.filter(application_id__in=_opened_application_ids(user=user))


def interviews_visible_to(*, user) -> QuerySet[Interview]:
    """The interviews of the applications the user may see (as on the application's feedback page)."""
    return Interview.objects.filter(application__in=applications_visible_to(user=user))
