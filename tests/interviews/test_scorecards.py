import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interviews import services
from interviews.models import ApplicationSummary, Scorecard, ScorecardRevision
from interviews.services.scorecards import ScorecardConflict, ScorecardLocked
from tests.html import field_value, parse, text, texts
from tests.interviews.conftest import fill, submit
from tests.interviews.factories import FlaggedPhraseFactory

HX = {"HTTP_HX_REQUEST": "true"}


def autosave(client, card, field, value, *, version=None, base=None):
    data = {"field": field, field: value, "version": card.version if version is None else version}
    if base is not None:
        data[f"base-{field}"] = base
    return client.post(reverse("interviews:scorecard-autosave", args=[card.pk]), data, **HX)


# --- autosave ------------------------------------------------------------------------------------------


def test_autosave_saves_one_field_and_answers_only_the_status_fragment(client, people, alice_card):
    rating = alice_card.ratings.first()
    client.force_login(people["alice"])

    response = autosave(client, alice_card, f"evidence-{rating.pk}", "Drew the write path and named the bottleneck.")

    assert response.status_code == 200
    fragment = parse(response)
    assert fragment.tag != "html"
    assert re.search(r"Saved \d\d:\d\d", text(fragment))
    rating.refresh_from_db()
    alice_card.refresh_from_db()
    assert rating.evidence == "Drew the write path and named the bottleneck."
    assert alice_card.version == 2
    version = fragment.xpath('//input[@id="scorecard-version"]')
    assert [(v.get("name"), v.get("value"), v.get("hx-swap-oob")) for v in version] == [("version", "2", "true")]


@pytest.mark.parametrize("rows", [1, 12])
def test_autosave_uses_at_most_five_queries(
    transactional_db, client, people, alice_card, django_assert_max_num_queries, rows
):
    """Outside any test transaction, so BEGIN/COMMIT would be counted if the request made any."""
    from interviews.models import CompetencyRating

    for i in range(rows):
        CompetencyRating.objects.create(scorecard=alice_card, name=f"Extra {i}", order=10 + i)
    rating = alice_card.ratings.first()
    client.force_login(people["alice"])
    client.get(reverse("interviews:scorecard-edit", args=[alice_card.pk]))  # the form loads the phrase list
    with django_assert_max_num_queries(5):
        response = autosave(client, alice_card, f"evidence-{rating.pk}", "Quoted the latency budget.")
    assert response.status_code == 200
    alice_card.refresh_from_db()
    with django_assert_max_num_queries(5):
        response = autosave(client, alice_card, f"rating-{rating.pk}", "4")
    assert response.status_code == 200
    alice_card.refresh_from_db()
    with django_assert_max_num_queries(5):
        response = autosave(client, alice_card, "key_takeaways", "Would hire.")
    assert response.status_code == 200


def test_autosave_flags_phrases_inline_without_blocking(client, people, alice_card):
    FlaggedPhraseFactory(phrase="culture fit", reason="Vague; name the behaviour instead.")
    FlaggedPhraseFactory(phrase="kids", reason="Family is not job-related evidence.")
    rating = alice_card.ratings.first()
    client.force_login(people["alice"])
    response = autosave(client, alice_card, f"evidence-{rating.pk}", "Great Culture Fit, reminds me of my kids.")
    fragment = parse(response)
    assert response.status_code == 200
    flags = fragment.xpath(f'//*[@id="flags-evidence-{rating.pk}"]')
    assert [flag.get("hx-swap-oob") for flag in flags] == ["true"]  # swapped beside the field, out of band
    assert texts(flags[0], ".//mark") == ["Culture Fit", "kids"]  # the phrase as written, not its neighbours
    submit(alice_card, evidence="Culture fit; overqualified maybe.")
    assert Scorecard.objects.get(pk=alice_card.pk).status == Scorecard.Status.SUBMITTED


def test_stale_version_for_an_unchanged_field_still_saves(client, people, alice_card):
    first, second = list(alice_card.ratings.all())
    client.force_login(people["alice"])
    autosave(client, alice_card, f"evidence-{first.pk}", "One.")  # version 1 -> 2
    response = autosave(client, alice_card, f"evidence-{second.pk}", "Two.", version=1, base="")
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.evidence == "Two."


def test_stale_version_never_overwrites_newer_text_and_shows_both(client, people, alice_card):
    rating = alice_card.ratings.first()
    client.force_login(people["alice"])
    autosave(client, alice_card, f"evidence-{rating.pk}", "Newer text from the laptop.")

    response = autosave(client, alice_card, f"evidence-{rating.pk}", "Older text from the phone.", version=1, base="")

    assert response.status_code == 409
    fragment = parse(response)
    shown = text(fragment)
    assert "Newer text from the laptop." in shown
    assert "Older text from the phone." in shown
    assert {"Keep mine", "Take the saved text"} <= set(texts(fragment, "//button"))
    rating.refresh_from_db()
    assert rating.evidence == "Newer text from the laptop."
    # Keeping mine: post again with the stored text as base.
    response = autosave(
        client,
        alice_card,
        f"evidence-{rating.pk}",
        "Older text from the phone.",
        version=2,
        base="Newer text from the laptop.",
    )
    assert response.status_code == 200
    rating.refresh_from_db()
    assert rating.evidence == "Older text from the phone."


@pytest.mark.parametrize("value", ["5", "0", "-1", "3.5", "strong"])
def test_out_of_range_rating_is_refused_with_a_reason(client, people, alice_card, value):
    rating = alice_card.ratings.first()
    client.force_login(people["alice"])
    autosave(client, alice_card, f"rating-{rating.pk}", "3")
    alice_card.refresh_from_db()

    response = autosave(client, alice_card, f"rating-{rating.pk}", value)

    assert response.status_code == 422
    assert "Choose a rating from 1 (Strong no) to 4 (Strong yes)" in response.content.decode()
    rating.refresh_from_db()
    assert rating.rating == 3


def test_out_of_range_overall_recommendation_is_refused(client, people, alice_card):
    client.force_login(people["alice"])
    response = autosave(client, alice_card, "overall_recommendation", "9")
    assert response.status_code == 422
    alice_card.refresh_from_db()
    assert alice_card.overall_recommendation is None


def test_autosave_without_version_or_with_unknown_field_is_a_400(client, people, alice_card):
    client.force_login(people["alice"])
    url = reverse("interviews:scorecard-autosave", args=[alice_card.pk])
    assert client.post(url, {"field": "key_takeaways", "key_takeaways": "x"}, **HX).status_code == 400
    assert client.post(url, {"field": "status", "status": "submitted", "version": 1}, **HX).status_code == 400
    alice_card.refresh_from_db()
    assert alice_card.status == Scorecard.Status.DRAFT


def test_forged_scorecard_ids_of_another_interviewer_are_404_everywhere(client, people, alice_card, bob_card):
    bob_rating = bob_card.ratings.first()
    client.force_login(people["alice"])
    assert client.get(reverse("interviews:scorecard-edit", args=[bob_card.pk])).status_code == 404
    assert autosave(client, bob_card, "key_takeaways", "Sabotage").status_code == 404
    # A rating id of Bob's card posted against Alice's own card.
    assert autosave(client, alice_card, f"evidence-{bob_rating.pk}", "Sabotage").status_code == 404
    for name in ("scorecard-amend", "scorecard-withdraw"):
        assert client.post(reverse(f"interviews:{name}", args=[bob_card.pk])).status_code == 404
    post = client.post(reverse("interviews:scorecard-edit", args=[bob_card.pk]), {"version": 1, "action": "submit"})
    assert post.status_code == 404
    bob_card.refresh_from_db()
    bob_rating.refresh_from_db()
    assert bob_card.key_takeaways == ""
    assert bob_rating.evidence == ""
    assert bob_card.version == 1


def test_autosave_on_a_submitted_scorecard_is_refused(client, people, alice_card):
    submit(alice_card)
    alice_card.refresh_from_db()
    client.force_login(people["alice"])
    response = autosave(client, alice_card, "key_takeaways", "Late change")
    assert response.status_code == 409
    assert "locked" in response.content.decode()
    with pytest.raises(ScorecardLocked):
        services.scorecard_field_save(
            scorecard_id=alice_card.pk, user=people["alice"], field="key_takeaways", value="x", version=9, base=""
        )


def test_script_in_evidence_is_stored_as_typed_and_escaped_everywhere(client, people, alice_card, bob_card):
    script = "<script>alert('x')</script> & <b>bold</b>"
    rating = alice_card.ratings.first()
    client.force_login(people["alice"])
    autosave(client, alice_card, f"evidence-{rating.pk}", script)
    rating.refresh_from_db()
    assert rating.evidence == script
    form = parse(client.get(reverse("interviews:scorecard-edit", args=[alice_card.pk])))
    assert form.xpath('//script[contains(., "alert")]') == []  # shown as text, never run
    assert field_value(form, f"evidence-{rating.pk}") == script  # the textarea holds it as typed
    submit(alice_card, evidence=script)
    submit(bob_card)
    client.force_login(people["bob"])
    page = parse(client.get(reverse("interviews:feedback", args=[alice_card.interview.application_id])))
    assert page.xpath('//script[contains(., "alert")]') == []
    assert page.xpath('//b[. = "bold"]') == []
    assert script in text(page.xpath("//body")[0])


# --- the whole form (no JavaScript), submit, amend, withdraw ---------------------------------------------


def test_plain_post_saves_the_whole_draft_and_redirects(client, people, alice_card):
    first, second = list(alice_card.ratings.all())
    client.force_login(people["alice"])
    response = client.post(
        reverse("interviews:scorecard-edit", args=[alice_card.pk]),
        {
            "version": 1,
            "action": "save",
            f"rating-{first.pk}": "4",
            f"evidence-{first.pk}": "Designed the cache invalidation cleanly.",
            f"rating-{second.pk}": "na",
            "overall_recommendation": "4",
            "private_note": "Check references.",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    alice_card.refresh_from_db()
    assert (first.rating, second.not_assessed, alice_card.overall_recommendation) == (4, True, 4)
    assert alice_card.private_note == "Check references."


def test_submitting_with_a_missing_rating_points_at_it_in_place(client, people, alice_card):
    first, second = list(alice_card.ratings.all())
    client.force_login(people["alice"])
    response = client.post(
        reverse("interviews:scorecard-edit", args=[alice_card.pk]),
        {
            "version": 1,
            "action": "submit",
            f"rating-{first.pk}": "3",
            f"evidence-{first.pk}": "Walked through the trade-offs.",
            "overall_recommendation": "3",
        },
        **HX,
    )
    assert response.status_code == 422
    fragment = parse(response)
    assert fragment.tag != "html"
    assert texts(fragment, f'//*[@id="error-rating-{second.pk}"]') == [f"Rate {second.name}, or choose Not assessed."]
    # The first field with an error takes the focus; the typed evidence is still there.
    first_choice = fragment.xpath(f'//*[@id="rating-{second.pk}-1"]')[0]
    assert (first_choice.get("aria-invalid"), first_choice.get("autofocus")) == ("true", "")
    assert field_value(fragment, f"evidence-{first.pk}") == "Walked through the trade-offs."
    alice_card.refresh_from_db()
    assert alice_card.status == Scorecard.Status.DRAFT


def test_evidence_is_required_for_each_rating_unless_the_job_says_otherwise(people, alice_card, job):
    fill(alice_card, evidence="")
    with pytest.raises(ValidationError) as error:
        services.scorecard_submit(scorecard_id=alice_card.pk, user=people["alice"])
    assert all(key.startswith("evidence-") for key in error.value.message_dict)
    job.evidence_required = False
    job.save()
    assert services.scorecard_submit(scorecard_id=alice_card.pk, user=people["alice"]).status == "submitted"


def test_overall_recommendation_is_required(people, alice_card):
    fill(alice_card)
    services.scorecard_field_save(
        scorecard_id=alice_card.pk, user=people["alice"], field="overall_recommendation", value="", version=2, base="3"
    )
    with pytest.raises(ValidationError) as error:
        services.scorecard_submit(scorecard_id=alice_card.pk, user=people["alice"])
    assert list(error.value.message_dict) == ["overall_recommendation"]


def test_plain_post_with_a_stale_version_keeps_both_texts_and_saves_nothing(client, people, alice_card):
    rating = alice_card.ratings.first()
    client.force_login(people["alice"])
    autosave(client, alice_card, f"evidence-{rating.pk}", "Saved from the other tab.")
    response = client.post(
        reverse("interviews:scorecard-edit", args=[alice_card.pk]),
        {"version": 1, "action": "save", f"evidence-{rating.pk}": "Typed here, offline."},
    )
    assert response.status_code == 409
    page = parse(response)
    assert "Saved from the other tab." in text(page)
    assert "Typed here, offline." in text(page)
    assert field_value(page, "version") == "2"
    rating.refresh_from_db()
    assert rating.evidence == "Saved from the other tab."


def test_submit_requests_a_summary_on_commit_and_locks(client, people, alice_card, django_capture_on_commit_callbacks):
    fill(alice_card)
    alice_card.refresh_from_db()
    client.force_login(people["alice"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("interviews:scorecard-edit", args=[alice_card.pk]),
            {"version": alice_card.version, "action": "submit"},
            **HX,
        )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("interviews:feedback", args=[alice_card.interview.application_id])
    assert len(callbacks) == 1
    summary = ApplicationSummary.objects.get(application_id=alice_card.interview.application_id)
    assert summary.status == ApplicationSummary.Status.PENDING
    alice_card.refresh_from_db()
    assert alice_card.status == Scorecard.Status.SUBMITTED
    assert alice_card.submitted_at is not None
    page = parse(client.get(reverse("interviews:scorecard-edit", args=[alice_card.pk])))
    assert "The scorecard is locked." in text(page)
    assert page.xpath("//textarea") == []


def test_amend_keeps_the_earlier_text_and_requests_a_summary(
    client, people, alice_card, django_capture_on_commit_callbacks
):
    submit(alice_card, evidence="First version of the evidence.")
    # The worker builds the summary the submission asked for; only then does a new request enqueue
    # another rebuild (requests made while one is queued join it).
    services.summary_rebuild(application_id=alice_card.interview.application_id)
    client.force_login(people["alice"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("interviews:scorecard-amend", args=[alice_card.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    alice_card.refresh_from_db()
    assert alice_card.status == Scorecard.Status.DRAFT
    assert alice_card.submitted_at is not None  # still counts as having written their own first
    revision = ScorecardRevision.objects.get(scorecard=alice_card)
    assert revision.content["ratings"][0]["evidence"] == "First version of the evidence."
    assert revision.content["status"] == "submitted"
    history = parse(client.get(reverse("interviews:scorecard-edit", args=[alice_card.pk]))).xpath(
        '//*[@id="scorecard-history"]'
    )
    assert len(history) == 1
    assert "Earlier versions (1)" in text(history[0])
    assert "First version of the evidence." in text(history[0])


def test_withdraw_takes_the_scorecard_back(client, people, alice_card, django_capture_on_commit_callbacks):
    submit(alice_card)
    services.summary_rebuild(application_id=alice_card.interview.application_id)  # the worker ran
    client.force_login(people["alice"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("interviews:scorecard-withdraw", args=[alice_card.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    alice_card.refresh_from_db()
    assert alice_card.status == Scorecard.Status.DRAFT
    assert alice_card.submitted_at is None
    assert alice_card.withdrawn_at is not None
    assert ScorecardRevision.objects.filter(scorecard=alice_card).count() == 1


def test_amending_a_draft_is_refused_with_a_message(client, people, alice_card):
    client.force_login(people["alice"])
    response = client.post(reverse("interviews:scorecard-amend", args=[alice_card.pk]), follow=True)
    assert "Only a submitted scorecard can be amended or withdrawn." in response.content.decode()
    assert not ScorecardRevision.objects.exists()


def test_services_raise_conflict_with_both_texts(people, alice_card):
    rating = alice_card.ratings.first()
    services.scorecard_field_save(
        scorecard_id=alice_card.pk, user=people["alice"], field=f"evidence-{rating.pk}", value="A", version=1, base=""
    )
    with pytest.raises(ScorecardConflict) as conflict:
        services.scorecard_field_save(
            scorecard_id=alice_card.pk,
            user=people["alice"],
            field=f"evidence-{rating.pk}",
            value="B",
            version=1,
            base="",
        )
    assert (conflict.value.conflicts[0].mine, conflict.value.conflicts[0].theirs) == ("B", "A")
    assert conflict.value.version == 2


def test_the_data_migration_seeds_a_default_phrase_list_once(db):
    import importlib

    from django.apps import apps

    from interviews.models import FlaggedPhrase

    migration = importlib.import_module("interviews.migrations.0003_seed_flagged_phrases")
    FlaggedPhrase.objects.all().delete()  # a later migration broadened the list (see test_language_nudges.py)
    migration.seed(apps, None)
    migration.seed(apps, None)
    phrases = dict(FlaggedPhrase.objects.values_list("phrase", "reason"))
    assert len(phrases) == len(migration.PHRASES)
    for phrase in ("culture fit", "overqualified", "pregnant", "accent", "religion", "attractive"):
        assert phrases[phrase]


def test_admin_edits_to_the_phrase_list_apply_at_once(client, people, alice_card, django_capture_on_commit_callbacks):
    from interviews.selectors import flagged_phrases

    assert ("sporty", "Hobbies are not evidence.") not in flagged_phrases()
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):  # the cached list is dropped once the change commits
        response = client.post(
            reverse("admin:interviews_flaggedphrase_add"),
            {"phrase": "sporty", "reason": "Hobbies are not evidence.", "active": "on"},
        )
    assert response.status_code == 302
    assert ("sporty", "Hobbies are not evidence.") in flagged_phrases()
