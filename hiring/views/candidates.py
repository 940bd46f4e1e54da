"""Candidate screens: list and search, add, profile, application page, notes, résumés.

Thin views: check permission (``hiring/rules.py``, its visibility querysets)
-> validate a form -> call a service or selector -> render the page or its HTMX fragment.
Anything a user may not see answers 404.
"""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from hiring.forms import ApplyForm, CandidateFilterForm, CandidateForm, NoteForm, ResumeForm
from hiring.http import HtmxHttpRequest, fragment_response, redirect_next, render_page, wants_fragment
from hiring.models import Candidate, Job, Resume
from hiring.rules import (
    applications_blind_to,
    applications_visible_to,
    can_reveal_identity,
    candidates_visible_to,
    jobs_visible_to,
    sees_candidate_identity,
)
from hiring.selectors import candidates as candidate_selectors
from hiring.selectors.timeline import candidate_timeline
from hiring.services import blind as blind_services
from hiring.services import candidates as candidate_services
from hiring.services import privacy as privacy_services
from hiring.services import resumes as resume_services
from roles import fragments


def can(user, perm: str) -> bool:
    """A permission of ``hiring/rules.py`` (asked of rules directly: no model-permission queries)."""
    return rules.has_perm(perm, user)


def _require(request: HtmxHttpRequest, perm: str) -> None:
    if not can(request.user, perm):
        raise Http404("No such page.")


def _visible_candidate(request: HtmxHttpRequest, pk: int) -> Candidate:
    candidate = candidates_visible_to(user=request.user).filter(pk=pk).first()
    if candidate is None:
        raise Http404("No such candidate.")
    return candidate


@require_GET
def candidate_list(request: HtmxHttpRequest) -> HttpResponse:
    _require(request, "hiring.list_candidates")
    filters = CandidateFilterForm(request.GET).filters()
    fragment = wants_fragment(request)
    template = "hiring/candidate_list.html"

    def render_parts() -> dict[str, str]:
        context = _list_context(request, filters, fragment=fragment)
        parts = {"results": render_to_string(f"{template}#results", context, request=request)}
        if not fragment:
            parts["filters"] = render_to_string(f"{template}#filter-form", context, request=request)
        return parts

    # The filter form and the results: rendered once per viewer, query and data generation.
    name = "candidate-results" if fragment else "candidate-list"
    parts = fragments.cached(request, name, (request.get_full_path(),), render_parts)
    if fragment:
        return fragment_response(parts["results"])
    return render_page(
        request, template, {"cached": parts, "can_create": can(request.user, "hiring.create_candidates")}
    )


def _list_context(request: HtmxHttpRequest, filters: dict, *, fragment: bool) -> dict:
    result = candidate_selectors.candidate_list(user=request.user, **filters)
    context = {"page": result.page, "filters": filters}
    if result.page.object_list:
        context.update(candidate_selectors.bulk_action_choices())
    if fragment:
        context["bulk_stages"] = (
            candidate_selectors.job_stages(user=request.user, job_id=filters["job"])
            if filters.get("job") and result.page.object_list
            else []
        )
        return context
    options = candidate_selectors.candidate_list_options(user=request.user)
    selected = next((entry for entry in options["jobs"] if entry["job"].pk == filters.get("job")), None)
    context.update(options=options, bulk_stages=selected["stages"] if selected else [])
    return context


def candidate_create(request: HtmxHttpRequest) -> HttpResponse:
    """Add a candidate; a match on email or phone proposes the existing record instead."""
    _require(request, "hiring.create_candidates")
    jobs = jobs_visible_to(user=request.user).filter(status=Job.Status.OPEN).order_by("title")
    form = CandidateForm(request.POST or None, jobs=jobs)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("use_existing"):
                candidate = _visible_candidate(request, _int(request.POST["use_existing"]))
                if data["job"] is not None:
                    candidate_services.application_create(
                        candidate=candidate, job=data["job"], actor=request.user, source=data["source"]
                    )
                messages.success(request, f"Kept the existing record of {candidate.full_name}.")
                return redirect("hiring:candidate-detail", pk=candidate.pk)
            candidate = candidate_services.candidate_create(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                location=data["location"],
                links=data["links"],
                source=data["source"],
                tags=data["tags"],
                consent_at=data["consent_at"],
                job=data["job"],
                actor=request.user,
                allow_phone_duplicate=request.POST.get("confirm_duplicate") == "phone",
            )
        except candidate_services.DuplicateCandidate as error:
            duplicate = error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{candidate.full_name} was added.")
            return redirect("hiring:candidate-detail", pk=candidate.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "hiring/candidate_form.html", {"form": form, "duplicate": duplicate}, status=status)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such candidate.") from None


def _profile_context(request: HtmxHttpRequest, candidate: Candidate, **forms) -> dict:
    user = request.user
    applications = candidate.visible_applications
    return {
        "candidate": candidate,
        "applications": applications,
        "can_view_private": can(user, "hiring.view_candidate_private"),
        "can_write_notes": can(user, "hiring.write_candidate_notes"),
        "can_upload": can(user, "hiring.upload_resumes"),
        "can_apply": can(user, "hiring.apply_candidates"),
        "can_edit": can(user, "hiring.edit_candidates"),
        "can_merge": can(user, "hiring.merge_candidates"),
        "notes": candidate_selectors.candidate_notes(user=user, candidate=candidate),
        "timeline": candidate_timeline(
            user=user,
            candidate=candidate,
            visible_application_ids=[application.pk for application in applications],
            hide_file_names=not sees_candidate_identity(user, applications),
        ),
        "note_form": forms.get("note_form")
        or NoteForm(applications=applications_visible_to(user=user).filter(candidate=candidate)),
        "resume_form": forms.get("resume_form") or ResumeForm(),
        "apply_jobs": list(
            jobs_visible_to(user=user)
            .filter(status=Job.Status.OPEN)
            .exclude(pk__in=[application.job_id for application in applications])
            .order_by("title")
        )
        if can(user, "hiring.apply_candidates")
        else [],
        "note_url": reverse("hiring:candidate-note-add", args=[candidate.pk]),
    }


@require_GET
def candidate_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    if not candidates_visible_to(user=request.user).filter(pk=pk).exists():
        survivor = candidate_selectors.merged_target(user=request.user, candidate_id=pk)
        if survivor is not None:  # a merged duplicate: its links lead to the record it was merged into
            return redirect("hiring:candidate-detail", pk=survivor.pk)
        raise Http404("No such candidate.")
    template = "hiring/candidate_detail.html"

    def render_parts() -> dict[str, str] | None:
        candidate = candidate_selectors.candidate_profile(user=request.user, candidate_id=pk)
        if candidate is None:  # gone since the check above
            return None
        context = _profile_context(request, candidate)
        return {
            "title": render_to_string(f"{template}#title", context, request=request),
            "content": render_to_string(f"{template}#content", context, request=request),
        }

    # The profile as this viewer sees it: rendered once per data generation (roles/fragments.py).
    parts = fragments.cached(request, "candidate-profile", (pk,), render_parts)
    if parts is None:
        raise Http404("No such candidate.")
    return render(request, template, {"cached": parts})


@require_GET
def candidate_resumes(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The résumé panel alone: polled while a résumé's text is being extracted."""
    candidate = candidate_selectors.candidate_profile(user=request.user, candidate_id=pk)
    if candidate is None:
        raise Http404("No such candidate.")
    context = {
        "candidate": candidate,
        "applications": candidate.visible_applications,
        "resume_form": ResumeForm(),
        "can_upload": can(request.user, "hiring.upload_resumes"),
    }
    return render(request, "hiring/candidate_detail.html#resumes", context)


@require_POST
def candidate_note_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _require(request, "hiring.write_candidate_notes")
    candidate = _visible_candidate(request, pk)
    applications = applications_visible_to(user=request.user).filter(candidate=candidate)
    form = NoteForm(request.POST, applications=applications)
    if form.is_valid():
        try:
            candidate_services.note_create(
                candidate=candidate,
                author=request.user,
                body=form.cleaned_data["body"],
                application=form.cleaned_data["application"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = NoteForm(applications=applications, initial={"application": form.cleaned_data["application"]})
            if not request.htmx:
                messages.success(request, "Note added.")
                return redirect_next(request, reverse("hiring:candidate-detail", args=[candidate.pk]))
    if not request.htmx and form.errors:
        profile = candidate_selectors.candidate_profile(user=request.user, candidate_id=candidate.pk)
        return render(
            request, "hiring/candidate_detail.html", _profile_context(request, profile, note_form=form), status=400
        )
    # The notes panel, and (out of band) the activity timeline that now lists the new note.
    timeline_application = applications.filter(pk=_int_or_none(request.POST.get("timeline_application"))).first()
    notes = candidate_selectors.candidate_notes(user=request.user, candidate=candidate)
    if timeline_application is not None:
        notes = [note for note in notes if note.application_id in (None, timeline_application.pk)]
    context = {
        "candidate": candidate,
        "notes": notes,
        "note_form": form,
        "can_write_notes": True,
        "note_url": reverse("hiring:candidate-note-add", args=[candidate.pk]),
        "timeline_application": timeline_application.pk if timeline_application else None,
        "timeline": candidate_timeline(
            user=request.user,
            candidate=candidate,
            application_id=timeline_application.pk if timeline_application else None,
            hide_file_names=applications_blind_to(user=request.user).filter(candidate=candidate).exists(),
        ),
        "timeline_oob": True,
    }
    notes_html = render_to_string("hiring/candidate_detail.html#notes", context, request=request)
    timeline_html = render_to_string("hiring/candidate_detail.html#timeline", context, request=request)
    return HttpResponse(notes_html + timeline_html)


@require_POST
def candidate_resume_upload(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _require(request, "hiring.upload_resumes")
    candidate = _visible_candidate(request, pk)
    form = ResumeForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            resume_services.resume_upload(candidate=candidate, file=form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            form = ResumeForm()
            if not request.htmx:
                messages.success(request, "Résumé uploaded; its text is being read.")
                return redirect("hiring:candidate-detail", pk=candidate.pk)
    profile = candidate_selectors.candidate_profile(user=request.user, candidate_id=candidate.pk)
    if not request.htmx:
        return render(
            request, "hiring/candidate_detail.html", _profile_context(request, profile, resume_form=form), status=400
        )
    context = {"candidate": profile, "resume_form": form, "can_upload": True}
    return render(request, "hiring/candidate_detail.html#resumes", context)


@require_GET
def resume_download(request: HtmxHttpRequest, pk: int) -> FileResponse:
    resume = (
        Resume.objects.filter(pk=pk, candidate__in=candidates_visible_to(user=request.user))
        .select_related("candidate")
        .first()
    )
    if resume is None:
        raise Http404("No such résumé.")
    if not sees_candidate_identity(
        request.user,
        applications_visible_to(user=request.user).filter(candidate=resume.candidate).select_related("job"),
    ):
        raise Http404("Blind review: the résumé file is not shown; its masked text is on the page.")
    try:
        handle = resume.file.open("rb")
    except OSError:
        raise Http404("The file is missing.") from None
    privacy_services.resume_download_record(resume=resume)
    return FileResponse(
        handle, as_attachment=True, filename=resume.file.name.rsplit("/", 1)[-1], content_type=resume.content_type
    )


@require_POST
def candidate_apply(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _require(request, "hiring.apply_candidates")
    candidate = _visible_candidate(request, pk)
    form = ApplyForm(request.POST, jobs=jobs_visible_to(user=request.user).filter(status=Job.Status.OPEN))
    if form.is_valid():
        try:
            candidate_services.application_create(candidate=candidate, job=form.cleaned_data["job"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{candidate.full_name} now applies to {form.cleaned_data['job'].title}.")
    else:
        messages.error(request, "Choose an open job.")
    return redirect("hiring:candidate-detail", pk=candidate.pk)


@require_POST
def application_reveal(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Blind review: a hiring manager reveals the candidate after the debrief (recorded)."""
    application = applications_visible_to(user=request.user).select_related("job").filter(pk=pk).first()
    if application is None or not can_reveal_identity(request.user, application):
        raise Http404("Nothing to reveal here.")
    blind_services.identity_reveal(application=application, user=request.user)
    messages.success(request, "The candidate is revealed; the reveal is recorded.")
    return redirect("hiring:application-detail", pk=application.pk)
