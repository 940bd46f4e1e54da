"""Jobs: the list with counts per stage, opening a job from a template, its page, team and stages."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hiring import extensions, selectors, services
from hiring import rules as hiring_rules
from hiring.forms import JobCreateForm, JobForm, StageForm, StageMoveForm, TeamMemberForm
from hiring.http import HtmxHttpRequest, render_page
from hiring.models import HiringTeamMember, Job, Stage
from hiring.selectors import careers as careers_selectors

JOBS_PER_PAGE = 50


@login_not_required
@require_GET
def healthz(request: HtmxHttpRequest) -> HttpResponse:
    """A plain answer for load balancers (and the benchmark's hello-world line): public."""
    return HttpResponse("ok", content_type="text/plain")


def home(request: HtmxHttpRequest) -> HttpResponse:
    """Send each role to the page it starts its day on."""
    user = request.user
    if hiring_rules.is_admin(user):
        return render(request, "hiring/home_admin.html", {"jobs": selectors.job_list(user=user)[:10]})
    if rules.has_perm("hiring.manage_jobs", user):
        return redirect("interviews:dashboard")
    if hiring_rules.is_hiring_manager(user):
        context = {"needs_decision": extensions.decisions_needed(user=user), "jobs": selectors.job_list(user=user)[:10]}
        return render(request, "hiring/home_manager.html", context)
    if rules.has_perm("hiring.access_recruiting", user):
        return redirect("hiring:job-list")
    if hiring_rules.is_interviewer(user):
        return redirect("interviews:my-interviews")
    return render(request, "hiring/home_no_role.html")


def _flash(request: HtmxHttpRequest, text: str) -> None:
    """A success message for full-page answers; HTMX fragments show the change itself."""
    if not request.htmx:
        messages.success(request, text)


def _require(request: HtmxHttpRequest, perm: str, obj=None) -> None:
    """Forbidden or unknown answers 404, so ids cannot be probed."""
    if not request.user.has_perm(perm, obj):
        raise Http404("No such page.")


@require_GET
def job_list(request: HtmxHttpRequest) -> HttpResponse:
    _require(request, "hiring.access_recruiting")
    status = request.GET.get("status", "")
    if status not in Job.Status.values:
        status = ""
    page = Paginator(selectors.job_list_filtered(user=request.user, status=status), JOBS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "jobs": selectors.jobs_with_stage_counts(jobs=list(page.object_list)),
        "status": status,
        "statuses": Job.Status.choices,
        "can_create": request.user.has_perm("hiring.manage_jobs"),
    }
    return render_page(request, "hiring/job_list.html", context, fragment="job-table")


@require_http_methods(["GET", "POST"])
def job_create(request: HtmxHttpRequest) -> HttpResponse:
    _require(request, "hiring.manage_jobs")
    form = JobCreateForm(
        request.POST or None, initial={"template": request.GET.get("template"), "recruiters": [request.user.pk]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_create(
                template=form.cleaned_data["template"],
                created_by=request.user,
                team=form.team(),
                **form.job_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Job “{job.title}” opened with its default stages and interview plan.")
            return redirect("hiring:job-detail", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "hiring/job_form.html", {"form": form, "job": None}, status=status)


def _job_page_context(request: HtmxHttpRequest, job: Job, **extra) -> dict:
    can_manage = request.user.has_perm("hiring.manage_jobs")
    return {
        "job": job,
        "can_manage": can_manage,
        "can_move": request.user.has_perm("hiring.manage_pipeline_obj", job),
        "job_links": extensions.job_links(user=request.user, job=job),
        "stage_form": extra.pop("stage_form", None) or StageForm(),
        "team_form": extra.pop("team_form", None) or (TeamMemberForm() if can_manage else None),
        **extra,
    }


@require_GET
def job_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _require(request, "hiring.access_recruiting")
    job = selectors.job_detail(user=request.user, pk=pk)
    careers = {
        "careers_posting": careers_selectors.posting_for_job(job=job),
        "by_source": careers_selectors.job_applications_by_source(job=job),
    }
    return render(request, "hiring/job_detail.html", _job_page_context(request, job, **careers))


@require_http_methods(["GET", "POST"])
def job_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _require(request, "hiring.manage_jobs")
    job = selectors.job_get(user=request.user, pk=pk)
    form = JobForm(request.POST or None, instance=job)
    if request.method == "POST" and form.is_valid():
        try:
            services.job_update(job=job, **{name: form.cleaned_data[name] for name in JobForm.Meta.fields})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Job details saved.")
            return redirect("hiring:job-detail", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "hiring/job_form.html", {"form": form, "job": job}, status=status)


def _fragment_or_redirect(request: HtmxHttpRequest, job_pk: int, fragment: str, status: int = 200, **extra):
    """After a stage/team change: the updated fragment for HTMX, else back to the job page."""
    if request.htmx or status != 200:
        job = selectors.job_detail(user=request.user, pk=job_pk)
        # A failed HTMX POST still swaps (200) so the error shows in place; without JS it is a 400.
        context = _job_page_context(request, job, **extra)
        return render_page(
            request, "hiring/job_detail.html", context, fragment=fragment, status=200 if request.htmx else status
        )
    return redirect("hiring:job-detail", pk=job_pk)


@require_POST
def team_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _require(request, "hiring.manage_jobs")
    job = selectors.job_get(user=request.user, pk=pk)
    form = TeamMemberForm(request.POST)
    if not form.is_valid():
        return _fragment_or_redirect(request, job.pk, "team", status=400, team_form=form)
    member = services.team_member_add(job=job, user=form.cleaned_data["user"], role=form.cleaned_data["role"])
    _flash(request, f"{member.user.display_name} is on the team as {member.get_role_display().lower()}.")
    return _fragment_or_redirect(request, job.pk, "team")


@require_POST
def team_remove(request: HtmxHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    _require(request, "hiring.manage_jobs")
    job = selectors.job_get(user=request.user, pk=pk)
    member = get_object_or_404(HiringTeamMember.objects.select_related("user"), pk=member_pk, job=job)
    services.team_member_remove(member=member)
    _flash(request, f"{member.user.display_name} left the hiring team.")
    return _fragment_or_redirect(request, job.pk, "team")


def _stage_of(request: HtmxHttpRequest, pk: int, stage_pk: int) -> Stage:
    _require(request, "hiring.manage_jobs")
    job = selectors.job_get(user=request.user, pk=pk)
    return get_object_or_404(Stage, pk=stage_pk, job=job)


@require_POST
def stage_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _require(request, "hiring.manage_jobs")
    job = selectors.job_get(user=request.user, pk=pk)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.stage_create(job=job, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error.messages[0])
    if form.errors:
        return _fragment_or_redirect(request, job.pk, "stages", status=400, stage_form=form)
    _flash(request, f"Stage “{form.cleaned_data['name']}” added.")
    return _fragment_or_redirect(request, job.pk, "stages")


@require_POST
def stage_rename(request: HtmxHttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    stage = _stage_of(request, pk, stage_pk)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.stage_rename(stage=stage, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error.messages[0])
    if form.errors:
        return _fragment_or_redirect(request, pk, "stages", status=400, stage_errors={stage_pk: form.errors["name"][0]})
    return _fragment_or_redirect(request, pk, "stages")


@require_POST
def stage_move(request: HtmxHttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    stage = _stage_of(request, pk, stage_pk)
    form = StageMoveForm(request.POST)
    if not form.is_valid():
        return _fragment_or_redirect(request, pk, "stages", status=400, stage_errors={stage_pk: "Unknown direction."})
    services.stage_move(stage=stage, direction=form.cleaned_data["direction"])
    return _fragment_or_redirect(request, pk, "stages")


@require_POST
def stage_delete(request: HtmxHttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    stage = _stage_of(request, pk, stage_pk)
    try:
        services.stage_delete(stage=stage)
    except ValidationError as error:
        return _fragment_or_redirect(request, pk, "stages", status=400, stage_errors={stage_pk: error.messages[0]})
    _flash(request, f"Stage “{stage.name}” removed.")
    return _fragment_or_redirect(request, pk, "stages")
