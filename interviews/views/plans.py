"""The interview plan page of a job and its inline edits (HTMX, and plain forms without JavaScript)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from hiring.http import HtmxHttpRequest, render_page
from hiring.rules import jobs_visible_to
from interviews import rules, selectors, services
from interviews.forms import PromptsForm, StepForm
from interviews.models import InterviewPlan, InterviewStep


def _job(request: HtmxHttpRequest, job_id: int):
    return get_object_or_404(jobs_visible_to(user=request.user).select_related("template"), pk=job_id)


def _render(request: HtmxHttpRequest, job, *, errors: dict | None = None, status: int = 200) -> HttpResponse:
    context = {
        "job": job,
        "can_edit": rules.can_edit_plans(user=request.user),
        "errors": errors or {},
        "kinds": InterviewStep.Kind.choices,
        **selectors.plan_detail(job=job),
    }
    return render_page(request, "interviews/plan.html", context, fragment="plan", status=status)


def _done(request: HtmxHttpRequest, job) -> HttpResponse:
    if request.htmx:
        return _render(request, job)
    return redirect("interviews:plan", job_id=job.pk)


def _editable_plan(request: HtmxHttpRequest, job_id: int):
    job = _job(request, job_id)
    if not rules.can_edit_plans(user=request.user):
        raise Http404("No such plan.")
    plan = InterviewPlan.objects.filter(job=job).first()
    if plan is None:
        raise Http404("This job has no interview plan yet.")
    return job, plan


def _failed(request: HtmxHttpRequest, job, key: str, error: ValidationError) -> HttpResponse:
    """Re-render the plan with the messages next to what failed (the page itself without JavaScript)."""
    return _render(request, job, errors={key: error.messages}, status=422 if not request.htmx else 200)


@require_GET
def plan(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    return _render(request, _job(request, job_id))


@require_POST
def plan_create(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if not rules.can_edit_plans(user=request.user):
        raise Http404("No such plan.")
    services.plan_create_default(job=job)
    return _done(request, job)


@require_POST
def step_add(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    job, plan = _editable_plan(request, job_id)
    form = StepForm(request.POST, job=job)
    if not form.is_valid():
        return _failed(request, job, "add", ValidationError([e for errs in form.errors.values() for e in errs]))
    try:
        services.plan_step_add(plan=plan, **form.cleaned_data)
    except ValidationError as error:
        return _failed(request, job, "add", error)
    return _done(request, job)


@require_POST
def step_update(request: HtmxHttpRequest, job_id: int, step_id: int) -> HttpResponse:
    job, plan = _editable_plan(request, job_id)
    form = StepForm(request.POST, job=job)
    if not form.is_valid():
        messages = [f"{form.fields[name].label}: {e}" for name, errs in form.errors.items() for e in errs]
        return _failed(request, job, f"step-{step_id}", ValidationError(messages))
    try:
        services.plan_step_update(plan=plan, step_id=step_id, **form.cleaned_data)
    except ValidationError as error:
        return _failed(request, job, f"step-{step_id}", error)
    return _done(request, job)


@require_POST
def step_move(request: HtmxHttpRequest, job_id: int, step_id: int) -> HttpResponse:
    job, plan = _editable_plan(request, job_id)
    try:
        services.plan_step_move(plan=plan, step_id=step_id, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        return _failed(request, job, f"step-{step_id}", error)
    return _done(request, job)


@require_POST
def step_remove(request: HtmxHttpRequest, job_id: int, step_id: int) -> HttpResponse:
    job, plan = _editable_plan(request, job_id)
    try:
        services.plan_step_remove(plan=plan, step_id=step_id)
    except ValidationError as error:
        return _failed(request, job, f"step-{step_id}", error)
    return _done(request, job)


@require_POST
def competency_toggle(request: HtmxHttpRequest, job_id: int, step_id: int, competency_id: int) -> HttpResponse:
    job, plan = _editable_plan(request, job_id)
    try:
        services.plan_step_competency_toggle(plan=plan, step_id=step_id, competency_id=competency_id)
    except ValidationError as error:
        return _failed(request, job, f"step-{step_id}", error)
    return _done(request, job)


@require_POST
def prompts_update(request: HtmxHttpRequest, job_id: int, step_id: int, competency_id: int) -> HttpResponse:
    job, plan = _editable_plan(request, job_id)
    form = PromptsForm(request.POST)
    if not form.is_valid():
        return _failed(request, job, f"step-{step_id}", ValidationError(form.errors["prompts"]))
    try:
        services.plan_step_prompts_update(
            plan=plan, step_id=step_id, competency_id=competency_id, prompts=form.cleaned_data["prompts"]
        )
    except ValidationError as error:
        return _failed(request, job, f"step-{step_id}", error)
    return _done(request, job)
