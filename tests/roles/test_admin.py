"""The role-template admin: pages answer, published versions are read-only, writes go through services."""

from pathlib import Path

import pytest
from django.contrib.admin import site as admin_site
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roles import services
from roles.admin import RoleTemplateAdmin
from roles.models import Competency, RoleTemplate
from tests.hiring.factories import (
    HiringManagerFactory,
    InterviewerFactory,
    RecruiterFactory,
    UserFactory,
)
from tests.html import field_value, form_errors, parse
from tests.roles.factories import make_published_template

pytestmark = pytest.mark.django_db
FLAT = (Path(__file__).parent / "documents" / "flat.txt").read_text()


def url(name, *args):
    return reverse(f"admin:roles_roletemplate_{name}", args=args)


def test_changelist_shows_templates_with_a_constant_number_of_queries(admin_client, django_assert_max_num_queries):
    for i in range(3):
        make_published_template(competencies=4, slug=f"role-{i}", title=f"Role {i}")
    with django_assert_max_num_queries(10):
        small = admin_client.get(url("changelist"))
    for i in range(3, 30):
        make_published_template(competencies=4, slug=f"role-{i}", title=f"Role {i}")
    with django_assert_max_num_queries(10):
        large = admin_client.get(url("changelist"))

    assert small.status_code == large.status_code == 200
    assert "Import role document" in large.text
    assert "Role 29" in large.text


def test_change_page_of_a_draft_has_the_competency_inline_with_anchors(admin_client, django_assert_max_num_queries):
    template = services.role_template_import(document=FLAT)

    with django_assert_max_num_queries(16):
        response = admin_client.get(url("change", template.pk))

    assert response.status_code == 200
    assert 'name="competencies-0-anchor_4"' in response.text
    assert "Level 4 · Strong yes" in response.text
    assert "Requirements &gt; Technical Skills &gt; Machine Learning and AI, line 43" in response.text
    assert "22 competencies have generated rating anchors" in response.text
    assert "Publish version 1" in response.text


def test_change_page_queries_do_not_grow_with_competencies(admin_client, django_assert_max_num_queries):
    few = RoleTemplate.objects.get(pk=make_published_template(competencies=2, slug="few").pk)
    many = RoleTemplate.objects.get(pk=make_published_template(competencies=25, slug="many").pk)
    few_draft = services.role_template_new_version(template=few)
    many_draft = services.role_template_new_version(template=many)

    with django_assert_max_num_queries(16) as small:
        admin_client.get(url("change", few_draft.pk))
    with django_assert_max_num_queries(16) as large:
        admin_client.get(url("change", many_draft.pk))

    assert len(large.captured_queries) == len(small.captured_queries)


def test_published_version_is_shown_read_only(admin_client):
    template = make_published_template(competencies=2)

    response = admin_client.get(url("change", template.pk))

    assert response.status_code == 200
    assert 'name="title"' not in response.text
    assert 'name="competencies-0-anchor_1"' not in response.text
    assert "A published version is read-only" in response.text
    assert "What competency 1 covers." in response.text
    assert "Shows this reliably on their own." in response.text  # the anchors, read-only
    assert "New version" in response.text


def test_posting_to_a_published_version_changes_nothing(admin_client):
    template = make_published_template(competencies=1)

    response = admin_client.post(url("change", template.pk), {"title": "Hacked", "summary": "x"})

    template.refresh_from_db()
    assert response.status_code == 403
    assert template.title == "Staff Machine Learning Architect"


def draft_post_data(template: RoleTemplate, **changes) -> dict:
    """The change form as a browser would send it, with the given changes."""
    data = {
        "title": template.title,
        "level": template.level,
        "family": template.family,
        "summary": template.summary,
        "notes": template.notes,
        "compensation-TOTAL_FORMS": "0",
        "compensation-INITIAL_FORMS": "0",
    }
    for prefix, rows in (
        ("competencies", template.competencies.prefetch_related("anchors")),
        ("responsibilities", template.responsibilities.all()),
        ("requirements", template.requirements.all()),
    ):
        rows = list(rows)
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-template"] = template.pk
            data[f"{prefix}-{i}-order"] = row.order
            if prefix == "competencies":
                data.update(
                    {
                        f"{prefix}-{i}-name": row.name,
                        f"{prefix}-{i}-category": row.category,
                        f"{prefix}-{i}-description": row.description,
                        f"{prefix}-{i}-weight": str(row.weight),
                    }
                )
                if row.anchors_need_review:
                    data[f"{prefix}-{i}-anchors_need_review"] = "on"
                for anchor in row.anchors.all():
                    data[f"{prefix}-{i}-anchor_{anchor.level}"] = anchor.description
            elif prefix == "responsibilities":
                data.update({f"{prefix}-{i}-area": row.area, f"{prefix}-{i}-items_text": "\n".join(row.items)})
            else:
                data.update({f"{prefix}-{i}-kind": row.kind, f"{prefix}-{i}-text": row.text})
                if row.required:
                    data[f"{prefix}-{i}-required"] = "on"
                if row.min_years is not None:
                    data[f"{prefix}-{i}-min_years"] = row.min_years
    data.update(changes)
    return data


def test_editing_a_draft_with_its_inlines_saves_through_services(admin_client):
    template = RoleTemplate.objects.get(pk=make_published_template(competencies=2).pk)
    draft = services.role_template_new_version(template=template)

    response = admin_client.post(
        url("change", draft.pk),
        draft_post_data(
            draft,
            title="Staff ML Architect",
            **{
                "competencies-0-anchor_4": "Sets the standard for the whole company.",
                "competencies-1-DELETE": "on",
                "responsibilities-TOTAL_FORMS": "1",
                "responsibilities-0-area": "Platform",
                "responsibilities-0-items_text": "- Own the roadmap\n- Review designs\n",
                "responsibilities-0-order": "1",
            },
        ),
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    draft.refresh_from_db()
    template.refresh_from_db()
    assert draft.title == "Staff ML Architect"
    assert draft.competencies.count() == 1
    first = draft.competencies.get()
    assert first.anchors.get(level=4).description == "Sets the standard for the whole company."
    assert draft.responsibilities.get().items == ["Own the roadmap", "Review designs"]
    assert template.competencies.count() == 2  # the published version is untouched
    assert template.title == "Staff Machine Learning Architect"


def test_import_page_upload_creates_a_draft_and_opens_it(admin_client):
    upload = SimpleUploadedFile("ml-architect.md", FLAT.encode(), content_type="text/markdown")

    response = admin_client.post(url("import"), {"document": upload, "text": "", "title": ""})

    template = RoleTemplate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("change", template.pk)
    assert template.source_filename == "ml-architect.md"
    page = admin_client.get(response["Location"])
    assert "Imported “Staff Machine Learning Architect” as draft version 1: 22 competencies" in page.text


def test_import_page_pasted_text_with_a_title(admin_client):
    response = admin_client.post(url("import"), {"text": FLAT, "title": "ML Architect"})

    assert response.status_code == 302
    assert RoleTemplate.objects.get().title == "ML Architect"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Choose a file to upload or paste the document"),
        ({"text": "Shopping list\n- eggs\n- milk\n"}, "does not look like a role profile"),
        ({"document": SimpleUploadedFile("role.pdf", b"%PDF\x00\x00")}, "Upload a .txt or .md file"),
        ({"document": SimpleUploadedFile("role.txt", b"\x00\x01\x02\x03")}, "binary file"),
    ],
)
def test_import_page_bad_input_shows_the_reason_and_creates_nothing(admin_client, data, message):
    response = admin_client.post(url("import"), data)

    assert response.status_code == 400
    assert message in response.text
    assert RoleTemplate.objects.count() == 0


def test_import_page_renders(admin_client):
    response = admin_client.get(url("import"))

    assert response.status_code == 200
    assert "Role document file" in response.text
    assert "Or paste the document" in response.text


def test_preview_shows_the_interviewer_form(admin_client, django_assert_max_num_queries):
    template = make_published_template(competencies=12)

    with django_assert_max_num_queries(8):
        response = admin_client.get(url("preview", template.pk))

    assert response.status_code == 200
    text = response.text
    assert text.count('type="radio" name="rating-') == 12 * 5  # 4 levels + not assessed
    assert "1 · Strong no" in text
    assert "4 · Strong yes" in text
    assert "Shows this at a level others learn from." in text
    assert 'id="evidence-' in text
    assert "Overall recommendation" in text
    for label in ("Strong no", "No", "Yes", "Strong yes"):
        assert f'value="{["Strong no", "No", "Yes", "Strong yes"].index(label) + 1}"> {label}' in text


def test_lifecycle_buttons_publish_version_and_archive(admin_client):
    draft = services.role_template_import(document=FLAT)

    asked = admin_client.post(url("publish", draft.pk))
    draft.refresh_from_db()
    assert asked.status_code == 200
    assert draft.status == "draft"
    assert "22 competencies have rating anchors that the importer generated and nobody" in asked.text
    assert 'value="Publish anyway"' in asked.text

    response = admin_client.post(url("publish", draft.pk), {"confirm": "yes"})
    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == "published"

    response = admin_client.post(url("new_version", draft.pk))
    v2 = RoleTemplate.objects.get(slug=draft.slug, version=2)
    assert response["Location"] == url("change", v2.pk)

    response = admin_client.post(url("archive", draft.pk))
    draft.refresh_from_db()
    assert draft.status == "archived"


def test_publishing_an_incomplete_draft_says_what_is_missing(admin_client):
    draft = RoleTemplate.objects.create(title="Empty", slug="empty")

    response = admin_client.post(url("publish", draft.pk), follow=True)

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "Add at least one competency" in response.text


def test_lifecycle_urls_need_post_and_a_known_id(admin_client):
    draft = services.role_template_import(document=FLAT)

    assert admin_client.get(url("publish", draft.pk)).status_code == 405
    assert admin_client.post(url("publish", 999_999)).status_code == 404
    assert admin_client.get(url("preview", 999_999)).status_code == 404


def test_actions_publish_new_version_archive_and_export(admin_client):
    a = services.role_template_import(document=FLAT)
    b = make_published_template(competencies=1, slug="other", title="Other")

    asked = admin_client.post(url("changelist"), {"action": "publish_selected", "_selected_action": [a.pk]})
    a.refresh_from_db()
    assert (asked.status_code, a.status) == (200, "draft")
    assert "22 competencies have rating anchors" in asked.text
    assert f'name="_selected_action" value="{a.pk}"' in asked.text

    response = admin_client.post(
        url("changelist"), {"action": "publish_selected", "_selected_action": [a.pk], "confirm": "yes"}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == "published"

    admin_client.post(url("changelist"), {"action": "new_version_selected", "_selected_action": [a.pk, b.pk]})
    assert RoleTemplate.objects.filter(status="draft").count() == 2

    admin_client.post(url("changelist"), {"action": "archive_selected", "_selected_action": [b.pk]})
    b.refresh_from_db()
    assert b.status == "archived"

    response = admin_client.post(url("changelist"), {"action": "export_selected", "_selected_action": [a.pk]})
    assert response["Content-Type"] == "application/json"
    assert response.json()["slug"] == a.slug
    assert response.json()["compensation"]["median"] == 190_000


def test_export_link_downloads_json(admin_client):
    template = make_published_template(competencies=2, slug="exported")

    response = admin_client.get(url("export", template.pk))

    assert response.status_code == 200
    assert 'filename="exported-v1.json"' in response["Content-Disposition"]
    assert len(response.json()["competencies"]) == 2


def test_competency_admin_of_a_published_version_is_read_only(admin_client):
    template = make_published_template(competencies=1)
    competency = template.competencies.get()

    response = admin_client.get(reverse("admin:roles_competency_change", args=[competency.pk]))
    changelist = admin_client.get(reverse("admin:roles_competency_changelist"))

    assert response.status_code == 200
    assert 'name="name"' not in response.text
    assert changelist.status_code == 200


def test_competency_admin_edits_anchors_of_a_draft(admin_client):
    template = services.role_template_import(document=FLAT)
    competency = template.competencies.get(name="Programming")
    anchors = list(competency.anchors.all())
    data = {
        "template": template.pk,
        "name": "Programming",
        "category": "technical",
        "weight": "1.5",
        "order": "2",
        "description": competency.description,
        "anchors-TOTAL_FORMS": "4",
        "anchors-INITIAL_FORMS": "4",
        "anchors-MIN_NUM_FORMS": "0",
        "anchors-MAX_NUM_FORMS": "4",
    }
    for i, anchor in enumerate(anchors):
        data.update(
            {
                f"anchors-{i}-id": anchor.pk,
                f"anchors-{i}-competency": competency.pk,
                f"anchors-{i}-level": anchor.level,
                f"anchors-{i}-description": anchor.description if i else "Cannot write a working program.",
            }
        )

    response = admin_client.post(reverse("admin:roles_competency_change", args=[competency.pk]), data)

    assert response.status_code == 302
    competency.refresh_from_db()
    assert str(competency.weight) == "1.50"
    assert competency.anchors.get(level=1).description == "Cannot write a working program."
    assert competency.anchors_need_review is False


@pytest.mark.parametrize("factory", [RecruiterFactory, HiringManagerFactory, InterviewerFactory, UserFactory])
def test_people_without_admin_rights_cannot_reach_the_pages(client, factory):
    template = make_published_template(competencies=1)
    client.force_login(factory())

    for page in (url("import"), url("preview", template.pk), url("export", template.pk)):
        assert client.get(page).status_code in (302, 403, 404)
    assert client.post(url("publish", template.pk)).status_code in (302, 403, 404)
    assert Competency.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(url("import"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_adding_a_template_by_hand_creates_a_draft(admin_client):
    page = admin_client.get(reverse("admin:roles_roletemplate_add"))
    data = {
        "title": "Data Engineer",
        "slug": "data-engineer",
        "level": "",
        "family": "Data",
        "summary": "Builds pipelines.",
        "notes": "",
        "competencies-TOTAL_FORMS": "1",
        "competencies-INITIAL_FORMS": "0",
        "competencies-0-name": "SQL",
        "competencies-0-category": "technical",
        "competencies-0-description": "Writes correct, fast queries.",
        "competencies-0-weight": "1",
        "competencies-0-order": "1",
        **{f"competencies-0-anchor_{level}": f"Level {level} SQL." for level in (1, 2, 3, 4)},
        "responsibilities-TOTAL_FORMS": "0",
        "responsibilities-INITIAL_FORMS": "0",
        "requirements-TOTAL_FORMS": "0",
        "requirements-INITIAL_FORMS": "0",
        "compensation-TOTAL_FORMS": "1",
        "compensation-INITIAL_FORMS": "0",
        "compensation-0-currency": "EUR",
        "compensation-0-min": "60000",
        "compensation-0-median": "70000",
        "compensation-0-max": "80000",
    }

    response = admin_client.post(reverse("admin:roles_roletemplate_add"), data)

    assert page.status_code == 200
    assert response.status_code == 302
    template = RoleTemplate.objects.get(slug="data-engineer")
    assert (template.status, template.version) == ("draft", 1)
    assert [a.description for a in template.competencies.get().anchors.all()] == [
        "Level 1 SQL.",
        "Level 2 SQL.",
        "Level 3 SQL.",
        "Level 4 SQL.",
    ]
    assert (template.compensation.currency, template.compensation.median) == ("EUR", 70000)
    assert services.publish_problems(template) == []


def test_a_band_out_of_order_is_refused_in_place(admin_client):
    template = RoleTemplate.objects.get(pk=make_published_template(competencies=1).pk)
    draft = services.role_template_new_version(template=template)
    data = draft_post_data(
        draft,
        **{
            "compensation-TOTAL_FORMS": "1",
            "compensation-0-currency": "USD",
            "compensation-0-min": "200000",
            "compensation-0-median": "100000",
            "compensation-0-max": "300000",
        },
    )

    response = admin_client.post(url("change", draft.pk), data)

    assert response.status_code == 200
    assert "The median cannot be below the minimum." in response.text
    assert not hasattr(RoleTemplate.objects.get(pk=draft.pk), "compensation")


def test_two_competencies_with_the_same_name_are_refused_in_place(admin_client):
    template = RoleTemplate.objects.get(pk=make_published_template(competencies=2).pk)
    draft = services.role_template_new_version(template=template)

    response = admin_client.post(
        url("change", draft.pk), draft_post_data(draft, **{"competencies-1-name": "Competency 1"})
    )

    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["errors"])
    assert "Competency with this Template and Name already exists." in errors, errors
    assert sorted(draft.competencies.values_list("name", flat=True)) == ["Competency 1", "Competency 2"]


def test_staff_without_role_template_rights_get_404_on_the_extra_pages(client):
    template = make_published_template(competencies=1)
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    assert client.get(url("import")).status_code == 404
    assert client.get(url("preview", template.pk)).status_code == 404
    assert client.get(url("export", template.pk)).status_code == 404
    assert client.post(url("publish", template.pk)).status_code == 404


# --------------------------------------------------------------------------- a service's refusal, in place


def _hand_typed_template(slug: str) -> dict:
    return {
        "title": "Data Engineer (typed by hand)",
        "slug": slug,
        "level": "Senior",
        "family": "Data",
        "summary": "Builds pipelines the analysts trust.",
        "notes": "",
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("competencies", "responsibilities", "requirements", "compensation")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }


def test_a_template_the_service_refuses_shows_the_reason_and_keeps_the_typed_values(admin_client):
    existing = RoleTemplate.objects.create(title="Data Engineer", slug="data-engineer")  # draft version 1

    response = admin_client.post(reverse("admin:roles_roletemplate_add"), _hand_typed_template("data-engineer"))

    assert response.status_code == 200
    page = parse(response)
    assert any("Slug and Version already exists" in message for message in form_errors(page)), form_errors(page)
    assert field_value(page, "title") == "Data Engineer (typed by hand)"
    assert field_value(page, "summary") == "Builds pipelines the analysts trust."
    assert list(RoleTemplate.objects.values_list("pk", flat=True)) == [existing.pk]


def test_a_competency_added_to_a_published_version_is_refused_in_place(admin_client):
    published = make_published_template(competencies=1)

    response = admin_client.post(
        reverse("admin:roles_competency_add"),
        {
            "template": published.pk,
            "name": "Typed competency",
            "category": "technical",
            "weight": "1",
            "order": "3",
            "description": "Typed description.",
            "anchors-TOTAL_FORMS": "0",
            "anchors-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    page = parse(response)
    assert any("is published and cannot be changed" in message for message in form_errors(page)), form_errors(page)
    assert field_value(page, "name") == "Typed competency"
    assert field_value(page, "description") == "Typed description."
    assert published.competencies.count() == 1


def test_an_inline_row_the_service_refuses_names_the_row_and_writes_nothing(admin_client, monkeypatch):
    template = RoleTemplate.objects.get(pk=make_published_template(competencies=2).pk)
    draft = services.role_template_new_version(template=template)

    def refuse(**kwargs):
        raise ValidationError("Someone published this version a moment ago.")

    monkeypatch.setattr(services, "template_child_save", refuse)
    data = draft_post_data(
        draft,
        title="Typed new title",
        **{
            "responsibilities-TOTAL_FORMS": "1",
            "responsibilities-0-area": "Platform",
            "responsibilities-0-items_text": "Own the roadmap",
            "responsibilities-0-order": "1",
        },
    )

    response = admin_client.post(url("change", draft.pk), data)

    assert response.status_code == 200
    page = parse(response)
    assert "Responsibility “Platform”: Someone published this version a moment ago." in form_errors(page)
    assert field_value(page, "title") == "Typed new title"
    assert field_value(page, "responsibilities-0-area") == "Platform"
    draft.refresh_from_db()
    assert draft.title == "Staff Machine Learning Architect"  # the template's own save was rolled back too
    assert not draft.responsibilities.exists()


def test_deleting_a_published_version_is_refused_by_the_service(admin_client):
    published = make_published_template(competencies=1)
    admin = RoleTemplateAdmin(RoleTemplate, admin_site)

    with pytest.raises(ValidationError, match="cannot be changed"):
        admin.delete_queryset(None, RoleTemplate.objects.filter(pk=published.pk))

    assert RoleTemplate.objects.filter(pk=published.pk).exists()


def test_a_forged_post_cannot_move_a_competency_to_another_template(admin_client):
    draft = services.role_template_import(document=FLAT)
    other = services.role_template_import(document=FLAT, title="Other role")
    competency = draft.competencies.get(name="Programming")

    response = admin_client.post(
        reverse("admin:roles_competency_change", args=[competency.pk]),
        {
            "template": other.pk,
            "name": "Programming",
            "category": "technical",
            "weight": "1",
            "order": "2",
            "description": competency.description,
            "anchors-TOTAL_FORMS": "0",
            "anchors-INITIAL_FORMS": "0",
        },
    )

    competency.refresh_from_db()
    assert response.status_code == 302
    assert competency.template_id == draft.pk


# --------------------------------------------------------------------------- versions, diff, publish confirmation

DEMO = (
    Path(__file__).resolve().parents[2] / "roles" / "documents" / "staff-machine-learning-architect.txt"
).read_text()


def test_importing_the_sample_twice_through_the_admin_makes_versions_1_and_2_of_one_template(admin_client):
    first = admin_client.post(url("import"), {"text": DEMO})
    second = admin_client.post(url("import"), {"text": DEMO})

    versions = list(RoleTemplate.objects.order_by("version").values_list("slug", "version", "status"))
    assert versions == [
        ("staff-machine-learning-architect", 1, "archived"),
        ("staff-machine-learning-architect", 2, "draft"),
    ]
    assert first.status_code == second.status_code == 302
    v1 = RoleTemplate.objects.get(version=1)
    page = admin_client.get(second["Location"])
    assert "Imported “Staff Machine Learning Architect” as draft version 2 of the existing template" in page.text
    assert f"diff/?against={v1.pk}" in page.text  # the message links to what changed
    assert "archived without being published" in admin_client.get(url("change", v1.pk)).text


def test_the_separate_template_box_on_the_import_page_keeps_the_templates_apart(admin_client):
    admin_client.post(url("import"), {"text": DEMO})
    admin_client.post(url("import"), {"text": DEMO, "new_template": "on"})

    assert sorted(RoleTemplate.objects.values_list("slug", "version")) == [
        ("staff-machine-learning-architect", 1),
        ("staff-machine-learning-architect-2", 1),
    ]


def test_the_draft_page_lists_the_skipped_parts_of_the_document(admin_client):
    template = services.role_template_import(document=DEMO)

    page = parse(admin_client.get(url("change", template.pk)))

    summary = page.xpath("//details[@class='role-skipped']/summary")[0].text_content()
    assert "12 parts of the source document skipped by the importer" in summary
    items = [li.text_content() for li in page.xpath("//details[@class='role-skipped']//li")]
    assert any(item.startswith("Market Demand (line 98") for item in items)
    assert any("Industry Trend Analysis" in item and "not made a competency" in item for item in items)


def test_diff_page_shows_competencies_anchors_requirements_and_band_added_removed_changed(
    admin_client, django_assert_max_num_queries
):
    v1 = services.role_template_import(document=DEMO, publish=True)
    v2 = services.role_template_new_version(template=v1)
    systems = v2.competencies.get(name="Machine Learning Systems")
    anchors = {a.level: a.description for a in systems.anchors.all()}
    anchors[4] = "Has run model platforms that several product teams rely on."
    services.competency_save(competency=systems, anchors=anchors)
    services.template_child_delete(obj=v2.competencies.get(name="Resilience"))
    services.competency_save(
        competency=Competency(template=v2, name="Cost awareness", category="domain", description="Knows the bill.")
    )
    services.template_child_delete(obj=v2.requirements.get(text__startswith="Eligibility for a security clearance"))
    band = v2.compensation
    band.median = 210_000
    services.template_child_save(obj=band)

    with django_assert_max_num_queries(14):
        response = admin_client.get(url("diff", v2.pk))

    assert response.status_code == 200
    page = parse(response)
    changes = {
        (li.get("class").removeprefix("role-diff-"), li.xpath("./strong")[0].text_content())
        for li in page.xpath("//section[contains(@class, 'role-diff-section')]/ul/li")
    }
    assert ("changed", "Machine Learning Systems") in changes
    assert ("removed", "Resilience") in changes
    assert ("added", "Cost awareness") in changes
    assert ("removed", "Eligibility for a security clearance for some public-sector clients") in changes
    assert ("changed", "Pay band") in changes
    assert "Anchor 4 · Strong yes:" in response.text
    assert "Median: 190,000 → 210,000" in response.text
    # From version 1's page: the same comparison is one click away.
    assert url("diff", v1.pk) + f"?against={v2.pk}" in admin_client.get(url("change", v1.pk)).text
    assert admin_client.get(url("diff", v1.pk), {"against": v2.pk}).status_code == 200


def test_diff_page_refuses_a_first_version_or_another_role(admin_client):
    v1 = services.role_template_import(document=DEMO)
    other = make_published_template(competencies=1, slug="other", title="Other")

    assert admin_client.get(url("diff", v1.pk)).status_code == 404
    assert admin_client.get(url("diff", v1.pk), {"against": other.pk}).status_code == 404
    assert admin_client.get(url("diff", v1.pk), {"against": "x"}).status_code == 404


def test_a_reviewed_draft_publishes_from_the_button_without_a_question(admin_client):
    draft = services.role_template_import(document=FLAT)
    draft.competencies.update(anchors_need_review=False)

    response = admin_client.post(url("publish", draft.pk))

    draft.refresh_from_db()
    assert (response.status_code, draft.status) == (302, "published")
