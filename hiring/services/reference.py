"""Reference data the admins keep: rejection reasons, email templates and tags."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from hiring.models import EmailTemplate, OfferApprover, OfferLetterTemplate, RejectionReason, Tag

# What an email template may fill in (see pipeline.fill_placeholders).
EMAIL_PLACEHOLDERS = ("candidate_name", "first_name", "job_title", "interview_time", "recruiter_name")
_PLACEHOLDER = re.compile(r"{{\s*(\w+)\s*}}")


@transaction.atomic
def rejection_reason_save(*, reason: RejectionReason) -> RejectionReason:
    reason.name = " ".join(reason.name.split())
    reason.full_clean()
    reason.save()
    return reason


@transaction.atomic
def rejection_reason_delete(*, reason: RejectionReason) -> None:
    """Only a reason no application uses; retire a used one by making it inactive."""
    if reason.applications.exists():
        raise ValidationError(f"“{reason.name}” is the reason of past rejections; make it inactive instead.")
    reason.delete()


@transaction.atomic
def email_template_save(*, template: EmailTemplate) -> EmailTemplate:
    """Save a template whose placeholders are all known, so a typo never reaches a candidate."""
    errors = {}
    for field in ("subject", "body"):
        unknown = sorted(
            {name for name in _PLACEHOLDER.findall(getattr(template, field)) if name not in EMAIL_PLACEHOLDERS}
        )
        if unknown:
            known = ", ".join(f"{{{{ {name} }}}}" for name in EMAIL_PLACEHOLDERS)
            errors[field] = f"Unknown placeholder {', '.join(f'{{{{ {n} }}}}' for n in unknown)}: use one of {known}."
    if errors:
        raise ValidationError(errors, code="unknown_placeholder")
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def email_template_delete(*, template: EmailTemplate) -> None:
    template.delete()


@transaction.atomic
def tag_save(*, tag: Tag) -> Tag:
    """Rename or create a tag; names are unique whatever their case (as tagging matches them)."""
    tag.name = " ".join(tag.name.split())
    if Tag.objects.filter(name__iexact=tag.name).exclude(pk=tag.pk).exists():
        raise ValidationError({"name": f"A tag “{tag.name}” already exists."}, code="duplicate")
    tag.full_clean()
    tag.save()
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    tag.delete()


# What an offer letter may fill in (see hiring.selectors.offers.offer_letter).
LETTER_PLACEHOLDERS = (
    "candidate_name",
    "first_name",
    "job_title",
    "base_salary",
    "currency",
    "start_date",
    "bonus",
    "equity",
    "expires_on",
    "signer_name",
)


@transaction.atomic
def offer_letter_template_save(*, template: OfferLetterTemplate) -> OfferLetterTemplate:
    """Save a letter whose placeholders are all known, so a typo never reaches a candidate."""
    unknown = sorted({name for name in _PLACEHOLDER.findall(template.body) if name not in LETTER_PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            {"body": f"Unknown placeholder {', '.join(f'{{{{ {n} }}}}' for n in unknown)}."}, code="unknown_placeholder"
        )
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def offer_letter_template_delete(*, template: OfferLetterTemplate) -> None:
    template.delete()  # offers keep their figures and fall back to the standard letter


@transaction.atomic
def offer_approver_save(*, approver: OfferApprover) -> OfferApprover:
    approver.full_clean()
    approver.save()
    return approver


@transaction.atomic
def offer_approver_delete(*, approver: OfferApprover) -> None:
    approver.delete()
