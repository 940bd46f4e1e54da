"""Services: import persists atomically, published versions are immutable, versions never touch each other."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from roles import services
from roles.models import CompensationBand, Competency, RatingAnchor, Requirement, Responsibility, RoleTemplate
from tests.roles.factories import (
    CompetencyFactory,
    PublishedTemplateFactory,
    PublishedTemplateWithCompetenciesFactory,
    RatingAnchorFactory,
    RoleTemplateFactory,
    make_published_template,
)

pytestmark = pytest.mark.django_db
FLAT = (Path(__file__).parent / "documents" / "flat.txt").read_text()


def complete_draft(**fields) -> RoleTemplate:
    template = RoleTemplateFactory(**fields)
    competency = CompetencyFactory(template=template, name="System design")
    for level in (1, 2, 3, 4):
        RatingAnchorFactory(competency=competency, level=level, description=f"Level {level} looks like this.")
    return template


def test_import_creates_a_draft_with_everything_and_its_sources():
    template = services.role_template_import(document=FLAT, filename="flat.txt")

    assert template.status == RoleTemplate.Status.DRAFT
    assert (template.slug, template.version) == ("staff-machine-learning-architect", 1)
    assert template.competencies.count() == 22
    assert RatingAnchor.objects.filter(competency__template=template).count() == 22 * 4
    assert not template.competencies.filter(anchors_need_review=False).exists()
    assert template.responsibilities.count() == 9
    assert template.requirements.get(min_years=4).kind == Requirement.Kind.EXPERIENCE
    assert template.compensation.median == 190_000
    assert (
        template.competencies.get(name="Programming").source == "Requirements > Technical Skills > Programming, line 46"
    )
    assert template.source_text == FLAT
    assert template.source_filename == "flat.txt"
    assert "## Career Development" in template.notes


def test_importing_the_same_title_again_makes_the_next_version_and_sets_the_old_draft_aside():
    first = services.role_template_import(document=FLAT)
    second = services.role_template_import(document=FLAT)

    first.refresh_from_db()
    assert (first.slug, first.version, first.status) == ("staff-machine-learning-architect", 1, "archived")
    assert (second.slug, second.version, second.status) == ("staff-machine-learning-architect", 2, "draft")
    assert first.published_at is None
    assert services.previous_version(second) == first


def test_importing_again_after_publishing_keeps_the_published_version_current():
    first = services.role_template_import(document=FLAT, publish=True)
    second = services.role_template_import(document=FLAT)

    first.refresh_from_db()
    assert (first.status, second.version, second.status) == ("published", 2, "draft")


def test_a_separate_template_can_be_forced():
    first = services.role_template_import(document=FLAT)
    second = services.role_template_import(document=FLAT, new_template=True)

    assert (first.slug, second.slug) == ("staff-machine-learning-architect", "staff-machine-learning-architect-2")
    assert second.version == 1
    first.refresh_from_db()
    assert first.status == "draft"


def test_the_draft_lists_every_skipped_part_of_the_document():
    template = services.role_template_import(document=FLAT)

    assert any(part.startswith("Career Development (line ") for part in template.skipped_parts)
    assert any(part.startswith("Industry Trend Analysis") for part in template.skipped_parts)


def test_publishing_unreviewed_anchors_asks_for_a_confirmation_saying_how_many():
    template = services.role_template_import(document=FLAT)

    with pytest.raises(services.UnreviewedAnchorsError) as caught:
        services.role_template_publish(template=template)

    assert caught.value.count == 22
    assert "22 competencies still have generated rating anchors that nobody has reviewed" in caught.value.messages[0]
    template.refresh_from_db()
    assert template.status == RoleTemplate.Status.DRAFT

    Competency.objects.filter(template=template).exclude(name="Programming").update(anchors_need_review=False)
    with pytest.raises(services.UnreviewedAnchorsError, match="1 competency still has"):
        services.role_template_publish(template=template)

    services.role_template_publish(template=template, confirm_unreviewed=True)
    template.refresh_from_db()
    assert template.status == RoleTemplate.Status.PUBLISHED


def test_a_reviewed_draft_publishes_without_a_confirmation():
    template = services.role_template_import(document=FLAT)
    template.competencies.update(anchors_need_review=False)

    services.role_template_publish(template=template)

    template.refresh_from_db()
    assert template.status == RoleTemplate.Status.PUBLISHED


@pytest.mark.parametrize("document", ["", b"\x00\x01binary", "Shopping list\n- eggs\n"])
def test_bad_documents_create_nothing(document):
    with pytest.raises(ValidationError):
        services.role_template_import(document=document)

    assert RoleTemplate.objects.count() == 0
    assert Competency.objects.count() == 0


def test_import_and_publish_in_one_go():
    template = services.role_template_import(document=FLAT, publish=True)

    assert template.status == RoleTemplate.Status.PUBLISHED
    assert template.published_at is not None


def test_publishing_says_what_is_missing():
    template = RoleTemplateFactory()
    empty = template
    with pytest.raises(ValidationError) as caught:
        services.role_template_publish(template=empty)
    assert "Add at least one competency" in " ".join(caught.value.messages)

    competency = CompetencyFactory(template=template, name="Data modelling")
    RatingAnchorFactory(competency=competency, level=1)
    RatingAnchorFactory(competency=competency, level=2)
    with pytest.raises(ValidationError) as caught:
        services.role_template_publish(template=template)

    assert "“Data modelling” has no anchor for level 3, 4" in " ".join(caught.value.messages)
    template.refresh_from_db()
    assert template.status == RoleTemplate.Status.DRAFT


def test_publish_makes_it_current_and_archives_the_previous_version():
    v1 = services.role_template_import(document=FLAT, publish=True)
    v2 = services.role_template_new_version(template=v1)

    services.role_template_publish(template=v2, confirm_unreviewed=True)

    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (RoleTemplate.Status.ARCHIVED, RoleTemplate.Status.PUBLISHED)
    assert v1.published_at is not None  # it stays for the jobs that use it


def test_a_published_version_refuses_every_change():
    template = make_published_template(competencies=2)
    competency = template.competencies.first()
    anchor = competency.anchors.first()

    attempts = [
        lambda: services.role_template_update(template=template, data={"title": "Changed"}),
        lambda: services.competency_save(competency=competency, anchors={1: "x", 2: "x", 3: "x", 4: "x"}),
        lambda: services.rating_anchor_save(anchor=anchor),
        lambda: services.template_child_save(obj=Responsibility(template=template, area="New area", items=["a"])),
        lambda: services.template_child_delete(obj=competency),
        lambda: services.role_template_delete(template=template),
        lambda: services.role_template_publish(template=template),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()

    template.refresh_from_db()
    assert template.title == "Staff Machine Learning Architect"
    assert template.competencies.count() == 2
    assert RatingAnchor.objects.get(pk=anchor.pk).description == anchor.description


def test_immutable_message_says_to_make_a_new_version():
    template = PublishedTemplateFactory()

    with pytest.raises(ValidationError) as caught:
        services.role_template_update(template=template, data={"summary": "x"})

    assert "is published and cannot be changed. Make a new version" in caught.value.messages[0]


def test_new_version_copies_everything_and_leaves_the_old_untouched():
    v1 = services.role_template_import(document=FLAT, publish=True)
    before = services.role_template_export(template=v1)

    v2 = services.role_template_new_version(template=v1)
    # Edit the new draft everywhere.
    services.role_template_update(template=v2, data={"title": "Staff ML Architect (2027)"})
    competency = v2.competencies.get(name="Programming")
    competency.description = "Rewritten for v2."
    services.competency_save(competency=competency, anchors={1: "a", 2: "b", 3: "c", 4: "d"})
    services.template_child_delete(obj=v2.competencies.get(name="Cloud Computing"))
    band = v2.compensation
    band.median = 210_000
    services.template_child_save(obj=band)
    services.template_child_save(obj=Requirement(template=v2, kind="skill", text="Rust", required=False))

    v1.refresh_from_db()
    after = services.role_template_export(template=v1)
    assert after == before
    assert (v2.version, v2.status, v2.slug) == (2, RoleTemplate.Status.DRAFT, v1.slug)
    assert v2.competencies.get(name="Programming").anchors.get(level=3).description == "c"
    assert v1.competencies.get(name="Programming").anchors.get(level=3).description != "c"
    assert v2.competencies.get(name="Programming").source == v1.competencies.get(name="Programming").source


def test_new_version_refuses_when_a_draft_exists():
    v1 = make_published_template(competencies=1, slug="data-lead")
    services.role_template_new_version(template=v1)

    with pytest.raises(ValidationError, match="already a draft"):
        services.role_template_new_version(template=v1)


def test_archive_hides_a_published_version_only():
    published = make_published_template(competencies=1)
    services.role_template_archive(template=published)
    published.refresh_from_db()
    assert published.status == RoleTemplate.Status.ARCHIVED

    with pytest.raises(ValidationError, match="Only a published version can be archived"):
        services.role_template_archive(template=RoleTemplateFactory())


def test_editing_an_anchor_marks_it_reviewed():
    template = services.role_template_import(document=FLAT)
    competency = template.competencies.get(name="Programming")
    anchors = {a.level: a.description for a in competency.anchors.all()}
    anchors[4] = "Designs language-level tooling others adopt."

    services.competency_save(competency=competency, anchors=anchors)

    competency.refresh_from_db()
    assert competency.anchors_need_review is False
    assert competency.anchors.get(level=4).description == "Designs language-level tooling others adopt."


def test_database_refuses_two_published_versions_and_a_bad_band():
    template = make_published_template(competencies=1, slug="one")
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedTemplateFactory(slug="one", version=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        CompensationBand.objects.create(template=template, min=200_000, median=150_000, max=250_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingAnchor.objects.create(competency=template.competencies.first(), level=5, description="x")


def test_export_matches_the_documented_shape():
    template = services.role_template_import(document=FLAT)

    data = services.role_template_export(template=template)

    assert list(data) == [
        "title",
        "slug",
        "version",
        "status",
        "level",
        "family",
        "summary",
        "competencies",
        "responsibilities",
        "requirements",
        "compensation",
    ]
    assert data["competencies"][0]["weight"] == 1
    assert isinstance(data["competencies"][0]["weight"], int)
    assert data["competencies"][0]["anchors"][0].keys() == {"level", "description"}
    assert data["compensation"] == {
        "currency": "USD",
        "p10": None,
        "min": 150_000,
        "median": 190_000,
        "max": 300_000,
        "p90": 350_000,
    }
    assert data["requirements"][2] == {
        "kind": "experience",
        "text": "4-5+ years in machine learning engineering or a close field",
        "required": True,
        "min_years": 4,
    }


def test_load_keeps_the_content_and_becomes_the_next_draft_of_the_slug():
    original = services.role_template_import(document=FLAT, publish=True)
    exported = services.role_template_export(template=original)

    loaded = services.role_template_load(data=exported)
    again = services.role_template_export(template=loaded)

    assert {**again, "version": None, "status": None} == {**exported, "version": None, "status": None}
    assert (loaded.slug, loaded.version, loaded.status) == (original.slug, 2, "draft")


def test_load_into_an_empty_database_keeps_version_too():
    data = services.role_template_export(template=make_published_template(competencies=3, slug="ml-lead"))
    RoleTemplate.objects.all().delete()

    loaded = services.role_template_load(data=data)

    assert services.role_template_export(template=loaded) == {**data, "status": "draft"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be an object"),
        ({"title": ""}, "non-empty “title”"),
        ({"title": "X", "competencies": [{"name": "A", "category": "magic"}]}, "category must be one of"),
        (
            {
                "title": "X",
                "competencies": [{"name": "A", "category": "technical", "anchors": [{"level": 7, "description": "x"}]}],
            },
            "level 1-4",
        ),
        ({"title": "X", "requirements": [{"kind": "vibes", "text": "x"}]}, "kind must be one of"),
        ({"title": "X", "compensation": {"median": "lots"}}, "compensation.median must be a whole"),
    ],
)
def test_load_refuses_bad_documents_and_creates_nothing(data, message):
    with pytest.raises(ValidationError) as caught:
        services.role_template_load(data=data)

    assert message in " ".join(caught.value.messages)
    assert RoleTemplate.objects.count() == 0


def test_factory_helpers_give_complete_published_templates():
    template = PublishedTemplateWithCompetenciesFactory(competencies=5)

    assert template.status == RoleTemplate.Status.PUBLISHED
    assert [c.anchors.count() for c in template.competencies.all()] == [4] * 5
    assert services.publish_problems(template) == []
    assert services.publish_problems(complete_draft()) == []
