"""The fragment cache (roles/fragments.py): fast pages that are never stale and never shared.

* Every role sees, from the cache, exactly what it sees without it, after the most privileged
  viewer filled the cache first (blind review, hiring-team membership and permissions included).
* A committed write of any kind (``save()``, ``QuerySet.update()``, ``bulk_create()``, raw SQL)
  makes every fragment out of date; an uncommitted or rolled-back one does not.
* A cached page's forms still post (their CSRF token is the session's), its scripts still carry
  the response's nonce, and a cache outage only costs the render.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, Candidate, OutboxMessage
from hiring.services import application_create, application_move, candidate_update, note_create
from interviews.models import Scorecard
from interviews.services import interview_schedule
from roles import fragments
from roles.models import Competency
from tests.hiring.factories import CandidateFactory, job_with_stages
from tests.html import parse
from tests.interviews.factories import scorecard_submitted
from tests.roles.factories import CompetencyFactory, RoleTemplateFactory

pytestmark = pytest.mark.django_db

PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value="|nonce="|"X-CSRFToken": ")[^"]*"')


def same_page(content: bytes) -> str:
    """A page without what differs between two responses of one session (masked tokens, nonces)."""
    return PER_RESPONSE.sub(r'\1…"', content.decode())


@pytest.fixture
def world(users, django_capture_on_commit_callbacks):
    """A blind job (the manager on its team), Zelda at the panel with a past interview, another job's Yann."""
    job = job_with_stages(
        title="Data Platform Lead",
        blind_review=True,
        team=[(users["manager"], "hiring_manager"), (users["recruiter"], "recruiter")],
    )
    stages = {stage.name: stage for stage in job.stages.all()}
    zelda = CandidateFactory(first_name="Zelda", last_name="Quist", email="zelda@example.test")
    application = application_create(candidate=zelda, job=job, actor=users["recruiter"])
    application = application_move(application=application, to_stage=stages["Panel"], actor=users["recruiter"])
    note_create(candidate=zelda, author=users["recruiter"], body="Prefers remote work.")
    other_job = job_with_stages(title="Payments Engineer")
    application_create(candidate=CandidateFactory(first_name="Yann", last_name="Other"), job=other_job)
    step = job.interview_plan.steps.filter(stage=stages["Panel"]).order_by("order").first()
    start = timezone.now() - timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=False):
        interview_schedule(
            application=application,
            step=step,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            interviewers=[users["interviewer"]],
            created_by=users["recruiter"],
        )
    return {"job": job, "stages": stages, "application": application, "zelda": zelda, "other_job": other_job}


def urls(world) -> list[str]:
    return [
        reverse("hiring:board", args=[world["job"].pk]),
        reverse("hiring:board", args=[world["other_job"].pk]),
        reverse("hiring:candidate-list"),
        reverse("hiring:candidate-list") + "?q=Quist",
        reverse("hiring:candidate-detail", args=[world["zelda"].pk]),
        reverse("interviews:my-interviews"),
    ]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["recruiter", "manager", "interviewer", "interviewer2", "nobody", "admin"])
def test_every_role_sees_from_the_cache_what_it_sees_without_it(world, users, role, settings):
    first = signed_in(users["admin"])  # sees everything: fills the cache before anyone else
    for url in urls(world):
        first.get(url)
        first.get(url, headers={"HX-Request": "true"})

    viewer = signed_in(users[role])
    responses = {url: [viewer.get(url), viewer.get(url)] for url in urls(world)}  # rendered, then cached
    settings.FRAGMENT_CACHE_SECONDS = 0
    for url, (rendered, cached) in responses.items():
        uncached = viewer.get(url)
        assert rendered.status_code == cached.status_code == uncached.status_code, (role, url)
        if uncached.status_code == 200:
            assert same_page(cached.content) == same_page(uncached.content), (role, url)
            assert same_page(rendered.content) == same_page(uncached.content), (role, url)

    board = responses[urls(world)[0]][1]
    if role == "manager":  # blind review: a label on the card, never the name the admin's render showed
        assert board.status_code == 200
        assert "Quist" not in board.content.decode()
    if role == "recruiter":
        assert "Zelda Quist" in board.content.decode()
    if role in ("interviewer", "interviewer2", "nobody"):
        assert board.status_code == 404


def test_the_second_view_of_a_page_is_served_from_the_cache(world, users, django_assert_max_num_queries):
    recruiter = signed_in(users["recruiter"])
    for url in urls(world)[:5]:
        with CaptureQueriesContext(connection) as rendered:
            first = recruiter.get(url)
        with CaptureQueriesContext(connection) as cached:
            second = recruiter.get(url)
        assert first.status_code == second.status_code == 200
        assert len(cached) < len(rendered), url
        assert len(cached) <= 3, url  # the user, and the page's own check (the job, the candidate)


def test_a_move_shows_on_the_board_at_once(world, users):
    recruiter = signed_in(users["recruiter"])
    board = reverse("hiring:board", args=[world["job"].pk])
    application = world["application"]

    def column_of_card() -> str:
        page = parse(recruiter.get(board))
        return page.xpath(f'//li[@id="application-{application.pk}"]')[0].get("data-stage-id")

    assert column_of_card() == str(world["stages"]["Panel"].pk)
    assert column_of_card() == str(world["stages"]["Panel"].pk)  # now cached
    application_move(application=application, to_stage=world["stages"]["Offer"], actor=users["recruiter"])

    assert column_of_card() == str(world["stages"]["Offer"].pk)


def test_a_rename_shows_in_the_list_search_and_profile_at_once(world, users):
    recruiter = signed_in(users["recruiter"])
    pages = [
        reverse("hiring:candidate-list"),
        reverse("hiring:candidate-list") + "?q=Zelda",
        reverse("hiring:candidate-detail", args=[world["zelda"].pk]),
    ]
    for url in pages:
        assert "Quist" in recruiter.get(url).content.decode()
        assert "Quist" in recruiter.get(url).content.decode()

    candidate_update(candidate=world["zelda"], last_name="Quartermaine")

    for url in pages:
        page = recruiter.get(url).content.decode()
        assert "Quartermaine" in page, url
        assert "Quist" not in page, url


def test_a_submitted_scorecard_leaves_the_due_list_at_once(world, users, django_capture_on_commit_callbacks):
    interviewer = signed_in(users["interviewer"])
    page = reverse("interviews:my-interviews")
    card = Scorecard.objects.get(interviewer=users["interviewer"])
    to_fill = f'//a[@href="{reverse("interviews:scorecard-edit", args=[card.pk])}"]'
    assert parse(interviewer.get(page)).xpath(to_fill)
    assert parse(interviewer.get(page)).xpath(to_fill)  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        scorecard_submitted(card)

    after = parse(interviewer.get(page))
    assert not after.xpath(to_fill)
    assert after.xpath('//section[@aria-labelledby="submitted-heading"]//a[text()="Feedback"]')


def test_an_edit_in_the_role_template_shows_on_its_admin_page_at_once(admin_client):

    competency = CompetencyFactory(name="Distributed training")
    template = competency.template
    url = reverse("admin:roles_roletemplate_change", args=[template.pk])
    assert "Distributed training" in admin_client.get(url).content.decode()
    assert "Distributed training" in admin_client.get(url).content.decode()  # now cached

    Competency.objects.filter(pk=competency.pk).update(name="Model serving")  # QuerySet.update, no signal

    page = admin_client.get(url).content.decode()
    assert "Model serving" in page
    assert "Distributed training" not in page


def test_a_cached_admin_page_carries_this_responses_nonce(admin_client):
    url = reverse("admin:roles_roletemplate_change", args=[RoleTemplateFactory().pk])
    admin_client.get(url)
    cached = admin_client.get(url)
    nonces = set(re.findall(r'nonce="([^"]+)"', cached.content.decode()))
    assert len(nonces) == 1
    assert f"'nonce-{nonces.pop()}'" in cached["Content-Security-Policy"]


def test_a_cached_board_still_posts_its_moves(world, users):
    recruiter = Client(enforce_csrf_checks=True)
    recruiter.force_login(users["recruiter"])
    board = reverse("hiring:board", args=[world["job"].pk])
    recruiter.get(board)
    page = parse(recruiter.get(board))  # from the cache
    form = page.xpath(f'//li[@id="application-{world["application"].pk}"]//form')[0]
    fields = {field.get("name"): field.get("value") for field in form.xpath(".//input")}

    response = recruiter.post(form.get("action"), {**fields, "to_stage": world["stages"]["Offer"].pk})

    assert response.status_code == 302
    assert Application.objects.get(pk=world["application"].pk).stage == world["stages"]["Offer"]


def test_another_session_of_the_same_person_gets_its_own_copy(world, users):
    board = reverse("hiring:board", args=[world["job"].pk])
    laptop, phone = signed_in(users["recruiter"]), signed_in(users["recruiter"])
    laptop.get(board)
    laptop.get(board)
    phone.get(board)
    tokens = {
        client: parse(client.get(board)).xpath('//input[@name="csrfmiddlewaretoken"]/@value')[0]
        for client in (laptop, phone)
    }
    # Each page's forms carry a token of its own session's secret (a copy of the other's would be refused).
    from django.middleware.csrf import _unmask_cipher_token

    assert _unmask_cipher_token(tokens[laptop]) == laptop.cookies["csrftoken"].value
    assert _unmask_cipher_token(tokens[phone]) == phone.cookies["csrftoken"].value


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda c: Candidate.objects.filter(pk=c.pk).update(source="Referral"), id="update"),
        pytest.param(lambda c: c.save(), id="save"),
        pytest.param(
            lambda c: Candidate.objects.bulk_create([Candidate(first_name="New", last_name="One")]), id="bulk"
        ),
        pytest.param(lambda c: c.tags.create(name="python"), id="m2m"),
        pytest.param(lambda c: Candidate.objects.filter(pk=c.pk).delete(), id="delete"),
        pytest.param(
            lambda c: connection.cursor().execute("UPDATE hiring_candidate SET location = 'Oslo'"), id="raw SQL"
        ),
    ],
)
def test_every_kind_of_write_makes_the_fragments_out_of_date(write):
    candidate = CandidateFactory()
    before = fragments.generation()
    write(candidate)
    assert fragments.generation() != before


def test_bookkeeping_writes_keep_the_fragments():
    before = fragments.generation()
    OutboxMessage.objects.create(
        key="test:1:someone@example.test", purpose="test", recipient="someone@example.test", subject="Hello"
    )
    assert fragments.generation() == before


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "hiring_candidate" ("first_name") VALUES (%s)', "hiring_candidate"),
        ('INSERT OR IGNORE INTO "hiring_candidate_tags" ("tag_id") VALUES (%s)', "hiring_candidate_tags"),
        ('UPDATE "interviews_scorecard" SET "version" = 2', "interviews_scorecard"),
        ('DELETE FROM "roles_competency" WHERE "id" = 1', "roles_competency"),
        ("TRUNCATE hiring_application", "hiring_application"),
        ('SELECT "id" FROM "hiring_candidate"', None),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', None),
        ('UPDATE "hiring_outboxmessage" SET "attempts" = 1', None),
    ],
)
def test_the_writes_that_matter_are_recognised(sql, table):
    assert fragments.watched_table(sql) == table


@pytest.mark.django_db(transaction=True)
def test_a_write_counts_once_committed_and_not_when_rolled_back():
    candidate = CandidateFactory()
    before = fragments.generation()
    with transaction.atomic():
        Candidate.objects.filter(pk=candidate.pk).update(source="Referral")
        assert fragments.generation() == before  # readers may still cache what they see: the old data
    committed = fragments.generation()
    assert committed != before

    def change_then_fail():
        with transaction.atomic():
            Candidate.objects.filter(pk=candidate.pk).update(source="Agency")
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert fragments.generation() == committed


def test_an_unreachable_cache_only_costs_the_render(world, users, settings):
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "hiring.cache.FailSoftRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    recruiter = signed_in(users["recruiter"])
    for url in urls(world)[:5]:
        response = recruiter.get(url)
        assert response.status_code == 200, url
    assert "Zelda Quist" in recruiter.get(urls(world)[0]).content.decode()


def test_an_autosave_keeps_the_fragments_and_a_submit_does_not(world, users, django_capture_on_commit_callbacks):
    from interviews.services import scorecard_field_save

    card = Scorecard.objects.get(interviewer=users["interviewer"])
    before = fragments.generation()

    scorecard_field_save(
        scorecard_id=card.pk,
        user=users["interviewer"],
        field="key_takeaways",
        value="Walked through the sharding plan.",
        version=card.version,
        base="",
    )

    card.refresh_from_db()
    assert card.key_takeaways == "Walked through the sharding plan."
    assert fragments.generation() == before  # a draft's text is on no cached page
    with django_capture_on_commit_callbacks(execute=True):
        scorecard_submitted(Scorecard.objects.get(pk=card.pk))
    assert fragments.generation() != before


def test_migrate_starts_a_new_generation():
    from django.core.management import call_command

    before = fragments.generation()
    call_command("migrate", "roles", verbosity=0)  # nothing to apply: post_migrate still runs
    assert fragments.generation() != before
