"""Scheduling an interview, the interview kit and the feedback of an application."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hiring.http import HtmxHttpRequest, render_page
from hiring.rules import applications_visible_to
from interviews import rules, selectors, services
from interviews.forms import ScheduleForm
from interviews.models import InterviewStep
from roles.admin_kit import add_service_error
from roles.scale import Rating


def _application(request: HtmxHttpRequest, application_id: int):
    return get_object_or_404(
        applications_visible_to(user=request.user).select_related("candidate", "job"), pk=application_id
    )


@require_http_methods(["GET", "POST"])
def schedule(request: HtmxHttpRequest, application_id: int) -> HttpResponse:
    application = _application(request, application_id)
    if not rules.can_schedule(user=request.user, application=application):
        raise Http404("No such application.")
    steps = InterviewStep.objects.filter(plan__job=application.job).order_by("order", "id")
    people = selectors.interviewer_choices(job=application.job)
    form = ScheduleForm(request.POST or None, steps=steps, people=people, initial=_from_step(request, steps))
    status = 200
    overlaps: list = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            overlaps = selectors.interviewer_overlaps(
                interviewer_ids=[person.pk for person in data["interviewers"]],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
        if form.is_valid() and overlaps and not form.cleaned_data["confirm_overlaps"]:
            # Shown, not refused: the recruiter confirms (or changes the time or the people).
            context = {"application": application, "form": form, "has_steps": True, "overlaps": overlaps}
            return render_page(request, "interviews/schedule.html", context, fragment="schedule-form", status=409)
        if form.is_valid():
            data = form.cleaned_data
            try:
                interview = services.interview_schedule(
                    application=application,
                    step=data["step"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    interviewers=data["interviewers"],
                    location=data["location"],
                    video_url=data["video_url"],
                    created_by=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Interview scheduled. Each interviewer gets an invitation by email.")
                return redirect("interviews:kit", interview_id=interview.pk)
        status = 422
    context = {"application": application, "form": form, "has_steps": steps.exists()}
    return render_page(request, "interviews/schedule.html", context, fragment="schedule-form", status=status)


@require_GET
def schedule_overlaps(request: HtmxHttpRequest, application_id: int) -> HttpResponse:
    """The chosen interviewers' interviews that overlap the chosen time, while the form is filled in
    (htmx, on every change). Incomplete input shows nothing; the booking itself checks again."""
    application = _application(request, application_id)
    if not rules.can_schedule(user=request.user, application=application):
        raise Http404("No such application.")
    steps = InterviewStep.objects.filter(plan__job=application.job).order_by("order", "id")
    form = ScheduleForm(request.GET, steps=steps, people=selectors.interviewer_choices(job=application.job))
    form.is_valid()
    data = form.cleaned_data
    overlaps = []
    if data.get("interviewers") and data.get("ends_at"):
        overlaps = selectors.interviewer_overlaps(
            interviewer_ids=[person.pk for person in data["interviewers"]],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
        )
    return render(
        request, "interviews/schedule.html#overlaps-live", {"overlaps": overlaps, "checked": bool(data.get("ends_at"))}
    )


def _from_step(request: HtmxHttpRequest, steps) -> dict:
    """The form pre-filled from the plan step a link named (``?step=<id>``): the step and its length.
    An id that is not a step of this job's plan is ignored."""
    try:
        step_id = int(request.GET.get("step", ""))
    except ValueError:
        return {}
    step = next((step for step in steps if step.pk == step_id), None)
    if step is None:
        return {}
    return {"step": step.pk, "duration_minutes": step.duration_minutes}


@require_GET
def kit(request: HtmxHttpRequest, interview_id: int) -> HttpResponse:
    interview = selectors.interview_for_kit(user=request.user, interview_id=interview_id)
    if interview is None:
        raise Http404("No such interview.")
    return render(request, "interviews/kit.html", {"interview": interview, "levels": Rating.choices})


@require_GET
def feedback(request: HtmxHttpRequest, application_id: int) -> HttpResponse:
    """Every scorecard of an application this user may read (independent feedback enforced)."""
    application = _application(request, application_id)
    context = {"application": application, **selectors.application_feedback(user=request.user, application=application)}
    return render_page(request, "interviews/feedback.html", context, fragment="feedback")


@require_GET
def feedback_export(request: HtmxHttpRequest, application_id: int) -> HttpResponse:
    """The same scorecards as a CSV file: one row per competency rating."""
    application = _application(request, application_id)
    visible = selectors.scorecards_visible_for(user=request.user, application_id=application.pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feedback-{application.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["interview", "interviewer", "status", "overall", "competency", "rating", "evidence"])
    labels = dict(Rating.choices)
    for card in visible["scorecards"]:
        overall = labels.get(card.overall_recommendation, "")
        for rating in card.ratings.all():
            value = "Not assessed" if rating.not_assessed else labels.get(rating.rating, "")
            writer.writerow(
                [
                    card.interview.step.name,
                    card.interviewer.display_name,
                    card.get_status_display(),
                    overall,
                    rating.name,
                    value,
                    _csv_safe(rating.evidence),
                ]
            )
    return response


def _csv_safe(text: str) -> str:
    """Stop spreadsheet programs from reading evidence as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
