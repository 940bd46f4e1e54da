"""What a summary says, on constructed cases: every statement traced to its scorecards."""

import pytest
from django.utils import timezone

from hiring.models import Application
from interviews.models import FlaggedPhrase
from interviews.summaries.build import build_content, load_head, load_inputs, short_quote, summary_build
from tests.hiring.factories import InterviewerFactory

from .summary_builders import (
    application_for,
    role_job,
    scorecard,
)

pytestmark = pytest.mark.django_db


def loaded(application):
    return Application.objects.select_related("job__template", "candidate").get(pk=application.pk)


def build(application) -> dict:
    return summary_build(application=loaded(application))


def cited_ids(statement) -> set[int]:
    return {c["scorecard_id"] for c in statement["citations"]}


def test_unanimous_panel_agrees_everywhere_and_leans_hire():
    job, comps, steps = role_job(competencies=2)
    app = application_for(job)
    cards = [
        scorecard(
            application=app,
            step=steps["Interview 1"],
            competencies=comps,
            ratings={
                "Architectural design": (3, "Designed a feature store with clear failure modes and costs."),
                "Model lifecycle management": (4, "Explained shadow deployments and rollback triggers."),
            },
            recommendation=3 + (i == 0),
        )
        for i in range(3)
    ]

    content = build(app)

    assert [a["competency"] for a in content["agreements"]] == ["Architectural design", "Model lifecycle management"]
    assert content["disagreements"] == []
    assert cited_ids(content["agreements"][0]) == {c.pk for c in cards}
    first = content["agreements"][0]["citations"][0]
    assert first["step"] == "Interview 1"
    assert first["interviewer"] == cards[0].interviewer.display_name
    assert first["quote"] == "Designed a feature store with clear failure modes and costs."
    assert content["coverage_gaps"] == []
    assert content["recommendations"]["tally"] == {"Strong no": 0, "No": 0, "Yes": 2, "Strong yes": 1}
    assert content["signal"]["label"] == "leaning hire"
    assert content["signal"]["confidence"] == "high"
    assert "3 scorecards" in content["signal"]["text"]
    assert content["overall_score"]["value"] == 3.5
    assert "[S" in content["narrative"]


def test_split_panel_shows_a_disagreement_quoting_both_sides_and_a_mixed_signal():
    job, comps, steps = role_job(competencies=2)
    app = application_for(job)
    low = scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        ratings={
            "Architectural design": (1, "Could not explain how the batch and streaming paths would share features.")
        },
        recommendation=1,
    )
    high = scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        ratings={"Architectural design": (4, "Drew a clean lambda-free design with a single feature log.")},
        recommendation=4,
    )

    content = build(app)

    [disagreement] = content["disagreements"]
    assert disagreement["competency"] == "Architectural design"
    assert disagreement["spread"] == 3
    assert [c["scorecard_id"] for c in disagreement["citations"]] == [low.pk, high.pk]
    assert disagreement["citations"][0]["quote"].startswith("Could not explain")
    assert "from 1 (Strong no" in disagreement["text"]
    assert content["agreements"] == []
    assert content["signal"]["label"] == "mixed"
    assert content["competencies"][0]["mean"] == 2.5
    # The competency nobody rated is a gap, pointing at the step meant to cover it.
    [gap] = content["coverage_gaps"]
    assert gap["competency"] == "Model lifecycle management"
    assert gap["planned_steps"] == ["Interview 1"]
    assert "'Interview 1'" in gap["text"]


def test_one_interviewer_gives_ratings_but_no_agreement_and_low_confidence():
    job, comps, steps = role_job(competencies=4)
    app = application_for(job)
    card = scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        ratings={"Architectural design": (3, "Solid."), "Model lifecycle management": (2, "Vague on monitoring.")},
        recommendation=2,
    )

    content = build(app)

    assert content["agreements"] == []
    assert content["disagreements"] == []
    design = content["competencies"][0]
    assert design["count"] == 1
    assert design["spread"] == 0
    assert design["ratings"][0]["scorecard_id"] == card.pk
    assert content["signal"]["label"] == "leaning no hire"
    assert content["signal"]["confidence"] == "low"
    assert "agreement is unknown" in content["signal"]["text"]
    assert [g["competency"] for g in content["coverage_gaps"]] == ["Technology evaluation", "Data management"]
    assert content["coverage_gaps"][0]["planned_steps"] == ["Interview 2"]


def test_no_scorecards_gives_an_empty_summary_with_every_competency_a_gap():
    job, _, _ = role_job(competencies=3)
    app = application_for(job)

    content = build(app)

    assert content["scorecards"] == []
    assert content["signal"]["label"] == "no signal yet"
    assert len(content["coverage_gaps"]) == 3
    assert content["overall_score"]["value"] is None
    assert content["narrative"] == "No scorecard has been submitted yet."


def test_every_competency_not_assessed_is_a_gap_citing_the_scorecards_that_skipped_it():
    job, comps, steps = role_job(competencies=2)
    app = application_for(job)
    card = scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        ratings={"Architectural design": (None, ""), "Model lifecycle management": (None, "")},
        recommendation=3,
    )

    content = build(app)

    assert [g["competency"] for g in content["coverage_gaps"]] == ["Architectural design", "Model lifecycle management"]
    assert cited_ids(content["coverage_gaps"][0]) == {card.pk}
    assert "marked it not assessed" in content["coverage_gaps"][0]["text"]
    assert content["overall_score"]["value"] is None
    assert content["signal"]["label"] == "leaning hire"
    assert content["signal"]["confidence"] == "low"


def test_overall_score_is_weighted_by_competency_weight():
    job, comps, steps = role_job(competencies=2, weights=[3, 1])
    app = application_for(job)
    scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        ratings={"Architectural design": (4, "a"), "Model lifecycle management": (2, "b")},
    )

    assert build(app)["overall_score"]["value"] == 3.5  # (3*4 + 1*2) / 4


def test_quotes_are_cut_at_a_word_boundary():
    text = "word " * 60
    quote = short_quote(text)
    assert len(quote) <= 160
    assert quote.endswith("word…")


def test_language_flags_match_whole_words_case_insensitively_and_quote_the_evidence():
    FlaggedPhrase.objects.all().delete()  # only the two phrases below (a data migration may seed others)
    FlaggedPhrase.objects.update_or_create(
        phrase="culture fit", defaults={"reason": "vague, invites bias", "active": True}
    )
    FlaggedPhrase.objects.update_or_create(
        phrase="age", defaults={"reason": "protected characteristic", "active": True}
    )
    job, comps, steps = role_job(competencies=1)
    app = application_for(job)
    card = scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        ratings={"Architectural design": (3, "Great Culture  Fit for the team; managed the storage layer well.")},
    )

    flags = build(app)["language_flags"]

    assert [f["phrase"] for f in flags] == ["culture fit"]  # "age" inside "storage"/"managed" is not a match
    assert flags[0]["citations"][0]["scorecard_id"] == card.pk
    assert "Culture Fit" in flags[0]["citations"][0]["quote"]


def test_calibration_needs_five_earlier_scorecards_and_adjusts_the_mean():
    job, comps, steps = role_job(competencies=1)
    lenient, strict = InterviewerFactory(), InterviewerFactory()
    earlier = timezone.now() - timezone.timedelta(days=10)
    # History: on five other candidates the lenient interviewer rated one point above the strict one.
    for _ in range(5):
        other = application_for(job)
        for person, value in ((lenient, 4), (strict, 3)):
            scorecard(
                application=other,
                step=steps["Interview 1"],
                competencies=comps,
                ratings={"Architectural design": (value, "x")},
                interviewer=person,
                submitted_at=earlier,
            )
    app = application_for(job)
    for person, value in ((lenient, 4), (strict, 2)):
        scorecard(
            application=app,
            step=steps["Interview 1"],
            competencies=comps,
            ratings={"Architectural design": (value, "y")},
            interviewer=person,
        )

    content = build(app)

    by_name = {c["interviewer"]: c for c in content["calibration"]}
    assert by_name[lenient.display_name]["offset"] == 1.0
    assert by_name[strict.display_name]["offset"] == -1.0
    assert by_name[lenient.display_name]["history_scorecards"] == 5
    design = content["competencies"][0]
    assert design["mean"] == 3.0
    assert design["adjusted_mean"] == 3.0  # (4-1 + 2+1) / 2
    assert "higher than" in by_name[lenient.display_name]["text"]


def test_calibration_is_not_shown_with_less_than_five_earlier_scorecards():
    job, comps, steps = role_job(competencies=1)
    person = InterviewerFactory()
    for _ in range(4):
        other = application_for(job)
        scorecard(
            application=other,
            step=steps["Interview 1"],
            competencies=comps,
            ratings={"Architectural design": (4, "x")},
            interviewer=person,
            submitted_at=timezone.now() - timezone.timedelta(days=3),
        )
        scorecard(
            application=other,
            step=steps["Interview 1"],
            competencies=comps,
            ratings={"Architectural design": (2, "x")},
            submitted_at=timezone.now() - timezone.timedelta(days=3),
        )
    app = application_for(job)
    scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        ratings={"Architectural design": (4, "y")},
        interviewer=person,
    )

    assert build(app)["calibration"] == []


def eight_by_twelve():
    job, comps, steps = role_job(competencies=12)
    app = application_for(job)
    history_app = application_for(job)
    step_list = list(steps.values())
    for i in range(8):
        person = InterviewerFactory()
        scorecard(
            application=history_app,
            step=step_list[0],
            competencies=comps,
            ratings={c.name: (1 + (i % 4), "earlier evidence") for c in comps},
            interviewer=person,
            submitted_at=timezone.now() - timezone.timedelta(days=5),
        )
        scorecard(
            application=app,
            step=step_list[i % len(step_list)],
            competencies=comps,
            ratings={c.name: (1 + (i + j) % 4, f"Evidence {i}-{j}: " + "detail " * 30) for j, c in enumerate(comps)},
            interviewer=person,
            recommendation=1 + i % 4,
        )
    return app


def test_summary_of_8_scorecards_by_12_competencies_takes_at_most_10_queries(django_assert_max_num_queries):
    FlaggedPhrase.objects.update_or_create(phrase="culture fit", defaults={"reason": "vague", "active": True})
    app = loaded(eight_by_twelve())

    with django_assert_max_num_queries(10):
        content = build_content(load_inputs(load_head(app)))

    assert len(content["scorecards"]) == 8
    assert len(content["competencies"]) == 12
    assert all(c["count"] == 8 for c in content["competencies"])
    assert len(content["disagreements"]) == 12


def test_query_count_does_not_grow_with_the_data(django_assert_num_queries):
    job, comps, steps = role_job(competencies=2)
    small = application_for(job)
    scorecard(
        application=small, step=steps["Interview 1"], competencies=comps, ratings={"Architectural design": (3, "a")}
    )
    small = loaded(small)
    big = loaded(eight_by_twelve())

    with django_assert_num_queries(6):
        summary_build(application=small)
    with django_assert_num_queries(6):
        summary_build(application=big)
