"""Template tags of the offer and candidate-email panels on the application page.

Each panel is one ``{% include %}`` on the page; the panel loads its own data through these
tags (selectors, permission checks in ``hiring.rules``), so the page's view stays as it is.
"""

from typing import Any

import rules
from django import template
from django.utils import timezone

from hiring.models import Application
from hiring.selectors import emails as email_selectors
from hiring.selectors import offers as offer_selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def offers_panel(context, application: Application) -> dict[str, Any]:
    user = context["request"].user
    if not rules.has_perm("hiring.view_candidate_private", user):
        return {"visible": False}
    offers = offer_selectors.application_offers(user=user, application=application)
    for offer in offers:
        offer.band = offer_selectors.band_view(offer)
    return {
        "visible": True,
        "offers": offers,
        "can_create": application.status == Application.Status.ACTIVE
        and not any(offer.is_open for offer in offers)
        and rules.has_perm("hiring.manage_offers_obj", user, application.job),
    }


@register.simple_tag(takes_context=True)
def emails_panel(context, application: Application) -> dict[str, Any]:
    user = context["request"].user
    if not rules.has_perm("hiring.view_candidate_private", user):
        return {"visible": False}
    now = timezone.now()
    emails = email_selectors.application_email_list(application=application)
    for email in emails:
        email.state = email_selectors.email_state(email, now)
    return {
        "visible": True,
        "emails": emails,
        "can_write": rules.has_perm("hiring.email_candidates_obj", user, application.job),
    }


@register.filter
def thousands(value) -> str:
    """120000 -> "120,000" (figures of offers and pay bands)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
