"""Pay transparency: a published pay range is the role template's band or a range inside it,
never a number from nowhere."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hiring.services.careers import posting_update
from tests.hiring.factories import published_posting


@pytest.fixture
def posting(db):
    return published_posting()


def test_publishing_pay_shows_the_templates_band_on_the_posting(client, posting):
    posting_update(posting=posting, show_pay=True)  # drafted from the band: EUR 110,000 to 150,000
    body = client.get(reverse("careers:posting", args=[posting.slug])).content.decode()
    assert "Pay range:" in body
    assert "EUR 110,000 to 150,000" in body


def test_a_range_inside_the_band_may_be_published(client, posting):
    posting_update(posting=posting, show_pay=True, pay_min=120_000, pay_max=140_000)
    body = client.get(reverse("careers:posting", args=[posting.slug])).content.decode()
    assert "EUR 120,000 to 140,000" in body


@pytest.mark.parametrize(
    "fields",
    [
        {"pay_min": 90_000},  # below the band
        {"pay_max": 200_000},  # above it
        {"pay_currency": "USD"},  # another currency
    ],
)
def test_a_published_range_outside_the_band_is_refused(posting, fields):
    with pytest.raises(ValidationError) as error:
        posting_update(posting=posting, show_pay=True, **fields)
    assert "EUR 110,000 to 150,000" in error.value.message_dict["pay_min"][0]


def test_a_hidden_range_may_say_anything_and_is_not_shown(client, posting):
    posting_update(posting=posting, show_pay=False, pay_min=1, pay_max=2)
    assert "Pay range:" not in client.get(reverse("careers:posting", args=[posting.slug])).content.decode()
