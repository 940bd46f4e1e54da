"""Report pages, CSV and the ``report`` command: who sees what, the same numbers everywhere, query budgets."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from hiring.models import HiringTeamMember
from interviews.reports import REPORTS
from interviews.reports.present import csv_value, table
from tests.hiring.factories import AdminFactory, HiringManagerFactory, RecruiterFactory
from tests.interviews.report_builders import interviewers, populate, report_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    raters = interviewers(3)
    mine, other = report_job(title="Mine"), report_job(title="Other", family="Sales")
    populate(mine, size=3, raters=raters)
    populate(other, size=2, raters=raters)
    manager = HiringManagerFactory()
    HiringTeamMember.objects.create(job=mine, user=manager, role=HiringTeamMember.Role.HIRING_MANAGER)
    return {
        "mine": mine,
        "other": other,
        "admin": AdminFactory(),
        "recruiter": RecruiterFactory(),
        "manager": manager,
        "interviewer": raters[0],
    }


def page(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse("interviews:report", args=[name]), params)


@pytest.mark.parametrize("name", [n for n in REPORTS if n != "adverse-impact"])
def test_each_role_sees_the_reports_it_may(client, world, name):
    for role in ("admin", "recruiter", "manager"):
        assert page(client, world[role], name).status_code == 200, role
    assert page(client, world["interviewer"], name).status_code == 404
    client.force_login(world["interviewer"])
    assert client.get(reverse("interviews:report-csv", args=[name])).status_code == 404


def test_adverse_impact_is_for_admins_only(client, world):
    assert page(client, world["admin"], "adverse-impact").status_code == 200
    for role in ("recruiter", "manager", "interviewer"):
        assert page(client, world[role], "adverse-impact").status_code == 404, role
        client.force_login(world[role])
        assert client.get(reverse("interviews:report-csv", args=["adverse-impact"])).status_code == 404
        index = client.get(reverse("interviews:report-index"))
        assert b"Adverse impact" not in index.content


def test_a_hiring_manager_sees_only_their_jobs_figures(client, world):
    funnel = page(client, world["manager"], "funnel").context["table"]["rows"]
    assert funnel[0] == ["Applied", "9", "100.0%", "—"]  # three patterns x three of "Mine" only
    everything = page(client, world["recruiter"], "funnel").context["table"]["rows"]
    assert everything[0][1] == "15"
    refused = page(client, world["manager"], "funnel", job=world["other"].pk)
    assert refused.status_code == 400
    assert "table" not in refused.context or refused.context["table"] is None
    client.force_login(world["manager"])
    assert client.get(reverse("interviews:report-csv", args=["funnel"]), {"job": world["other"].pk}).status_code == 400


def test_bad_dates_answer_400_with_the_reason(client, world):
    response = page(client, world["recruiter"], "speed", since="2026-05-01", until="2026-04-01")
    assert response.status_code == 400
    assert "start date comes after the end date" in response.content.decode()


def test_the_dashboard_is_the_recruiters_home(client, world):
    for role in ("recruiter", "admin"):
        client.force_login(world[role])
        assert client.get(reverse("interviews:dashboard")).status_code == 200
    client.force_login(world["recruiter"])
    assert client.get(reverse("home")).url == reverse("interviews:dashboard")
    response = client.get(reverse("interviews:dashboard"))
    titles = [item["job"].title for item in response.context["funnels"]]
    assert sorted(titles) == ["Mine", "Other"]
    mine = next(item for item in response.context["funnels"] if item["job"].title == "Mine")
    assert mine["chart"]["datasets"][0]["data"] == [9, 6, 3, 3, 3]
    # Every active application has all its scorecards in: each waits for a decision.
    assert len(response.context["pending"]) == 5
    for role in ("manager", "interviewer"):
        client.force_login(world[role])
        assert client.get(reverse("interviews:dashboard")).status_code == 404


@pytest.mark.parametrize("name", list(REPORTS))
def test_page_csv_and_command_agree(client, world, name):
    job = world["mine"]
    params = {"job": job.pk, "since": "2026-03-01", "until": "2026-03-31"}
    response = page(client, world["admin"], name, **params)
    shown = response.context["table"]["rows"]
    downloaded = client.get(reverse("interviews:report-csv", args=[name]), params)
    assert downloaded["Content-Type"].startswith("text/csv")
    csv_rows = list(csv.reader(io.StringIO(downloaded.content.decode())))
    out = io.StringIO()
    call_command("report", name, "--job", str(job.pk), "--since", "2026-03-01", "--until", "2026-03-31", stdout=out)
    data = json.loads(out.getvalue())
    report = REPORTS[name]
    assert csv_rows[0] == report.columns
    assert [[str(csv_value(row[c])) for c in report.columns] for row in data] == csv_rows[1:]
    assert table(report, data)["rows"] == shown
    assert len(data) > 0
    out = io.StringIO()
    call_command(
        "report",
        name,
        "--job",
        str(job.pk),
        "--format",
        "csv",
        "--since",
        "2026-03-01",
        "--until",
        "2026-03-31",
        stdout=out,
    )
    assert list(csv.reader(io.StringIO(out.getvalue()))) == csv_rows


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_report_page_costs_at_most_10_queries_at_two_sizes(client, django_assert_max_num_queries, name):
    admin = AdminFactory()
    raters = interviewers(3)
    job = report_job()
    client.force_login(admin)
    for size in (1, 4):
        populate(job, size=size, raters=raters)
        for params in ({}, {"job": job.pk, "source": "Referral", "since": "2026-01-01", "family": "Engineering"}):
            with django_assert_max_num_queries(10):
                response = client.get(reverse("interviews:report", args=[name]), params)
            assert response.status_code == 200
            assert response.context["table"]["rows"]


def test_the_dashboard_costs_at_most_10_queries_at_two_sizes(client, django_assert_max_num_queries):
    recruiter = RecruiterFactory()
    raters = interviewers(2)
    client.force_login(recruiter)
    for size in (1, 3):
        populate(report_job(title=f"Job {size}"), size=size, raters=raters)
        with django_assert_max_num_queries(10):
            assert client.get(reverse("interviews:dashboard")).status_code == 200


def test_the_command_refuses_bad_input_with_a_reason(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("report", "funnel", "--since", "last week", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No job with id 999999"):
        call_command("report", "funnel", "--job", "999999", stdout=io.StringIO())
    with pytest.raises(CommandError, match="comes after"):
        call_command("report", "speed", "--since", "2026-05-01", "--until", "2026-04-01", stdout=io.StringIO())
