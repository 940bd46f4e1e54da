"""Writes around jobs: opening one from a role template, its hiring team and its stages."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max

from hiring import extensions
from hiring.models import HiringTeamMember, Job, Stage, User
from roles.models import RoleTemplate

DEFAULT_STAGES = ("Applied", "Recruiter screen", "Technical interview", "Panel", "Offer", "Hired")

JOB_FIELDS = (
    "title",
    "department",
    "location",
    "employment_type",
    "headcount",
    "target_date",
    "status",
    "evidence_required",
    "blind_review",
)


@transaction.atomic
def job_create(
    *,
    template: RoleTemplate,
    title: str,
    created_by: User | None,
    department: str = "",
    location: str = "",
    employment_type: str = Job.EmploymentType.FULL_TIME,
    headcount: int = 1,
    target_date: datetime.date | None = None,
    status: str = Job.Status.OPEN,
    evidence_required: bool = True,
    blind_review: bool = False,
    team: Iterable[tuple[User, str]] = (),
) -> Job:
    """Open a job from a published template version: default stages and team, then the "job opened"
    hooks of the apps above hiring (``hiring.extensions``: interviews adds the default interview plan)
    in the same transaction."""
    if template.status != RoleTemplate.Status.PUBLISHED:
        raise ValidationError({"template": "Jobs can only be opened from a published template version."})
    job = Job(
        template=template,
        title=title,
        department=department,
        location=location,
        employment_type=employment_type,
        headcount=headcount,
        target_date=target_date,
        status=status,
        evidence_required=evidence_required,
        blind_review=blind_review,
        created_by=created_by,
    )
    job.full_clean()
    job.save()
    Stage.objects.bulk_create(Stage(job=job, name=name, order=order) for order, name in enumerate(DEFAULT_STAGES))
    members = {}
    for user, role in team:
        members[user.pk] = HiringTeamMember(job=job, user=user, role=role)
    for member in members.values():
        member.full_clean(exclude=["job"], validate_unique=False)
    HiringTeamMember.objects.bulk_create(members.values())
    extensions.job_opened(job=job)
    return job


@transaction.atomic
def job_update(*, job: Job, **fields) -> Job:
    """Change a job's details (not its template: a job stays on the version it was opened from)."""
    unknown = set(fields) - set(JOB_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(job, name, value)
    job.full_clean()
    job.save()
    return job


@transaction.atomic
def job_delete(*, job: Job) -> None:
    """Delete a job opened by mistake; one with candidates is closed instead, so their history stays."""
    count = job.applications.count()
    if count:
        raise ValidationError(
            f"“{job.title}” has {count} application{'s' if count != 1 else ''}; close the job instead of deleting it.",
            code="has_applications",
        )
    job.delete()


@transaction.atomic
def team_member_add(*, job: Job, user: User, role: str) -> HiringTeamMember:
    """Put someone on the hiring team, or change their role if they are on it already."""
    member = HiringTeamMember.objects.filter(job=job, user=user).first() or HiringTeamMember(job=job, user=user)
    member.role = role
    member.full_clean(validate_unique=False)
    member.save()
    return member


@transaction.atomic
def team_member_remove(*, member: HiringTeamMember) -> None:
    member.delete()


@transaction.atomic
def stage_create(*, job: Job, name: str) -> Stage:
    """Add a stage at the end of the job's pipeline."""
    last = job.stages.aggregate(last=Max("order"))["last"]
    stage = Stage(job=job, name=" ".join(name.split()), order=0 if last is None else last + 1)
    stage.full_clean()
    stage.save()
    return stage


@transaction.atomic
def stage_rename(*, stage: Stage, name: str) -> Stage:
    stage.name = " ".join(name.split())
    stage.full_clean()
    stage.save(update_fields=["name"])
    return stage


@transaction.atomic
def stage_move(*, stage: Stage, direction: int) -> None:
    """Swap a stage with its neighbour (direction -1: earlier, +1: later); renumbers the job's stages."""
    stages = list(Stage.objects.select_for_update().filter(job_id=stage.job_id).order_by("order", "id"))
    index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
    other = index + (1 if direction > 0 else -1)
    if 0 <= other < len(stages):
        stages[index], stages[other] = stages[other], stages[index]
    for order, item in enumerate(stages):
        item.order = order
    Stage.objects.bulk_update(stages, ["order"])


@transaction.atomic
def stages_reorder(*, job: Job, stage_ids: list[int]) -> list[Stage]:
    """Put the job's stages in the given order (ids of its stages; any left out keep their place after them)."""
    stages = {s.pk: s for s in Stage.objects.select_for_update().filter(job_id=job.pk).order_by("order", "id")}
    strangers = [pk for pk in stage_ids if pk not in stages]
    if strangers:
        raise ValidationError("Only this job's stages can be reordered.")
    ordered = [stages[pk] for pk in dict.fromkeys(stage_ids)]
    ordered += [stage for pk, stage in stages.items() if pk not in set(stage_ids)]
    changed = []
    for order, stage in enumerate(ordered):
        if stage.order != order:
            stage.order = order
            changed.append(stage)
    Stage.objects.bulk_update(changed, ["order"])
    return ordered


@transaction.atomic
def stage_delete(*, stage: Stage) -> None:
    """Remove a stage; refused while applications sit in it (any status) or if it is the last one."""
    locked = Stage.objects.select_for_update().get(pk=stage.pk)
    in_stage = locked.applications.count()
    if in_stage:
        raise ValidationError(
            f"“{locked.name}” still holds {in_stage} application{'s' if in_stage != 1 else ''}; "
            "move them to another stage first."
        )
    if not Stage.objects.filter(job_id=locked.job_id).exclude(pk=locked.pk).exists():
        raise ValidationError("A job needs at least one stage.")
    locked.delete()
    Stage.objects.filter(job_id=locked.job_id, order__gt=locked.order).update(order=F("order") - 1)
