"""Report rows through the API: the figures of the report pages and of the ``report`` command,
with the pages' permissions (interviewers none, adverse impact for admins only, hiring managers
their jobs only), bad filters as 400s in the API's error format, and a pinned query budget."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from hiring.models import HiringTeamMember
from interviews.reports import REPORTS
from tests.api.conftest import token_client
from tests.hiring.factories import AdminFactory, HiringManagerFactory, RecruiterFactory
from tests.interviews.report_builders import interviewers, populate, report_job

pytestmark = pytest.mark.django_db

ROLES = ("admin", "recruiter", "manager", "interviewer")


@pytest.fixture
def world():
    raters = interviewers(3)
    mine, other = report_job(title="Mine"), report_job(title="Other", family="Sales")
    populate(mine, size=3, raters=raters)
    populate(other, size=2, raters=raters)
    manager = HiringManagerFactory()
    HiringTeamMember.objects.create(job=mine, user=manager, role=HiringTeamMember.Role.HIRING_MANAGER)
    users = {"admin": AdminFactory(), "recruiter": RecruiterFactory(), "manager": manager, "interviewer": raters[0]}
    return {"mine": mine, "other": other, "users": users, "api": {role: token_client(users[role]) for role in ROLES}}


def command_rows(name: str, *args: str) -> list[dict]:
    out = io.StringIO()
    call_command("report", name, *args, stdout=out)
    return json.loads(out.getvalue())


def rows_url(name: str) -> str:
    return reverse("api:report-detail", kwargs={"name": name})


@pytest.mark.parametrize("name", ["funnel", "adverse-impact"])
def test_the_rows_are_the_report_commands_json(world, name):
    api = world["api"]["admin"]
    everything = api.get(rows_url(name))
    assert everything.status_code == 200
    body = everything.json()
    assert body["columns"] == REPORTS[name].columns
    assert body["filters"] == {}
    assert body["rows"] == command_rows(name)
    assert body["rows"], "the world has figures for this report"

    job = str(world["mine"].pk)
    filtered = api.get(rows_url(name), {"job": job, "since": "2026-03-01", "until": "2026-03-31"})
    assert filtered.status_code == 200
    assert filtered.json()["filters"] == {"job": job, "since": "2026-03-01", "until": "2026-03-31"}
    assert filtered.json()["rows"] == command_rows(name, "--job", job, "--since", "2026-03-01", "--until", "2026-03-31")
    assert filtered.json()["rows"] != body["rows"]  # the other job's figures are left out


def test_a_hiring_manager_gets_only_their_jobs_figures(world):
    api = world["api"]["manager"]
    funnel = api.get(rows_url("funnel")).json()["rows"]
    assert funnel == command_rows("funnel", "--job", str(world["mine"].pk))
    assert funnel[0] == {"stage": "Applied", "reached": 9, "share_of_applied": 1.0, "pass_through": None}
    assert world["api"]["recruiter"].get(rows_url("funnel")).json()["rows"][0]["reached"] == 15

    refused = api.get(rows_url("funnel"), {"job": world["other"].pk})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid"
    assert list(refused.json()["error"]["fields"]) == ["job"]
    assert "rows" not in refused.json()

    hidden = api.get(rows_url("adverse-impact"))
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "not_found"
    names = [report["name"] for report in api.get(reverse("api:report-list")).json()]
    assert names == [name for name in REPORTS if name != "adverse-impact"]


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_role_gets_the_answer_of_the_page(client, world, name):
    for role in ROLES:
        client.force_login(world["users"][role])
        page = client.get(reverse("interviews:report", args=[name])).status_code
        answer = world["api"][role].get(rows_url(name)).status_code
        assert (page, answer) in ((200, 200), (404, 404)), role
    expected = {"admin": 200, "recruiter": 200, "manager": 200, "interviewer": 404}
    if REPORTS[name].admin_only:
        expected.update(recruiter=404, manager=404)
    assert {role: world["api"][role].get(rows_url(name)).status_code for role in ROLES} == expected


def test_the_list_names_the_reports_each_role_may_read(world):
    lists = {role: world["api"][role].get(reverse("api:report-list")) for role in ROLES}
    assert [report["name"] for report in lists["admin"].json()] == list(REPORTS)
    assert lists["admin"].json()[0] == {
        "name": "funnel",
        "title": REPORTS["funnel"].title,
        "summary": REPORTS["funnel"].summary,
        "columns": REPORTS["funnel"].columns,
    }
    assert "adverse-impact" not in [report["name"] for report in lists["recruiter"].json()]
    assert lists["interviewer"].status_code == 404
    assert token_client(world["users"]["admin"], scope="read").get(reverse("api:report-list")).status_code == 200
    assert world["api"]["admin"].post(reverse("api:report-list")).status_code == 405


@pytest.mark.parametrize(
    ("params", "fields", "message"),
    [
        ({"since": "last week"}, ["since"], "Some fields are not valid."),
        ({"until": "9999-12-31"}, ["until"], "Some fields are not valid."),
        ({"family": "Astrology"}, ["family"], "Some fields are not valid."),
        ({"job": "99999999999999999999999"}, ["job"], "Some fields are not valid."),
        ({"source": "x" * 61}, ["source"], "Some fields are not valid."),
        ({"since": "2026-05-01", "until": "2026-04-01"}, [], "The start date comes after the end date."),
    ],
)
def test_bad_filters_answer_400_in_the_error_format(client, world, params, fields, message):
    response = world["api"]["recruiter"].get(rows_url("speed"), params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"]), error["message"]) == ("invalid", fields, message)
    client.force_login(world["users"]["recruiter"])
    assert client.get(reverse("interviews:report", args=["speed"]), params).status_code == 400  # as the page


def test_the_other_filters_select_as_on_the_page(world):
    api = world["api"]["admin"]
    sales = api.get(rows_url("sources"), {"family": "Sales", "source": "LinkedIn"}).json()
    assert sales["filters"] == {"family": "Sales", "source": "LinkedIn"}
    assert [(row["source"], row["applications"]) for row in sales["rows"]] == [("LinkedIn", 2)]


@pytest.mark.parametrize("name", ["funnel", "speed", "adverse-impact"])
def test_a_report_costs_at_most_10_queries_at_two_sizes(django_assert_max_num_queries, name):
    admin = AdminFactory()
    api = token_client(admin)
    api.get(reverse("api:report-list"))  # the token's first use writes its last-used time (once a minute)
    raters = interviewers(3)
    job = report_job()
    for size in (1, 4):
        populate(job, size=size, raters=raters)
        for params in ({}, {"job": job.pk, "source": "Referral", "since": "2026-01-01", "family": "Engineering"}):
            with django_assert_max_num_queries(10):
                response = api.get(rows_url(name), params)
            assert response.status_code == 200
            assert response.json()["rows"]
