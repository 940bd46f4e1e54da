"""Independent feedback: who may see which scorecards and summaries (the one place).

Until an interviewer has submitted their own scorecard for an application, they see no
other interviewer's scorecard and no summary of it. Recruiters, admins and the job's
hiring managers see all feedback of the applications they can see.
"""

import rules

from hiring import roles
from hiring.selectors import applications_visible_to

from .models import Scorecard


def has_submitted_for(*, user, application_id: int) -> bool:
    return Scorecard.objects.filter(
        interview__application_id=application_id, interviewer=user, status=Scorecard.Status.SUBMITTED
    ).exists()


def can_see_all_feedback(*, user, application_id: int) -> bool:
    """Other interviewers' scorecards and the summary of this application."""
    if not applications_visible_to(user=user).filter(pk=application_id).exists():
        return False
    if roles.role_of(user) in (roles.ADMIN, roles.RECRUITER, roles.HIRING_MANAGER):
        return True
    return has_submitted_for(user=user, application_id=application_id)


@rules.predicate
def sees_all_feedback(user, application) -> bool:
    return application is not None and can_see_all_feedback(user=user, application_id=application.pk)


rules.add_perm("interviews.view_all_feedback", sees_all_feedback)
