"""Stored attack payloads rendered in Chromium: no script runs on any page that shows them.

Every script payload of the bad-input corpus is stored where people type text (candidate
name, location, source and tags, notes in Markdown, job title, stage names, scorecard
evidence and takeaways, a résumé's file name) and reflected through the search box. Each
page that shows them is opened as the person who would read it; the payloads would set
``window.__xss`` or open a dialog, and neither may happen.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.services import candidates as candidate_services
from interviews import services as interview_services
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    InterviewerFactory,
    JobFactory,
    ResumeFactory,
    StageFactory,
)
from tests.interviews.factories import InterviewPlanFactory, InterviewStepFactory, competency_with_anchors
from tests.security.corpus import SCRIPT_PAYLOADS, XSS_FLAG

PAYLOADS = list(SCRIPT_PAYLOADS.values())


@pytest.fixture
def stored(transactional_db):
    admin = AdminFactory()
    job = JobFactory(title=PAYLOADS[0][:200])
    stages = [StageFactory(job=job, name=payload[:80], order=i) for i, payload in enumerate(PAYLOADS[:3])]
    candidate = candidate_services.candidate_create(
        first_name=PAYLOADS[1][:100],
        last_name=PAYLOADS[2][:100],
        email="payload@example.test",
        phone="",
        location=PAYLOADS[3][:120],
        links=[],
        source=PAYLOADS[4][:60],
        tags=[payload[:50] for payload in PAYLOADS],
        consent_at=None,
        job=None,
        actor=admin,
    )
    application = ApplicationFactory(candidate=candidate, job=job, stage=stages[0])
    for payload in PAYLOADS:
        candidate_services.note_create(candidate=candidate, author=admin, body=payload, application=application)
    ResumeFactory(candidate=candidate, original_name=PAYLOADS[1][:255], text=PAYLOADS[0])
    interviewer = InterviewerFactory()
    competency = competency_with_anchors(template=job.template, name="System design", order=0)
    step = InterviewStepFactory(plan=InterviewPlanFactory(job=job), name=PAYLOADS[5][:120], competencies=[competency])
    interview = interview_services.interview_schedule(
        application=application,
        step=step,
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=2),
        interviewers=[interviewer],
        location=PAYLOADS[6][:200],
        created_by=admin,
    )
    card = interview.scorecards.get()
    data = {"overall_recommendation": "3", "key_takeaways": "\n".join(PAYLOADS)}
    for rating in card.ratings.all():
        data[f"rating-{rating.pk}"] = "3"
        data[f"evidence-{rating.pk}"] = "\n".join(PAYLOADS)
    interview_services.scorecard_save(scorecard_id=card.pk, user=interviewer, data=data, version=card.version)
    interview_services.scorecard_submit(scorecard_id=card.pk, user=interviewer)
    return {
        "admin": admin,
        "interviewer": interviewer,
        "job": job,
        "candidate": candidate,
        "card": card,
        "application": application,
        "interview": interview,
        "stage": stages[0],
    }


def _open_and_check(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    problems = []
    if page.evaluate(f"typeof window.{XSS_FLAG}") != "undefined":
        problems.append(f"a payload ran on {url}")
    return problems


def test_no_stored_or_reflected_payload_runs_in_the_browser(page, live_server, login, stored):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    job, candidate, application = stored["job"], stored["candidate"], stored["application"]
    admin_pages = [
        reverse("hiring:job-list"),
        reverse("hiring:job-detail", args=[job.pk]),
        reverse("hiring:board", args=[job.pk]),
        reverse("hiring:candidate-list"),
        reverse("hiring:candidate-list") + "?q=" + "%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E",
        reverse("hiring:candidate-list") + f"?tag={PAYLOADS[2][:50]}&source={PAYLOADS[4][:60]}",
        reverse("hiring:candidate-detail", args=[candidate.pk]),
        reverse("hiring:application-detail", args=[application.pk]),
        reverse("interviews:plan", args=[job.pk]),
        reverse("interviews:kit", args=[stored["interview"].pk]),
        reverse("interviews:feedback", args=[application.pk]),
        reverse("interviews:debrief", args=[application.pk]),
        reverse("interviews:job-digest", args=[job.pk]),
    ]
    problems = []
    login(stored["admin"])
    for path in admin_pages:
        problems += _open_and_check(page, live_server.url + path)
    # What the page shows is the text itself, escaped.
    page.goto(live_server.url + reverse("hiring:candidate-detail", args=[candidate.pk]))
    assert page.get_by_text("window.__xss=1").first.is_visible()

    page.context.clear_cookies()
    login(stored["interviewer"])
    for path in [
        reverse("interviews:my-interviews"),
        reverse("interviews:scorecard-edit", args=[stored["card"].pk]),
        reverse("interviews:feedback", args=[application.pk]),
    ]:
        problems += _open_and_check(page, live_server.url + path)

    assert dialogs == []
    assert problems == []
