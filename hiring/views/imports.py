"""CSV import screens: upload -> map columns and preview -> progress (HTMX polling) -> report."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from hiring.forms import IMPORT_FIELDS, ImportMappingForm, ImportUploadForm
from hiring.http import HtmxHttpRequest, render_page
from hiring.models import CandidateImport, Job
from hiring.rules import jobs_visible_to
from hiring.services import imports as import_services

from .candidates import _require


def _open_jobs(user):
    return jobs_visible_to(user=user).filter(status=Job.Status.OPEN).order_by("title")


def candidate_import(request: HtmxHttpRequest) -> HttpResponse:
    """Step 1: upload a CSV (and optionally choose a job to apply everyone to)."""
    _require(request, "hiring.import_candidates")
    form = ImportUploadForm(request.POST or None, request.FILES or None, jobs=_open_jobs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            candidate_import = import_services.candidate_import_create(
                file=form.cleaned_data["file"], actor=request.user, job=form.cleaned_data["job"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("hiring:candidate-import-detail", pk=candidate_import.pk)
    status = 400 if request.method == "POST" else 200
    recent = CandidateImport.objects.select_related("job", "created_by").order_by("-created_at")[:10]
    return render(request, "hiring/import_upload.html", {"form": form, "recent": recent}, status=status)


def _mapping_form_initial(candidate_import: CandidateImport) -> dict:
    return {name: str(index) for name, index in candidate_import.mapping.items()}


def candidate_import_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Step 2 (map and preview, then start) and step 3 (progress and the error report)."""
    _require(request, "hiring.import_candidates")
    candidate_import = CandidateImport.objects.select_related("job").filter(pk=pk).first()
    if candidate_import is None:
        raise Http404("No such import.")
    if candidate_import.status != CandidateImport.Status.UPLOADED:
        context = {"candidate_import": candidate_import}
        return render_page(request, "hiring/import_detail.html", context, fragment="progress")

    try:
        header, _rows = import_services.candidate_import_read(candidate_import=candidate_import)
    except (ValidationError, OSError):
        raise Http404("The uploaded file is gone; upload it again.") from None
    jobs = _open_jobs(request.user)
    form = ImportMappingForm(request.POST or None, headers=header, initial=_mapping_form_initial(candidate_import))
    mapping = candidate_import.mapping
    status = 200
    if request.method == "POST":
        if form.is_valid():
            mapping = form.cleaned_data["mapping"]
            if request.POST.get("action") == "start":
                job_id = request.POST.get("job", "")
                job = jobs.filter(pk=int(job_id)).first() if job_id.isdigit() else None
                try:
                    import_services.candidate_import_start(
                        candidate_import=candidate_import, mapping=mapping, job=job, actor=request.user
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return redirect("hiring:candidate-import-detail", pk=candidate_import.pk)
        if form.errors:
            status = 200 if request.htmx else 400
    posted_job = request.POST.get("job", "")
    context = {
        "selected_job": int(posted_job) if posted_job.isdigit() else candidate_import.job_id,
        "candidate_import": candidate_import,
        "form": form,
        "jobs": jobs,
        "fields": IMPORT_FIELDS,
        "preview": import_services.candidate_import_preview(candidate_import=candidate_import, mapping=mapping),
    }
    # The mapping form re-renders itself in place as columns change; a plain GET is the page.
    fragment = "mapping" if request.method == "POST" else None
    return render_page(request, "hiring/import_detail.html", context, fragment=fragment, status=status)
