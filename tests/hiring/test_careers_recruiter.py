"""The recruiter's side of the careers site: draft, publish, preview, applications per source and on the board."""

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html

from hiring.models import Application, Job, Posting
from tests.hiring.careers_helpers import apply_data
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    HiringManagerFactory,
    HiringTeamMemberFactory,
    InterviewerFactory,
    RecruiterFactory,
    careers_template,
    job_with_stages,
    published_posting,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def job():
    return job_with_stages(template=careers_template(), title="Staff ML Architect", location="Remote (EU)")


@pytest.fixture
def recruiter_client():
    recruiter = Client()
    recruiter.force_login(RecruiterFactory())
    return recruiter


def test_recruiter_drafts_a_posting_prefilled_from_the_template_with_the_pay_hidden(recruiter_client, job):
    response = recruiter_client.post(reverse("hiring:posting-create", args=[job.pk]))
    assert response.status_code == 302
    posting = Posting.objects.get(job=job)
    assert posting.status == Posting.Status.DRAFT
    assert posting.summary == job.template.summary
    assert "Design the ML platform" in posting.responsibilities
    assert "Python and PyTorch in production" in posting.requirements
    assert (posting.pay_currency, posting.pay_min, posting.pay_max) == ("EUR", 110_000, 150_000)
    assert posting.show_pay is False
    assert posting.workplace == Posting.Workplace.REMOTE
    questions = list(posting.questions.order_by("order"))
    assert [q.text for q in questions] == [
        "Do you have at least 5 years of this experience: Building machine learning systems?",
        "Do you meet this requirement: Python and PyTorch in production?",
    ]
    assert all(q.must_have for q in questions)  # the optional "Kubernetes" requirement asks nothing
    # Not public until published.
    assert recruiter_client.get(reverse("careers:posting", args=[posting.slug])).status_code == 404


def test_publish_preview_and_unpublish(recruiter_client, client, job):
    recruiter_client.post(reverse("hiring:posting-create", args=[job.pk]))
    posting = Posting.objects.get(job=job)
    preview = recruiter_client.get(reverse("hiring:posting-preview", args=[job.pk]))
    assert preview.status_code == 200
    assert b"Preview of the posting" in preview.content
    assert b'name="robots" content="noindex"' in preview.content

    recruiter_client.post(reverse("hiring:posting-publish", args=[job.pk]), {"action": "publish"})
    posting.refresh_from_db()
    assert posting.status == Posting.Status.PUBLISHED
    assert posting.published_at is not None
    assert client.get(reverse("careers:posting", args=[posting.slug])).status_code == 200

    recruiter_client.post(reverse("hiring:posting-publish", args=[job.pk]), {"action": "unpublish"})
    posting.refresh_from_db()
    assert posting.status == Posting.Status.UNPUBLISHED
    assert client.get(reverse("careers:posting", args=[posting.slug])).status_code == 404


def test_a_posting_of_a_closed_job_cannot_be_published(recruiter_client, job):
    recruiter_client.post(reverse("hiring:posting-create", args=[job.pk]))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CLOSED)
    response = recruiter_client.post(
        reverse("hiring:posting-publish", args=[job.pk]), {"action": "publish"}, follow=True
    )
    assert "open it before publishing" in response.content.decode()
    assert Posting.objects.get(job=job).status == Posting.Status.DRAFT


def test_editing_the_posting_and_refusing_an_incomplete_pay_range(recruiter_client, job):
    recruiter_client.post(reverse("hiring:posting-create", args=[job.pk]))
    posting = Posting.objects.get(job=job)
    form = {
        "title": "Staff ML Architect (platform)",
        "slug": posting.slug,
        "team": "ML Platform",
        "location": "Berlin",
        "country": "DE",
        "workplace": "hybrid",
        "remote_regions": "",
        "summary": "Lead the platform.",
        "responsibilities": "Design\nReview",
        "requirements": "Python",
        "show_pay": "on",
        "pay_currency": "EUR",
        "pay_min": "",
        "pay_max": "150000",
        "valid_through": "",
    }
    refused = recruiter_client.post(reverse("hiring:posting-manage", args=[job.pk]), form)
    assert refused.status_code == 400
    assert "give its currency, lowest and highest pay" in refused.content.decode()
    form["pay_min"] = "120000"
    saved = recruiter_client.post(reverse("hiring:posting-manage", args=[job.pk]), form)
    assert saved.status_code == 302
    posting.refresh_from_db()
    assert (posting.title, posting.workplace, posting.show_pay, posting.pay_min) == (
        "Staff ML Architect (platform)",
        "hybrid",
        True,
        120_000,
    )


@pytest.mark.parametrize("factory", [HiringManagerFactory, InterviewerFactory])
def test_only_recruiters_and_admins_manage_postings(client, job, factory):
    user = factory()
    HiringTeamMemberFactory(job=job, user=user, role="hiring_manager")
    client.force_login(user)
    for name in ("hiring:posting-manage", "hiring:posting-preview"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("hiring:posting-create", args=[job.pk])).status_code == 404
    assert not Posting.objects.exists()


def test_the_job_page_shows_applications_per_source(client, recruiter_client, django_assert_max_num_queries):
    posting = published_posting()
    url = reverse("careers:apply", args=[posting.slug])
    client.post(url, apply_data(posting, email="a@example.test", phone="", source="LinkedIn"))
    client.post(url, apply_data(posting, email="b@example.test", phone="", source="LinkedIn"))
    client.post(url, apply_data(posting, email="c@example.test", phone=""))
    with django_assert_max_num_queries(14):  # the job page's budget
        page = recruiter_client.get(reverse("hiring:job-detail", args=[posting.job_id]))
    rows = html.fromstring(page.content).xpath('//section[@id="careers-panel"]//tbody/tr')
    assert [[cell.text_content() for cell in row.xpath("td")] for row in rows] == [
        ["LinkedIn", "2"],
        ["Careers page", "1"],
    ]


def test_the_application_is_on_the_board_with_its_source_and_its_answers_on_its_page(
    client, recruiter_client, django_assert_max_num_queries
):
    posting = published_posting()
    client.post(reverse("careers:apply", args=[posting.slug]), apply_data(posting, source="Meetup", answers="no"))
    application = Application.objects.get()
    board = recruiter_client.get(reverse("hiring:board", args=[posting.job_id]))
    card = html.fromstring(board.content).xpath(f'//li[@id="application-{application.pk}"]')[0]
    first_column = posting.job.stages.order_by("order").first()
    assert card.get("data-stage-id") == str(first_column.pk)
    assert card.xpath('.//span[@class="card-source"]')[0].text_content() == "Meetup"
    assert "Missed a must-have" in card.text_content()

    page = recruiter_client.get(reverse("hiring:application-detail", args=[application.pk]))
    section = html.fromstring(page.content).xpath('//section[@id="application-form"]')[0]
    assert section.xpath('.//dd[@id="submission-source"]')[0].text_content() == "Meetup"
    text = " ".join(section.text_content().split())
    assert (
        "Do you have at least 5 years of this experience: Building machine learning systems? No must-have missed"
        in text
    )
    assert "version 2026-01" in text


def test_admins_add_questions_to_a_posting_in_the_admin(client):
    from tests.hiring.factories import AdminFactory

    posting = published_posting()
    existing = list(posting.questions.order_by("order"))
    client.force_login(AdminFactory())
    url = reverse("admin:hiring_posting_change", args=[posting.pk])
    assert client.get(url).status_code == 200
    data = {
        name: getattr(posting, name) if getattr(posting, name) is not None else ""
        for name in ("title", "slug", "team", "location", "country", "workplace", "remote_regions", "summary")
    }
    data |= {
        "responsibilities": posting.responsibilities,
        "requirements": posting.requirements,
        "pay_currency": posting.pay_currency,
        "pay_min": posting.pay_min,
        "pay_max": posting.pay_max,
        "valid_through": posting.valid_through.isoformat() if posting.valid_through else "",
        "questions-TOTAL_FORMS": len(existing) + 1,
        "questions-INITIAL_FORMS": len(existing),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for i, question in enumerate(existing):
        data |= {
            f"questions-{i}-id": question.pk,
            f"questions-{i}-posting": posting.pk,
            f"questions-{i}-order": question.order,
            f"questions-{i}-text": question.text,
            f"questions-{i}-kind": question.kind,
            f"questions-{i}-required": "on",
            f"questions-{i}-must_have": "on",
        }
    new = len(existing)
    data |= {
        f"questions-{new}-posting": posting.pk,
        f"questions-{new}-order": 9,
        f"questions-{new}-text": "Are you able to work in the EU?",
        f"questions-{new}-kind": "yes_no",
        f"questions-{new}-required": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert posting.questions.count() == len(existing) + 1
    apply_page = client.get(reverse("careers:apply", args=[posting.slug]))
    assert "Are you able to work in the EU?" in apply_page.content.decode()

    data["show_pay"] = "on"
    data["pay_min"] = ""
    refused = client.post(url, data)
    assert refused.status_code == 200  # the admin form shows the error, nothing saved
    assert "give its currency, lowest and highest pay" in refused.content.decode()
    posting.refresh_from_db()
    assert posting.show_pay is False


def test_the_careers_section_costs_the_application_page_one_query(client, recruiter_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    posting = published_posting()
    client.post(reverse("careers:apply", args=[posting.slug]), apply_data(posting))
    from_careers = Application.objects.get()
    added = ApplicationFactory(job=posting.job)

    def queries(application) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = recruiter_client.get(reverse("hiring:application-detail", args=[application.pk]))
        assert page.status_code == 200
        return len(captured.captured_queries)

    queries(added)  # warm the session and caches
    baseline = queries(added)
    assert baseline > 5
    assert queries(from_careers) <= baseline + 1  # the answers; the submission rides on the main query


def test_the_board_filters_by_the_source_each_card_shows(client, recruiter_client):
    posting = published_posting()
    existing = CandidateFactory(email="grace@example.test", source="Referral")
    client.post(reverse("careers:apply", args=[posting.slug]), apply_data(posting, source="Meetup"))
    added = ApplicationFactory(job=posting.job, candidate=CandidateFactory(source="Referral"))
    careers_application = Application.objects.get(candidate=existing)
    board = reverse("hiring:board", args=[posting.job_id])

    def cards(source: str) -> set[int]:
        tree = html.fromstring(recruiter_client.get(board, {"source": source}).content)
        return {int(li.get("data-application-id")) for li in tree.xpath('//li[contains(@class, "board-card")]')}

    assert cards("Meetup") == {careers_application.pk}
    assert cards("Referral") == {added.pk}
    options = html.fromstring(recruiter_client.get(board).content).xpath('//select[@id="filter-source"]/option/@value')
    assert {"Meetup", "Referral"} <= set(options)
