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
from .blind import candidate_label
from .models import Application, Candidate, HiringTeamMember, Job, Note, Offer, OfferApproval, OfferApprover, Tag, User

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
    """Asked once per request and job: the answer is kept on the request's user object (like the role)."""
    if job is None:
        return False
    known = user.__dict__.setdefault("_on_job_team", {})
    if job.pk not in known:
        known[job.pk] = job.team.filter(user=user).exists()
    return known[job.pk]


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
# Contact details, links, source and tags in the app, and merging two records of one person.
rules.add_perm("hiring.edit_candidates", is_staff_recruiter)
rules.add_perm("hiring.merge_candidates", is_staff_recruiter)
# Contact details, source, tags, notes and stage history; interviewers see only the interview kit.
rules.add_perm("hiring.view_candidate_private", is_staff_recruiter | is_hiring_manager)
rules.add_perm("hiring.write_candidate_notes", is_staff_recruiter | is_hiring_manager)
# Move, reject and tag the applications of a job (the board and the bulk actions).
rules.add_perm("hiring.manage_pipeline_obj", is_staff_recruiter | (is_hiring_manager & is_on_job_team))
# Careers site: recruiters and admins write, publish and preview postings (``manage_jobs``).
# Voluntary self-identification: admins only, as totals (the admin's report); nobody else, anywhere.
rules.add_perm("hiring.read_self_identification", is_admin)
# Offers: recruiters, admins and the job's hiring managers write, send and record answers; who
# signs an offer outside the pay band off is ``offer_approval_refusal`` below.
rules.add_perm("hiring.list_offers", is_staff_recruiter | is_hiring_manager)
rules.add_perm("hiring.manage_offers_obj", is_staff_recruiter | (is_hiring_manager & is_on_job_team))
# Writing to candidates (compose, preview, undo) about the applications of a job.
rules.add_perm("hiring.email_candidates_obj", is_staff_recruiter | (is_hiring_manager & is_on_job_team))


# --- Blind review: who sees a candidate's identity ----------------------------------------------------------
#
# On a job with blind review on, interviewers never see who the candidate is, and hiring managers
# do not until the debrief: they see a neutral label ("Candidate 4F2K", ``hiring.blind``), no
# email, phone, links or résumé file, and a résumé text with names, contacts and schools masked.
# The debrief is reached when every scheduled interview of the application has all its scorecards
# submitted (asked of the app above hiring through ``hiring.extensions``); from then on a hiring
# manager of the job may reveal the candidate, which is recorded and shows the name to the job's
# hiring managers. Recruiters and admins always see names (they run the process and contact people).


def sees_identity(user: AnyUser, application: Application) -> bool:
    """The candidate's name, contact details and unmasked résumé for this application.

    No query when ``application.job`` is loaded: lists call it once per row.
    """
    return sees_identity_on_job(user, job=application.job, revealed=application.identity_revealed_at is not None)


def sees_identity_on_job(user: AnyUser, *, job: Job, revealed: bool) -> bool:
    """``sees_identity`` for an application known by its job and whether its candidate was revealed
    (the board's cards are rows, not model instances)."""
    if not job.blind_review or is_staff_recruiter(user):
        return True
    if is_hiring_manager(user):
        return revealed
    return False


def candidate_name_for(user: AnyUser, application: Application) -> str:
    """The candidate's name, or the blind label, for texts addressed to one person (invitations, reminders)."""
    if sees_identity(user, application):
        return application.candidate.full_name
    return candidate_label(application.pk)


def sees_candidate_identity(user: AnyUser, applications: Sequence[Application]) -> bool:
    """A candidate's page or list row: hidden when any application the user sees there is blind to them
    (a name shown on one job's page would give away the label on the other)."""
    return all(sees_identity(user, application) for application in applications)


def applications_blind_to(*, user: AnyUser) -> QuerySet[Application]:
    """The visible applications whose candidate this user may not identify. Search leaves their
    candidates out when a text is searched, so a name typed in cannot confirm who a label is."""
    visible = applications_visible_to(user=user)
    if is_staff_recruiter(user):
        return visible.none()
    blind = visible.filter(job__blind_review=True)
    if is_hiring_manager(user):
        return blind.filter(identity_revealed_at__isnull=True)
    return blind


def can_reveal_identity(user: AnyUser, application: Application) -> bool:
    """A hiring manager of a blind job, once the debrief is reached, while the candidate is still hidden."""
    if not application.job.blind_review or application.identity_revealed_at is not None:
        return False
    if not (is_hiring_manager(user) and is_on_job_team(user, application.job)):
        return False
    return extensions.debrief_reached(application=application)


# The audit trail (who changed or read what): admins only, read-only.
rules.add_perm("hiring.view_audit_log", is_admin)
# Data-subject requests: recruiters and admins export a candidate's data; only admins erase it.
rules.add_perm("hiring.export_candidate_data", is_staff_recruiter)
rules.add_perm("hiring.erase_candidates", is_admin)
# The retention policy and its dry run: admins only.
rules.add_perm("hiring.manage_retention", is_admin)


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
    """Live records only: a duplicate merged into another (a tombstone) is nobody's to read; its URL
    redirects to the survivor (``hiring.selectors.candidates.merged_target``)."""
    if is_staff_recruiter(user):
        return Candidate.objects.filter(merged_into__isnull=True)
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


def is_chosen_offer_approver(user: AnyUser) -> bool:
    """The admin-chosen approver of offers outside the band (the user, or one of the group)."""
    if not isinstance(user, User):
        return False
    policy = OfferApprover.objects.order_by("id").first()
    if policy is None:
        return False
    if policy.user_id is not None:
        return policy.user_id == user.pk
    return user.groups.filter(pk=policy.group_id).exists()


def offers_visible_to(*, user: AnyUser) -> QuerySet[Offer]:
    """Offers of the applications the user sees, for those who see private details (not interviewers);
    the chosen approver without such a role sees the offers waiting for approval."""
    if not rules.has_perm("hiring.view_candidate_private", user):
        if is_chosen_offer_approver(user):
            return Offer.objects.filter(status=Offer.Status.PENDING)
        return Offer.objects.none()
    if is_staff_recruiter(user):
        return Offer.objects.all()
    return Offer.objects.filter(application__in=applications_visible_to(user=user))


def offer_approval_refusal(
    *, user: AnyUser, offer: Offer, step: str, policy: OfferApprover | None, earlier_approver_id: int | None
) -> str:
    """Why ``user`` may not sign ``step`` of ``offer`` off; an empty string when they may.

    Nobody signs off an offer they wrote, and the two steps take two different people. The
    hiring manager's step: a hiring manager on the job's team, or an admin. The final step:
    the admin-chosen approver (the user, or anyone of the group); without one, an admin.
    """
    if not isinstance(user, User):
        return "Sign in to approve offers."
    if offer.created_by_id == user.pk:
        return "You wrote this offer; someone else has to approve it."
    if step == OfferApproval.Step.HIRING_MANAGER:
        job = offer.application.job
        if is_admin(user) or (is_hiring_manager(user) and is_on_job_team(user, job)):
            return ""
        return "Only a hiring manager of this job (or an admin) signs this step off."
    if earlier_approver_id == user.pk:
        return "You signed the hiring manager's step off; the final approval needs another person."
    if policy is None:
        return "" if is_admin(user) else "Only an admin signs this offer off (no approver is chosen)."
    if policy.user_id is not None:
        return "" if policy.user_id == user.pk else f"{policy.user} signs this offer off."
    if user.groups.filter(pk=policy.group_id).exists():
        return ""
    return f"Only members of the group {policy.group} sign this offer off."


# The public API (hiring/api.py): role templates are read by the hiring team and written by admins.
rules.add_perm("hiring.read_role_templates", is_staff_recruiter | is_hiring_manager)
rules.add_perm("hiring.write_role_templates", is_admin)
