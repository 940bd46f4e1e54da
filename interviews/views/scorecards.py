"""My interviews, the scorecard form, its autosave, submit, amend and withdraw."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from hiring.http import HtmxHttpRequest, render_page
from interviews import selectors, services
from interviews.models import Scorecard
from interviews.services.scorecards import NOT_ASSESSED, RATING_FIELD, FieldConflict, ScorecardConflict
from roles import fragments
from roles.scale import Rating

RATING_LABELS = {**{str(value): label for value, label in Rating.choices}, NOT_ASSESSED: "Not assessed", "": "—"}


@require_GET
def my_interviews(request: HtmxHttpRequest) -> HttpResponse:
    template = "interviews/my_interviews.html"
    # The lists as this interviewer sees them, once per data generation (roles/fragments.py).
    content = fragments.cached(
        request,
        "my-interviews",
        (),
        lambda: render_to_string(
            f"{template}#content", selectors.my_interviews_overview(user=request.user), request=request
        ),
    )
    return render(request, template, {"cached": content})


def _own_card(request: HtmxHttpRequest, scorecard_id: int) -> Scorecard:
    card = selectors.scorecard_for_edit(user=request.user, scorecard_id=scorecard_id)
    if card is None:
        raise Http404("No such scorecard.")
    return card


def _conflict_view(conflict: FieldConflict, version: int) -> dict:
    is_rating = conflict.field.startswith("rating-")
    return {
        "field": conflict.field,
        "label": conflict.label,
        "mine": RATING_LABELS.get(conflict.mine, conflict.mine) if is_rating else conflict.mine,
        "theirs": RATING_LABELS.get(conflict.theirs, conflict.theirs) if is_rating else conflict.theirs,
        "theirs_raw": conflict.theirs,
        "keep_vals": json.dumps(
            {
                "field": conflict.field,
                conflict.field: conflict.mine,
                f"base-{conflict.field}": conflict.theirs,
                "version": str(version),
            }
        ),
    }


def _form_context(
    card: Scorecard,
    *,
    posted=None,
    errors: dict | None = None,
    conflict: ScorecardConflict | None = None,
    saved_at=None,
) -> dict:
    """What the form shows: stored values, or the posted ones when a save failed (nothing typed is lost)."""
    errors = {name: (" ".join(m) if isinstance(m, list) else m) for name, m in (errors or {}).items()}
    phrases = selectors.flagged_phrases()
    conflicts = {c.field: _conflict_view(c, conflict.version) for c in conflict.conflicts} if conflict else {}

    def value(name: str, stored: str) -> str:
        return posted.get(name, stored) if posted is not None else stored

    rows = []
    for r in card.ratings.all():
        rating_field, evidence_field = f"rating-{r.pk}", f"evidence-{r.pk}"
        stored_rating = NOT_ASSESSED if r.not_assessed else ("" if r.rating is None else str(r.rating))
        evidence = value(evidence_field, r.evidence)
        rows.append(
            {
                "rating": r,
                "rating_field": rating_field,
                "evidence_field": evidence_field,
                "rating_value": value(rating_field, stored_rating),
                "rating_base": stored_rating,
                "evidence_value": evidence,
                "evidence_base": r.evidence,
                "rating_error": errors.get(rating_field),
                "evidence_error": errors.get(evidence_field),
                "rating_conflict": conflicts.get(rating_field),
                "evidence_conflict": conflicts.get(evidence_field),
                "levels": [(str(level), label, r.anchors.get(str(level), "")) for level, label in Rating.choices],
                "prompts": [line for line in r.prompts.splitlines() if line.strip()],
                "flags": selectors.language_flags(evidence, phrases),
            }
        )
    stored_overall = "" if card.overall_recommendation is None else str(card.overall_recommendation)
    first_error = next(iter(errors), None)
    return {
        "card": card,
        "interview": card.interview,
        "application": card.interview.application,
        "rows": rows,
        "levels": [(str(level), label) for level, label in Rating.choices],
        "overall_value": value("overall_recommendation", stored_overall),
        "overall_base": stored_overall,
        "key_takeaways": value("key_takeaways", card.key_takeaways),
        "private_note": value("private_note", card.private_note),
        "errors": errors,
        "first_error": first_error,
        "conflicts": list(conflicts.values()),
        "version": conflict.version if conflict else card.version,
        "saved_at": saved_at,
        "evidence_required": card.interview.application.job.evidence_required,
        "is_draft": card.status == Scorecard.Status.DRAFT,
        "revisions": [
            {
                "revision": revision,
                "overall": RATING_LABELS.get(str(revision.content.get("overall_recommendation") or ""), "—"),
                "ratings": [
                    {
                        "name": item.get("name", ""),
                        "label": "Not assessed"
                        if item.get("not_assessed")
                        else RATING_LABELS.get(str(item.get("rating") or ""), "—"),
                        "evidence": item.get("evidence", ""),
                    }
                    for item in revision.content.get("ratings", [])
                ],
            }
            for revision in card.revisions.all()
        ],
    }


def _render_form(request: HtmxHttpRequest, card: Scorecard, *, status: int = 200, **kwargs) -> HttpResponse:
    context = _form_context(card, **kwargs)
    return render_page(request, "interviews/scorecard_edit.html", context, fragment="scorecard-form", status=status)


def _locked(request: HtmxHttpRequest, card: Scorecard) -> HttpResponse:
    """A POST to a scorecard that is already submitted.

    A second submit (a double click, two tabs) finds the first one's result: the submitted
    scorecard, with a note that nothing else changed. A save of other text is refused with 409,
    so whoever typed it knows it was not stored.
    """
    if request.POST.get("action") == "submit":
        if request.htmx:
            return _render_form(request, card)  # the locked view: "Submitted ... The scorecard is locked."
        messages.info(request, "This scorecard was already submitted; nothing else was changed.")
        return redirect("interviews:scorecard-edit", scorecard_id=card.pk)
    messages.error(request, "This scorecard is submitted. Amend it to change it; nothing was changed.")
    return _render_form(request, card, status=409)


@require_http_methods(["GET", "POST"])
def scorecard_edit(request: HtmxHttpRequest, scorecard_id: int) -> HttpResponse:
    card = _own_card(request, scorecard_id)
    if request.method == "GET":
        return _render_form(request, card)
    if card.status != Scorecard.Status.DRAFT:
        return _locked(request, card)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        services.scorecard_save(scorecard_id=card.pk, user=request.user, data=request.POST, version=version)
    except services.ScorecardLocked:  # submitted in another tab (or by a double click) since the page loaded
        return _locked(request, _own_card(request, scorecard_id))
    except ScorecardConflict as conflict:
        return _render_form(request, card, posted=request.POST, conflict=conflict, status=409)
    except ValidationError as error:
        return _render_form(request, card, posted=request.POST, errors=error.message_dict, status=422)
    card = _own_card(request, scorecard_id)
    if request.POST.get("action") != "submit":
        if request.htmx:
            return _render_form(request, card, saved_at=timezone.now())
        messages.success(request, "Draft saved.")
        return redirect("interviews:scorecard-edit", scorecard_id=card.pk)
    try:
        services.scorecard_submit(scorecard_id=card.pk, user=request.user)
    except services.ScorecardLocked:  # the other of two simultaneous submits won
        return _locked(request, _own_card(request, scorecard_id))
    except ValidationError as error:
        return _render_form(request, card, errors=error.message_dict, status=422)
    messages.success(request, "Scorecard submitted. You can now read your colleagues' feedback.")
    target = reverse("interviews:feedback", args=[card.interview.application_id])
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)


@require_POST
def scorecard_autosave(request: HtmxHttpRequest, scorecard_id: int) -> HttpResponse:
    """Save one field (HTMX); answers the field's status fragment: saved, a conflict or an error."""
    field = request.POST.get("field", "")
    context = {"field": field, "scorecard_id": scorecard_id}
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponse("The form did not send its version; reload the page.", status=400)
    if RATING_FIELD.match(field) is None and field not in services.scorecards.SCORECARD_FIELDS:
        return HttpResponse("Unknown field.", status=400)
    value = request.POST.get(field, "")
    try:
        saved = services.scorecard_field_save(
            scorecard_id=scorecard_id,
            user=request.user,
            field=field,
            value=value,
            version=version,
            base=request.POST.get(f"base-{field}", ""),
        )
    except Scorecard.DoesNotExist:
        raise Http404("No such scorecard.") from None
    except services.ScorecardLocked:
        context["error"] = "This scorecard is submitted, so it is locked. Amend it to change it."
        return render(request, "interviews/scorecard_edit.html#field-status", context, status=409)
    except ScorecardConflict as conflict:
        context["conflict"] = _conflict_view(conflict.conflicts[0], conflict.version)
        return render(request, "interviews/scorecard_edit.html#field-status", context, status=409)
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "interviews/scorecard_edit.html#field-status", context, status=422)
    context.update(
        {
            "saved": saved,
            "is_evidence": field.startswith("evidence-"),
            "flags": selectors.language_flags(saved.value) if field.startswith("evidence-") else [],
        }
    )
    # Rendered without the request's context processors: the fragment needs none, and they cost queries.
    response = HttpResponse(render_to_string("interviews/scorecard_edit.html#field-status", context))
    response["X-Scorecard-Version"] = str(saved.version)
    return response


@require_POST
def scorecard_amend(request: HtmxHttpRequest, scorecard_id: int) -> HttpResponse:
    card = _own_card(request, scorecard_id)
    try:
        services.scorecard_amend(scorecard_id=card.pk, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, "Scorecard reopened; the submitted text is kept in its history. Submit again when done.")
    return redirect("interviews:scorecard-edit", scorecard_id=card.pk)


@require_POST
def scorecard_withdraw(request: HtmxHttpRequest, scorecard_id: int) -> HttpResponse:
    card = _own_card(request, scorecard_id)
    try:
        services.scorecard_withdraw(scorecard_id=card.pk, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("interviews:scorecard-edit", scorecard_id=card.pk)
    messages.info(request, "Scorecard withdrawn: it no longer counts. Its text is kept in its history.")
    return redirect("interviews:my-interviews")
