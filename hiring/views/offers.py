"""Offer screens: draft one from the application page, see it against the pay band, approve,
send, record the answer, print the letter or download it as a PDF, and the list of offers.

Thin views: permission (``hiring/rules.py``) -> form -> one service call -> redirect with a
message, or the page again with the errors (status 400). Anything a user may not see answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hiring.forms.offers import OfferDeclineForm, OfferForm, OfferReasonForm, OfferSendForm, OfferSubmitForm
from hiring.http import HtmxHttpRequest, render_page
from hiring.models import Offer
from hiring.offer_pdf import letter_pdf
from hiring.rules import applications_visible_to, offer_approval_refusal
from hiring.selectors import offers as offer_selectors
from hiring.services import offers as offer_services
from roles.admin_kit import add_service_error


def _visible_offer(request: HtmxHttpRequest, pk: int) -> Offer:
    offer = offer_selectors.offer_page(user=request.user, offer_id=pk)
    if offer is None:
        raise Http404("No such offer.")
    return offer


def _require_manage(request: HtmxHttpRequest, offer_or_job) -> None:
    job = offer_or_job.application.job if isinstance(offer_or_job, Offer) else offer_or_job
    if not rules.has_perm("hiring.manage_offers_obj", request.user, job):
        raise Http404("No such page.")


@require_http_methods(["GET", "POST"])
def offer_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application = applications_visible_to(user=request.user).select_related("candidate", "job").filter(pk=pk).first()
    if application is None or not rules.has_perm("hiring.view_candidate_private", request.user):
        raise Http404("No such application.")
    _require_manage(request, application.job)
    band = getattr(application.job.template, "compensation", None)
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                offer = offer_services.offer_create(application=application, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Offer drafted. Check it against the band, then submit it.")
                return redirect("hiring:offer-detail", pk=offer.pk)
        status = 400
    else:
        form = OfferForm(
            initial={"currency": band.currency if band else "", "base_salary": band.median if band else None}
        )
        status = 200
    context = {"form": form, "application": application, "band": band, "offer": None}
    return render(request, "hiring/offers/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def offer_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    offer = _visible_offer(request, pk)
    _require_manage(request, offer)
    band = getattr(offer.application.job.template, "compensation", None)
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                offer_services.offer_update(offer=offer, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Offer saved.")
                return redirect("hiring:offer-detail", pk=offer.pk)
        status = 400
    else:
        form = OfferForm(initial={name: getattr(offer, name) for name in offer_services.OFFER_FIELDS})
        status = 200
    context = {"form": form, "application": offer.application, "band": band, "offer": offer}
    return render(request, "hiring/offers/form.html", context, status=status)


def _detail_context(request: HtmxHttpRequest, offer: Offer, **forms: Any) -> dict[str, Any]:
    step, earlier = (None, None)
    refusal = ""
    if offer.status == Offer.Status.PENDING:
        step, earlier = offer_services.offer_next_step(offer)
        refusal = rules_refusal(request, offer, step, earlier)
    return {
        "offer": offer,
        "application": offer.application,
        "band": offer_selectors.band_view(offer),
        "can_manage": rules.has_perm("hiring.manage_offers_obj", request.user, offer.application.job),
        "waiting_step": step,
        "approval_refusal": refusal,
        "policy": offer_services.offer_approval_policy() if step else None,
        "submit_form": forms.get("submit_form") or OfferSubmitForm(),
        "reason_form": forms.get("reason_form") or OfferReasonForm(),
        "decline_form": forms.get("decline_form") or OfferDeclineForm(),
        "send_form": forms.get("send_form")
        or OfferSendForm(initial={"email_letter": bool(offer.application.candidate.email)}),
        "expired": offer.expires_on < timezone.localdate(),
        "errors": forms.get("errors", []),
    }


def rules_refusal(request: HtmxHttpRequest, offer: Offer, step: str, earlier: int | None) -> str:
    return offer_approval_refusal(
        user=request.user,
        offer=offer,
        step=step,
        policy=offer_services.offer_approval_policy(),
        earlier_approver_id=earlier,
    )


@require_GET
def offer_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    offer = _visible_offer(request, pk)
    return render(request, "hiring/offers/detail.html", _detail_context(request, offer))


# action name -> (form class or None, needs manage permission, service call, success message)
def _submit(offer, user, data):
    return offer_services.offer_submit(offer=offer, actor=user, justification=data.get("justification", ""))


def _approve(offer, user, data):
    return offer_services.offer_approve(offer=offer, actor=user, reason=data["reason"])


def _send_back(offer, user, data):
    return offer_services.offer_send_back(offer=offer, actor=user, reason=data["reason"])


def _sent(offer, user, data):
    return offer_services.offer_mark_sent(offer=offer, actor=user, email_letter=data.get("email_letter", False))


def _accept(offer, user, data):
    return offer_services.offer_accept(offer=offer, actor=user)


def _decline(offer, user, data):
    return offer_services.offer_decline(offer=offer, actor=user, reason=data.get("reason", ""))


ACTIONS: dict[str, tuple[type | None, str | None, bool, Callable[..., Offer]]] = {
    # name: (form, its context key, needs the manage permission, service)
    "submit": (OfferSubmitForm, "submit_form", True, _submit),
    "approve": (OfferReasonForm, "reason_form", False, _approve),
    "send-back": (OfferReasonForm, "reason_form", False, _send_back),
    "mark-sent": (OfferSendForm, "send_form", True, _sent),
    "accept": (None, None, True, _accept),
    "decline": (OfferDeclineForm, "decline_form", True, _decline),
}
DONE = {
    "submit": "Offer submitted.",
    "approve": "Approved.",
    "send-back": "Sent back to the author as a draft.",
    "mark-sent": "Offer marked as sent to the candidate.",
    "accept": "Offer accepted: the application moved to Hired.",
    "decline": "Offer declined.",
}


@require_POST
def offer_action(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    """One of ``ACTIONS`` on an offer; a refusal re-renders the offer with the reason (400)."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    offer = _visible_offer(request, pk)
    form_class, form_key, needs_manage, call = ACTIONS[action]
    if needs_manage:
        _require_manage(request, offer)
    form = form_class(request.POST) if form_class else None
    forms: dict[str, Any] = {}
    if form is not None and form_key:
        forms[form_key] = form
    if form is None or form.is_valid():
        data = form.cleaned_data if form is not None else {}
        try:
            result = call(offer, request.user, data)
        except ValidationError as error:
            if form is not None:
                add_service_error(form, error)
            else:
                forms["errors"] = error.messages
        else:
            if action == "submit" and result.status == Offer.Status.APPROVED:
                messages.success(request, "Offer approved: it is inside the role's pay band.")
            elif action == "submit":
                messages.success(request, "Offer sent for approval: it is outside the role's pay band.")
            else:
                messages.success(request, DONE[action])
            if offer_selectors.offer_page(user=request.user, offer_id=offer.pk) is None:
                return redirect("home")  # an approver without a hiring role: nothing more to see here
            return redirect("hiring:offer-detail", pk=offer.pk)
    offer = _visible_offer(request, pk)  # the state as it is now, beside the errors
    return render(request, "hiring/offers/detail.html", _detail_context(request, offer, **forms), status=400)


@require_GET
def offer_letter(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    offer = _visible_offer(request, pk)
    letter = offer_selectors.offer_letter(offer=offer)
    return render(request, "hiring/offers/letter.html", {"offer": offer, "letter": letter})


@require_GET
def offer_letter_pdf(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    offer = _visible_offer(request, pk)
    letter = offer_selectors.offer_letter(offer=offer)
    response = HttpResponse(
        letter_pdf(title=letter.title, markdown_text=letter.markdown), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="offer-{offer.pk}.pdf"'
    return response


@require_GET
def offer_list(request: HtmxHttpRequest) -> HttpResponse:
    if not rules.has_perm("hiring.list_offers", request.user):
        raise Http404("No such page.")
    status = request.GET.get("status", "")
    if status not in Offer.Status.values:
        status = ""
    page = Paginator(offer_selectors.offer_list(user=request.user, status=status), offer_selectors.LIST_PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("page"))
    for offer in page_obj.object_list:
        offer.application.job.hired_count = offer.job_hires
        offer.band = offer_selectors.band_view(offer)
    context = {
        "page_obj": page_obj,
        "status": status,
        "statuses": Offer.Status.choices,
        "counts": offer_selectors.offer_status_counts(user=request.user),
    }
    return render_page(request, "hiring/offers/list.html", context, fragment="results")
