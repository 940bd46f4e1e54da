"""The hiring decision: who records it, the override before every scorecard is in, citations that
link back, the timeline and the debrief, and the hiring manager's "Needs my decision" list."""

import pytest
from django.urls import reverse

from interviews.models import HiringDecision
from interviews.selectors import decision_for
from interviews.services import decision_record, scorecard_withdraw, summary_rebuild
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    HiringManagerFactory,
    HiringTeamMemberFactory,
    RecruiterFactory,
    job_with_stages,
    scorecard_for,
)
from tests.interviews.factories import application_with_scorecards

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored():
    scored = application_with_scorecards(interviewers=2, competencies=2)
    summary_rebuild(application_id=scored.application.pk)
    return scored


@pytest.fixture
def manager(scored):
    user = HiringManagerFactory()
    HiringTeamMemberFactory(job=scored.job, user=user, role="hiring_manager")
    return user


def decision_url(application):
    return reverse("interviews:decision", args=[application.pk])


def test_a_manager_records_a_decision_citing_the_summary_and_a_scorecard(client, scored, manager):
    client.force_login(manager)
    page = client.get(decision_url(scored.application)).content.decode()
    assert "summary:signal.0" in page
    card = scored.scorecards[0]
    response = client.post(
        decision_url(scored.application),
        {
            "outcome": "hire",
            "rationale": "Strong on both competencies; the panel agrees.",
            "citations": ["summary:signal.0", f"scorecard:{card.pk}"],
        },
    )
    assert response.status_code == 302
    decision = decision_for(scored.application)
    assert decision.outcome == "hire"
    assert decision.decided_by == manager
    assert [c["key"] for c in decision.citations] == ["summary:signal.0", f"scorecard:{card.pk}"]
    assert decision.override_reason == ""
    application_page = client.get(reverse("hiring:application-detail", args=[scored.application.pk])).content.decode()
    assert "Decision: Hire" in application_page  # the timeline
    assert f'href="#summary-{scored.application.pk}-signal-0"' in application_page  # the citation links back
    assert f'id="summary-{scored.application.pk}-signal-0"' in application_page  # ... to the summary's point
    assert f'href="#scorecard-{card.pk}"' in application_page
    assert f'id="scorecard-{card.pk}"' in application_page
    debrief = client.get(reverse("interviews:debrief", args=[scored.application.pk])).content.decode()
    assert "Strong on both competencies" in debrief


def test_before_every_scorecard_is_in_the_decision_needs_a_reason(client, scored, manager):
    scorecard_for(application=scored.application, interviewer=scored.interviewers[0], status="draft")
    client.force_login(manager)
    data = {"outcome": "no_hire", "rationale": "Not enough depth."}
    response = client.post(decision_url(scored.application), data)
    assert response.status_code == 400
    assert "1 required scorecard is not in yet" in response.content.decode()
    assert not HiringDecision.objects.exists()
    response = client.post(decision_url(scored.application), {**data, "override_reason": "The candidate withdrew"})
    assert response.status_code == 302
    decision = decision_for(scored.application)
    assert decision.override_reason == "The candidate withdrew"
    assert (decision.scorecards_submitted, decision.scorecards_required) == (2, 3)


def test_a_withdrawn_scorecard_is_not_required(scored):
    card = scored.scorecards[0]
    scorecard_withdraw(scorecard_id=card.pk, user=card.interviewer)
    decision = decision_record(
        application=scored.application, outcome="hold", rationale="Waiting", citations=[], actor=None
    )
    assert (decision.scorecards_submitted, decision.scorecards_required) == (1, 1)


@pytest.mark.parametrize(
    "data",
    [
        {"outcome": "hire", "rationale": "   "},
        {"outcome": "maybe", "rationale": "Why not"},
        {"outcome": "hire", "rationale": "Forged", "citations": ["scorecard:999999"]},
        {"outcome": "hire", "rationale": "Forged", "citations": ["summary:agreements.99"]},
    ],
)
def test_bad_input_is_refused_and_nothing_is_recorded(client, scored, manager, data):
    client.force_login(manager)
    response = client.post(decision_url(scored.application), data)
    assert response.status_code == 400
    assert not HiringDecision.objects.exists()


def test_another_applications_scorecard_cannot_be_cited(scored):
    other = application_with_scorecards(interviewers=1, competencies=1)
    with pytest.raises(Exception, match="Cite only points"):
        decision_record(
            application=scored.application,
            outcome="hire",
            rationale="Forged",
            citations=[f"scorecard:{other.scorecards[0].pk}"],
            actor=None,
        )
    assert not HiringDecision.objects.exists()


def test_who_may_record_a_decision(client, scored, manager):
    off_team = HiringManagerFactory()
    for user, status in ((RecruiterFactory(), 404), (off_team, 404), (AdminFactory(), 200), (manager, 200)):
        client.force_login(user)
        assert client.get(decision_url(scored.application)).status_code == status


def test_needs_my_decision_lists_complete_undecided_applications(
    client, scored, manager, django_assert_max_num_queries
):
    job = scored.job
    waiting = ApplicationFactory(job=job, stage=job.stages.first())
    scorecard_for(application=waiting, interviewer=scored.interviewers[0], status="draft")
    elsewhere = application_with_scorecards(interviewers=1, competencies=1)  # another job's team
    decided = application_with_scorecards(interviewers=1, competencies=1, job=job_with_stages())
    HiringTeamMemberFactory(job=decided.job, user=manager, role="hiring_manager")
    decision_record(application=decided.application, outcome="hire", rationale="Yes", citations=[], actor=manager)
    client.force_login(manager)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("home")).content.decode()
    assert "Needs my decision" in page
    assert reverse("hiring:application-detail", args=[scored.application.pk]) in page
    for absent in (waiting, elsewhere.application, decided.application):
        assert reverse("hiring:application-detail", args=[absent.pk]) not in page


@pytest.mark.parametrize("size", [1, 15])
def test_needs_my_decision_costs_the_same_whatever_the_size(client, django_assert_max_num_queries, size):
    manager = HiringManagerFactory()
    for _ in range(size):
        made = application_with_scorecards(interviewers=1, competencies=1)
        HiringTeamMemberFactory(job=made.job, user=manager, role="hiring_manager")
    client.force_login(manager)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("home")).content.decode()
    assert page.count('class="list-group-item px-0 d-flex') == size


def test_the_job_page_links_its_plan_digest_and_board(client, scored):
    client.force_login(RecruiterFactory())
    page = client.get(reverse("hiring:job-detail", args=[scored.job.pk])).content.decode()
    for name in ("interviews:plan", "interviews:job-digest"):
        assert reverse(name, args=[scored.job.pk]) in page
    assert reverse("hiring:board", args=[scored.job.pk]) in page
