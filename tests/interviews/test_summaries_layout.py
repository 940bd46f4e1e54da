"""How the summary reads: headline first, disagreements with their telling quotes, agreements, coverage
in one line, a table of assessed competencies only; short enough to read in a minute."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse

from hiring.models import Application
from interviews import services
from interviews.summaries.build import HIGHLIGHTS, summary_build
from interviews.summaries.services import summary_rebuild
from tests.hiring.factories import InterviewerFactory, RecruiterFactory
from tests.html import parse, texts, visible_words

from .summary_builders import application_for, role_job, scorecard

pytestmark = pytest.mark.django_db


def fragment(client, application_id: int):
    return parse(client.get(reverse("interviews:application-summary", args=[application_id])))


def densest_demo_applications() -> list[int]:
    """The demo applications with the most submitted scorecards (ties kept)."""
    counted = Application.objects.annotate(
        cards=Count("interviews__scorecards", filter=Q(interviews__scorecards__status="submitted"))
    ).order_by("-cards", "pk")
    top = counted.first().cards
    return [a.pk for a in counted if a.cards == top]


def test_the_densest_demo_application_reads_in_at_most_400_words_before_show_all(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(RecruiterFactory())
    densest = densest_demo_applications()

    for application_id in densest:
        content = summary_build(application=Application.objects.select_related("job__template").get(pk=application_id))
        assert len(content["scorecards"]) == 5
        assert sum(1 for c in content["competencies"] if c["assessed"]) == 5
        tree = fragment(client, application_id)

        words = visible_words(tree)
        assert len(words) <= 400, " ".join(words)
        # The table lists the assessed competencies only; coverage is one line, not one row each.
        assert len(tree.xpath("//table[contains(@class, 'summary-table')]/tbody/tr")) == 5
        [coverage] = texts(tree, "//*[contains(@class, 'summary-coverage')]")
        assert coverage.startswith(f"Coverage: {len(content['coverage_gaps'])} competencies not assessed:")
        assert "planned in:" in coverage
        # Each disagreement shows at most three quotes, the rest behind "All 5 ratings".
        for point in tree.xpath("//section[contains(@class, 'summary-disagreements')]/div"):
            shown = point.xpath("./blockquote")
            assert 2 <= len(shown) <= HIGHLIGHTS
            assert point.xpath("./details[not(@open)]/summary")[0].text_content() == "All 5 ratings"
            assert len(point.xpath("./details//blockquote")) == 5
        # Every quote and rating links to a source listed on the page.
        sources = {f"#{i}" for i in tree.xpath("//ol[contains(@class, 'summary-sources')]/li/@id")}
        links = set(tree.xpath("//blockquote//a/@href | //a[contains(@class, 'rating-badge')]/@href"))
        assert links
        assert links <= sources
    # The demo has disagreements to show, and one interviewer in two steps named with the step.
    contents = [summary_build(application=Application.objects.get(pk=pk)) for pk in densest]
    assert any(content["disagreements"] for content in contents)
    for content in contents:
        named = {r["who"] for c in content["competencies"] for r in c["ratings"]}
        assert any(who.endswith((" in Technical deep dive", " in System design")) for who in named)


def two_step_case():
    job, comps, steps = role_job(competencies=4, steps=[("Deep dive", [0, 1]), ("System design", [0, 1])])
    app = application_for(job)
    ivan = InterviewerFactory(first_name="Ivan", last_name="Ivanov")
    low = scorecard(
        application=app,
        step=steps["Deep dive"],
        competencies=comps,
        interviewer=ivan,
        ratings={"Architectural design": (1, "Could not size the storage for the feature log.")},
        recommendation=1,
    )
    high = scorecard(
        application=app,
        step=steps["System design"],
        competencies=comps,
        interviewer=ivan,
        ratings={"Architectural design": (4, "Designed the whole serving path with clear costs.")},
        recommendation=4,
    )
    middle = [
        scorecard(
            application=app,
            step=steps["System design"],
            competencies=comps,
            ratings={"Architectural design": (value, f"Middle evidence {value}.")},
        )
        for value in (2, 3, 3)
    ]
    return app, low, high, middle


def test_one_interviewer_in_two_steps_is_named_with_the_step_and_only_extremes_are_quoted(client):
    app, low, high, _middle = two_step_case()

    content = summary_build(application=Application.objects.get(pk=app.pk))

    [d] = content["disagreements"]
    assert "from 1 (Strong no, Ivan Ivanov in Deep dive) to 4 (Strong yes, Ivan Ivanov in System design)" in d["text"]
    assert [(h["scorecard_id"], h["rating"]) for h in d["highlights"]] == [(low.pk, 1), (high.pk, 4)]
    assert len(d["citations"]) == 5
    [row] = [c for c in content["competencies"] if c["assessed"]]
    assert {r["who"] for r in row["ratings"]} >= {"Ivan Ivanov in Deep dive", "Ivan Ivanov in System design"}
    assert content["headline"]["counts"][0] == "5 scorecards from 4 interviewers"
    assert content["coverage"]["not_assessed"] == [
        "Model lifecycle management",
        "Technology evaluation",
        "Data management",
    ]
    assert content["coverage"]["unplanned"] == ["Technology evaluation", "Data management"]

    summary_rebuild(application_id=app.pk)
    client.force_login(RecruiterFactory())
    tree = fragment(client, app.pk)
    quotes = texts(tree, "//section[contains(@class, 'summary-disagreements')]/div/blockquote")
    assert "Could not size the storage" in quotes[0]
    assert "Ivan Ivanov in Deep dive" in quotes[0]
    assert "Ivan Ivanov in System design" in quotes[1]
    assert len(tree.xpath("//table[contains(@class, 'summary-table')]/tbody/tr")) == 1
    [coverage] = texts(tree, "//*[contains(@class, 'summary-coverage')]")
    assert coverage == (
        "Coverage: 3 competencies not assessed: Model lifecycle management, Technology evaluation, Data management, "
        "planned in: Deep dive (1); System design (1), 2 in no step of the plan."
    )


def test_the_headline_shows_the_hiring_decision_once_one_is_recorded(client):
    app, *_ = two_step_case()
    summary_rebuild(application_id=app.pk)
    recruiter = RecruiterFactory(first_name="Dana", last_name="Lead")
    client.force_login(recruiter)
    assert "Decision:" not in client.get(reverse("interviews:application-summary", args=[app.pk])).content.decode()

    services.decision_record(
        application=app, outcome="hire", rationale="Strong on the system design step.", citations=[], actor=recruiter
    )

    tree = fragment(client, app.pk)
    [headline] = texts(tree, "//*[contains(@class, 'summary-decision')]")
    assert headline.startswith("Decision: Hire by Dana Lead")


def test_summaries_of_the_old_format_are_rebuilt_by_the_sweeper(django_capture_on_commit_callbacks):
    import importlib

    from django.apps import apps

    from interviews.models import ApplicationSummary
    from interviews.summaries.build import SUMMARY_FORMAT
    from interviews.summaries.services import summary_sweep_stale

    migration = importlib.import_module("interviews.migrations.0008_summaries_rebuilt_in_the_new_format")
    assert migration.FORMAT == SUMMARY_FORMAT
    app, *_ = two_step_case()
    other, *_ = two_step_case()
    summary_rebuild(application_id=app.pk)
    summary_rebuild(application_id=other.pk)
    old = ApplicationSummary.objects.get(application=app)
    ApplicationSummary.objects.filter(pk=old.pk).update(content={**old.content, "format": 1}, fingerprint="old")

    migration.request_rebuilds(apps, None)

    assert ApplicationSummary.objects.get(application=app).status == "pending"
    assert ApplicationSummary.objects.get(application=other).status == "ready"  # already in the new format
    with django_capture_on_commit_callbacks(execute=True):
        assert summary_sweep_stale() == [app.pk]
    rebuilt = ApplicationSummary.objects.get(application=app)
    assert (rebuilt.status, rebuilt.content["format"]) == ("ready", SUMMARY_FORMAT)
