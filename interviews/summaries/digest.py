"""The weekly digest of a job: new applicants, stage moves, outstanding scorecards, decisions due.

``job_digest`` reads it (five queries, whatever the size of the job); ``digest_send`` queues
it in the outbox, one email per recruiter and hiring manager, once per job and week: a
``JobDigest`` row (unique per job and week) records each digest, so the weekly beat job is
safe to run twice. The same digest is a page (``interviews:job-digest``).
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hiring.blind import candidate_label
from hiring.models import Application, HiringTeamMember, Job, StageChange
from hiring.services.outbox import Email, outbox_enqueue_many
from hiring.templatetags.ages import age_in_words
from interviews.models import Interview, JobDigest, Scorecard


def digest_week_start(*, day: date | None = None, previous: bool = False) -> date:
    """The Monday of ``day``'s week (today by default), or of the week before it."""
    day = day or timezone.localdate()
    monday = day - timedelta(days=day.weekday())
    return monday - timedelta(days=7) if previous else monday


def _bounds(week: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(week, time.min))
    return start, start + timedelta(days=7)


def job_digest(*, job: Job, week: date) -> dict:
    """The digest of ``job`` for the week starting on Monday ``week``."""
    start, end = _bounds(week)
    now = timezone.now()
    new_applicants = list(
        Application.objects.filter(job=job, applied_at__gte=start, applied_at__lt=end)
        .select_related("candidate", "stage")
        .order_by("applied_at", "id")
    )
    moves = list(
        StageChange.objects.filter(application__job=job, created_at__gte=start, created_at__lt=end)
        .select_related("application__candidate", "from_stage", "to_stage", "actor")
        .order_by("created_at", "id")
    )
    assignments = Interview.interviewers.through.objects
    submitted = Scorecard.objects.filter(
        interview_id=OuterRef("interview_id"), interviewer_id=OuterRef("user_id"), status=Scorecard.Status.SUBMITTED
    )
    outstanding = list(
        assignments.filter(
            interview__application__job=job,
            interview__application__status=Application.Status.ACTIVE,
            interview__ends_at__lt=now,
        )
        .exclude(Exists(submitted))
        .order_by("interview__ends_at", "interview_id", "user_id")
        .values(
            "interview_id",
            "interview__ends_at",
            "interview__step__name",
            "interview__application_id",
            "interview__application__candidate__first_name",
            "interview__application__candidate__last_name",
            "interview__application__identity_revealed_at",
            "user__first_name",
            "user__last_name",
            "user__email",
        )
    )
    for row in outstanding:
        row["candidate"] = (
            f"{row['interview__application__candidate__first_name']} "
            f"{row['interview__application__candidate__last_name']}".strip()
        )
        # Blind review: the label stands in for the name until the candidate is revealed.
        row["blind_label"] = (
            candidate_label(row["interview__application_id"])
            if job.blind_review and row["interview__application__identity_revealed_at"] is None
            else ""
        )
        row["interviewer"] = f"{row['user__first_name']} {row['user__last_name']}".strip() or row["user__email"]
        row["hours_overdue"] = int((now - row["interview__ends_at"]).total_seconds() // 3600)
        row["ended_ago"] = age_in_words(row["interview__ends_at"], now)

    def count_per_application(queryset):
        return Coalesce(
            Subquery(
                queryset.order_by().values("interview__application_id").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    on_stage = {"interview__application_id": OuterRef("pk"), "interview__step__stage_id": OuterRef("stage_id")}
    ready = list(
        Application.objects.filter(job=job, status=Application.Status.ACTIVE)
        .annotate(
            expected=count_per_application(assignments.filter(**on_stage)),
            done=count_per_application(Scorecard.objects.filter(status=Scorecard.Status.SUBMITTED, **on_stage)),
        )
        .filter(expected__gt=0, done__gte=F("expected"))
        .annotate(headline=F("summary__content__headline"))  # the summary's first line, same query
        .select_related("candidate", "stage")
        .order_by("stage__order", "candidate__last_name", "id")
    )
    return {
        "job": job,
        "week": week,
        "week_end": week + timedelta(days=6),
        "previous_week": week - timedelta(days=7),
        "next_week": week + timedelta(days=7),
        "new_applicants": new_applicants,
        "moves": moves,
        "outstanding": outstanding,
        "ready": ready,
    }


def digest_jobs_due(*, week: date) -> list[int]:
    """Open jobs whose digest for ``week`` has not been sent yet."""
    return list(Job.objects.filter(status=Job.Status.OPEN).exclude(digests__week=week).values_list("pk", flat=True))


def _email_name(application: Application, job: Job) -> str:
    """The email goes to the whole team: on a blind job, the label until the candidate is revealed."""
    if job.blind_review and application.identity_revealed_at is None:
        return candidate_label(application.pk)
    return application.candidate.full_name


def digest_text(data: dict) -> str:
    """The plain-text body of the digest email (blind jobs: labels instead of unrevealed names)."""
    site = settings.SITE_URL.rstrip("/")
    job = data["job"]
    lines = [
        f"{job.title}: the week of {data['week']:%d %b %Y}",
        f"Page: {site}{reverse('interviews:job-digest', args=[job.pk])}?week={data['week'].isoformat()}",
        "",
        f"New applicants ({len(data['new_applicants'])})",
    ]
    lines += [f"- {_email_name(a, job)} ({a.stage.name})" for a in data["new_applicants"]] or ["- none"]
    lines += ["", f"Stage moves ({len(data['moves'])})"]
    lines += [
        f"- {_email_name(m.application, job)}: {m.from_stage or '-'} -> {m.to_stage or m.to_status or '-'}"
        for m in data["moves"]
    ] or ["- none"]
    lines += ["", f"Outstanding scorecards ({len(data['outstanding'])})"]
    lines += [
        f"- {o['interviewer']}: {o['interview__step__name']} with {o['blind_label'] or o['candidate']} "
        f"(ended {o['ended_ago']} ago)"
        for o in data["outstanding"]
    ] or ["- none"]
    lines += ["", f"Ready for a decision ({len(data['ready'])})"]
    lines += [
        f"- {_email_name(a, job)} ({a.stage.name}){_headline_words(a.headline)}: "
        f"{site}{reverse('interviews:debrief', args=[a.pk])}"
        for a in data["ready"]
    ] or ["- none"]
    return "\n".join(lines) + "\n"


def _headline_words(headline) -> str:
    if not isinstance(headline, dict) or not headline.get("signal"):
        return ""
    return f", {headline['signal']}, {headline['confidence']} confidence ({'; '.join(headline.get('counts', []))})"


@transaction.atomic
def digest_send(*, job_id: int, week: date) -> bool:
    """Queue the digest of ``week`` for the job's recruiters and hiring managers unless it was queued.

    The job row is locked, so two workers running the digest at once queue it once; each
    person gets their own outbox message, sent after the commit. Returns True when this
    call queued (or recorded, for a team without email) the digest.
    """
    job = Job.objects.select_for_update().filter(pk=job_id, status=Job.Status.OPEN).first()
    if job is None or JobDigest.objects.filter(job=job, week=week).exists():
        return False
    recipients = sorted(
        set(
            HiringTeamMember.objects.filter(
                job=job, role__in=[HiringTeamMember.Role.RECRUITER, HiringTeamMember.Role.HIRING_MANAGER]
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    record = JobDigest(job=job, week=week, recipients=len(recipients))
    record.full_clean(exclude=["job"], validate_unique=False)
    record.save()
    if recipients:
        data = job_digest(job=job, week=week)
        subject = f"Weekly digest: {job.title} (week of {week:%d %b %Y})"
        text = digest_text(data)
        html = render_to_string("interviews/digest.html#digest_body", {**data, "site_url": settings.SITE_URL})
        outbox_enqueue_many(
            emails=[
                Email(
                    purpose="job-digest",
                    reference=f"job:{job.pk}:{week.isoformat()}",
                    recipient=email,
                    subject=subject,
                    body_text=text,
                    body_html=html,
                )
                for email in recipients
            ]
        )
    return True
