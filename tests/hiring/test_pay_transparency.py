"""Pay transparency: a posting that publishes pay shows the role template's band unless the recruiter
gave figures of their own, and the recruiter is told when the published range is not the band."""

import pytest
from django.test import Client
from django.urls import reverse

from hiring.models import Posting
from hiring.services.careers import posting_create, posting_publish
from tests.hiring.factories import PublishedTemplateFactory, RecruiterFactory, careers_template, job_with_stages

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def recruiter_client():
    client = Client()
    client.force_login(RecruiterFactory())
    return client


def _form(posting: Posting, **changes) -> dict:
    data = {name: getattr(posting, name) for name in Posting.EDITABLE_FIELDS}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data.pop("show_pay")
    data |= changes
    return {name: value for name, value in data.items() if value is not False}


def _published(template=None) -> Posting:
    job = job_with_stages(template=template or careers_template(), title="Staff ML Architect")
    return posting_publish(posting=posting_create(job=job))


def test_publishing_pay_without_own_figures_shows_the_template_band(recruiter_client, client):
    posting = _published()
    url = reverse("hiring:posting-manage", args=[posting.job_id])
    response = recruiter_client.post(url, _form(posting, show_pay="on", pay_currency="", pay_min="", pay_max=""))
    assert response.status_code == 302
    posting.refresh_from_db()
    assert (posting.show_pay, posting.pay_currency, posting.pay_min, posting.pay_max) == (True, "EUR", 110_000, 150_000)
    page = client.get(reverse("careers:posting", args=[posting.slug])).content.decode()
    assert "EUR 110,000 to 150,000 a year" in page
    assert '"minValue": 110000' in page  # the job's structured data (search engines) carries the same band
    assert "differs from the role template" not in recruiter_client.get(url).content.decode()


def test_own_figures_inside_the_band_are_published_and_the_recruiter_sees_they_differ(recruiter_client, client):
    posting = _published()
    url = reverse("hiring:posting-manage", args=[posting.job_id])
    response = recruiter_client.post(url, _form(posting, show_pay="on", pay_min=120_000, pay_max=140_000))
    assert response.status_code == 302
    page = client.get(reverse("careers:posting", args=[posting.slug])).content.decode()
    assert "EUR 120,000 to 140,000 a year" in page
    manage = recruiter_client.get(url).content.decode()
    assert "differs from the role template&#x27;s band (EUR 110,000 to 150,000)" in manage


def test_no_band_and_no_figures_is_refused_in_place(recruiter_client):
    posting = _published(template=PublishedTemplateFactory())
    url = reverse("hiring:posting-manage", args=[posting.job_id])
    response = recruiter_client.post(url, _form(posting, show_pay="on", pay_currency="", pay_min="", pay_max=""))
    assert response.status_code == 400
    assert "The role template has no complete pay band to publish" in response.content.decode()
    posting.refresh_from_db()
    assert posting.show_pay is False


def test_hidden_pay_is_not_published(client):
    posting = _published()
    assert "Pay range" not in client.get(reverse("careers:posting", args=[posting.slug])).content.decode()


def test_the_service_falls_back_to_the_band_too():
    from hiring.services.careers import posting_update

    posting = _published()
    posting = posting_update(posting=posting, show_pay=True, pay_currency="", pay_min=None, pay_max=None)
    assert (posting.pay_currency, posting.pay_min, posting.pay_max) == ("EUR", 110_000, 150_000)
