"""Editing a candidate's record and merging two records of one person (recruiters and admins)."""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hiring import services
from hiring.forms import CandidateEditForm, CandidateMergeForm
from hiring.http import HtmxHttpRequest
from hiring.models import Candidate
from hiring.rules import candidates_visible_to
from hiring.selectors import candidates as candidate_selectors
from roles.admin_kit import add_service_error


def _require(request: HtmxHttpRequest, perm: str) -> None:
    if not rules.has_perm(perm, request.user):
        raise Http404("No such page.")


def _candidate(request: HtmxHttpRequest, pk: int) -> Candidate:
    candidate = candidates_visible_to(user=request.user).prefetch_related("tags").filter(pk=pk).first()
    if candidate is None:
        raise Http404("No such candidate.")
    return candidate


@require_http_methods(["GET", "POST"])
def candidate_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Contact details, links, source and tags; saved only over the version the form was loaded with."""
    _require(request, "hiring.edit_candidates")
    candidate = _candidate(request, pk)
    form = CandidateEditForm(
        request.POST if request.method == "POST" else None, initial=CandidateEditForm.initial_for(candidate)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.candidate_edit(
                candidate=candidate,
                expected_version=data["version"],
                tags=data["tags"],
                **{name: data[name] for name in ("first_name", "last_name", "email", "phone", "location", "links")},
                source=data["source"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{candidate.full_name}'s record was saved.")
            return redirect("hiring:candidate-detail", pk=candidate.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "hiring/candidate_edit.html", {"candidate": candidate, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def candidate_merge(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Find the duplicate, compare the two records field by field, pick each value, merge.

    GET ``?q=``: records matching a search; GET ``?other=<id>``: the comparison. POST merges the
    other record into this one (this one survives). Merging a record into itself, or a change to
    either record since the comparison, is answered with the form and its message; nothing is written.
    """
    _require(request, "hiring.merge_candidates")
    survivor = _candidate(request, pk)
    fields = services.MERGE_FIELDS
    source = request.POST if request.method == "POST" else request.GET
    other_id = _int(source.get("other"))
    other = None
    if other_id is not None:
        other = _candidate(request, other_id)
    form = CandidateMergeForm(
        request.POST if request.method == "POST" else None,
        fields=fields,
        initial={
            "other": other.pk if other else None,
            "survivor_version": survivor.version,
            "other_version": other.version if other else None,
            **{
                f"pick_{name}": "other" if other and _empty(survivor, name) and not _empty(other, name) else "this"
                for name in fields
            },
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        valid = form.is_valid()
        if other is None:
            form.add_error(None, "Choose the duplicate to merge into this record.")
        elif valid:
            try:
                merged = services.candidate_merge(
                    survivor=survivor,
                    other=other,
                    survivor_version=form.cleaned_data["survivor_version"],
                    other_version=form.cleaned_data["other_version"],
                    take_from_other=form.take_from_other(),
                    actor=request.user,
                )
            except services.CandidateConflict as conflict:
                form.add_error(None, conflict)
                status = 409
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Merged {other.full_name} (#{other.pk}) into this record.")
                return redirect("hiring:candidate-detail", pk=merged.pk)
    query = (request.GET.get("q") or "").strip()[:200]
    matches = []
    if query and other is None:
        result = candidate_selectors.candidate_list(user=request.user, q=query, page_size=10)
        matches = [match for match in result.page.object_list if match.pk != survivor.pk]
    context = {
        "candidate": survivor,
        "other": other,
        "form": form,
        "rows": [
            (
                name,
                LABELS.get(name, name),
                _shown(getattr(survivor, name)),
                _shown(getattr(other, name)) if other else "",
                form[f"pick_{name}"],
            )
            for name in fields
        ],
        "query": query,
        "matches": matches,
        "other_counts": candidate_selectors.candidate_record_counts(candidate=other) if other else None,
    }
    return render(request, "hiring/candidate_merge.html", context, status=status)


LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
    "location": "Location",
    "links": "Links",
    "source": "Source",
    "consent_at": "Consent given",
}


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d %b %Y")
    return value or ""


def _empty(candidate: Candidate, name: str) -> bool:
    return getattr(candidate, name) in ("", None, [])


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None
