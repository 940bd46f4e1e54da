"""The summary panel, its fragment URL and the debrief page: who sees what, pending and outdated states."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from interviews.models import ApplicationSummary, Scorecard
from interviews.summaries.services import summary_rebuild, summary_request
from tests.hiring.factories import (
    AdminFactory,
    HiringManagerFactory,
    HiringTeamMemberFactory,
    InterviewerFactory,
    RecruiterFactory,
    UserFactory,
)

from .summary_builders import (
    application_for,
    role_job,
    scorecard,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    """An application where one interviewer submitted and another has only a draft."""
    job, comps, steps = role_job(competencies=2)
    app = application_for(job)
    submitted_by = InterviewerFactory(first_name="Sam", last_name="Submitted")
    drafting = InterviewerFactory(first_name="Dana", last_name="Drafting")
    card = scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        interviewer=submitted_by,
        ratings={"Architectural design": (4, "Sketched a multi-region feature store with clear trade-offs.")},
        recommendation=4,
    )
    scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        interviewer=drafting,
        status=Scorecard.Status.DRAFT,
        ratings={"Architectural design": (2, "draft")},
        recommendation=None,
    )
    summary_rebuild(application_id=app.pk)
    manager = HiringManagerFactory()
    HiringTeamMemberFactory(job=job, user=manager, role="hiring_manager")
    return {"app": app, "card": card, "submitted_by": submitted_by, "drafting": drafting, "manager": manager}


def panel_html(user, application) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load interview_panels %}{% application_summary application %}")
    return template.render(Context({"request": request, "application": application}))


SEES = ["admin", "recruiter", "manager", "submitted_by"]
HIDDEN = ["drafting", "other_manager", "stranger_interviewer", "no_role"]


def user_for(name, case):
    return {
        "admin": AdminFactory,
        "recruiter": RecruiterFactory,
        "other_manager": HiringManagerFactory,
        "stranger_interviewer": InterviewerFactory,
        "no_role": UserFactory,
    }.get(name, lambda: case[name])()


@pytest.mark.parametrize("who", SEES)
def test_summary_visible_to_the_hiring_team_and_to_interviewers_who_submitted(who, case, client):
    user = user_for(who, case)
    client.force_login(user)
    url = reverse("interviews:application-summary", args=[case["app"].pk])

    fragment = client.get(url, headers={"HX-Request": "true"})
    debrief = client.get(reverse("interviews:debrief", args=[case["app"].pk]))

    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "<html" not in body  # only the fragment
    assert "Sketched a multi-region feature store" in body
    assert f"S{case['card'].pk}" in body
    assert debrief.status_code == 200
    assert "Debrief:" in debrief.content.decode()
    assert "Sketched a multi-region feature store" in panel_html(user, case["app"])


@pytest.mark.parametrize("who", HIDDEN)
def test_no_summary_anywhere_for_those_who_may_not_see_it(who, case, client):
    user = user_for(who, case)
    client.force_login(user)

    fragment = client.get(reverse("interviews:application-summary", args=[case["app"].pk]))
    debrief = client.get(reverse("interviews:debrief", args=[case["app"].pk]))

    assert fragment.status_code == 404
    assert debrief.status_code == 404
    html = panel_html(user, case["app"])
    assert "Sketched" not in html
    assert "Strong yes" not in html


def test_interviewer_who_has_not_submitted_is_told_why(case):
    html = panel_html(case["drafting"], case["app"])
    assert "Submit your own scorecard to see the summary" in html


def test_anonymous_users_are_sent_to_sign_in(case, client):
    response = client.get(reverse("interviews:debrief", args=[case["app"].pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_application_is_404(client):
    client.force_login(AdminFactory())
    assert client.get(reverse("interviews:application-summary", args=[99999])).status_code == 404
    assert client.get(reverse("interviews:debrief", args=[99999])).status_code == 404


def test_ready_summary_does_not_poll(case, client):
    client.force_login(RecruiterFactory())
    body = client.get(reverse("interviews:application-summary", args=[case["app"].pk])).content.decode()
    assert "hx-trigger" not in body
    assert "being built" not in body


def test_pending_summary_polls_every_two_seconds(case, client):
    summary_request(application_id=case["app"].pk)  # queued, the worker has not run yet
    client.force_login(RecruiterFactory())
    url = reverse("interviews:application-summary", args=[case["app"].pk])

    body = client.get(url).content.decode()

    assert 'hx-trigger="every 2s"' in body
    assert f'hx-get="{url}"' in body
    assert "being built" in body


def test_outdated_summary_is_shown_as_outdated_and_polls(case, client):
    Scorecard.objects.filter(pk=case["card"].pk).update(version=5)  # amended, no rebuild yet
    client.force_login(RecruiterFactory())

    body = client.get(reverse("interviews:application-summary", args=[case["app"].pk])).content.decode()

    assert "Outdated:" in body
    assert 'hx-trigger="every 2s"' in body
    assert "Sketched a multi-region feature store" in body  # the last summary stays readable meanwhile


def test_submitted_scorecards_without_a_summary_show_it_is_being_built(case, client):
    ApplicationSummary.objects.all().delete()
    client.force_login(RecruiterFactory())
    body = client.get(reverse("interviews:application-summary", args=[case["app"].pk])).content.decode()
    assert "being built" in body
    assert 'hx-trigger="every 2s"' in body


def test_debrief_is_printable_and_lists_its_sources(case, client):
    client.force_login(RecruiterFactory())
    body = client.get(reverse("interviews:debrief", args=[case["app"].pk])).content.decode()
    # The print styles live in the site's stylesheet (the CSP allows no inline <style>).
    assert 'href="/static/css/app.css"' in body
    assert 'class="debrief"' in body
    assert "data-print" in body
    stylesheet = Path(finders.find("css/app.css")).read_text()
    assert "@media print" in stylesheet
    assert "body:has(.debrief) > header" in stylesheet
    assert f'id="summary-{case["app"].pk}-s{case["card"].pk}"' in body
    assert "Sam Submitted" in body


def test_fragment_and_debrief_take_constant_queries(case, client, django_assert_max_num_queries):
    client.force_login(RecruiterFactory())
    with django_assert_max_num_queries(10):
        client.get(reverse("interviews:application-summary", args=[case["app"].pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("interviews:debrief", args=[case["app"].pk]))


def test_a_failed_rebuild_is_said_and_stops_polling(case, client, monkeypatch, django_capture_on_commit_callbacks):
    from interviews import tasks
    from interviews.summaries import services as summary_services

    def broken(**kwargs):
        raise ValueError("bad data")

    monkeypatch.setattr(summary_services, "summary_rebuild", broken)
    Scorecard.objects.filter(pk=case["card"].pk).update(version=9)
    with pytest.raises(ValueError, match="bad data"), django_capture_on_commit_callbacks(execute=True):
        summary_request(application_id=case["app"].pk)
    client.force_login(RecruiterFactory())

    body = client.get(reverse("interviews:application-summary", args=[case["app"].pk])).content.decode()

    assert ApplicationSummary.objects.get(application=case["app"]).status == ApplicationSummary.Status.FAILED
    assert "could not be rebuilt" in body
    assert "hx-trigger" not in body
    assert "Sketched a multi-region feature store" in body
    assert tasks.summarize_application.max_retries


def test_a_language_model_narrative_is_shown_and_labelled(case, client):
    ApplicationSummary.objects.filter(application=case["app"]).update(
        backend="llm", narrative="Interviewer A saw strong design skills [S1]."
    )
    client.force_login(RecruiterFactory())

    body = client.get(reverse("interviews:debrief", args=[case["app"].pk])).content.decode()

    assert "Interviewer A saw strong design skills [S1]." in body
    assert "written by a language model" in body
