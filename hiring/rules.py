"""Who may do what in the hiring app: the one place views, selectors and admin ask.

Predicates are combined into permissions with the ``rules`` package. Object-level
checks answer False for objects a user may not see; views turn that into a 404.
"""

import rules

from . import groups


@rules.predicate
def is_admin(user) -> bool:
    return groups.role_of(user) == groups.ADMIN


@rules.predicate
def is_recruiter(user) -> bool:
    return groups.role_of(user) == groups.RECRUITER


@rules.predicate
def is_hiring_manager(user) -> bool:
    return groups.role_of(user) == groups.HIRING_MANAGER


@rules.predicate
def is_interviewer(user) -> bool:
    return groups.role_of(user) == groups.INTERVIEWER


is_staff_recruiter = is_admin | is_recruiter


@rules.predicate
def is_on_job_team(user, job) -> bool:
    if job is None:
        return False
    return job.team.filter(user=user).exists()


rules.add_perm("hiring.access_recruiting", is_staff_recruiter | is_hiring_manager)
rules.add_perm("hiring.manage_jobs", is_staff_recruiter)
rules.add_perm("hiring.view_job_obj", is_staff_recruiter | (is_hiring_manager & is_on_job_team))

# Candidates: recruiters and admins add, import and upload; hiring managers read and write
# notes for the candidates of their jobs (which candidates is decided by selectors.access).
rules.add_perm("hiring.list_candidates", is_staff_recruiter | is_hiring_manager)
rules.add_perm("hiring.create_candidates", is_staff_recruiter)
rules.add_perm("hiring.import_candidates", is_staff_recruiter)
rules.add_perm("hiring.upload_resumes", is_staff_recruiter)
rules.add_perm("hiring.apply_candidates", is_staff_recruiter)
# Contact details, source, tags, notes and stage history; interviewers see only the interview kit.
rules.add_perm("hiring.view_candidate_private", is_staff_recruiter | is_hiring_manager)
rules.add_perm("hiring.write_candidate_notes", is_staff_recruiter | is_hiring_manager)
# Move, reject and tag the applications of a job (the board and the bulk actions).
rules.add_perm("hiring.manage_pipeline_obj", is_staff_recruiter | (is_hiring_manager & is_on_job_team))
