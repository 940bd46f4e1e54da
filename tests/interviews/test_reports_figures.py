"""Each report's figures against small data counted by hand."""

from datetime import timedelta

import krippendorff
import pytest

from hiring.models import Application, Job
from interviews.reports import REPORTS, ReportFilters
from interviews.reports.base import FEWER_THAN
from interviews.reports.reliability import coincidences_from_units, ordinal_alpha
from tests.interviews.report_builders import T0, applicant, card, interview_of, interviewers, report_job

pytestmark = pytest.mark.django_db
HIRED, REJECTED = Application.Status.HIRED, Application.Status.REJECTED


def run(name, **filters):
    return REPORTS[name].run(jobs=Job.objects.all(), filters=ReportFilters(**filters))


@pytest.fixture
def pipeline():
    """Five applications; hand counts in the tests below."""
    job = report_job(created_at=T0 - timedelta(days=3))
    apps = [
        applicant(job, path=[("Applied", 0)]),
        applicant(job, path=[("Applied", 0), ("Screen", 2)], status=REJECTED, source="LinkedIn"),
        applicant(job, path=[("Applied", 0), ("Screen", 1), ("Interview", 4)], source="LinkedIn"),
        applicant(
            job,
            path=[("Applied", 0), ("Screen", 3), ("Interview", 5), ("Offer", 10), ("Hired", 12)],
            status=HIRED,
        ),
        applicant(job, path=[("Applied", 0), ("Screen", 2), ("Interview", 6), ("Offer", 9)], status=REJECTED),
    ]
    return job, apps


def test_funnel_counts_each_stage_reached_and_the_pass_through(pipeline):
    rows = run("funnel")
    assert [(r["stage"], r["reached"], r["pass_through"]) for r in rows] == [
        ("Applied", 5, None),
        ("Screen", 4, 0.8),
        ("Interview", 3, 0.75),
        ("Offer", 2, 0.667),
        ("Hired", 1, 0.5),
    ]
    assert [r["share_of_applied"] for r in rows] == [1.0, 0.8, 0.6, 0.4, 0.2]


def test_funnel_filters_by_source_family_and_dates(pipeline):
    _job, apps = pipeline
    assert [r["reached"] for r in run("funnel", source="LinkedIn")] == [2, 2, 1, 0, 0]
    assert run("funnel", family="Sales") == []
    Application.objects.filter(pk=apps[0].pk).update(applied_at=T0 + timedelta(days=40))
    later = run("funnel", since=(T0 + timedelta(days=30)).date())
    assert [r["reached"] for r in later] == [1, 0, 0, 0, 0]
    assert [r["reached"] for r in run("funnel", until=T0.date())] == [4, 4, 3, 2, 1]


def test_speed_medians_and_90th_percentiles(pipeline):
    rows = {(r["measure"], r["stage"]): (r["n"], r["median_days"], r["p90_days"]) for r in run("speed")}
    # Applied: stays of 2, 1, 3, 2 days -> sorted 1 2 2 3: median (rank 2) 2, p90 (rank 4) 3.
    assert rows[("Time in stage", "Applied")] == (4, 2.0, 3.0)
    # Screen: 0 (rejected the day it arrived), 3, 2, 4 -> 0 2 3 4.
    assert rows[("Time in stage", "Screen")] == (4, 2.0, 4.0)
    # Interview: 5 and 3 (the third stay is not over) -> lower middle 3, p90 5.
    assert rows[("Time in stage", "Interview")] == (2, 3.0, 5.0)
    assert rows[("Time in stage", "Offer")] == (2, 0.0, 2.0)
    assert rows[("Time to hire", "")] == (1, 12.0, 12.0)
    # The job opened three days before the hire's application.
    assert rows[("Time to fill", "")] == (1, 15.0, 15.0)


def test_sources_count_interviews_offers_and_hires(pipeline):
    _job, apps = pipeline
    for application in apps[2:]:
        interview_of(application, ends_at=T0 + timedelta(days=5))
    rows = {r["source"]: r for r in run("sources")}
    referral = rows["Referral"]
    assert (referral["applications"], referral["interviewed"], referral["offers"], referral["hires"]) == (3, 2, 2, 1)
    assert (referral["interview_rate"], referral["offer_rate"], referral["hire_rate"]) == (0.667, 0.667, 0.333)
    linkedin = rows["LinkedIn"]
    assert (linkedin["applications"], linkedin["interviewed"], linkedin["offers"], linkedin["hires"]) == (2, 1, 0, 0)


def test_timeliness_per_interviewer_and_job(pipeline):
    job, apps = pipeline
    a, b = interviewers(2)
    ends = T0 + timedelta(days=5)
    card(interview_of(apps[2], ends_at=ends), a, submitted_after_hours=2)
    on_four = interview_of(apps[3], ends_at=ends)
    card(on_four, a, submitted_after_hours=30)
    card(on_four, b, submitted_after_hours=23)
    on_five = interview_of(apps[4], ends_at=ends)
    card(on_five, a, submitted_after_hours=None)  # never submitted: late
    card(on_five, b, submitted_after_hours=1)
    rows = {(r["by"], r["name"]): (r["scorecards"], r["on_time"], r["on_time_share"]) for r in run("timeliness")}
    assert rows[("interviewer", "Rater A")] == (3, 1, 0.333)
    assert rows[("interviewer", "Rater B")] == (2, 2, 1.0)
    assert rows[("job", job.title)] == (5, 3, 0.6)


def test_calibration_leniency_spread_and_outcome_with_small_numbers_hidden():
    job = report_job()
    p, q, r = interviewers(3)
    for i in range(6):
        application = applicant(job, path=[("Applied", 0)], status=HIRED if i < 3 else REJECTED)
        interview = interview_of(application, ends_at=T0)
        card(interview, p, recommendation=4 if i < 4 else 3)
        card(interview, q, recommendation=2 if i < 4 else 3)
        if i < 4:
            card(interview, r, recommendation=3)
    rows = {row["interviewer"]: row for row in run("calibration")}
    lenient, strict, few = rows["Rater A"], rows["Rater B"], rows["Rater C"]
    # Panels of 3 (4, 2, 3: mean 3) on four applications, of 2 (3, 3) on two.
    assert (lenient["scorecards"], lenient["mean_rating"], lenient["leniency"], lenient["spread"]) == (
        6,
        3.67,
        0.67,
        0.47,
    )
    assert (strict["leniency"], lenient["matched_outcome"], lenient["match_rate"]) == (-0.67, 3, 0.5)
    assert (strict["matched_outcome"], strict["match_rate"]) == (1, 0.167)
    assert few["scorecards"] == 4
    assert few["leniency"] is None
    assert few["mean_rating"] is None
    assert few["match_rate"] is None


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units, values 1-5.
PUBLISHED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_ordinal_alpha_matches_the_published_example():
    units = [list(unit) for unit in zip(*PUBLISHED, strict=True)]
    alpha = ordinal_alpha(coincidences_from_units(units), values=(1, 2, 3, 4, 5))
    assert round(alpha, 3) == 0.815
    nan = float("nan")
    library = krippendorff.alpha(
        reliability_data=[[nan if v is None else v for v in row] for row in PUBLISHED], level_of_measurement="ordinal"
    )
    assert alpha == pytest.approx(library)


def test_reliability_per_competency_from_the_database():
    job = report_job()
    raters = interviewers(3)
    design = [[1, 1, 2], [2, 2, 2], [3, 3, 3], [4, 4, 4], [2, 2, 2], [1, 1, 1]]  # close agreement
    talk = [[1, 4, 2], [4, 1, 3], [2, 2, 4], [3, 1, 1], [4, 3, 1], [1, 4, 4]]  # little agreement
    for i in range(6):
        application = applicant(job, path=[("Applied", 0)])
        interview = interview_of(application, ends_at=T0)
        for j, rater in enumerate(raters):
            card(interview, rater, ratings={"System design": design[i][j], "Communication": talk[i][j]})
    few = applicant(job, path=[("Applied", 0)])
    for rater in raters[:2]:
        card(interview_of(few, ends_at=T0), rater, ratings={"Mentoring": 3})
    rows = {row["competency"]: row for row in run("reliability")}
    expected = ordinal_alpha(coincidences_from_units(design))
    assert rows["System design"]["alpha"] == round(expected, 3)
    assert rows["System design"]["applications"] == 6
    assert rows["System design"]["ratings"] == 18
    library = krippendorff.alpha(reliability_data=list(zip(*design, strict=True)), level_of_measurement="ordinal")
    assert rows["System design"]["alpha"] == round(library, 3)
    assert rows["System design"]["reading"] == "reliable"
    assert rows["Communication"]["alpha"] < 0.667
    assert rows["Mentoring"]["alpha"] is None
    assert rows["Mentoring"]["reading"] == "fewer than 5 applications"


@pytest.fixture
def self_identified():
    job = report_job()
    full = [("Applied", 0), ("Screen", 1), ("Interview", 2), ("Offer", 3), ("Hired", 4)]
    for gender, applied, hired in (("female", 10, 3), ("male", 10, 5), ("another", 3, 1)):
        for i in range(applied):
            if i < hired:
                applicant(job, path=full, status=HIRED, self_id={"gender": gender})
            else:
                applicant(job, path=[("Applied", 0)], status=REJECTED, self_id={"gender": gender})
    applicant(job, path=[("Applied", 0)], self_id={})
    return job


def test_adverse_impact_ratios_flag_and_fisher(self_identified):
    rows = [r for r in run("adverse-impact") if r["question"] == "Gender"]
    overall = {r["group"]: r for r in rows if r["stage"].startswith("Overall")}
    female, male, another = overall["Female"], overall["Male"], overall["Another gender identity"]
    assert (female["considered"], female["selected"], female["selection_rate"]) == (10, 3, 0.3)
    assert (male["selection_rate"], male["impact_ratio"], male["below_four_fifths"]) == (0.5, 1.0, False)
    assert (female["impact_ratio"], female["below_four_fifths"]) == (0.6, True)
    # Fisher's exact test, two-sided, on [[3, 7], [5, 5]].
    assert female["fisher_p"] == pytest.approx(0.6499, abs=1e-4)
    assert another["considered"] == FEWER_THAN
    assert another["selected"] is None
    assert another["selection_rate"] is None
    assert another["impact_ratio"] is None
    declined = overall["Did not answer / declined"]
    assert declined["considered"] == FEWER_THAN  # one person declined
    first = {r["group"]: r for r in rows if r["stage"] == "Applied"}
    assert (first["Female"]["selected"], first["Female"]["impact_ratio"]) == (3, 0.6)


def test_an_offer_sent_counts_even_without_an_offer_stage(pipeline):
    """An offer recorded in the app (sent, whatever the answer) counts; a draft does not."""
    from hiring.models import Offer

    _job, apps = pipeline
    linkedin_interviewed = apps[2]  # never reached the Offer stage
    common = {"base_salary": 150_000, "currency": "EUR", "start_date": T0.date(), "expires_on": T0.date()}
    Offer.objects.create(application=apps[1], status=Offer.Status.DRAFT, **common)
    Offer.objects.create(application=linkedin_interviewed, status=Offer.Status.DECLINED, answered_at=T0, **common)

    linkedin = {r["source"]: r for r in run("sources")}["LinkedIn"]

    assert (linkedin["applications"], linkedin["offers"], linkedin["offer_rate"]) == (2, 1, 0.5)
