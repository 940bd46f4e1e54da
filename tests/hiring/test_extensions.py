"""hiring's extension points: interviews fills them in, and hiring works without them.

hiring never imports interviews; the board's scorecard figures, the overdue rule, the
timeline's interviews, the default plan of a new job and interviewers' access come from
the providers interviews registers in its ``AppConfig.ready()``.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from hiring import extensions
from hiring.rules import applications_visible_to
from hiring.selectors import board_get
from hiring.selectors.board import BoardFilters
from hiring.selectors.timeline import candidate_timeline
from tests.hiring.factories import (
    ApplicationFactory,
    InterviewerFactory,
    RecruiterFactory,
    job_with_stages,
    scorecard_for,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_interviews_registers_every_provider_once():
    apps.get_app_config("interviews").ready()  # a second ready() must not register twice

    registry = extensions.registry
    assert list(registry.board_facts) == ["interviews.scorecards"]
    assert list(registry.timeline) == ["interviews.interviews"]
    assert list(registry.job_opened) == ["interviews.default_plan"]
    assert list(registry.application_access) == ["interviews.interviewers"]
    assert list(registry.application_panels) == ["interviews.summary", "interviews.decision", "interviews.feedback"]
    assert list(registry.decision_queues) == ["interviews.decisions"]
    assert list(registry.job_links) == ["interviews.plan_and_digest"]


def test_with_interviews_the_board_counts_scorecards_and_the_interviewer_sees_the_application(client):
    job = job_with_stages(title="Data engineer")
    application = ApplicationFactory(job=job, stage=job.stages.first())
    interviewer = InterviewerFactory()
    scorecard_for(application=application, interviewer=interviewer, ended_hours_ago=30)

    card = board_get(job=job, filters=BoardFilters()).columns[0].cards[0]

    assert (card.scorecards_submitted, card.scorecards_total, card.has_overdue) == (0, 1, True)
    assert list(applications_visible_to(user=interviewer)) == [application]
    assert hasattr(job, "interview_plan")
    client.force_login(RecruiterFactory())
    application_page = client.get(reverse("hiring:application-detail", args=[application.pk])).content.decode()
    assert "Feedback summary" in application_page


def test_without_interviews_hiring_still_works(monkeypatch, client):
    job = job_with_stages(title="Data engineer")
    application = ApplicationFactory(job=job, stage=job.stages.first())
    interviewer = InterviewerFactory()
    scorecard_for(application=application, interviewer=interviewer, ended_hours_ago=30)
    recruiter = RecruiterFactory()
    monkeypatch.setattr(extensions, "registry", extensions.Registry())  # as if nothing were above hiring

    card = board_get(job=job, filters=BoardFilters(overdue=False)).columns[0].cards[0]
    overdue_board = board_get(job=job, filters=BoardFilters(overdue=True))
    events = candidate_timeline(user=recruiter, candidate=application.candidate)

    assert (card.scorecards_submitted, card.scorecards_total, card.has_overdue) == (0, 0, False)
    assert overdue_board.total == 0
    assert [event.kind for event in events if event.kind == "interview"] == []
    assert not applications_visible_to(user=interviewer).exists()
    assert not hasattr(job_with_stages(title="Analyst"), "interview_plan")  # no "job opened" hook ran
    client.force_login(recruiter)
    page = client.get(reverse("hiring:board", args=[job.pk]))
    assert page.status_code == 200
    assert "no scorecards" in page.content.decode()
    application_page = client.get(reverse("hiring:application-detail", args=[application.pk]))
    assert application_page.status_code == 200
    assert "Feedback summary" not in application_page.content.decode()  # no interview panels
    assert "Interview plan" not in client.get(reverse("hiring:job-detail", args=[job.pk])).content.decode()


def test_the_overdue_rule_follows_the_reminder_setting(settings, client):
    """One rule for the board, the job page and the reminders: SCORECARD_REMINDER_HOURS after the end."""
    settings.SCORECARD_REMINDER_HOURS = 6
    job = job_with_stages(title="Data engineer")
    stage = job.stages.first()
    interviewer = InterviewerFactory()
    owed_soon = ApplicationFactory(job=job, stage=stage)
    owed_now = ApplicationFactory(job=job, stage=stage)
    scorecard_for(application=owed_soon, interviewer=interviewer, ended_hours_ago=3)
    scorecard_for(application=owed_now, interviewer=interviewer, ended_hours_ago=7)
    client.force_login(RecruiterFactory())

    cards = {card.pk: card for card in board_get(job=job, filters=BoardFilters()).columns[0].cards}
    job_page = client.get(reverse("hiring:job-detail", args=[job.pk]))

    assert not cards[owed_soon.pk].has_overdue  # 3 hours: overdue under a 2-hour rule, not under 6
    assert cards[owed_now.pk].has_overdue
    assert [c.pk for c in board_get(job=job, filters=BoardFilters(overdue=True)).columns[0].cards] == [owed_now.pk]
    assert job_page.context["job"].overdue_scorecards == 1


def test_a_web_process_enqueues_by_name_without_having_imported_any_tasks_module():
    """Services name their tasks; a process that never imported ``tasks.py`` still finds them."""
    code = (
        "import django; django.setup();"
        "import sys;"
        "from hiring.background import _task;"
        "assert 'hiring.tasks' not in sys.modules;"
        "print(_task('hiring.tasks.outbox_deliver').name, _task('interviews.tasks.summarize_application').name)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["hiring.tasks.outbox_deliver", "interviews.tasks.summarize_application"]
