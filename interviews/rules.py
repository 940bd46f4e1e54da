"""Who may see and do what in the interviews app (the one place views, selectors and admin ask).

Independent feedback: until an interviewer has submitted their own scorecard for an
application, they see no other interviewer's scorecard and no summary of it. Recruiters,
admins and the job's hiring managers see all feedback of the applications they can see.
Everything a user may not see answers 404 in the views.
"""

import rules
from django.db.models import Q

from hiring import groups
from hiring.selectors import applications_visible_to

from .models import Interview, Scorecard


def has_submitted_for(*, user, application_id: int) -> bool:
    """Submitted (or is amending a once-submitted) scorecard for this application."""
    return Scorecard.objects.filter(
        Q(status=Scorecard.Status.SUBMITTED) | Q(submitted_at__isnull=False),
        interview__application_id=application_id,
        interviewer=user,
    ).exists()


def can_see_all_feedback(*, user, application_id: int) -> bool:
    """Other interviewers' scorecards and the summary of this application."""
    if not applications_visible_to(user=user).filter(pk=application_id).exists():
        return False
    if groups.role_of(user) in (groups.ADMIN, groups.RECRUITER, groups.HIRING_MANAGER):
        return True
    return has_submitted_for(user=user, application_id=application_id)


def can_edit_plans(*, user) -> bool:
    """Interview plans are built by recruiters and admins."""
    return groups.role_of(user) in (groups.ADMIN, groups.RECRUITER)


def can_schedule(*, user, application) -> bool:
    return groups.role_of(user) in (groups.ADMIN, groups.RECRUITER)


def can_open_kit(*, user, interview: Interview) -> bool:
    """The interview's interviewers, and recruiters, admins and hiring managers of the job."""
    if interview.interviewers.filter(pk=user.pk).exists():
        return True
    role = groups.role_of(user)
    if role in (groups.ADMIN, groups.RECRUITER):
        return True
    return role == groups.HIRING_MANAGER and interview.application.job.team.filter(user=user).exists()


@rules.predicate
def sees_all_feedback(user, application) -> bool:
    return application is not None and can_see_all_feedback(user=user, application_id=application.pk)


@rules.predicate
def edits_plans(user) -> bool:
    return can_edit_plans(user=user)


rules.add_perm("interviews.view_all_feedback", sees_all_feedback)
rules.add_perm("interviews.edit_plan", edits_plans)
