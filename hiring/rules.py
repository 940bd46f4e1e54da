"""Who may see and do what in the hiring app: the one place views, selectors and admin ask.

Predicates are combined into permissions with the ``rules`` package. Object-level
checks answer False for objects a user may not see; views turn that into a 404.

The visibility querysets below (``jobs_visible_to``, ``applications_visible_to``,
``candidates_visible_to``, ...) decide which rows a user may read; selectors and views
start from them, and an object outside them answers 404. Recruiters and admins see
everything, hiring managers the jobs whose team they are on, interviewers only the
applications an app above hiring grants them (``hiring.extensions``: interviews grants
the applications they interview).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import rules
from django.db.models import Q, QuerySet

from . import extensions, groups
from .models import Application, Candidate, HiringTeamMember, Job, Note, Tag, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


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
# notes for the candidates of their jobs (which candidates: the visibility querysets below).
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
# Careers site: recruiters and admins write, publish and preview postings (``manage_jobs``).
# Voluntary self-identification: admins only, as totals (the admin's report); nobody else, anywhere.
rules.add_perm("hiring.read_self_identification", is_admin)


# --- Visibility: the rows a user may read ------------------------------------------------------------------


def _team_job_ids(user: User) -> QuerySet[HiringTeamMember, int]:
    """The jobs whose hiring team the user is on, as a subquery."""
    return HiringTeamMember.objects.filter(user=user).values_list("job_id", flat=True)


def jobs_visible_to(*, user: AnyUser) -> QuerySet[Job]:
    if is_staff_recruiter(user):
        return Job.objects.all()
    if is_hiring_manager(user) and isinstance(user, User):
        return Job.objects.filter(pk__in=_team_job_ids(user))
    return Job.objects.none()


def applications_visible_to(*, user: AnyUser) -> QuerySet[Application]:
    if is_staff_recruiter(user):
        return Application.objects.all()
    if is_hiring_manager(user) and isinstance(user, User):
        return Application.objects.filter(job_id__in=_team_job_ids(user))
    if is_interviewer(user) and isinstance(user, User):
        granted = extensions.applications_accessible(user=user)
        if granted is not None:
            return Application.objects.filter(granted)
    return Application.objects.none()


def candidates_visible_to(*, user: AnyUser) -> QuerySet[Candidate]:
    if is_staff_recruiter(user):
        return Candidate.objects.all()
    return Candidate.objects.filter(pk__in=applications_visible_to(user=user).values("candidate_id"))


def tags_visible_to(*, user: AnyUser) -> QuerySet[Tag]:
    """Every tag for recruiters and admins; for others the tags of the candidates they may see."""
    if is_staff_recruiter(user):
        return Tag.objects.all()
    return Tag.objects.filter(candidates__in=candidates_visible_to(user=user)).distinct()


def notes_visible_to(
    *, user: AnyUser, candidate: Candidate, visible_application_ids: Sequence[int] | None = None
) -> QuerySet[Note]:
    """Notes about a candidate the user may read: none for interviewers; hiring managers read the
    general notes and those about the applications they see (``visible_application_ids`` when the
    caller loaded them already, else a subquery)."""
    if not rules.has_perm("hiring.view_candidate_private", user):
        return Note.objects.none()
    notes = Note.objects.filter(candidate=candidate)
    if is_hiring_manager(user):
        about: QuerySet[Application] | Sequence[int] = (
            applications_visible_to(user=user) if visible_application_ids is None else visible_application_ids
        )
        notes = notes.filter(Q(application__isnull=True) | Q(application__in=about))
    return notes


# The public API (hiring/api.py): role templates are read by the hiring team and written by admins.
rules.add_perm("hiring.read_role_templates", is_staff_recruiter | is_hiring_manager)
rules.add_perm("hiring.write_role_templates", is_admin)
