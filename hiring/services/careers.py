"""Writes of the careers site: postings, applications from the public form, withdrawals, emails, rate limits.

An application from the careers site is written in one transaction (candidate or the one on
file, application in the job's first stage, stage history, résumé row, answers, consent,
self-identification) or not at all. The résumé's bytes are checked and stored *before* that
transaction (no file I/O while rows are locked) and removed again when it rolls back; text
extraction and the emails run in Celery tasks enqueued on commit.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from hiring.background import enqueue_on_commit
from hiring.models import (
    Application,
    ApplicationAnswer,
    ApplicationSubmission,
    Candidate,
    HiringTeamMember,
    Job,
    Posting,
    PostingQuestion,
    Resume,
    SelfIdentification,
    StageChange,
    User,
)
from hiring.selectors.careers import application_status_token
from roles.models import CompensationBand

from .candidates import phone_digits
from .outbox import Email, outbox_enqueue_many
from .resumes import _safe_name, resume_check_file
from .webhooks import application_data, webhook_emit

logger = logging.getLogger(__name__)

QUESTIONS_FROM_REQUIREMENTS = 8
POSTING_FIELDS = Posting.EDITABLE_FIELDS


class AlreadyApplied(ValidationError):
    """The applicant (same email or phone) already has an application for this job."""

    def __init__(self, *, job_title: str):
        super().__init__(f"You have already applied for {job_title}.", code="already_applied")


# --- Postings ----------------------------------------------------------------------------------


def _unique_slug(title: str, job_id: int) -> str:
    base = slugify(title)[:100] or "job"
    slug = base
    if Posting.objects.filter(slug=slug).exists():
        slug = f"{base}-{job_id}"
    return slug


def requirement_question(*, text: str, min_years: int | None) -> str:
    """A yes/no question an applicant can answer about one requirement of the role."""
    text = " ".join(text.split()).rstrip(".")
    if min_years:
        question = f"Do you have at least {min_years} year{'s' if min_years != 1 else ''} of this experience: {text}?"
    else:
        question = f"Do you meet this requirement: {text}?"
    return question if len(question) <= 300 else question[:299] + "…"


@transaction.atomic
def posting_create(*, job: Job) -> Posting:
    """The job's posting, pre-filled from its role template; the existing one when there is one.

    Summary, responsibilities and requirements come from the template; the pay range comes
    from its compensation band but stays hidden until the recruiter chooses to publish it.
    The template's must-have requirements become yes/no questions of the apply form.
    """
    existing = Posting.objects.filter(job=job).first()
    if existing is not None:
        return existing
    template = job.template
    responsibilities: list[str] = []
    for item in template.responsibilities.all():
        responsibilities.extend(item.items or [item.area])
    requirements = list(template.requirements.all())
    band = getattr(template, "compensation", None)
    location = job.location
    workplace = Posting.Workplace.REMOTE if "remote" in location.lower() else Posting.Workplace.ONSITE
    posting = Posting(
        job=job,
        slug=_unique_slug(job.title, job.pk),
        title=job.title,
        team=job.department,
        location=location,
        workplace=workplace,
        summary=template.summary,
        responsibilities="\n".join(" ".join(str(line).split()) for line in responsibilities),
        requirements="\n".join(" ".join(r.text.split()) for r in requirements),
        pay_currency=band.currency if band else "",
        pay_min=band.min if band else None,
        pay_max=band.max if band else None,
        valid_through=job.target_date,
    )
    posting.full_clean(exclude=["job"], validate_constraints=False)
    posting.save()
    PostingQuestion.objects.bulk_create(
        PostingQuestion(
            posting=posting,
            text=requirement_question(text=requirement.text, min_years=requirement.min_years),
            kind=PostingQuestion.Kind.YES_NO,
            required=True,
            must_have=True,
            requirement=requirement,
            order=order,
        )
        for order, requirement in enumerate([r for r in requirements if r.required][:QUESTIONS_FROM_REQUIREMENTS])
    )
    return posting


def _check_pay_within_band(posting: Posting) -> None:
    """A published range is the role template's pay band, or a range inside it (same currency)."""
    band = CompensationBand.objects.filter(template__jobs=posting.job_id).first()
    if band is None or band.min is None or band.max is None or not band.currency:
        return
    assert posting.pay_min is not None
    assert posting.pay_max is not None
    if posting.pay_currency != band.currency or posting.pay_min < band.min or posting.pay_max > band.max:
        raise ValidationError(
            {
                "pay_min": (
                    f"The published range must be the role's pay band or inside it: "
                    f"{band.currency} {band.min:,} to {band.max:,}."
                )
            },
            code="pay_outside_band",
        )


@transaction.atomic
def posting_update(*, posting: Posting, **fields) -> Posting:
    """Change what the posting says; the pay range can only be shown complete.

    Publishing pay with no figures of the posting's own publishes the role template's band.
    """
    unknown = set(fields) - set(POSTING_FIELDS)
    if unknown:
        raise ValueError(f"Not posting fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(posting, name, value)
    if posting.show_pay and posting.pay_min is None and posting.pay_max is None:
        # Pay transparency: a posting that publishes pay without figures of its own shows the template's band.
        band = posting.template_band()
        if band is not None:
            posting.pay_currency, posting.pay_min, posting.pay_max = band
    if posting.show_pay and (posting.pay_min is None or posting.pay_max is None or not posting.pay_currency):
        raise ValidationError(
            {
                "show_pay": "To publish the pay range, give its currency, lowest and highest pay "
                "(the role template has no complete pay band to fall back on)."
            },
            code="pay_incomplete",
        )
    if posting.show_pay:
        _check_pay_within_band(posting)
    posting.full_clean(exclude=["job"])
    posting.save()
    return posting


@transaction.atomic
def posting_publish(*, posting: Posting) -> Posting:
    """Put the posting on the careers site (only for an open job)."""
    posting = Posting.objects.select_for_update().select_related("job").get(pk=posting.pk)
    if posting.job.status != Job.Status.OPEN:
        raise ValidationError(
            f"The job is {posting.job.get_status_display().lower()}; open it before publishing its posting.",
            code="job_not_open",
        )
    if posting.valid_through is not None and posting.valid_through < timezone.localdate():
        raise ValidationError("The closing date has passed; change it before publishing.", code="expired")
    posting.status = Posting.Status.PUBLISHED
    posting.published_at = posting.published_at or timezone.now()
    posting.save(update_fields=["status", "published_at", "updated_at"])
    return posting


@transaction.atomic
def posting_unpublish(*, posting: Posting) -> Posting:
    """Take the posting off the careers site; its applications stay where they are."""
    Posting.objects.filter(pk=posting.pk).update(status=Posting.Status.UNPUBLISHED, updated_at=timezone.now())
    posting.refresh_from_db()
    return posting


@transaction.atomic
def posting_question_save(*, question: PostingQuestion) -> PostingQuestion:
    """Add or change a question of a posting's apply form (the admin's questions)."""
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def posting_question_delete(*, question: PostingQuestion) -> None:
    """Remove a question; the answers already given keep the question's text."""
    question.delete()


# --- Rate limits -------------------------------------------------------------------------------


def rate_limit_consume(*, scope: str, ident: str, limit: int, window: int) -> bool:
    """Count one attempt of ``ident`` in ``scope``; False once it is over ``limit`` in this window.

    A fixed window per key in the cache (``add`` then the atomic ``incr``, Redis in
    production). When the cache cannot be reached the limit is not enforced (logged) rather
    than turning every application into an error: availability of the form first.
    """
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    bucket = int(time.time() // window)
    key = f"careers:rate:{scope}:{digest}:{bucket}"
    try:
        cache.add(key, 0, timeout=window + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add() and incr()
            cache.set(key, 1, timeout=window + 5)
            count = 1
    except Exception:  # the cache (Redis) is down or unreachable
        logger.warning("Rate limit %s not checked: the cache is unreachable", scope, exc_info=True)
        return True
    return count <= limit


# --- Applying ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    links: Sequence[str] = ()
    cover_letter: str = ""


@dataclass(frozen=True)
class Origin:
    """Where the applicant came from: ``?source=``, UTM parameters, the referring site."""

    source: str = ""
    utm: dict = field(default_factory=dict)
    referrer: str = ""


def _store_resume(file: UploadedFile) -> tuple[str, str]:
    """Check the résumé by its content and store it; (storage name, content type)."""
    content_type = resume_check_file(file=file)
    original = file.name or "resume"
    name = f"resumes/applications/{uuid.uuid4().hex[:12]}-{_safe_name(original, content_type)}"
    return default_storage.save(name, file), content_type


def _lock_applicant(email: str) -> None:
    """Serialise applications from one email address until the transaction ends.

    Without it, two simultaneous submissions of the same person would each find nobody on
    file and create two candidates. PostgreSQL: a transaction-level advisory lock keyed by
    the address; SQLite already runs one write transaction at a time.
    """
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(f"careers-apply:{email.lower()}".encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _find_on_file(*, email: str, phone: str) -> tuple[Candidate | None, str]:
    """The candidate on file with this email (wins) or phone number, in one query."""
    digits = phone_digits(phone)
    condition = Q(email__iexact=email)
    if len(digits) >= 6:
        condition |= Q(phone_digits=digits)
    matches = list(Candidate.objects.filter(condition).order_by("id")[:10])
    for candidate in matches:
        if candidate.email.lower() == email.lower():
            return candidate, "email"
    return (matches[0], "phone") if matches else (None, "")


def careers_apply(
    *,
    posting: Posting,
    questions: Sequence[PostingQuestion],
    applicant: Applicant,
    answers: dict[int, str],
    resume: UploadedFile,
    origin: Origin,
    consent_version: str,
    self_identification: dict[str, str] | None = None,
) -> Application:
    """Apply through the careers site; every row is written, or none.

    ``AlreadyApplied`` when the applicant (same email or phone) has applied for this job
    before; ``ValidationError`` for a résumé that is not a PDF, DOCX or text file, or a
    posting that no longer takes applications.
    """
    if not posting.is_public:
        raise ValidationError("This job no longer takes applications.", code="closed")
    if not consent_version:
        raise ValidationError("Consent to the privacy notice is required.", code="no_consent")
    stored_name, content_type = _store_resume(resume)
    try:
        with transaction.atomic():
            application = _apply(
                posting=posting,
                questions=questions,
                applicant=applicant,
                answers=answers,
                resume_name=stored_name,
                resume_original=(resume.name or "resume")[:255],
                content_type=content_type,
                size=resume.size or 0,
                origin=origin,
                consent_version=consent_version,
                self_identification=self_identification or {},
            )
    except IntegrityError as error:  # a concurrent request applied the same person first
        default_storage.delete(stored_name)
        raise AlreadyApplied(job_title=posting.title) from error
    except BaseException:
        default_storage.delete(stored_name)
        raise
    return application


def _apply(
    *,
    posting: Posting,
    questions: Sequence[PostingQuestion],
    applicant: Applicant,
    answers: dict[int, str],
    resume_name: str,
    resume_original: str,
    content_type: str,
    size: int,
    origin: Origin,
    consent_version: str,
    self_identification: dict[str, str],
) -> Application:
    job = posting.job
    now = timezone.now()
    source = origin.source or "Careers page"
    _lock_applicant(applicant.email)
    candidate, match = _find_on_file(email=applicant.email, phone=applicant.phone)
    if candidate is not None:
        if Application.objects.filter(candidate=candidate, job=job).exists():
            raise AlreadyApplied(job_title=posting.title)
        Candidate.objects.filter(pk=candidate.pk).update(consent_at=now, updated_at=now)
    else:
        candidate = Candidate(
            first_name=applicant.first_name.strip(),
            last_name=applicant.last_name.strip(),
            email=applicant.email.strip().lower(),
            phone=applicant.phone.strip(),
            links=list(applicant.links),
            source=source,
            consent_at=now,
            created_at=now,
        )
        candidate.full_clean(exclude=["search_document", "phone_digits"], validate_unique=False)
        candidate.save()
    first_stage = job.stages.order_by("order", "id").first()
    if first_stage is None:
        raise ValidationError("This job is not ready for applications yet.", code="no_stage")
    application = Application.objects.create(
        candidate=candidate, job=job, stage=first_stage, stage_entered_at=now, applied_at=now
    )
    StageChange.objects.create(
        application=application,
        to_stage=first_stage,
        to_status=Application.Status.ACTIVE,
        reason=f"Applied on the careers site ({source})"[:255],
        created_at=now,
    )
    webhook_emit(event_type="application.created", data=application_data(application, source="careers site"))
    resume = Resume.objects.create(
        candidate=candidate,
        file=resume_name,
        original_name=resume_original,
        content_type=content_type,
        size=size,
        status=Resume.Status.PENDING,
        created_at=now,
    )
    rows = []
    missed = False
    for order, question in enumerate(questions):
        answer = (answers.get(question.pk) or "").strip()
        miss = question.must_have and answer != "yes"
        missed = missed or miss
        rows.append(
            ApplicationAnswer(
                question=question, question_text=question.text, answer=answer, missed_must_have=miss, order=order
            )
        )
    submission = ApplicationSubmission.objects.create(
        application=application,
        posting=posting,
        source=source[:60],
        utm=origin.utm,
        referrer=origin.referrer[:500],
        cover_letter=applicant.cover_letter,
        consent_version=consent_version,
        consent_at=now,
        must_have_missed=missed,
        duplicate_match=match,
        created_at=now,
    )
    for row in rows:
        row.submission = submission
    ApplicationAnswer.objects.bulk_create(rows)
    answered = {key: value for key, value in self_identification.items() if value}
    if answered:
        SelfIdentification.objects.create(application=application, posting=posting, answers=answered, created_at=now)
    careers_emails_queue(
        emails=_application_emails(
            application=application, candidate=candidate, job=job, submission=submission, stage_name=first_stage.name
        )
    )
    enqueue_on_commit("hiring.tasks.extract_resume_text", resume.pk)
    return application


# --- After applying ----------------------------------------------------------------------------


@transaction.atomic
def careers_application_withdraw(*, application_id: int) -> Application:
    """The candidate withdraws (from the status page); the hiring team sees it in the history."""
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.status != Application.Status.ACTIVE:
        raise ValidationError("This application is already closed.", code="closed")
    now = timezone.now()
    StageChange.objects.create(
        application=application,
        from_stage_id=application.stage_id,
        to_stage_id=application.stage_id,
        from_status=application.status,
        to_status=Application.Status.WITHDRAWN,
        reason="Withdrawn by the candidate on the careers site",
        created_at=now,
    )
    application.status = Application.Status.WITHDRAWN
    application.version += 1
    application.save(update_fields=["status", "version", "updated_at"])
    return application


def careers_emails_queue(*, emails: Sequence[Email]) -> None:
    """The one way the careers site sends email: rows in the outbox, written in the caller's
    transaction (one query) and delivered after it commits; each key is queued once."""
    outbox_enqueue_many(emails=emails)


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _application_emails(
    *, application: Application, candidate: Candidate, job: Job, submission: ApplicationSubmission, stage_name: str
) -> list[Email]:
    """The applicant's confirmation (with the signed status link) and the job's recruiters' notice."""
    emails = []
    reference = f"application:{application.pk}"
    if candidate.email:
        status_url = _site_url(reverse("careers:status", args=[application_status_token(application.pk)]))
        emails.append(
            Email(
                purpose="careers-confirmation",
                reference=reference,
                recipient=candidate.email,
                subject=f"Your application for {job.title}",
                body_text=(
                    f"Dear {candidate.first_name},\n\n"
                    f"Thank you for applying for {job.title}. We have received your application and "
                    "the hiring team will review it.\n\n"
                    f"You can see where your application stands, or withdraw it, here:\n{status_url}\n\n"
                    "Keep this link to yourself: anyone who has it can see and withdraw your application.\n\n"
                    f"{settings.CAREERS_COMPANY_NAME}"
                ),
            )
        )
    recipients = sorted(
        set(
            HiringTeamMember.objects.filter(job=job, role=HiringTeamMember.Role.RECRUITER).values_list(
                "user__email", flat=True
            )
        )
    )
    if not recipients and job.created_by_id:
        recipients = list(User.objects.filter(pk=job.created_by_id).values_list("email", flat=True))
    flags = []
    if submission.must_have_missed:
        flags.append("An answer misses a must-have requirement.")
    if submission.duplicate_match:
        flags.append(f"The {submission.duplicate_match} matches a candidate on file: review for duplicates.")
    body = (
        f"{candidate.full_name} applied for {job.title} on the careers site (source: {submission.source}).\n"
        f"Stage: {stage_name}.\n"
        + "".join(f"\n- {flag}" for flag in flags)
        + f"\n\nOpen the application: {_site_url(reverse('hiring:application-detail', args=[application.pk]))}\n"
    )
    emails += [
        Email(
            purpose="careers-new-application",
            reference=reference,
            recipient=email,
            subject=f"New application: {candidate.full_name} for {job.title}",
            body_text=body,
        )
        for email in recipients
    ]
    return emails


def normalise_source(value: str) -> str:
    """A source label from user input: printable, single-spaced, at most 60 characters."""
    value = re.sub(r"[\x00-\x1f\x7f<>]", "", value or "")
    return " ".join(value.split())[:60]


__all__ = [
    "POSTING_FIELDS",
    "AlreadyApplied",
    "Applicant",
    "Origin",
    "careers_application_withdraw",
    "careers_apply",
    "careers_emails_queue",
    "normalise_source",
    "posting_create",
    "posting_publish",
    "posting_question_delete",
    "posting_question_save",
    "posting_unpublish",
    "posting_update",
    "rate_limit_consume",
    "requirement_question",
]
