"""import_role / export_role / load_role: the stable command-line interface scripts rely on."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from roles.models import RoleTemplate
from roles.services import role_template_new_version

pytestmark = pytest.mark.django_db
DOCUMENTS = Path(__file__).parent / "documents"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_role_prints_the_slug_last():
    output = run("import_role", str(DOCUMENTS / "markdown.md"))

    assert output.strip().splitlines()[-1] == "staff-machine-learning-architect"
    template = RoleTemplate.objects.get(slug="staff-machine-learning-architect")
    assert template.status == "draft"
    assert template.source_filename == "markdown.md"


def test_import_role_with_title_and_publish():
    output = run("import_role", str(DOCUMENTS / "flat.txt"), "--title", "ML Platform Architect", "--publish")

    assert output.strip().splitlines()[-1] == "ml-platform-architect"
    assert RoleTemplate.objects.get(slug="ml-platform-architect").status == "published"


def test_import_role_refuses_bad_input_with_the_reason(tmp_path):
    binary = tmp_path / "cv.pdf"
    binary.write_bytes(b"%PDF-1.4\x00\x00\x01")

    with pytest.raises(CommandError, match="binary file"):
        run("import_role", str(binary))
    with pytest.raises(CommandError, match="No such file"):
        run("import_role", str(tmp_path / "missing.txt"))
    assert RoleTemplate.objects.count() == 0


def test_export_role_prints_the_documented_json_with_numbers_as_numbers():
    run("import_role", str(DOCUMENTS / "flat.txt"), "--publish")

    data = json.loads(run("export_role", "staff-machine-learning-architect"))

    assert (data["version"], data["status"]) == (1, "published")
    assert data["compensation"]["median"] == 190000
    assert data["compensation"]["p10"] is None
    assert {c["category"] for c in data["competencies"]} == {"technical", "leadership", "soft_skill", "domain"}
    assert all(isinstance(c["weight"], int | float) for c in data["competencies"])


def test_export_role_by_version_and_unknown_slug():
    run("import_role", str(DOCUMENTS / "flat.txt"), "--publish")
    template = RoleTemplate.objects.get()
    role_template_new_version(template=template)

    assert json.loads(run("export_role", template.slug, "--version", "2"))["status"] == "draft"
    assert json.loads(run("export_role", template.slug, "--version", "1"))["status"] == "published"
    with pytest.raises(CommandError, match="No role template “nope”"):
        run("export_role", "nope")
    with pytest.raises(CommandError, match="version 9"):
        run("export_role", template.slug, "--version", "9")


def test_export_load_export_gives_the_same_document(tmp_path):
    run("import_role", str(DOCUMENTS / "flat.txt"), "--publish")
    first = run("export_role", "staff-machine-learning-architect")
    path = tmp_path / "role.json"
    path.write_text(first)

    output = run("load_role", str(path))
    second = run("export_role", "staff-machine-learning-architect", "--version", "2")

    assert output.strip().splitlines()[-1] == "staff-machine-learning-architect"
    differs = {"version", "status"}
    a, b = json.loads(first), json.loads(second)
    assert {k: v for k, v in a.items() if k not in differs} == {k: v for k, v in b.items() if k not in differs}
    assert (b["version"], b["status"]) == (2, "draft")


def test_load_role_into_a_fresh_database_gives_the_identical_document(tmp_path):
    run("import_role", str(DOCUMENTS / "flat.txt"))
    first = run("export_role", "staff-machine-learning-architect")
    path = tmp_path / "role.json"
    path.write_text(first)
    RoleTemplate.objects.all().delete()

    run("load_role", str(path))

    assert run("export_role", "staff-machine-learning-architect") == first


def test_load_role_refuses_broken_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")

    with pytest.raises(CommandError, match="not valid JSON"):
        run("load_role", str(path))


SAMPLE = Path(__file__).resolve().parents[2] / "roles" / "documents" / "staff-machine-learning-architect.txt"


def test_importing_the_sample_twice_makes_versions_1_and_2_under_the_same_slug():
    first = run("import_role", str(SAMPLE)).strip().splitlines()
    second = run("import_role", str(SAMPLE)).strip().splitlines()

    assert first[-1] == second[-1] == "staff-machine-learning-architect"
    assert "Version 2 of an existing template" in "\n".join(second)
    assert list(RoleTemplate.objects.order_by("version").values_list("slug", "version")) == [
        ("staff-machine-learning-architect", 1),
        ("staff-machine-learning-architect", 2),
    ]


def test_import_role_new_template_forces_a_separate_one():
    run("import_role", str(SAMPLE))

    output = run("import_role", str(SAMPLE), "--new-template")

    assert output.strip().splitlines()[-1] == "staff-machine-learning-architect-2"
    assert RoleTemplate.objects.filter(version=1).count() == 2


def test_export_role_of_the_imported_sample_shares_no_anchor_sentence_between_competencies():
    run("import_role", str(SAMPLE))

    data = json.loads(run("export_role", "staff-machine-learning-architect"))

    owners: dict[str, str] = {}
    for competency in data["competencies"]:
        assert [a["level"] for a in competency["anchors"]] == [1, 2, 3, 4]
        for anchor in competency["anchors"]:
            for sentence in re.split(r"(?<=[.!?])\s+", anchor["description"]):
                assert owners.setdefault(sentence, competency["name"]) == competency["name"], sentence
    assert len(owners) == 4 * len(data["competencies"])
    assert (data["level"], data["family"]) == ("Staff", "Machine Learning")
