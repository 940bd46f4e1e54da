"""The application page and what a recruiter does from it: move, reject, reopen, tag.

Each action is a plain form (it works without JavaScript: success redirects back to the
page with a message, a refusal renders the page with the form's errors and a 4xx) that
htmx posts in place: the answer is the page's ``workspace`` fragment (status, actions,
stage history) with the header badges and the activity timeline swapped out of band.
Permissions come from ``hiring/rules.py`` (``manage_pipeline_obj`` on the job); ids come
from the choices the page offered, so another job's stage is a form error, not a move.
"""

import rules
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from hiring import services
from hiring.blind import Identity, candidate_label
from hiring.forms import (
    ApplicationMoveForm,
    ApplicationRejectForm,
    ApplicationReopenForm,
    ApplicationTagForm,
    NoteForm,
)
from hiring.http import HtmxHttpRequest
from hiring.models import Application, EmailTemplate, RejectionReason, Stage
from hiring.rules import applications_visible_to, can_reveal_identity, sees_identity
from hiring.selectors import candidates as candidate_selectors
from hiring.selectors import emails as email_selectors
from hiring.selectors.timeline import candidate_timeline


def can(user, perm: str, obj=None) -> bool:
    """A permission of ``hiring/rules.py`` (asked of rules directly: no model-permission queries)."""
    return rules.has_perm(perm, user, obj)


def _page(request: HtmxHttpRequest, pk: int) -> Application:
    application = candidate_selectors.application_page(user=request.user, application_id=pk)
    if application is None:
        raise Http404("No such application.")
    return application


def _context(request: HtmxHttpRequest, application: Application, **forms_and_notices) -> dict:
    """Everything the application page shows, reusing the rows it loaded (a fixed number of queries)."""
    user = request.user
    candidate = application.candidate
    private = can(user, "hiring.view_candidate_private")
    can_act = can(user, "hiring.manage_pipeline_obj", application.job)
    changes = list(application.stage_changes.all())
    notes = [
        note
        for note in candidate_selectors.candidate_notes(user=user, candidate=candidate)
        if note.application_id in (None, application.pk)
    ]
    note_form = NoteForm(initial={"application": application.pk})
    # A hidden field: the note is about this application (the service checks it), no select to fill.
    note_form.fields["application"].widget = forms.HiddenInput()
    actions = candidate_selectors.application_actions(application=application) if private else None
    version = {"version": application.version}
    shown = sees_identity(user, application)  # blind review
    context = {
        "application": application,
        "candidate": candidate,
        "who": Identity(hidden=not shown, name=candidate.full_name if shown else candidate_label(application.pk)),
        "can_reveal": can_reveal_identity(user, application),
        "stage_changes": changes,
        "can_view_private": private,
        "can_write_notes": can(user, "hiring.write_candidate_notes"),
        "can_act": can_act,
        "actions": actions,
        "notes": notes,
        "note_form": note_form,
        "note_url": reverse("hiring:candidate-note-add", args=[candidate.pk]),
        "timeline": candidate_timeline(
            user=user,
            candidate=candidate,
            application_id=application.pk,
            visible_application_ids=[application.pk],
            stage_changes=changes if private else None,
            notes=notes if private else None,
            resumes=candidate.resume_list,
            hide_file_names=not shown,
            emails=email_selectors.application_email_list(application=application) if private else None,
        ),
        "timeline_application": application.pk,
        "workspace_url": reverse("hiring:application-detail", args=[application.pk]),
    }
    if can_act and actions is not None:
        context.update(
            move_form=ApplicationMoveForm(initial=version, stages=actions.stages),
            reject_form=ApplicationRejectForm(
                initial=version, reasons=actions.reasons, email_templates=actions.email_templates
            ),
            reopen_form=ApplicationReopenForm(initial=version),
            tag_form=ApplicationTagForm(),
        )
    if private:
        context["submission"] = getattr(application, "submission", None)
    context.update(forms_and_notices)
    return context


@require_GET
def application_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application = _page(request, pk)
    return render(request, "hiring/application_detail.html", _context(request, application))


def _answer(
    request: HtmxHttpRequest, pk: int, *, notice: str, level: str = "success", status: int = 200, **forms_
) -> HttpResponse:
    """Success without JavaScript: back to the page with a message. Otherwise the page (or, for
    htmx, its workspace with the badges and the timeline out of band) showing the current state."""
    url = reverse("hiring:application-detail", args=[pk])
    if status == 200 and not request.htmx:
        messages.success(request, notice)
        return HttpResponseRedirect(url)
    application = _page(request, pk)
    context = _context(request, application, notice=notice, notice_level=level, **forms_)
    if not request.htmx:
        return render(request, "hiring/application_detail.html", context, status=status)
    context["oob"] = True
    parts = [
        render_to_string(f"hiring/application_detail.html#{name}", context, request=request)
        for name in ("workspace", "status-badges")
    ]
    context["timeline_oob"] = True
    parts.append(render_to_string("hiring/candidate_detail.html#timeline", context, request=request))
    # htmx swaps 2xx answers only: a refusal comes back as 200 with the errors in place.
    return HttpResponse("".join(parts))


def _acting_on(request: HtmxHttpRequest, pk: int) -> tuple[Application, object]:
    """The application (visible to the user, else 404) and the page's choices; 404 without the right to act."""
    application = (
        applications_visible_to(user=request.user).select_related("job", "candidate", "stage").filter(pk=pk).first()
    )
    if application is None or not can(request.user, "hiring.manage_pipeline_obj", application.job):
        raise Http404("No such application.")
    return application, candidate_selectors.application_actions(application=application)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_POST
def application_stage(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application, actions = _acting_on(request, pk)
    form = ApplicationMoveForm(request.POST, stages=actions.stages)
    if not form.is_valid():
        return _answer(
            request, pk, notice="Choose one of this job's stages.", level="danger", status=400, move_form=form
        )
    to_stage = Stage.objects.filter(pk=form.cleaned_data["to_stage"], job_id=application.job_id).first()
    if to_stage is None:
        return _answer(request, pk, notice="That stage was just removed.", level="danger", status=400)
    try:
        moved = services.application_move(
            application=application,
            to_stage=to_stage,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except services.MoveConflict as conflict:
        return _answer(request, pk, notice=conflict.message, level="warning", status=409)
    except ValidationError as error:
        return _answer(request, pk, notice=_errors(error), level="danger", status=400)
    return _answer(request, pk, notice=f"{moved.candidate.full_name} moved to {to_stage.name}.")


@require_POST
def application_reject(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application, actions = _acting_on(request, pk)
    form = ApplicationRejectForm(request.POST, reasons=actions.reasons, email_templates=actions.email_templates)
    if not form.is_valid():
        return _answer(request, pk, notice="Choose a rejection reason.", level="danger", status=400, reject_form=form)
    data = form.cleaned_data
    template = EmailTemplate.objects.filter(pk=data["email_template"]).first() if data["email_template"] else None
    reason = RejectionReason.objects.filter(pk=data["reason"]).first()
    if reason is None or (data["email_template"] and template is None):
        return _answer(request, pk, notice="That choice was just removed.", level="danger", status=400)
    try:
        rejected = services.application_reject(
            application=application,
            reason=reason,
            actor=request.user,
            email_template=template,
            expected_version=data["version"],
        )
    except services.MoveConflict as conflict:
        return _answer(request, pk, notice=conflict.message, level="warning", status=409)
    except ValidationError as error:
        return _answer(request, pk, notice=_errors(error), level="danger", status=400)
    text = f"{rejected.candidate.full_name} was rejected ({rejected.rejection_reason.name})."
    if template is not None:
        text += " The email goes out in the background."
    return _answer(request, pk, notice=text)


@require_POST
def application_reopen(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application, _actions = _acting_on(request, pk)
    form = ApplicationReopenForm(request.POST)
    if not form.is_valid():
        return _answer(request, pk, notice="Check the form.", level="danger", status=400, reopen_form=form)
    try:
        reopened = services.application_reopen(
            application=application,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except services.MoveConflict as conflict:
        return _answer(request, pk, notice=conflict.message, level="warning", status=409)
    except ValidationError as error:
        return _answer(request, pk, notice=_errors(error), level="danger", status=400)
    return _answer(request, pk, notice=f"{reopened.candidate.full_name} is back in {reopened.stage.name}.")


@require_POST
def application_tag(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application, _actions = _acting_on(request, pk)
    form = ApplicationTagForm(request.POST)
    if not form.is_valid():
        return _answer(request, pk, notice="Type the tag to add.", level="danger", status=400, tag_form=form)
    try:
        tag = services.application_tag(application=application, tag=form.cleaned_data["tag"], actor=request.user)
    except ValidationError as error:
        return _answer(request, pk, notice=_errors(error), level="danger", status=400)
    return _answer(request, pk, notice=f"Tagged “{tag.name}”.")
