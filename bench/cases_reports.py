"""Reports: every report page (all jobs; the big job with its N/10 applications), the dashboard, a snapshot night."""

import time

from django.test import Client
from django.urls import reverse

from bench.main import Case, Context


def cases(ctx: Context) -> list[Case]:
    from hiring.demo import BIG_JOB
    from hiring.models import Application, Job, User
    from interviews.reports import REPORTS

    admin = User.objects.get(email="admin@demo.test")
    recruiter = User.objects.get(email="recruiter@demo.test")
    job = Job.objects.get(title=BIG_JOB, created_by=recruiter)
    applications = Application.objects.filter(job=job).count()
    client = Client()
    client.force_login(admin)
    dashboard_client = Client()
    dashboard_client.force_login(recruiter)

    def get(url: str, params: dict | None = None, who: Client = client):
        def run() -> None:
            response = who.get(url, params or {})
            assert response.status_code == 200, (url, response.status_code)

        return run

    extra = {"applications_on_job": applications}
    result = []
    for name in REPORTS:
        url = reverse("interviews:report", args=[name])
        slug = name.replace("-", "_")
        result.append(Case(f"report_{slug}", get(url), repeat=5, extra=extra))
        result.append(Case(f"report_{slug}_big_job", get(url, {"job": job.pk}), repeat=5, extra=extra))
    result.append(Case("report_dashboard", get(reverse("interviews:dashboard"), who=dashboard_client), repeat=5))

    def snapshot_night() -> None:
        from interviews.tasks import report_snapshots_store

        started = time.monotonic()
        report_snapshots_store("2000-01-01")
        assert time.monotonic() - started < 1800

    result.append(Case("report_snapshots_night", snapshot_night, repeat=1))
    return result
