"""Nightly report snapshots: stored once per report, scope and day, read by the pages with "as of"."""

from datetime import date

import pytest
from django.urls import reverse

from hiring.models import Application
from interviews.models import ReportSnapshot
from interviews.tasks import report_snapshots_store
from tests.hiring.factories import AdminFactory, HiringManagerFactory
from tests.interviews.report_builders import applicant, report_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    job = report_job(title="Snapshot job")
    applicant(job, path=[("Applied", 0), ("Screen", 1)])
    applicant(job, path=[("Applied", 0)], status=Application.Status.REJECTED)
    return job


def test_the_nightly_task_stores_each_report_once_per_day(job):
    assert report_snapshots_store("2026-04-01") == 14  # 7 reports x (all jobs, the open job)
    first = ReportSnapshot.objects.get(name="funnel", scope=f"job:{job.pk}", day=date(2026, 4, 1))
    assert [row["reached"] for row in first.rows][:2] == [2, 1]
    applicant(job, path=[("Applied", 0)])
    report_snapshots_store("2026-04-01")  # again, the same day: replaced, not added
    assert ReportSnapshot.objects.count() == 14
    again = ReportSnapshot.objects.get(name="funnel", scope=f"job:{job.pk}", day=date(2026, 4, 1))
    assert again.rows[0]["reached"] == 3


def test_pages_read_the_latest_snapshot_and_say_as_of(client, settings, job):
    report_snapshots_store("2026-04-01")
    applicant(job, path=[("Applied", 0)])  # after the snapshot: not in its figures
    settings.REPORTS_FROM_SNAPSHOTS = True
    client.force_login(AdminFactory())
    response = client.get(reverse("interviews:report", args=["funnel"]))
    assert "as of 1 April 2026" in response.content.decode()
    assert response.context["table"]["rows"][0][1] == "2"
    filtered = client.get(reverse("interviews:report", args=["funnel"]), {"source": "Referral"})
    assert "as of" not in filtered.content.decode()  # other filters: computed now
    assert filtered.context["table"]["rows"][0][1] == "3"


def test_a_hiring_manager_never_reads_the_all_jobs_snapshot(client, settings, job):
    report_snapshots_store("2026-04-01")
    settings.REPORTS_FROM_SNAPSHOTS = True
    client.force_login(HiringManagerFactory())  # on no job's team
    response = client.get(reverse("interviews:report", args=["funnel"]))
    assert "as of" not in response.content.decode()
    assert response.context["table"]["rows"] == []


def test_beat_stores_the_snapshots_every_night(settings):
    from config.celery import app as celery_app

    entry = settings.CELERY_BEAT_SCHEDULE["interviews-report-snapshots"]
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].hour == {2}
