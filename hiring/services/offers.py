"""Writes on offers: drafting one against the role's pay band, approval, sending and the answer.

States: draft -> pending approval -> approved -> sent -> accepted / declined / expired. An
offer inside the pay band of the job's role template is approved when it is submitted; one
outside (or with no band to check against, or in another currency) needs a written reason
and two sign-offs: a hiring manager of the job, then the admin-chosen approver
(``OfferApprover``; an admin when none is chosen), each with their own reason, never the
offer's author and never the same person twice. Every write locks the offer (or the
application, for a new offer) so two people clicking at once cannot both win.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hiring import groups, rules
from hiring.models import (
    OFFER_SALARY_MAX,
    Application,
    Offer,
    OfferApproval,
    OfferApprover,
    Stage,
    StageChange,
    User,
)
from hiring.offer_pdf import letter_pdf
from hiring.selectors.offers import offer_letter
from roles.models import CompensationBand

from .emails import candidate_emails_queue
from .outbox import Attachment, Email, outbox_enqueue_many
from .webhooks import webhook_emit

OFFER_FIELDS = ("base_salary", "currency", "start_date", "bonus", "equity", "expires_on", "letter_template")
# A figure this many times above the band's maximum (or below its minimum divided by it) is a typo.
ABSURD_FACTOR = 5
HIRED_STAGE_NAME = "Hired"


def _check_figures(offer: Offer) -> None:
    """Single-offer checks beyond the field types; raises ``ValidationError`` per field."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if offer.base_salary is not None:
        if offer.base_salary < 1:
            errors["base_salary"] = "The base salary must be a positive figure."
        elif offer.base_salary > OFFER_SALARY_MAX:
            errors["base_salary"] = "That base salary is not plausible; check the figure."
        elif offer.band_max and offer.band_currency == offer.currency:
            if offer.base_salary > offer.band_max * ABSURD_FACTOR:
                errors["base_salary"] = (
                    f"{offer.base_salary:,} is more than {ABSURD_FACTOR} times the band's maximum "
                    f"({offer.band_max:,}); check the figure."
                )
            elif offer.band_min and offer.base_salary * ABSURD_FACTOR < offer.band_min:
                errors["base_salary"] = (
                    f"{offer.base_salary:,} is less than a {ABSURD_FACTOR}th of the band's minimum "
                    f"({offer.band_min:,}); check the figure."
                )
    if offer.currency and (len(offer.currency) != 3 or not offer.currency.isalpha()):
        errors["currency"] = "Use a three-letter currency code, e.g. EUR."
    if offer.start_date and offer.start_date < today:
        errors["start_date"] = "The start date is in the past."
    if offer.expires_on and offer.expires_on < today:
        errors["expires_on"] = "The offer would have expired already; choose today or a later day."
    if offer.letter_template is not None and not offer.letter_template.active:
        errors["letter_template"] = "That letter template is no longer offered."
    if errors:
        raise ValidationError(errors)


def _band_snapshot(offer: Offer, application: Application) -> None:
    """Copy the role's pay band onto the offer and decide whether it is outside it."""
    band = CompensationBand.objects.filter(template_id=application.job.template_id).first()
    offer.band_currency = band.currency if band else ""
    offer.band_min = band.min if band else None
    offer.band_median = band.median if band else None
    offer.band_max = band.max if band else None
    offer.out_of_band = not (
        band is not None
        and band.min is not None
        and band.max is not None
        and band.currency == offer.currency
        and band.min <= offer.base_salary <= band.max
    )


def _lock_offer(offer: Offer) -> Offer:
    current = (
        Offer.objects.select_for_update().select_related("application__job", "application__candidate").get(pk=offer.pk)
    )
    return current


def _set_fields(offer: Offer, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name not in OFFER_FIELDS:
            raise TypeError(f"Unknown offer field {name!r}")
        setattr(offer, name, value.strip() if isinstance(value, str) else value)
    offer.currency = (offer.currency or "").upper()


@transaction.atomic
def offer_create(*, application: Application, actor: User | None, **fields: Any) -> Offer:
    """Draft an offer on an active application that has no open offer."""
    current = Application.objects.select_for_update().select_related("job", "candidate").get(pk=application.pk)
    if current.status != Application.Status.ACTIVE:
        raise ValidationError(f"{current.candidate.full_name}'s application is {current.get_status_display().lower()}.")
    if current.offers.filter(status__in=Offer.OPEN_STATUSES).exists():
        raise ValidationError("This application has an open offer already; change that one.")
    offer = Offer(application=current, created_by=actor)
    _set_fields(offer, fields)
    _band_snapshot(offer, current)
    _check_figures(offer)
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, actor: User | None, **fields: Any) -> Offer:
    """Change a draft (an offer sent back by an approver is a draft again)."""
    current = _lock_offer(offer)
    if current.status != Offer.Status.DRAFT:
        raise ValidationError(f"Only a draft can be changed; this offer is {current.get_status_display().lower()}.")
    _set_fields(current, fields)
    _band_snapshot(current, current.application)
    _check_figures(current)
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def offer_submit(*, offer: Offer, actor: User | None, justification: str = "") -> Offer:
    """Inside the band: approved at once. Outside: pending approval, with the author's reason."""
    current = _lock_offer(offer)
    if current.status != Offer.Status.DRAFT:
        raise ValidationError(f"This offer is {current.get_status_display().lower()}; only a draft is submitted.")
    _band_snapshot(current, current.application)
    _check_figures(current)
    now = timezone.now()
    justification = justification.strip()
    if current.out_of_band:
        if not justification:
            raise ValidationError({"justification": "This offer is outside the role's pay band: say why it is right."})
        current.status = Offer.Status.PENDING
        current.round += 1
    else:
        current.status = Offer.Status.APPROVED
        current.approved_at = now
    current.justification = justification
    current.full_clean()
    current.save()
    if current.status == Offer.Status.PENDING:
        _ask_for_sign_off(current, OfferApproval.Step.HIRING_MANAGER)
    return current


def _approvers_of(offer: Offer, step: str) -> list[User]:
    """Who may sign ``step`` off (never the author): for the notice asking them to."""
    if step == OfferApproval.Step.HIRING_MANAGER:
        people = User.objects.filter(
            job_memberships__job_id=offer.application.job_id,
            job_memberships__role="hiring_manager",
            is_active=True,
        )
    else:
        policy = offer_approval_policy()
        if policy is None:
            people = User.objects.filter(groups__in=Group.objects.filter(name=groups.ADMIN), is_active=True)
        elif policy.user_id is not None:
            people = User.objects.filter(pk=policy.user_id, is_active=True)
        else:
            people = User.objects.filter(groups=policy.group_id, is_active=True)
    return [person for person in people.distinct() if person.email and person.pk != offer.created_by_id]


def _ask_for_sign_off(offer: Offer, step: str) -> None:
    """Email the people who may sign the waiting step off (one outbox row each, once per round)."""
    url = settings.SITE_URL.rstrip("/") + reverse("hiring:offer-detail", args=[offer.pk])
    application = offer.application
    outbox_enqueue_many(
        emails=[
            Email(
                purpose="offer-approval",
                reference=f"offer:{offer.pk}:{offer.round}:{step}",
                recipient=person.email,
                subject=f"Offer to approve: {application.candidate.full_name} for {application.job.title}",
                body_text=(
                    f"An offer of {offer.currency} {offer.base_salary:,} to {application.candidate.full_name} "
                    f"for {application.job.title} is outside the role's pay band and waits for your sign-off.\n\n"
                    f"Reason given: {offer.justification}\n\n{url}\n"
                ),
            )
            for person in _approvers_of(offer, step)
        ]
    )


def offer_next_step(offer: Offer) -> tuple[str, int | None]:
    """The step waiting for a sign-off in this round, and who signed the step before it."""
    done = {a.step: a.approver_id for a in offer.approvals.all() if a.round == offer.round}
    if OfferApproval.Step.HIRING_MANAGER not in done:
        return OfferApproval.Step.HIRING_MANAGER, None
    return OfferApproval.Step.FINAL, done[OfferApproval.Step.HIRING_MANAGER]


def offer_approval_policy() -> OfferApprover | None:
    return OfferApprover.objects.select_related("user", "group").order_by("id").first()


def _sign(current: Offer, actor: User, reason: str, decision: str) -> str:
    if current.status != Offer.Status.PENDING:
        raise ValidationError(f"This offer is {current.get_status_display().lower()}; there is nothing to approve.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason for your decision."})
    step, earlier = offer_next_step(current)
    refusal = rules.offer_approval_refusal(
        user=actor, offer=current, step=step, policy=offer_approval_policy(), earlier_approver_id=earlier
    )
    if refusal:
        raise ValidationError(refusal, code="not_approver")
    approval = OfferApproval(
        offer=current, round=current.round, step=step, decision=decision, approver=actor, reason=reason
    )
    approval.full_clean(exclude=["offer", "approver"])
    approval.save()
    return step


@transaction.atomic
def offer_approve(*, offer: Offer, actor: User, reason: str) -> Offer:
    """Sign the waiting step off; after the final step the offer is approved."""
    current = _lock_offer(offer)
    step = _sign(current, actor, reason, OfferApproval.Decision.APPROVED)
    if step == OfferApproval.Step.FINAL:
        current.status = Offer.Status.APPROVED
        current.approved_at = timezone.now()
        current.save(update_fields=["status", "approved_at", "updated_at"])
    else:
        _ask_for_sign_off(current, OfferApproval.Step.FINAL)
    return current


@transaction.atomic
def offer_send_back(*, offer: Offer, actor: User, reason: str) -> Offer:
    """The approver of the waiting step refuses: the offer is a draft again, with the reason kept."""
    current = _lock_offer(offer)
    _sign(current, actor, reason, OfferApproval.Decision.REJECTED)
    current.status = Offer.Status.DRAFT
    current.save(update_fields=["status", "updated_at"])
    return current


LETTER_EMAIL_SUBJECT = "Your offer for {{ job_title }}"
LETTER_EMAIL_BODY = (
    "Dear {{ first_name }},\n\nPlease find our offer for the {{ job_title }} role attached.\n\n"
    "Best regards,\n{{ recruiter_name }}"
)


@transaction.atomic
def offer_mark_sent(*, offer: Offer, actor: User | None, email_letter: bool = False) -> Offer:
    """The offer went to the candidate; with ``email_letter`` it goes now, as a PDF, through the
    path of every email to candidates (undo window, the application's thread, sent once)."""
    current = _lock_offer(offer)
    if current.status != Offer.Status.APPROVED:
        raise ValidationError(f"This offer is {current.get_status_display().lower()}; only an approved offer is sent.")
    if current.expires_on < timezone.localdate():
        raise ValidationError("This offer's expiry date has passed; change it before sending.")
    application = current.application
    if email_letter:
        if not application.candidate.email:
            raise ValidationError(f"{application.candidate.full_name} has no email address on file.")
        letter = offer_letter(offer=current)  # in memory: no file or network I/O in this transaction
        pdf = letter_pdf(title=letter.title, markdown_text=letter.markdown)
        candidate_emails_queue(
            items=[(application, application.candidate, application.job)],
            subject=LETTER_EMAIL_SUBJECT,
            body=LETTER_EMAIL_BODY,
            sender=actor,
            purpose="offer-letter",
            reference=f"offer:{current.pk}",
            attachments=[Attachment(filename=f"offer-{current.pk}.pdf", content=pdf, mimetype="application/pdf")],
        )
    current.status = Offer.Status.SENT
    current.sent_at = timezone.now()
    current.save(update_fields=["status", "sent_at", "updated_at"])
    return current


def hired_stage(job_id: int) -> Stage:
    """The job's "Hired" stage, else its last stage."""
    stages = list(Stage.objects.filter(job_id=job_id).order_by("order", "id"))
    if not stages:
        raise ValidationError("This job has no stages.")
    return next((s for s in stages if s.name.lower() == HIRED_STAGE_NAME.lower()), stages[-1])


def offer_accepted_event(*, offer: Offer) -> None:
    """The ``offer.accepted`` webhook, written in the accepting transaction (sent iff it commits)."""
    application = offer.application
    webhook_emit(
        event_type="offer.accepted",
        data={
            "offer_id": offer.pk,
            "application_id": application.pk,
            "job_id": application.job_id,
            "candidate_id": application.candidate_id,
            "base_salary": offer.base_salary,
            "currency": offer.currency,
            "start_date": offer.start_date.isoformat(),
        },
    )


@transaction.atomic
def offer_accept(*, offer: Offer, actor: User | None) -> Offer:
    """The candidate said yes: the offer is accepted and the application moves to the hired stage."""
    current = _lock_offer(offer)
    if current.status == Offer.Status.EXPIRED or (
        current.status == Offer.Status.SENT and current.expires_on < timezone.localdate()
    ):
        raise ValidationError(
            f"This offer expired on {current.expires_on:%d %b %Y}; it can no longer be accepted.", code="expired"
        )
    if current.status != Offer.Status.SENT:
        raise ValidationError(f"This offer is {current.get_status_display().lower()}; only a sent offer is accepted.")
    application = Application.objects.select_for_update().get(pk=current.application_id)
    if application.status != Application.Status.ACTIVE:
        raise ValidationError(f"The application is {application.get_status_display().lower()}; not hired.")
    now = timezone.now()
    stage = hired_stage(application.job_id)
    StageChange.objects.create(
        application=application,
        from_stage_id=application.stage_id,
        to_stage=stage,
        from_status=application.status,
        to_status=Application.Status.HIRED,
        actor=actor,
        reason="Offer accepted",
        created_at=now,
    )
    Application.objects.filter(pk=application.pk).update(
        stage=stage, status=Application.Status.HIRED, stage_entered_at=now, version=application.version + 1
    )
    current.status = Offer.Status.ACCEPTED
    current.answered_at = now
    current.save(update_fields=["status", "answered_at", "updated_at"])
    offer_accepted_event(offer=current)
    return current


@transaction.atomic
def offer_decline(*, offer: Offer, actor: User | None, reason: str = "") -> Offer:
    current = _lock_offer(offer)
    if current.status not in (Offer.Status.SENT, Offer.Status.APPROVED):
        raise ValidationError(f"This offer is {current.get_status_display().lower()}; it cannot be declined.")
    current.status = Offer.Status.DECLINED
    current.decline_reason = reason.strip()[:300]
    current.answered_at = timezone.now()
    current.save(update_fields=["status", "decline_reason", "answered_at", "updated_at"])
    return current


@transaction.atomic
def offers_expire(*, today: datetime.date | None = None) -> int:
    """Expire approved or sent offers whose last day has passed; tell each author once.

    Safe to run twice and from two workers at once: rows are claimed under ``SKIP LOCKED``
    (PostgreSQL) or by the conditional UPDATE, and the notice's outbox key is unique.
    """
    today = today or timezone.localdate()
    due = Offer.objects.filter(status__in=[Offer.Status.APPROVED, Offer.Status.SENT], expires_on__lt=today)
    rows = list(
        due.select_for_update(skip_locked=True, of=("self",))
        .select_related("application__candidate", "application__job", "created_by")
        .order_by("id")[:500]
    )
    if not rows:
        return 0
    now = timezone.now()
    expired = due.filter(pk__in=[row.pk for row in rows]).update(
        status=Offer.Status.EXPIRED, answered_at=now, updated_at=now
    )
    emails = [
        Email(
            purpose="offer-expired",
            reference=f"offer:{row.pk}",
            recipient=row.created_by.email,
            subject=f"Offer expired: {row.application.candidate.full_name} for {row.application.job.title}",
            body_text=(
                f"The offer to {row.application.candidate.full_name} for {row.application.job.title} "
                f"expired on {row.expires_on:%d %b %Y} without an answer.\n"
            ),
        )
        for row in rows
        if row.created_by is not None and row.created_by.email
    ]
    outbox_enqueue_many(emails=emails)
    return expired
