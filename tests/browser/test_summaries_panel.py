"""The summary panel updates by itself once the rebuild after a new scorecard lands.

Watched on the application page (hiring:application-detail) and on the printable debrief,
which render the same panel template.
"""

import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from interviews import tasks
from interviews.models import Scorecard
from interviews.summaries.services import summary_rebuild, summary_request
from tests.hiring.factories import InterviewerFactory, RecruiterFactory, StageFactory
from tests.interviews.summary_builders import (
    application_for,
    role_job,
    scorecard,
)


@pytest.mark.parametrize("where", ["application", "debrief"])
def test_summary_panel_updates_after_a_scorecard_is_submitted(page, live_server, login, screenshot, monkeypatch, where):
    job, comps, steps = role_job(competencies=4)
    app = application_for(job)
    scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        ratings={
            "Architectural design": (4, "Laid out a feature store shared by batch and online paths, with costs."),
            "Model lifecycle management": (3, "Knows canary releases; thinner on drift monitoring."),
        },
        recommendation=4,
    )
    second = scorecard(
        application=app,
        step=steps["Interview 2"],
        competencies=comps,
        status=Scorecard.Status.DRAFT,
        ratings={
            "Architectural design": (2, "Struggled to size the streaming tier; needed prompting on back-pressure."),
            "Technology evaluation": (3, "Compared two vector stores on latency and operating cost."),
        },
        recommendation=2,
    )
    summary_rebuild(application_id=app.pk)
    login(RecruiterFactory())

    url = reverse("hiring:application-detail" if where == "application" else "interviews:debrief", args=[app.pk])
    page.goto(f"{live_server.url}{url}")
    panel = page.locator(".summary-panel")
    expect(panel).to_contain_text("from 1 submitted scorecard")
    expect(panel).not_to_have_attribute("hx-trigger", re.compile("every"))
    screenshot(f"summaries-{where}-1-before")

    # A second interviewer submits; the rebuild is queued (held here, like a busy worker).
    queued = []
    monkeypatch.setattr(tasks.summarize_application, "apply_async", lambda args, **kw: queued.append(args))
    with transaction.atomic():
        Scorecard.objects.filter(pk=second.pk).update(
            status=Scorecard.Status.SUBMITTED, submitted_at=timezone.now(), version=2
        )
        summary_request(application_id=app.pk)
    assert queued == [(app.pk,)]

    page.reload()
    expect(panel).to_have_attribute("hx-trigger", "every 2s")
    expect(panel.get_by_role("status")).to_contain_text("Outdated")
    screenshot(f"summaries-{where}-2-pending")

    # The worker runs the job; within a poll or two the panel shows the new summary, no reload.
    tasks.summarize_application(app.pk)
    expect(panel).to_contain_text("from 2 submitted scorecards", timeout=10_000)
    expect(panel).not_to_have_attribute("hx-trigger", re.compile("every"))
    expect(panel.get_by_role("status")).to_have_count(0)
    expect(panel.locator(".summary-disagreements")).to_contain_text("Architectural design: 2 points apart")
    expect(panel).to_contain_text("Struggled to size the streaming tier")
    screenshot(f"summaries-{where}-3-after")
    if where == "debrief":
        page.emulate_media(media="print")
        expect(page.get_by_role("button", name="Print")).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Debrief:")
        screenshot("summaries-debrief-4-print")


def test_job_digest_page(page, live_server, login, screenshot):
    job, comps, steps = role_job(competencies=2)
    onsite = StageFactory(job=job, name="Onsite", order=1)
    steps["Interview 1"].stage = onsite
    steps["Interview 1"].save()
    ready = application_for(job, stage=onsite)
    scorecard(
        application=ready,
        step=steps["Interview 1"],
        competencies=comps,
        ratings={"Architectural design": (3, "ok")},
    )
    waiting = application_for(job, stage=onsite)
    scorecard(
        application=waiting,
        step=steps["Interview 1"],
        competencies=comps,
        interviewer=InterviewerFactory(first_name="Lou", last_name="Late"),
        status=Scorecard.Status.DRAFT,
        ratings={"Architectural design": (None, "")},
    )
    summary_rebuild(application_id=ready.pk)
    login(RecruiterFactory())

    page.goto(f"{live_server.url}/interviews/jobs/{job.pk}/digest/")
    expect(page.locator(".digest-headline")).to_contain_text(
        "Leaning hire low confidence · 1 scorecard from 1 interviewer"
    )

    expect(page.get_by_role("heading", level=1)).to_contain_text("Weekly digest")
    expect(page.get_by_role("heading", name=re.compile("New applicants"))).to_contain_text("2")
    expect(page.get_by_text(f"Lou Late: Interview 1 with {waiting.candidate.full_name}")).to_be_visible()
    expect(page.get_by_role("link", name=ready.candidate.full_name)).to_be_visible()
    screenshot("summaries-digest")

    page.get_by_label("Week of").fill("2026-01-07")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Week of Monday 5 January 2026")).to_be_visible()
    expect(page.get_by_text("No new applicants this week.")).to_be_visible()


def test_debrief_shows_calibration_and_language_flags(page, live_server, login, screenshot):
    from interviews.models import FlaggedPhrase

    FlaggedPhrase.objects.update_or_create(
        phrase="culture fit", defaults={"reason": "vague, and invites bias", "active": True}
    )
    job, comps, steps = role_job(competencies=4)
    lenient, strict = (
        InterviewerFactory(first_name="Lena", last_name="Lenient"),
        InterviewerFactory(first_name="Stan", last_name="Strict"),
    )
    earlier = timezone.now() - timezone.timedelta(days=20)
    for _ in range(5):  # only Lena has history: she rated 2 points above her colleagues
        other = application_for(job)
        for person, value in ((lenient, 4), (InterviewerFactory(), 2)):
            scorecard(
                application=other,
                step=steps["Interview 1"],
                competencies=comps,
                ratings={"Architectural design": (value, "x")},
                interviewer=person,
                submitted_at=earlier,
            )
    app = application_for(job)
    scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        interviewer=lenient,
        ratings={
            "Architectural design": (4, "A great culture fit, and a clear plan for splitting the feature store."),
            "Model lifecycle management": (3, "Walked through shadow traffic before promotion."),
        },
        recommendation=4,
    )
    scorecard(
        application=app,
        step=steps["Interview 2"],
        competencies=comps,
        interviewer=strict,
        ratings={
            "Architectural design": (3, "Sound decomposition; vague on capacity numbers."),
            "Model lifecycle management": (3, "Knows drift alarms and retraining triggers."),
        },
        recommendation=3,
    )
    summary_rebuild(application_id=app.pk)
    login(RecruiterFactory())

    page.goto(f"{live_server.url}/interviews/applications/{app.pk}/debrief/")

    panel = page.locator(".summary-panel")
    expect(panel).to_contain_text("Lena Lenient usually rates higher than the other interviewers")
    expect(panel).to_contain_text("Language to review")
    expect(panel).to_contain_text("“culture fit” may not be job-related (vague, and invites bias)")
    row = panel.get_by_role("row", name=re.compile("Architectural design"))
    expect(row.get_by_role("cell").nth(1)).to_have_text("3.5")  # raw mean of 4 and 3
    expect(row.get_by_role("cell").nth(2)).to_have_text("2.5")  # calibrated: Lena's 4 counts as 2, Stan's 3 as is
    screenshot("summaries-5-calibration-flags")


def test_summary_of_the_densest_demo_application_on_a_desktop(page, live_server, login, screenshot):
    from django.core.management import call_command
    from django.db.models import Count, Q

    from hiring.groups import sync_groups
    from hiring.models import Application

    sync_groups()  # the browser's transactional test flushed the groups the migration made
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    app = (
        Application.objects.annotate(
            cards=Count("interviews__scorecards", filter=Q(interviews__scorecards__status="submitted"))
        )
        .order_by("-cards", "pk")
        .first()
    )
    login(RecruiterFactory())
    page.set_viewport_size({"width": 1440, "height": 900})

    page.goto(f"{live_server.url}{reverse('hiring:application-detail', args=[app.pk])}")

    panel = page.locator(".summary-panel")
    expect(panel.locator(".summary-headline")).to_contain_text("5 scorecards from 4 interviewers")
    expect(panel.locator(".summary-coverage")).to_contain_text("17 competencies not assessed")
    # Full page width: the panel is as wide as the page's content, not a column of it.
    panel_width = panel.bounding_box()["width"]
    content_width = page.locator(".application-panels").bounding_box()["width"]
    assert panel_width >= content_width - 2
    screenshot("summaries-6-densest-desktop")

    # "Show all" opens in place; the quotes link to their sources.
    disagreement = panel.locator(".summary-disagreements .summary-point").first
    expect(disagreement.locator("details blockquote").first).to_be_hidden()
    disagreement.get_by_text("All 5 ratings").click()
    expect(disagreement.locator("details blockquote")).to_have_count(5)
    expect(disagreement.locator("details blockquote").first).to_be_visible()
    screenshot("summaries-7-densest-show-all")

    page.goto(f"{live_server.url}{reverse('interviews:debrief', args=[app.pk])}")
    expect(page.locator(".summary-disagreements details").first).to_have_attribute("open", "")
    screenshot("summaries-8-densest-debrief")
