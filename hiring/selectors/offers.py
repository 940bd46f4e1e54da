"""Reads for the offer pages: one offer with its approvals, the panel of an application, the list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hiring.models import Application, Offer, OfferApproval, OfferLetterTemplate
from hiring.placeholders import fill_placeholders
from hiring.rules import offers_visible_to

from .candidates import MARKDOWN_TAGS

LIST_PAGE_SIZE = 50


@dataclass(frozen=True)
class BandView:
    """Where an offer's base salary falls in its pay band, ready for a ``<meter>``."""

    known: bool
    scale_min: int = 0
    scale_max: int = 0
    band_min: int = 0
    band_median: int = 0
    band_max: int = 0
    value: int = 0
    verdict: str = ""
    position: str = ""  # "below", "within", "above" or "unknown" (a CSS class)


def band_view(offer: Offer) -> BandView:
    """The meter's scale runs a little past the band and the figure, so both are always visible."""
    if offer.band_min is None or offer.band_max is None:
        return BandView(known=False, verdict="The role has no pay band to compare with.", position="unknown")
    if offer.band_currency != offer.currency:
        return BandView(
            known=False,
            verdict=f"The band is in {offer.band_currency}; this offer is in {offer.currency}.",
            position="unknown",
        )
    salary = offer.base_salary
    low, high = min(offer.band_min, salary), max(offer.band_max, salary)
    pad = max((high - low) // 10, 1)
    median = offer.band_median if offer.band_median is not None else (offer.band_min + offer.band_max) // 2
    if salary > offer.band_max:
        above = (salary - offer.band_max) * 100 / offer.band_max
        verdict, position = f"{above:.0f}% above the band's maximum ({offer.band_max:,}).", "above"
    elif salary < offer.band_min:
        below = (offer.band_min - salary) * 100 / offer.band_min
        verdict, position = f"{below:.0f}% below the band's minimum ({offer.band_min:,}).", "below"
    else:
        relation = "at" if salary == median else ("above" if salary > median else "below")
        verdict, position = f"Within the band, {relation} the median ({median:,}).", "within"
    return BandView(
        known=True,
        scale_min=max(low - pad, 0),
        scale_max=high + pad,
        band_min=offer.band_min,
        band_median=median,
        band_max=offer.band_max,
        value=salary,
        verdict=verdict,
        position=position,
    )


def _approvals() -> Prefetch:
    return Prefetch("approvals", queryset=OfferApproval.objects.select_related("approver").order_by("created_at", "id"))


def offer_page(*, user, offer_id: int) -> Offer | None:
    """A visible offer with its application, candidate, job, letter template, author and approvals."""
    return (
        offers_visible_to(user=user)
        .select_related("application__candidate", "application__job", "letter_template", "created_by")
        .prefetch_related(_approvals())
        .filter(pk=offer_id)
        .first()
    )


def application_offers(*, user, application: Application) -> list[Offer]:
    """The offers of one application, newest first, for its page's panel (one query)."""
    return list(offers_visible_to(user=user).filter(application_id=application.pk).order_by("-created_at", "-id"))


def _hires() -> Subquery:
    hired = (
        Application.objects.filter(job_id=OuterRef("application__job_id"), status=Application.Status.HIRED)
        .order_by()
        .values("job_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Subquery(hired, output_field=IntegerField())


def offer_list(*, user, status: str = "") -> QuerySet[Offer]:
    """Visible offers, newest first, with each job's hires (for "filled"); one query per page."""
    offers = offers_visible_to(user=user).select_related("application__candidate", "application__job", "created_by")
    if status:
        offers = offers.filter(status=status)
    return offers.annotate(job_hires=Coalesce(_hires(), 0)).order_by("-created_at", "-id")


def offer_status_counts(*, user) -> dict[str, int]:
    rows = offers_visible_to(user=user).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def letter_templates() -> QuerySet[OfferLetterTemplate]:
    return OfferLetterTemplate.objects.filter(active=True).order_by("name")


DEFAULT_LETTER = """# Offer of employment

Dear {{ first_name }},

We are delighted to offer you the position of **{{ job_title }}**.

- Base salary: {{ currency }} {{ base_salary }} per year
- Start date: {{ start_date }}
- Bonus: {{ bonus }}
- Equity: {{ equity }}

This offer is open until {{ expires_on }}.

Kind regards,

{{ signer_name }}
"""


@dataclass(frozen=True)
class Letter:
    title: str
    markdown: str
    html: str


def offer_letter(*, offer: Offer) -> Letter:
    """The offer's letter: its template (or a plain default) with the offer's figures filled in."""
    application = offer.application
    candidate = application.candidate
    values = {
        "candidate_name": candidate.full_name,
        "first_name": candidate.first_name,
        "job_title": application.job.title,
        "base_salary": f"{offer.base_salary:,}",
        "currency": offer.currency,
        "start_date": f"{offer.start_date:%d %B %Y}",
        "bonus": offer.bonus or "none",
        "equity": offer.equity or "none",
        "expires_on": f"{offer.expires_on:%d %B %Y}",
        "signer_name": offer.created_by.display_name if offer.created_by else "The hiring team",
    }
    body = offer.letter_template.body if offer.letter_template else DEFAULT_LETTER
    text = fill_placeholders(body, values)
    return Letter(
        title=f"Offer to {candidate.full_name}: {application.job.title}", markdown=text, html=letter_html(text)
    )


def letter_html(text: str) -> str:
    """The letter's Markdown as safe HTML (as notes are rendered, plus the two top heading levels)."""
    import markdown
    import nh3

    html = markdown.markdown(text, extensions=["sane_lists"])
    return nh3.clean(html, tags=MARKDOWN_TAGS | {"h1", "h2"}, attributes={}, url_schemes=set())
