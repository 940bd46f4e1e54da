"""Which jobs, applications and candidates a user may see: the one place that decides.

Views, selectors and the admin all start from these querysets; an object outside them
answers 404. Recruiters and admins see everything, hiring managers the jobs whose team
they are on, interviewers only the applications they interview (read-only).
"""

from django.db.models import QuerySet

from hiring import groups
from hiring.models import Application, Candidate, Job


def jobs_visible_to(*, user) -> QuerySet[Job]:
    role = groups.role_of(user)
    if role in (groups.ADMIN, groups.RECRUITER):
        return Job.objects.all()
    if role == groups.HIRING_MANAGER:
        return Job.objects.filter(pk__in=user.job_memberships.values("job_id"))
    return Job.objects.none()


def applications_visible_to(*, user) -> QuerySet[Application]:
    from interviews.models import Interview

    role = groups.role_of(user)
    if role in (groups.ADMIN, groups.RECRUITER):
        return Application.objects.all()
    if role == groups.HIRING_MANAGER:
        return Application.objects.filter(job_id__in=user.job_memberships.values("job_id"))
    if role == groups.INTERVIEWER:
        return Application.objects.filter(pk__in=Interview.objects.filter(interviewers=user).values("application_id"))
    return Application.objects.none()


def candidates_visible_to(*, user) -> QuerySet[Candidate]:
    role = groups.role_of(user)
    if role in (groups.ADMIN, groups.RECRUITER):
        return Candidate.objects.all()
    return Candidate.objects.filter(pk__in=applications_visible_to(user=user).values("candidate_id"))


def can_manage_pipeline(*, user, job: Job) -> bool:
    """Move, reject and tag applications of a job: recruiters, admins and the job's hiring managers."""
    role = groups.role_of(user)
    if role in (groups.ADMIN, groups.RECRUITER):
        return True
    if role == groups.HIRING_MANAGER:
        return job.team.filter(user=user).exists()
    return False
