"""The pipeline board: columns, cards, filters, load more, moving cards, permissions, query counts."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, ApplicationSubmission, Candidate, HiringTeamMember, StageChange
from interviews.services import scorecard_amend, scorecard_withdraw
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    CandidateFactory,
    HiringManagerFactory,
    InterviewerFactory,
    RecruiterFactory,
    TagFactory,
    UserFactory,
    job_with_stages,
    scorecard_for,
)
from tests.html import parse, text, texts

pytestmark = pytest.mark.django_db


def card_of(page, application):
    """The board card of an application (an element tree)."""
    found = page.xpath(f'//li[@id="application-{application.pk}"]')
    assert len(found) == 1, f"{len(found)} cards for application {application.pk}"
    return found[0]


def board_url(job, query=""):
    return reverse("hiring:board", args=[job.pk]) + query


def seed_applications(job, stages, count):
    """Many applications spread over the stages, with tags and scorecards, quickly."""
    stage_list = list(stages.values())
    candidates = Candidate.objects.bulk_create(
        Candidate(first_name=f"Cand{i}", last_name="Bulk", email=f"bulk{i}@example.test", source="LinkedIn")
        for i in range(count)
    )
    Application.objects.bulk_create(
        Application(candidate=c, job=job, stage=stage_list[i % len(stage_list)]) for i, c in enumerate(candidates)
    )
    tag = TagFactory(name="python")
    tag.candidates.add(*candidates[::3])
    interviewer = InterviewerFactory()
    for application in Application.objects.filter(job=job)[:5]:
        scorecard_for(application=application, interviewer=interviewer, ended_hours_ago=5)


def test_board_shows_a_column_per_stage_with_counts_and_cards(client, recruiter, job, stages):
    ana = ApplicationFactory(
        job=job,
        stage=stages["Technical interview"],
        candidate__first_name="Ana",
        candidate__last_name="Lee",
        stage_entered_at=timezone.now() - timezone.timedelta(days=3, hours=1),
    )
    ApplicationFactory(job=job, stage=stages["Applied"])
    ApplicationFactory(job=job, stage=stages["Applied"], status=Application.Status.REJECTED)
    interviewers = [InterviewerFactory() for _ in range(3)]
    scorecard_for(application=ana, interviewer=interviewers[0], status="submitted")
    scorecard_for(application=ana, interviewer=interviewers[1], status="submitted")
    scorecard_for(application=ana, interviewer=interviewers[2], status="draft", ended_hours_ago=3)

    response = client.get(board_url(job))

    assert response.status_code == 200
    board = response.context["board"]
    assert [c.stage.name for c in board.columns] == [
        "Applied",
        "Recruiter screen",
        "Technical interview",
        "Panel",
        "Offer",
        "Hired",
    ]
    assert [c.count for c in board.columns] == [1, 0, 1, 0, 0, 0]
    page = parse(response)
    assert texts(page, '//section[contains(@class, "board-column")]/h2/span[1]') == [
        c.stage.name for c in board.columns
    ]
    assert texts(page, '//section[contains(@class, "board-column")]/h2/span[contains(@class, "badge")]') == [
        "1",
        "0",
        "1",
        "0",
        "0",
        "0",
    ]
    card = card_of(page, ana)
    assert card.xpath("ancestor::section[@data-stage-id]/@data-stage-id") == [str(stages["Technical interview"].pk)]
    assert texts(card, './/*[contains(@class, "card-name")]') == ["Ana Lee"]
    assert "3 days in stage · 2/3 submitted" in text(card)
    assert texts(card, './/*[contains(@class, "badge")]') == ["Overdue"]


def test_a_draft_scorecard_of_an_interview_that_just_ended_is_not_overdue(client, recruiter, job, stages):
    application = ApplicationFactory(job=job, stage=stages["Panel"])
    scorecard_for(application=application, interviewer=InterviewerFactory(), status="draft", ended_hours_ago=1)

    card = card_of(parse(client.get(board_url(job))), application)

    assert "0/1 submitted" in text(card)
    assert texts(card, './/*[contains(@class, "badge")]') == []


@pytest.mark.parametrize("count", [50, 500])
def test_board_query_count_does_not_grow_with_applications(
    client, recruiter, job, stages, count, django_assert_max_num_queries
):
    seed_applications(job, stages, count)

    with django_assert_max_num_queries(15):
        response = client.get(board_url(job))

    assert response.status_code == 200
    assert sum(c.count for c in response.context["board"].columns) == count
    assert all(len(c.cards) <= 20 for c in response.context["board"].columns)


def test_board_query_count_with_filters(client, recruiter, job, stages, django_assert_max_num_queries):
    seed_applications(job, stages, 100)
    tag = TagFactory(name="python")

    with django_assert_max_num_queries(15):
        response = client.get(board_url(job, f"?source=LinkedIn&tag={tag.pk}&overdue=on"))

    assert response.status_code == 200
    expected = (
        Application.objects.filter(job=job, candidate__tags=tag, interviews__scorecards__status="draft")
        .distinct()
        .count()
    )
    assert 0 < expected < 100
    assert response.context["board"].total == expected


def test_filters_narrow_the_board_and_stay_in_the_url(client, recruiter, job, stages):
    python = TagFactory(name="python")
    tagged = ApplicationFactory(job=job, stage=stages["Applied"], candidate__source="Referral")
    tagged.candidate.tags.add(python)
    ApplicationFactory(job=job, stage=stages["Applied"], candidate__source="LinkedIn")

    by_tag = client.get(board_url(job, f"?tag={python.pk}"))
    by_source = client.get(board_url(job, "?source=LinkedIn"))

    assert by_tag.context["board"].total == 1
    assert by_source.context["board"].total == 1
    assert f"tag={python.pk}" in by_tag.context["board_url"]


def test_unknown_filter_values_are_ignored_not_an_error(client, recruiter, job, stages):
    ApplicationFactory(job=job, stage=stages["Applied"])

    response = client.get(board_url(job, "?tag=999999&source=" + "x" * 500 + "&overdue=false"))

    assert response.status_code == 200
    assert response.context["board"].total == 1


def test_htmx_request_gets_only_the_board_fragment(client, recruiter, job, stages):
    ApplicationFactory(job=job, stage=stages["Applied"], candidate__first_name="Ana")

    response = client.get(board_url(job, "?source=Referral"), headers={"HX-Request": "true"})

    fragment = parse(response)
    assert response.status_code == 200
    assert (fragment.tag, fragment.get("id")) == ("section", "board")  # the fragment alone, no page around it
    assert texts(fragment, '//*[contains(@class, "card-name")]') == ["Ana " + Candidate.objects.get().last_name]


def test_each_column_shows_a_page_and_loads_more(client, recruiter, job, stages, django_assert_max_num_queries):
    candidates = Candidate.objects.bulk_create(Candidate(first_name=f"C{i:02d}") for i in range(45))
    now = timezone.now()
    Application.objects.bulk_create(
        Application(
            candidate=c, job=job, stage=stages["Applied"], stage_entered_at=now - timezone.timedelta(minutes=100 - i)
        )
        for i, c in enumerate(candidates)
    )
    column_url = reverse("hiring:board-column", args=[job.pk, stages["Applied"].pk])

    first = client.get(board_url(job))
    with django_assert_max_num_queries(10):
        second = client.get(column_url + "?offset=20", headers={"HX-Request": "true"})
    third = client.get(column_url + "?offset=40", headers={"HX-Request": "true"})

    applied = first.context["board"].columns[0]
    assert [card.candidate.first_name for card in applied.cards][:2] == ["C00", "C01"]
    assert len(applied.cards) == 20
    more = parse(first).xpath('//section[contains(@class, "board-column")][1]//li[@class="board-more"]/a')
    assert [(a.text_content(), a.get("href"), a.get("hx-get")) for a in more] == [
        ("Load more", column_url + "?offset=20", column_url + "?offset=20")  # works with and without JavaScript
    ]
    assert second.context["cards"][0].candidate.first_name == "C20"
    second_page = parse(second)
    assert second_page.tag != "html"
    assert len(second_page.xpath('//li[contains(@class, "board-card")]')) == 20
    assert second_page.xpath('//li[@class="board-more"]/a/@href') == [column_url + "?offset=40"]
    assert len(third.context["cards"]) == 5
    assert parse(third).xpath('//li[@class="board-more"]') == []


def test_load_more_without_javascript_is_a_page(client, recruiter, job, stages):
    ApplicationFactory(job=job, stage=stages["Applied"], candidate__first_name="Ana")
    url = reverse("hiring:board-column", args=[job.pk, stages["Applied"].pk])

    response = client.get(url + "?offset=abc")

    page = parse(response)
    assert response.status_code == 200
    assert page.tag == "html"
    assert texts(page, '//*[contains(@class, "card-name")]') == ["Ana " + Candidate.objects.get().last_name]


def test_move_without_javascript_redirects_back_to_the_board(client, recruiter, job, stages):
    application = ApplicationFactory(job=job, stage=stages["Applied"])
    next_url = board_url(job, "?source=Referral")

    response = client.post(
        reverse("hiring:application-move", args=[application.pk]),
        {"to_stage": stages["Panel"].pk, "version": 1, "next": next_url},
    )

    assert response.status_code == 302
    assert response.url == next_url
    application.refresh_from_db()
    assert application.stage == stages["Panel"]
    assert StageChange.objects.get(application=application).actor == recruiter


def test_a_cards_own_move_form_and_link_work_with_csrf_checks_on(recruiter, job, stages):
    # Each card's links and CSRF field are made once per request and shared; the form still posts.
    applications = [ApplicationFactory(job=job, stage=stages["Applied"]) for _ in range(3)]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(recruiter)
    page = parse(browser.get(board_url(job)))
    card = card_of(page, applications[1])
    form = card.xpath(".//form")[0]

    assert card.xpath(".//a[contains(@class, 'card-name')]/@href") == [
        reverse("hiring:application-detail", args=[applications[1].pk])
    ]
    assert form.get("action") == reverse("hiring:application-move", args=[applications[1].pk])
    assert card.get("data-move-url") == form.get("action")
    token = form.xpath(".//input[@name='csrfmiddlewaretoken']/@value")[0]
    response = browser.post(
        form.get("action"), {"csrfmiddlewaretoken": token, "to_stage": stages["Panel"].pk, "version": 1}
    )

    assert response.status_code == 302
    applications[1].refresh_from_db()
    assert applications[1].stage == stages["Panel"]


def test_move_with_htmx_returns_the_updated_board(client, recruiter, job, stages, django_assert_max_num_queries):
    application = ApplicationFactory(job=job, stage=stages["Applied"], candidate__first_name="Ana")

    # 20, plus the audit entry of the move (the old row, the job for its label, the insert).
    with django_assert_max_num_queries(23):
        response = client.post(
            reverse("hiring:application-move", args=[application.pk]),
            {"to_stage": stages["Offer"].pk, "version": 1},
            headers={"HX-Request": "true", "HX-Current-URL": "http://testserver" + board_url(job)},
        )

    assert response.status_code == 200
    fragment = parse(response)
    assert (fragment.tag, fragment.get("id")) == ("section", "board")
    assert "moved to Offer" in " ".join(texts(fragment, './div[@role="alert"]'))
    assert card_of(fragment, application).xpath("ancestor::section[@data-stage-id]/@data-stage-id") == [
        str(stages["Offer"].pk)
    ]
    assert [c.count for c in response.context["board"].columns][4] == 1


def test_stale_move_shows_who_moved_it_and_the_current_board(client, recruiter, job, stages):
    application = ApplicationFactory(
        job=job, stage=stages["Applied"], candidate__first_name="Ana", candidate__last_name="Lee"
    )
    other = RecruiterFactory(first_name="Omar", last_name="Other")
    from hiring.services import application_move

    application_move(application=application, to_stage=stages["Panel"], actor=other, expected_version=1)
    url = reverse("hiring:application-move", args=[application.pk])

    plain = client.post(url, {"to_stage": stages["Offer"].pk, "version": 1})
    htmx = client.post(url, {"to_stage": stages["Offer"].pk, "version": 1}, headers={"HX-Request": "true"})

    assert plain.status_code == 409
    notice = "Ana Lee was moved by Omar Other to Panel a moment ago."
    assert texts(parse(plain), '//section[@id="board"]/div[@role="alert"]') == [notice]
    assert htmx.status_code == 200
    assert texts(parse(htmx), './div[@role="alert"]') == [notice]
    assert [c.count for c in htmx.context["board"].columns][3] == 1
    application.refresh_from_db()
    assert application.stage == stages["Panel"]
    assert application.stage_changes.count() == 1


def test_moving_to_a_stage_of_another_job_or_a_forged_id_is_404(client, recruiter, job, stages):
    application = ApplicationFactory(job=job, stage=stages["Applied"])
    other_stage = job_with_stages().stages.first()
    url = reverse("hiring:application-move", args=[application.pk])

    assert client.post(url, {"to_stage": other_stage.pk, "version": 1}).status_code == 404
    assert client.post(url, {"to_stage": 99999999}).status_code == 404
    assert client.post(reverse("hiring:application-move", args=[99999999]), {"to_stage": 1}).status_code == 404
    assert client.post(url, {"to_stage": "not-a-number"}).status_code == 400
    application.refresh_from_db()
    assert application.stage == stages["Applied"]


def test_names_with_markup_are_escaped_on_the_board(client, recruiter, job, stages):
    ApplicationFactory(
        job=job,
        stage=stages["Applied"],
        candidate__first_name="<script>alert(1)</script>",
        candidate__source="<b>bold</b>",
    )

    page = parse(client.get(board_url(job)))

    assert page.xpath('//script[contains(., "alert(1)")]') == []  # shown as text, never run
    assert page.xpath('//*[contains(@class, "card-name")][starts-with(., "<script>alert(1)</script>")]') != []
    assert page.xpath('//b[. = "bold"]') == []


def test_markup_in_a_name_or_source_stays_text_in_every_part_of_a_card(client, recruiter, job, stages):
    """The cards are written in Python (hiring/views/board_cards.py): the link, both labels and the
    sources are escaped on the board and on a "Load more" page alike."""
    name = "\"><script>alert(2)</script> O'Neil & <i>Co</i>"
    plain = ApplicationFactory(
        job=job,
        stage=stages["Applied"],
        candidate__first_name=name,
        candidate__last_name="",
        candidate__source="<b>x</b>",
    )
    careers = ApplicationFactory(job=job, stage=stages["Applied"], candidate__first_name=name, candidate__last_name="")
    ApplicationSubmission.objects.create(
        application=careers, source="<b>site</b>", consent_version="1", consent_at=timezone.now()
    )
    column_page = reverse("hiring:board-column", args=[job.pk, stages["Applied"].pk]) + "?offset=0"

    for page in (parse(client.get(board_url(job))), parse(client.get(column_page))):
        assert (
            page.xpath("//li[contains(@class, 'board-card')]//script | //li[contains(@class, 'board-card')]//b") == []
        )
        for application in (plain, careers):
            card = card_of(page, application)
            assert texts(card, './/*[contains(@class, "card-name")]') == [name]
            assert card.xpath('.//input[@name="application_ids"]/@aria-label') == [f"Select {name}"]
            assert texts(card, ".//label") == [f"Move {name} to"]
        assert "· <b>x</b>" in text(card_of(page, plain))
        assert texts(card_of(page, careers), './/span[@class="card-source"]') == ["<b>site</b>"]


@pytest.mark.parametrize(
    ("make_user", "sees", "moves"),
    [
        (AdminFactory, 200, 302),
        (RecruiterFactory, 200, 302),
        ("manager_on_team", 200, 302),
        (HiringManagerFactory, 404, 404),
        (InterviewerFactory, 404, 404),
        (UserFactory, 404, 404),
    ],
)
def test_board_and_moves_per_role(client, job, stages, make_user, sees, moves):
    if make_user == "manager_on_team":
        user = HiringManagerFactory()
        HiringTeamMember.objects.create(job=job, user=user, role=HiringTeamMember.Role.HIRING_MANAGER)
    else:
        user = make_user()
    application = ApplicationFactory(job=job, stage=stages["Applied"])
    if make_user is InterviewerFactory:
        scorecard_for(application=application, interviewer=user)
    client.force_login(user)

    assert client.get(board_url(job)).status_code == sees
    response = client.post(
        reverse("hiring:application-move", args=[application.pk]), {"to_stage": stages["Panel"].pk, "version": 1}
    )
    assert response.status_code == moves
    application.refresh_from_db()
    assert (application.stage == stages["Panel"]) == (moves == 302)


def test_anonymous_visitor_is_sent_to_login(client, job):
    response = client.get(board_url(job))

    assert response.status_code == 302
    assert reverse("login") in response.url


def test_board_page_has_the_drag_script_and_keyboard_menu(client, recruiter, job, stages):
    application = ApplicationFactory(
        job=job, stage=stages["Applied"], candidate__first_name="Ana", candidate__last_name="Lee"
    )

    page = parse(client.get(board_url(job)))

    assert [src.rsplit("/", 1)[-1] for src in page.xpath("//script/@src") if "board" in src] == ["board.js"]
    assert card_of(page, application).get("draggable") == "true"
    label = page.xpath(f'//label[@for="move-{application.pk}"]')[0]
    assert (text(label), label.get("class")) == ("Move Ana Lee to", "visually-hidden")
    assert page.xpath(f'//select[@id="move-{application.pk}"]/@name') == ["to_stage"]
    assert CandidateFactory._meta.model is Candidate


def test_scorecards_being_amended_or_withdrawn_are_not_overdue(client, recruiter, job, stages):
    application = ApplicationFactory(job=job, stage=stages["Panel"])
    amended = scorecard_for(
        application=application, interviewer=InterviewerFactory(), ended_hours_ago=10, status="submitted"
    )
    scorecard_amend(scorecard_id=amended.pk, user=amended.interviewer)  # submitted once, reopened to amend
    withdrawn = scorecard_for(
        application=application, interviewer=InterviewerFactory(), ended_hours_ago=10, status="submitted"
    )
    scorecard_withdraw(scorecard_id=withdrawn.pk, user=withdrawn.interviewer)

    response = client.get(board_url(job, "?overdue=on"))
    page = client.get(reverse("hiring:job-detail", args=[job.pk]))

    assert response.context["board"].total == 0
    assert page.context["job"].overdue_scorecards == 0
