"""An admin imports a role document, curates it, previews the scorecard, publishes and versions it."""

from pathlib import Path

from playwright.sync_api import expect

from roles.models import RoleTemplate
from tests.hiring.factories import AdminFactory

DOCUMENT = Path(__file__).resolve().parents[1] / "roles" / "documents" / "flat.txt"


def viewport_shot(page, screenshot, name: str) -> None:
    """What the admin sees on screen (the full-page shot of a long form is too tall to read)."""
    path = screenshot(name)
    page.screenshot(path=str(path.with_name(f"{name}-viewport.png")))


def test_admin_imports_curates_previews_publishes_and_versions(login, page, live_server, screenshot):
    login(AdminFactory())

    page.goto(f"{live_server.url}/admin/roles/roletemplate/")
    page.get_by_role("link", name="Import role document").click()
    page.get_by_label("Role document file").set_input_files(str(DOCUMENT))
    screenshot("roles-import-form")
    page.get_by_role("button", name="Import as draft").click()

    expect(page.get_by_text("Imported “Staff Machine Learning Architect” as draft version 1")).to_be_visible()
    template = RoleTemplate.objects.get()
    assert page.url.endswith(f"/admin/roles/roletemplate/{template.pk}/change/")
    viewport_shot(page, screenshot, "roles-imported-draft")
    page.locator("#responsibilities-group").scroll_into_view_if_needed()
    viewport_shot(page, screenshot, "roles-imported-responsibilities")
    page.locator("#compensation-group").scroll_into_view_if_needed()
    viewport_shot(page, screenshot, "roles-imported-requirements-and-band")

    # Curate: rewrite the top anchor of "Programming" and rename a competency.
    programming = template.competencies.get(name="Programming")
    index = list(template.competencies.order_by("order", "id")).index(programming)
    page.locator(f"#id_competencies-{index}-anchor_4").fill("Designs libraries and tooling that other teams adopt.")
    page.locator(f"#competencies-{index}").scroll_into_view_if_needed()
    viewport_shot(page, screenshot, "roles-curating-competency")
    page.locator(f"#id_competencies-{index}-weight").fill("1.5")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    programming.refresh_from_db()
    assert programming.anchors.get(level=4).description == "Designs libraries and tooling that other teams adopt."
    assert programming.anchors_need_review is False
    assert str(programming.weight) == "1.50"

    # Preview the interviewer form.
    page.get_by_role("link", name="Preview scorecard").click()
    expect(page.get_by_role("heading", name="Scorecard preview: Staff Machine Learning Architect v1")).to_be_visible()
    expect(page.get_by_text("Designs libraries and tooling that other teams adopt.")).to_be_visible()
    page.get_by_role("radiogroup", name="Rating for Programming").get_by_text("3 · Yes").click()
    page.get_by_label("Evidence for Programming").fill("Walked through a library they maintain.")
    viewport_shot(page, screenshot, "roles-scorecard-preview")
    overall = page.get_by_role("radiogroup", name="Overall recommendation")
    overall.get_by_label("Yes", exact=True).check()
    overall.scroll_into_view_if_needed()
    viewport_shot(page, screenshot, "roles-scorecard-preview-overall")
    page.get_by_role("link", name="Back to the template").click()

    # Publish version 1: 21 competencies still have generated anchors, so it asks first; then read-only.
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("21 competencies have rating anchors that the importer generated")).to_be_visible()
    page.get_by_role("button", name="Publish anyway").click()
    expect(page.get_by_text("Published version 1.")).to_be_visible()
    expect(page.get_by_text("A published version is read-only")).to_be_visible()
    assert page.locator("#id_title").count() == 0
    viewport_shot(page, screenshot, "roles-published-read-only")
    page.locator("#competencies-0").scroll_into_view_if_needed()
    viewport_shot(page, screenshot, "roles-published-competency-read-only")

    # New version: an editable draft v2; editing it leaves v1 as it was.
    page.get_by_role("button", name="New version").click()
    expect(page.get_by_text("Created draft version 2.")).to_be_visible()
    page.locator("#id_title").fill("Staff Machine Learning Architect (2027)")
    page.locator(f"#id_competencies-{index}-anchor_4").fill("Sets the bar for code quality across the company.")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    viewport_shot(page, screenshot, "roles-new-version-draft")

    v1 = RoleTemplate.objects.get(version=1)
    v2 = RoleTemplate.objects.get(version=2)
    assert (v1.status, v1.title) == ("published", "Staff Machine Learning Architect")
    assert v1.competencies.get(name="Programming").anchors.get(level=4).description == (
        "Designs libraries and tooling that other teams adopt."
    )
    assert (v2.status, v2.title) == ("draft", "Staff Machine Learning Architect (2027)")
    assert v2.competencies.get(name="Programming").anchors.get(level=4).description == (
        "Sets the bar for code quality across the company."
    )

    # The list shows both versions with their status.
    page.goto(f"{live_server.url}/admin/roles/roletemplate/")
    expect(page.get_by_role("link", name="Staff Machine Learning Architect (2027)")).to_be_visible()
    expect(page.locator(".role-status-published")).to_have_count(1)
    expect(page.locator(".role-status-draft")).to_have_count(1)
    screenshot("roles-changelist")


def test_a_document_that_is_not_a_role_profile_is_refused_in_place(login, page, live_server, screenshot):
    login(AdminFactory())

    page.goto(f"{live_server.url}/admin/roles/roletemplate/import/")
    page.get_by_label("Or paste the document").fill("Shopping list\n- eggs\n- milk\n")
    page.get_by_role("button", name="Import as draft").click()

    expect(page.get_by_role("alert")).to_contain_text("This does not look like a role profile")
    expect(page.get_by_label("Or paste the document")).to_have_value("Shopping list\n- eggs\n- milk\n")
    assert RoleTemplate.objects.count() == 0
    screenshot("roles-import-refused")


SAMPLE = Path(__file__).resolve().parents[2] / "roles" / "documents" / "staff-machine-learning-architect.txt"


def test_admin_imports_the_sample_twice_compares_the_versions_and_confirms_publishing(
    login, page, live_server, screenshot
):
    login(AdminFactory())

    for _ in range(2):
        page.goto(f"{live_server.url}/admin/roles/roletemplate/import/")
        page.get_by_label("Role document file").set_input_files(str(SAMPLE))
        page.get_by_role("button", name="Import as draft").click()
    expect(page.get_by_text("as draft version 2 of the existing template")).to_be_visible()
    assert list(RoleTemplate.objects.order_by("version").values_list("slug", "version", "status")) == [
        ("staff-machine-learning-architect", 1, "archived"),
        ("staff-machine-learning-architect", 2, "draft"),
    ]
    skipped = page.locator("details.role-skipped")
    skipped.locator("summary").click()
    expect(skipped).to_contain_text("Market Demand (line 98")
    viewport_shot(page, screenshot, "roles-reimported-version-2")

    # Edit one anchor of version 2, then compare it with version 1.
    systems = RoleTemplate.objects.get(version=2).competencies.get(name="Machine Learning Systems")
    index = list(systems.template.competencies.order_by("order", "id")).index(systems)
    page.locator(f"#id_competencies-{index}-anchor_4").fill("Runs the model platform several product teams build on.")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.get_by_role("link", name="compare").click()
    expect(page.get_by_role("heading", name="Staff Machine Learning Architect: version 1 → version 2")).to_be_visible()
    changed = page.locator("li.role-diff-changed", has_text="Machine Learning Systems")
    expect(changed).to_contain_text("Anchor 4 · Strong yes")
    expect(changed).to_contain_text("Runs the model platform several product teams build on.")
    screenshot("roles-compare-versions")

    # Publishing version 2 asks, saying how many competencies are unreviewed; "No" publishes nothing.
    page.get_by_role("link", name="version 2").first.click()
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_text("21 competencies have rating anchors that the importer generated")).to_be_visible()
    screenshot("roles-publish-confirmation")
    page.get_by_role("link", name="No, review the anchors first").click()
    assert RoleTemplate.objects.get(version=2).status == "draft"
    page.get_by_role("button", name="Publish version 2").click()
    page.get_by_role("button", name="Publish anyway").click()
    expect(page.get_by_text("Published version 2.")).to_be_visible()
    assert RoleTemplate.objects.get(version=2).status == "published"
