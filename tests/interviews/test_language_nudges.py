"""The language nudges: every default phrase, one by one, found in the evidence with its reason; and
the innocent words the matching must leave alone (see ``interviews.phrases`` for the choices)."""

import importlib

import pytest
from django.apps import apps

from interviews.models import FlaggedPhrase
from interviews.phrases import find_phrases, word_forms
from interviews.selectors import language_flags

pytestmark = pytest.mark.django_db

# One sentence an interviewer might write per default phrase, using an inflected form where there is one.
EXAMPLES = {
    # age
    "young": "Very young for a staff role.",
    "too young": "She is too young to lead the platform team.",
    "youngster": "A bright youngster with little production time.",
    "youthful": "Youthful energy in the room.",
    "too old": "Probably too old to pick up a new stack.",
    "old for": "A bit old for a startup like ours.",
    "older candidate": "As one of the older candidates he may struggle.",
    "older person": "An older person might not adapt to on-call.",
    "years old": "He mentioned he is 58 years old.",
    "his age": "At his age, learning Rust is a stretch.",
    "her age": "Impressive for her age.",
    "their age": "Given their age, a junior title fits.",
    "set in their ways": "Seems set in their ways about tooling.",
    "energetic": "A very energetic presence.",
    "digital native": "A true digital native, picks up tools fast.",
    "recent graduate": "Recent graduates usually need more support.",
    "recent grad": "Recent grad, so the depth is not there yet.",
    "fresh graduate": "A fresh graduate, cheap to hire.",
    # family
    "kid": "Has three kids, so evenings are hard.",
    "children": "Has two children at home.",
    "childcare": "Worried about childcare on Fridays.",
    "married": "Mentioned being married recently.",
    "start a family": "Planning to start a family soon.",
    "family commitments": "Has family commitments most afternoons.",
    "family plans": "Asked about her family plans.",
    "pregnant": "She told us she is pregnant.",
    "pregnancy": "Mentioned her pregnancy twice.",
    "maternity": "Coming back from maternity leave in May.",
    "paternity": "Going on paternity leave next month.",
    "parental leave": "Just back from parental leave.",
    # appearance
    "appearance": "Professional appearance throughout.",
    "attractive": "Very attractive and confident.",
    "good-looking": "A good looking candidate.",
    "well-dressed": "Well dressed and polished.",
    "overweight": "Slightly overweight, looked tired.",
    "looks the part": "Really looks the part of an architect.",
    # accent and language
    "accent": "Heavily accented English, hard to follow at first.",
    "native speaker": "Not a native speaker.",
    "mother tongue": "English is not his mother tongue.",
    # overqualified
    "overqualified": "He seems overqualified for the role.",
    "over-qualified": "Over qualified for this job, will get bored.",
    # culture fit
    "culture fit": "Not sure she is a culture fit for us.",
    "cultural fit": "Not a cultural fit.",
    "fit the culture": "Would not fit the culture here.",
    "not a fit": "Honestly not a fit.",
    # other protected grounds and non-evidence
    "religion": "We talked about religion at lunch.",
    "church": "Goes to church on Sundays.",
    "religious": "Seems quite religious.",
    "nationality": "Asked about her nationality.",
    "disability": "Mentioned a disability.",
    "wheelchair": "Uses a wheelchair.",
    "girl": "Smart girl.",
    "guy": "Nice guys on his old team.",
    "beer": "Would happily have a beer with him.",
    "gut feeling": "My gut feeling says no.",
}

# Evidence the default list must not flag: inflections and neighbours of flagged words in job talk.
INNOCENT = [
    "Walked me through the oldest commit in the repository and why it still matters.",
    "Migrated an older version of Spark to the current one.",
    "Refactored an old codebase with good tests.",
    "It took ages to train, so they cached the features.",
    "Replaced the ageing servers with a managed service.",
    "Managed the storage layer and the page cache.",
    "Their agent pipeline handled retries well.",
    "Fit the model on a sample and checked the residuals.",
    "Explained the culture of code review in their team.",
    "Built native mobile apps and a cloud-native backend.",
    "Chose a model family that serves well on CPUs.",
    "Graduate-level statistics, applied carefully.",
    "No kidding, the design was the cleanest I have seen.",
    "Kept the skids of the release train short.",
]


def default_phrases() -> list[tuple[str, str]]:
    return list(FlaggedPhrase.objects.filter(active=True).values_list("phrase", "reason"))


def test_every_default_phrase_has_an_example_and_a_reason():
    phrases = dict(default_phrases())
    assert set(phrases) == set(EXAMPLES)
    assert all(len(reason) > 20 for reason in phrases.values())


@pytest.mark.parametrize(("phrase", "sentence"), EXAMPLES.items(), ids=list(EXAMPLES))
def test_each_default_phrase_is_flagged_with_its_reason(phrase, sentence):
    reason = FlaggedPhrase.objects.get(phrase=phrase).reason

    flags = language_flags(sentence, default_phrases())

    assert [(f["phrase"], f["reason"]) for f in flags] == [(phrase, reason)]
    assert flags[0]["found"].lower() in sentence.lower()


@pytest.mark.parametrize("sentence", INNOCENT)
def test_innocent_words_are_not_flagged(sentence):
    assert language_flags(sentence, default_phrases()) == []


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("young", "very young", "young"),
        ("young", "Younger than the team", "Younger"),
        ("young", "the youngest of them", "youngest"),
        ("native speaker", "native-speakers only", "native-speakers"),
        ("family", "their families", "families"),
        ("kid", "the kid's school", "kid's"),
        ("accent", "an accent", "accent"),
    ],
)
def test_the_last_word_matches_its_regular_endings(phrase, text, found):
    assert [f["found"] for f in find_phrases(text, [(phrase, "r")])] == [found]


@pytest.mark.parametrize(("phrase", "text"), [("age", "storage"), ("age", "page"), ("kid", "kidding"), ("old", "gold")])
def test_matches_are_whole_words(phrase, text):
    assert find_phrases(text, [(phrase, "r")]) == []


def test_overlapping_phrases_are_reported_once_as_the_longer_match():
    flags = find_phrases("She is too young for this.", [("young", "age"), ("too young", "age too")])
    assert [(f["phrase"], f["found"]) for f in flags] == [("too young", "too young")]


def test_word_forms_follow_english_spelling():
    assert set(word_forms("native")) == {"native", "natives", "nativer", "nativest", "natived", "nativing"}
    assert {"families", "familied"} <= set(word_forms("family"))
    assert "guys" in word_forms("guy")
    assert "accents" in word_forms("accent")


def test_the_data_migrations_seed_the_list_once_and_retire_only_unedited_defaults():
    first = importlib.import_module("interviews.migrations.0003_seed_flagged_phrases")
    broader = importlib.import_module("interviews.migrations.0007_broader_flagged_phrases")
    FlaggedPhrase.objects.all().delete()
    first.seed(apps, None)
    FlaggedPhrase.objects.filter(phrase="family").update(reason="Our own wording, kept.")
    broader.broaden(apps, None)
    broader.broaden(apps, None)

    phrases = dict(FlaggedPhrase.objects.values_list("phrase", "reason"))
    assert "age" not in phrases
    assert "kids" not in phrases
    assert phrases["family"] == "Our own wording, kept."
    assert len(phrases) == len(first.PHRASES) - 2 + len(broader.PHRASES)

    broader.narrow(apps, None)
    assert set(FlaggedPhrase.objects.values_list("phrase", flat=True)) == {p for p, _ in first.PHRASES}
