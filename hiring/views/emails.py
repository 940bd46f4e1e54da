"""Writing to a candidate from the application page: compose (from a template), preview, send
with an undo window, undo. Works without JavaScript: plain forms and redirects."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hiring.forms.offers import EmailComposeForm
from hiring.http import HtmxHttpRequest
from hiring.models import Application, CandidateEmail
from hiring.rules import applications_visible_to
from hiring.selectors.emails import email_preview
from hiring.services import emails as email_services


def _writable_application(request: HtmxHttpRequest, pk: int) -> Application:
    application = applications_visible_to(user=request.user).select_related("candidate", "job").filter(pk=pk).first()
    if (
        application is None
        or not rules.has_perm("hiring.view_candidate_private", request.user)
        or not rules.has_perm("hiring.email_candidates_obj", request.user, application.job)
    ):
        raise Http404("No such application.")
    return application


@require_http_methods(["GET", "POST"])
def email_compose(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: the form. POST ``step=preview``: the filled-in email. POST ``step=send``: queue it."""
    application = _writable_application(request, pk)
    preview = None
    status = 200
    if request.method == "POST":
        form = EmailComposeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if request.POST.get("step") == "send":
                try:
                    email = email_services.candidate_email_send(
                        application=application,
                        sender=request.user,
                        subject=data["subject"],
                        body=data["body"],
                        template=data["template"],
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                    status = 400
                else:
                    messages.success(request, f"Sending “{email.subject}” in a few seconds; undo it below until then.")
                    return redirect("hiring:application-detail", pk=application.pk)
            elif request.POST.get("step") != "edit":
                preview = email_preview(
                    application=application, sender=request.user, subject=data["subject"], body=data["body"]
                )
        else:
            status = 400
    else:
        form = EmailComposeForm()
    context = {"form": form, "application": application, "preview": preview}
    return render(request, "hiring/emails/compose.html", context, status=status)


@require_POST
def email_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    email = CandidateEmail.objects.select_related("application__job").filter(pk=pk).first()
    if email is None:
        raise Http404("No such email.")
    application = _writable_application(request, email.application_id)
    try:
        email_services.candidate_email_undo(email=email, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Undone: “{email.subject}” was not sent.")
    return redirect("hiring:application-detail", pk=application.pk)
