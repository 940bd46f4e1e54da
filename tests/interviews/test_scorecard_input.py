"""Control characters in scorecard text: stripped before they reach the database.

On PostgreSQL a NUL in a text column is refused (``DataError``/``ValueError``), which used to
answer 500 after the user had typed; on SQLite it was stored and shown back. These tests run
in both passes of CI (SQLite, then PostgreSQL).
"""

import pytest
from django.urls import reverse

from interviews import services
from interviews.models import Scorecard

HX = {"HTTP_HX_REQUEST": "true"}


def autosave(client, card, field, value):
    data = {"field": field, field: value, "version": card.version}
    return client.post(reverse("interviews:scorecard-autosave", args=[card.pk]), data, **HX)


@pytest.mark.parametrize("field", ["key_takeaways", "private_note", "evidence"])
def test_autosave_with_a_nul_byte_saves_the_text_without_it(client, people, alice_card, field):
    if field == "evidence":
        field = f"evidence-{alice_card.ratings.first().pk}"
    client.force_login(people["alice"])

    response = autosave(client, alice_card, field, "a\x00b\x07c\td\r\ne")

    assert response.status_code == 200
    card = Scorecard.objects.get(pk=alice_card.pk)
    stored = card.ratings.first().evidence if field.startswith("evidence-") else getattr(card, field)
    assert stored == "abc\td\ne"
    assert card.version == alice_card.version + 1


def test_the_whole_form_with_control_characters_in_every_text_saves_clean_text(client, people, alice_card):
    client.force_login(people["alice"])
    data = {"version": alice_card.version, "overall_recommendation": "3"}
    data["key_takeaways"] = "Clear\x00 thinker\x1b"
    data["private_note"] = "\x00Ask about\x0b the gap"
    for rating in alice_card.ratings.all():
        data[f"rating-{rating.pk}"] = "3"
        data[f"evidence-{rating.pk}"] = "Sharded\x00 by tenant\x08."

    response = client.post(reverse("interviews:scorecard-edit", args=[alice_card.pk]), data)

    assert response.status_code == 302
    card = Scorecard.objects.get(pk=alice_card.pk)
    assert (card.key_takeaways, card.private_note) == ("Clear thinker", "Ask about the gap")
    assert {r.evidence for r in card.ratings.all()} == {"Sharded by tenant."}


def test_a_lone_surrogate_from_a_direct_service_call_is_replaced_not_a_crash(people, alice_card):
    saved = services.scorecard_field_save(
        scorecard_id=alice_card.pk,
        user=people["alice"],
        field="key_takeaways",
        value="half \ud83d pair \ud83d\ude00",
        version=alice_card.version,
        base="",
    )

    assert saved.value == "half \ufffd pair \U0001f600"
    assert Scorecard.objects.get(pk=alice_card.pk).key_takeaways == "half \ufffd pair \U0001f600"


def test_the_scorecard_page_and_its_export_are_never_stored(client, people, alice_card):
    client.force_login(people["alice"])

    for url in (
        reverse("interviews:scorecard-edit", args=[alice_card.pk]),
        reverse("interviews:feedback-export", args=[alice_card.interview.application_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url
        assert "private" in response.headers["Cache-Control"], url
