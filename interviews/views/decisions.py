"""Recording the hiring decision of an application (hiring managers of the job and admins)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hiring.http import HtmxHttpRequest
from hiring.rules import applications_visible_to
from interviews import rules, selectors, services
from interviews.forms import DecisionForm
from interviews.selectors import decisions as decision_selectors
from roles.admin_kit import add_service_error


@require_http_methods(["GET", "POST"])
def decision(request: HtmxHttpRequest, application_id: int) -> HttpResponse:
    """The decision form beside what it may cite: the summary's points and the submitted scorecards.

    Without every required scorecard in, the form asks for a reason to decide now; a citation
    not offered here (another application's scorecard, a forged key) is a form error.
    """
    application = get_object_or_404(
        applications_visible_to(user=request.user).select_related("candidate", "job__template", "stage"),
        pk=application_id,
    )
    if not rules.can_record_decision(user=request.user, application=application):
        raise Http404("No such application.")
    visible = selectors.scorecards_visible_for(user=request.user, application_id=application.pk, sees_all=True)
    summary = selectors.application_summary(
        user=request.user, application=application, sees_all=True, scorecards=visible["scorecards"]
    )
    points = decision_selectors.citable_points(
        application_id=application.pk, content=summary["content"], scorecards=visible["scorecards"]
    )
    progress = decision_selectors.progress_of(visible["scorecards"])
    form = DecisionForm(request.POST if request.method == "POST" else None, points=points)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                recorded = services.decision_record(
                    application=application,
                    outcome=data["outcome"],
                    rationale=data["rationale"],
                    citations=data["citations"],
                    override_reason=data["override_reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Decision recorded: {recorded.get_outcome_display()}.")
                return redirect(
                    reverse("hiring:application-detail", args=[application.pk]) + f"#decision-{application.pk}"
                )
        status = 400
    context = {
        "application": application,
        "form": form,
        "points": {point.key: point for point in points},
        "progress": progress,
        "latest": decision_selectors.decision_for(application),
        "application_url": reverse("hiring:application-detail", args=[application.pk]),
        **summary,
    }
    return render(request, "interviews/decision.html", context, status=status)
