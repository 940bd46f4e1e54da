"""The feedback summary panel (HTMX fragment), the printable debrief and the weekly job digest."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hiring.http import HtmxHttpRequest
from hiring.models import Application
from hiring.rules import applications_visible_to, jobs_visible_to
from interviews import selectors
from interviews.rules import can_read_private_notes, can_see_all_feedback
from interviews.summaries import digest
from roles.cleaning import CleanInputMixin


def _application_with_feedback(request: HtmxHttpRequest, application_id: int) -> Application:
    """The application, if this user may read its summary; 404 otherwise (ids cannot be probed)."""
    application = get_object_or_404(
        applications_visible_to(user=request.user).select_related("job__template", "candidate", "stage"),
        pk=application_id,
    )
    if not can_see_all_feedback(user=request.user, application_id=application.pk):
        raise Http404("No such application.")
    return application


@require_GET
def application_summary(request: HtmxHttpRequest, application_id: int) -> HttpResponse:
    """The summary panel alone: polled by htmx every 2 s while a rebuild is pending."""
    application = _application_with_feedback(request, application_id)
    context = {"application": application, **selectors.application_summary(user=request.user, application=application)}
    context["on_debrief"] = request.GET.get("debrief") == "1"
    return render(request, "interviews/panels/application_summary.html#panel", context)


@require_GET
def debrief(request: HtmxHttpRequest, application_id: int) -> HttpResponse:
    """A printable page of the whole summary, with its sources."""
    application = _application_with_feedback(request, application_id)
    back_url = reverse("hiring:application-detail", args=[application.pk])
    context = {
        "application": application,
        "back_url": back_url,
        "hiring_decision": selectors.decision_for(application) if can_read_private_notes(user=request.user) else None,
        **selectors.application_summary(user=request.user, application=application),
    }
    return render(request, "interviews/debrief.html", context)


class DigestWeekForm(CleanInputMixin, forms.Form):
    week = forms.DateField(required=False, help_text="Any day of the week; the digest starts on its Monday.")


@require_GET
def job_digest(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    """The weekly digest of a job as a page: recruiters, admins and the job's hiring managers."""
    job = get_object_or_404(jobs_visible_to(user=request.user).select_related("template"), pk=job_id)
    form = DigestWeekForm(request.GET or None)
    status = 200
    week = digest.digest_week_start()
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["week"]:
                week = digest.digest_week_start(day=form.cleaned_data["week"])
        else:
            status = 400
    context = {"job": job, "form": form, **digest.job_digest(job=job, week=week)}
    return render(request, "interviews/digest.html", context, status=status)
