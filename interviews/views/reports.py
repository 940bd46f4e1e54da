"""Report pages, their CSV downloads and the recruiter's dashboard.

Who sees what is decided in ``interviews.rules``: the jobs a user's figures cover
(``report_jobs_visible_to``) and who may open the reports at all; the adverse-impact
report is for admins only. Anything a user may not see answers 404.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hiring.http import HtmxHttpRequest
from hiring.models import Job
from interviews.reports import REPORTS, Report, ReportFilters, present
from interviews.reports.snapshots import snapshot_for
from interviews.rules import report_jobs_visible_to
from interviews.selectors import dashboard as dashboard_selectors
from roles.cleaning import CleanInputMixin

# Days outside this range select nothing useful, and the last day of the calendar has no day after it.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class ReportFilterForm(CleanInputMixin, forms.Form):
    job = forms.ModelChoiceField(queryset=Job.objects.none(), required=False, empty_label="All jobs")
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    family = forms.ChoiceField(required=False, label="Job family")
    source = forms.CharField(required=False, max_length=60)

    def __init__(self, *args, jobs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = jobs.only("pk", "title").order_by("title", "pk")  # type: ignore[attr-defined]
        families = jobs.exclude(template__family="").order_by().values_list("template__family", flat=True).distinct()
        self.fields["family"].choices = [("", "All families")] + [(f, f) for f in sorted(families)]  # type: ignore[attr-defined]
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        for name in ("since", "until"):
            if data.get(name) and not FIRST_DAY <= data[name] <= LAST_DAY:
                self.add_error(name, f"Pick a day from {FIRST_DAY.year} to {LAST_DAY.year}.")
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("The start date comes after the end date.")
        return data

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            job_id=data["job"].pk if data.get("job") else None,
            since=data.get("since"),
            until=data.get("until"),
            family=data.get("family") or "",
            source=(data.get("source") or "").strip(),
        )


def _report(request: HtmxHttpRequest, name: str) -> Report:
    report = REPORTS.get(name)
    if report is None or not request.user.has_perm("interviews.view_reports"):
        raise Http404("No such report.")
    if report.admin_only and not request.user.has_perm("interviews.view_adverse_impact"):
        raise Http404("No such report.")
    return report


def _reports_for(user) -> list[Report]:
    return [r for r in REPORTS.values() if not r.admin_only or user.has_perm("interviews.view_adverse_impact")]


@require_GET
def report_index(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.has_perm("interviews.view_reports"):
        raise Http404("No such page.")
    return render(request, "interviews/reports/index.html", {"reports": _reports_for(request.user)})


def _figures(request: HtmxHttpRequest, report: Report):
    """The form, the rows and the snapshot date (None: computed now)."""
    jobs = report_jobs_visible_to(user=request.user)
    form = ReportFilterForm(request.GET or None, jobs=jobs)
    if form.is_bound and not form.is_valid():
        return form, None, None
    filters = form.filters() if form.is_bound else ReportFilters()
    snapshot = snapshot_for(report=report, filters=filters, user=request.user)
    if snapshot is not None:
        return form, snapshot.rows, snapshot.day
    return form, report.run(jobs=jobs, filters=filters), None


@require_GET
def report_page(request: HtmxHttpRequest, name: str) -> HttpResponse:
    report = _report(request, name)
    form, rows, as_of = _figures(request, report)
    context = {
        "report": report,
        "reports": _reports_for(request.user),
        "form": form,
        "as_of": as_of,
        "query": request.GET.urlencode(),
        "table": present.table(report, rows) if rows is not None else None,
        "chart": present.chart(report, rows) if rows is not None else None,
        "explanation": f"interviews/reports/about_{report.name.replace('-', '_')}.html",
    }
    return render(request, "interviews/reports/report.html", context, status=200 if rows is not None else 400)


@require_GET
def report_csv(request: HtmxHttpRequest, name: str) -> HttpResponse:
    report = _report(request, name)
    form, rows, _as_of = _figures(request, report)
    if rows is None:
        return HttpResponse(
            "; ".join(e for errors in form.errors.values() for e in errors), status=400, content_type="text/plain"
        )
    response = HttpResponse(present.to_csv(report, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{report.name}.csv"'
    return response


@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """The recruiter's home: a small funnel per open job, overdue scorecards, decisions pending."""
    if not request.user.has_perm("interviews.view_dashboard"):
        raise Http404("No such page.")
    context = dashboard_selectors.recruiter_dashboard(user=request.user)
    return render(request, "interviews/reports/dashboard.html", context)
