"""Report pages and the dashboard in the browser: each chart draws the table's numbers, no CSP violation."""

import json
import random
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from hiring.models import Application, HiringTeamMember
from interviews.reports import REPORTS
from tests.hiring.factories import AdminFactory, RecruiterFactory
from tests.interviews.report_builders import STAGES, T0, applicant, card, interview_of, interviewers, report_job

SOURCES = ("Referral", "LinkedIn", "Careers site", "Agency")
GENDERS = ("female", "male", "another", "")
ETHNICITIES = ("white", "black", "hispanic_latino", "asian")


def showcase():
    """Two jobs with 60 applications spread over the pipeline, scorecards and self-identification."""
    rng = random.Random(13)
    raters = interviewers(4, prefix="Interviewer")
    recruiter = RecruiterFactory(first_name="Rita", last_name="Recruiter")
    for title in ("Staff ML Architect", "Data Engineer"):
        job = report_job(title=title, created_at=T0 - timedelta(days=20))
        HiringTeamMember.objects.create(job=job, user=recruiter, role=HiringTeamMember.Role.RECRUITER)
        for i in range(30):
            furthest = rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4])
            day, path = 0.0, [("Applied", 0.0)]
            for stage in STAGES[1 : furthest + 1]:
                day += rng.choice([1, 2, 3, 5, 8])
                path.append((stage, day))
            status = (
                Application.Status.HIRED
                if furthest == 4
                else rng.choice([Application.Status.REJECTED, Application.Status.ACTIVE])
            )
            gender = rng.choice(GENDERS) if furthest < 4 else rng.choice(("male", "male", "female"))
            application = applicant(
                job,
                path=path,
                status=status,
                source=rng.choice(SOURCES),
                applied_at=T0 + timedelta(days=i % 10),
                self_id={"gender": gender, "race_ethnicity": rng.choice(ETHNICITIES)},
            )
            if furthest >= 2:
                interview = interview_of(application, ends_at=application.applied_at + timedelta(days=path[2][1]))
                for rater in rng.sample(raters, 3):
                    base = 3 if status == Application.Status.HIRED else 2
                    card(
                        interview,
                        rater,
                        recommendation=max(1, min(4, base + rng.choice([-1, 0, 0, 1]))),
                        submitted_after_hours=rng.choice([1, 3, 10, 20, 30, 50, None]),
                        ratings={
                            "ML system design": max(1, min(4, base + rng.choice([0, 0, 1, -1]))),
                            "Stakeholder communication": rng.randint(1, 4),
                        },
                    )
    return recruiter


CHART_AND_TABLE = """
(canvas) => {
  const chart = Chart.getChart(canvas);
  const spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
  const table = document.querySelector(`[data-table-for="${canvas.dataset.chart}"]`)
    || document.getElementById("report-table");
  const rows = Array.from(table.querySelectorAll("tbody tr")).map(
    (tr) => Array.from(tr.querySelectorAll("th, td")).map((cell) => cell.textContent.trim())
  );
  return {
    labels: chart.data.labels,
    drawn: chart.data.datasets.map((set) => set.data),
    columns: spec.datasets.map((set) => set.column),
    rows: rows,
  };
}
"""


def number(cell: str):
    if cell in ("—", "", "fewer than 5"):
        return None
    return float(cell.rstrip("%"))


def assert_chart_matches_table(canvas):
    seen = canvas.evaluate(CHART_AND_TABLE)
    assert len(seen["rows"]) == len(seen["labels"]) > 0
    for drawn, column in zip(seen["drawn"], seen["columns"], strict=True):
        assert [None if v is None else float(v) for v in drawn] == [number(row[column]) for row in seen["rows"]]
    return json.dumps(seen)[:200]


@pytest.mark.browser
@pytest.mark.parametrize("name", list(REPORTS))
def test_every_report_draws_its_table(transactional_db, page, live_server, login, screenshot, name):
    showcase()
    login(AdminFactory(first_name="Ada", last_name="Admin"))
    page.goto(f"{live_server.url}/interviews/reports/{name}/")
    canvas = page.locator("canvas[data-chart]")
    expect(canvas).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))")
    assert_chart_matches_table(canvas)
    expect(page.get_by_role("link", name="Download CSV")).to_be_visible()
    screenshot(f"report-{name}")


@pytest.mark.browser
def test_filters_narrow_the_figures(transactional_db, page, live_server, login, screenshot):
    showcase()
    login(AdminFactory())
    page.goto(f"{live_server.url}/interviews/reports/funnel/")
    page.get_by_label("Job", exact=True).select_option(label="Data Engineer")
    page.get_by_label("Source").fill("Referral")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")
    assert "source=Referral" in page.url
    canvas = page.locator("canvas[data-chart]")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))")
    assert_chart_matches_table(canvas)
    screenshot("report-funnel-filtered")


@pytest.mark.browser
def test_the_dashboard_draws_a_funnel_per_open_job(transactional_db, page, live_server, login, screenshot):
    recruiter = showcase()
    login(recruiter)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    canvases = page.locator("canvas[data-chart]")
    expect(canvases).to_have_count(2)
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelectorAll('canvas[data-chart]')[1])")
    for index in range(2):
        assert_chart_matches_table(canvases.nth(index))
    expect(page.get_by_role("heading", name="Overdue scorecards")).to_be_visible()
    screenshot("reports-dashboard")
