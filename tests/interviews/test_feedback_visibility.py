"""Independent feedback, for every role, on every surface: page, fragment, export, panel, summary."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from interviews import selectors
from tests.interviews.conftest import submit

HX = {"HTTP_HX_REQUEST": "true"}
BOB_TEXT = "Bob evidence: spotted the race condition at once."


@pytest.fixture
def bob_submitted(bob_card):
    submit(bob_card, evidence=BOB_TEXT)
    bob_card.refresh_from_db()
    return bob_card


def surfaces(client, application_id):
    page = client.get(reverse("interviews:feedback", args=[application_id]))
    fragment = client.get(reverse("interviews:feedback", args=[application_id]), **HX)
    export = client.get(reverse("interviews:feedback-export", args=[application_id]))
    return page, fragment, export


@pytest.mark.parametrize("who", ["admin", "recruiter", "manager"])
def test_recruiters_admins_and_the_jobs_hiring_managers_see_all_submitted_feedback(client, people, bob_submitted, who):
    client.force_login(people[who])
    for response in surfaces(client, bob_submitted.interview.application_id):
        assert response.status_code == 200
        assert BOB_TEXT in response.content.decode()
    assert "Private note" not in surfaces(client, bob_submitted.interview.application_id)[0].content.decode()


def test_an_interviewer_who_has_not_submitted_sees_only_their_own(client, people, alice_card, bob_submitted):
    client.force_login(people["alice"])
    page, fragment, export = surfaces(client, alice_card.interview.application_id)
    for response in (page, fragment, export):
        assert response.status_code == 200
        assert BOB_TEXT not in response.content.decode()
    assert "Submit your own scorecard first" in page.content.decode()
    assert "<html" not in fragment.content.decode()
    visible = selectors.scorecards_visible_for(user=people["alice"], application_id=alice_card.interview.application_id)
    assert [card.pk for card in visible["scorecards"]] == [alice_card.pk]
    assert selectors.application_summary(user=people["alice"], application=alice_card.interview.application)[
        "summary_hidden"
    ]


def test_after_submitting_the_interviewer_sees_colleagues_but_not_their_private_notes(
    client, people, alice_card, bob_submitted
):
    type(bob_submitted).objects.filter(pk=bob_submitted.pk).update(private_note="Bob private worry")
    submit(alice_card)
    client.force_login(people["alice"])
    for response in surfaces(client, alice_card.interview.application_id):
        body = response.content.decode()
        assert BOB_TEXT in body
        assert "Bob private worry" not in body
    assert not selectors.application_summary(user=people["alice"], application=alice_card.interview.application)[
        "summary_hidden"
    ]


def test_others_drafts_are_never_shown_even_to_recruiters(client, people, alice_card, bob_card):
    from interviews.services import scorecard_field_save

    rating = bob_card.ratings.first()
    scorecard_field_save(
        scorecard_id=bob_card.pk,
        user=people["bob"],
        field=f"evidence-{rating.pk}",
        value="Half a thought",
        version=1,
        base="",
    )
    client.force_login(people["recruiter"])
    page, _, export = surfaces(client, bob_card.interview.application_id)
    assert "Half a thought" not in page.content.decode()
    assert "Half a thought" not in export.content.decode()


@pytest.mark.parametrize("who", ["outsider", "other_manager", "nobody"])
def test_people_outside_the_application_get_404_everywhere(client, people, bob_submitted, who):
    client.force_login(people[who])
    for response in surfaces(client, bob_submitted.interview.application_id):
        assert response.status_code == 404
    assert client.get(reverse("interviews:kit", args=[bob_submitted.interview_id])).status_code == 404


@pytest.mark.parametrize(
    ("who", "sees_bob"),
    [("admin", True), ("recruiter", True), ("manager", True), ("alice", False), ("bob", True)],
)
def test_the_application_page_panel_follows_the_same_rule(people, bob_submitted, who, sees_bob):
    request = RequestFactory().get("/")
    request.user = people[who]
    html = Template("{% load interview_panels %}{% application_feedback application %}").render(
        Context({"request": request, "application": bob_submitted.interview.application})
    )
    assert (BOB_TEXT in html) is sees_bob
    assert ("1/2 submitted" in html) is sees_bob
    assert ("Schedule an interview" in html) is (who in ("admin", "recruiter"))
    assert "Panel" in html


def test_panel_query_count_does_not_grow_with_scorecards(people, django_assert_max_num_queries):
    from tests.interviews.factories import application_with_scorecards

    for size in (2, 8):
        built = application_with_scorecards(interviewers=size, competencies=6)
        request = RequestFactory().get("/")
        request.user = people["recruiter"]
        with django_assert_max_num_queries(8):
            Template("{% load interview_panels %}{% application_feedback application %}").render(
                Context({"request": request, "application": built.application})
            )


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("recruiter", 200), ("manager", 200)])
def test_kit_opens_for_its_interviewers_and_the_hiring_team(client, people, interview, who, status):
    client.force_login(people[who])
    response = client.get(reverse("interviews:kit", args=[interview.pk]))
    assert response.status_code == status
    body = response.content.decode()
    assert "System design" in body
    assert "Tell me about a time you used System design." in body
    assert "System design: Showed it at a level that would raise the team" in body


def test_kit_shows_the_latest_resume_text(client, people, interview):
    from django.core.files.base import ContentFile

    from hiring.models import Resume

    candidate = interview.application.candidate
    for name, text in (("old.pdf", "Old résumé text"), ("new.pdf", "Ten years of distributed systems at scale")):
        Resume.objects.create(
            candidate=candidate,
            file=ContentFile(b"x", name=name),
            original_name=name,
            content_type="application/pdf",
            size=1,
            text=text,
            status="done",
        )
    client.force_login(people["alice"])
    body = client.get(reverse("interviews:kit", args=[interview.pk])).content.decode()
    assert "Ten years of distributed systems at scale" in body
    assert "Old résumé text" not in body


@pytest.mark.parametrize("size", [2, 8])
def test_feedback_page_and_export_queries_do_not_grow(client, people, django_assert_max_num_queries, size):
    from tests.interviews.factories import application_with_scorecards

    built = application_with_scorecards(interviewers=size, competencies=12)
    client.force_login(people["recruiter"])
    with django_assert_max_num_queries(10):
        page = client.get(reverse("interviews:feedback", args=[built.application.pk]))
    assert page.content.decode().count('class="card mb-3"') == size
    with django_assert_max_num_queries(10):
        export = client.get(reverse("interviews:feedback-export", args=[built.application.pk]))
    assert len(export.content.decode().strip().splitlines()) == 1 + size * 12
