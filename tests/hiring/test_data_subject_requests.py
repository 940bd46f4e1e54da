"""Data-subject requests: a candidate's data export (zip) and their erasure, by command and in the
admin, both in the audit trail. After an erasure, no table and no media file holds their name,
email, phone or résumé text; the facts reports need stay."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse

from hiring import services
from hiring.models import Application, Candidate, CandidateImport, Resume, StageChange
from hiring.selectors.candidates import candidate_list
from hiring.services.outbox import Email, outbox_enqueue_many
from roles import audit
from tests.hiring.factories import CandidateFactory

FIRST, LAST = "Zephyrine", "Quillfeather"
EMAIL = "zq.person@example.test"
PHONE = "+1 555 010 9876"
RESUME_PHRASE = "designed the Quasarix telemetry pipeline"
NEEDLES = [FIRST, LAST, EMAIL, PHONE, "5550109876", RESUME_PHRASE]


@pytest.fixture
def media(settings, tmp_path):
    """A media folder of this test's own, searched whole afterwards."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def person(media, application_with_interviews, users, django_capture_on_commit_callbacks):
    """A candidate mentioned everywhere: audit values, a note, evidence, a summary and its quote,
    an email in the outbox, a résumé file and its text."""
    from interviews.models import ApplicationSummary, Scorecard
    from interviews.services import scorecard_submit
    from tests.interviews.conftest import fill

    application = application_with_interviews
    candidate = application.candidate
    with audit.acting_as(users["recruiter"], remote_addr="10.0.0.9"):
        services.candidate_update(
            candidate=candidate,
            first_name=FIRST,
            last_name=LAST,
            email=EMAIL,
            phone=PHONE,
            location="Reykjavik",
            links=["https://example.test/zephyrine-quillfeather"],
            source="referral",
        )
        services.note_create(
            candidate=candidate, author=users["recruiter"], body=f"Spoke with {FIRST}; call back on {PHONE}."
        )
    card = Scorecard.objects.filter(interview__application=application).first()
    fill(card)
    with django_capture_on_commit_callbacks(execute=False):
        scorecard_submit(scorecard_id=card.pk, user=card.interviewer)
    Scorecard.objects.filter(pk=card.pk).update(key_takeaways=f"{FIRST} walked through the incident calmly.")
    ApplicationSummary.objects.update_or_create(
        application=application,
        defaults={
            "narrative": f"{FIRST} {LAST} is strong on incidents.",
            "content": {"quotes": [{"text": f"{FIRST} walked through the incident calmly.", "card": card.pk}]},
        },
    )
    with django_capture_on_commit_callbacks(execute=False):
        outbox_enqueue_many(
            emails=[
                Email(
                    purpose="test",
                    recipient=EMAIL,
                    subject=f"Hello {FIRST} {LAST}",
                    body_text=f"Dear {FIRST}, thanks.",
                    reference=f"application:{application.pk}",
                )
            ]
        )
    resume = Resume.objects.create(
        candidate=candidate,
        file=ContentFile(f"{FIRST} {LAST} {EMAIL} {RESUME_PHRASE}".encode(), name=f"{FIRST}-cv.pdf"),
        original_name=f"{FIRST} {LAST} CV.pdf",
        content_type="application/pdf",
        size=64,
        text=f"{FIRST} {LAST}. I {RESUME_PHRASE}.",
        status="done",
    )
    Candidate.objects.filter(pk=candidate.pk).update(resume_text=resume.text)
    CandidateImport.objects.create(
        file=ContentFile(
            f"first_name,last_name,email\nAda,Byron,ada@example.test\n{FIRST},{LAST},{EMAIL}\n".encode(),
            name="people.csv",
        ),
        original_name="people.csv",
    )
    candidate.refresh_from_db()
    return candidate


def database_mentions(needles: list[str]) -> list[str]:
    """Every text column of every table (all installed apps, found generically), searched."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                continue
            for needle in needles:
                forms = {needle, json.dumps(needle)[1:-1]}
                for form in forms:
                    rows = model._default_manager.annotate(_t=Cast(field.attname, models.TextField())).filter(
                        _t__icontains=form
                    )
                    if rows.exists():
                        found.append(f"{model._meta.db_table}.{field.column}: {needle}")
    return found


def media_mentions(needles: list[str]) -> list[str]:
    found = []
    root = Path(settings.MEDIA_ROOT)
    for path in root.rglob("*") if root.exists() else ():
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "ignore").lower()
            found += [f"{path}: {n}" for n in needles if n.lower() in text or n.lower() in path.name.lower()]
    return found


def test_the_fixture_really_spreads_the_person_everywhere(person):
    mentions = database_mentions(NEEDLES)
    for table in ("hiring_candidate", "hiring_note", "interviews_scorecard", "interviews_applicationsummary"):
        assert any(m.startswith(table) for m in mentions), table
    assert any(m.startswith("hiring_outboxmessage") for m in mentions)
    assert any(m.startswith("auditlog_logentry") for m in mentions)
    assert media_mentions(NEEDLES)


def test_erasure_leaves_no_trace_in_any_table_or_media_file(person, users, media, django_capture_on_commit_callbacks):
    namesake = CandidateFactory(first_name=FIRST, last_name="Other", email="other@example.test")
    application = person.applications.get()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("candidate_erase", str(person.pk), "--yes", stdout=io.StringIO())

    leftovers = database_mentions([LAST, EMAIL, PHONE, "5550109876", RESUME_PHRASE])
    assert leftovers == []
    # The first name alone survives only in the namesake's row and the namesake's audit entries.
    assert set(database_mentions([FIRST])) <= {
        "hiring_candidate.first_name: Zephyrine",
        "auditlog_logentry.object_repr: Zephyrine",
        "auditlog_logentry.changes: Zephyrine",
    }
    assert set(LogEntry.objects.filter(object_repr__icontains=FIRST).values_list("object_pk", flat=True)) == {
        str(namesake.pk)
    }
    namesake.refresh_from_db()
    assert namesake.first_name == FIRST
    assert media_mentions(NEEDLES) == []
    (csv_file,) = media.rglob("people*.csv")
    assert "ada@example.test" in csv_file.read_text()  # other people's lines stay

    # The facts stay: the application, its stage history, ratings, dates and source.
    person.refresh_from_db()
    assert (person.email, person.phone, person.links, person.location) == ("", "", [], "")
    assert person.source == "referral"
    assert Application.objects.filter(pk=application.pk, stage=application.stage).exists()
    assert StageChange.objects.filter(application=application).count() >= 2
    from interviews.models import Scorecard

    assert Scorecard.objects.filter(interview__application=application, overall_recommendation=3).exists()
    # Gone from search, and the erasure is in the audit trail.
    assert list(candidate_list(user=users["recruiter"], q=LAST).page) == []
    assert LogEntry.objects.filter(object_pk=str(person.pk), changes__icontains="personal data").exists()


def test_erasing_twice_changes_nothing_more(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("candidate_erase", str(person.pk), "--yes", stdout=io.StringIO())
    out = io.StringIO()
    call_command("candidate_erase", str(person.pk), "--yes", stdout=out)
    assert "0 rows rewritten, 0 files deleted" in out.getvalue()


def test_erase_needs_yes_and_a_real_candidate(db):
    with pytest.raises(CommandError, match="--yes"):
        call_command("candidate_erase", "1")
    with pytest.raises(CommandError, match="No candidate"):
        call_command("candidate_erase", "999999", "--yes")


def test_export_writes_their_rows_and_files_and_is_audited(person, tmp_path):
    target = tmp_path / "person.zip"
    call_command("candidate_export", str(person.pk), str(target), stdout=io.StringIO())
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
        files = [name for name in names if name.startswith("files/")]
        assert RESUME_PHRASE.encode() in archive.read(files[0])
    tables = data["tables"]
    assert tables["hiring.Candidate"][0]["email"] == EMAIL
    assert tables["hiring.Note"][0]["body"].startswith("Spoke with")
    assert tables["hiring.Application"][0]["id"] == person.applications.get().pk
    assert any("walked through the incident" in row["key_takeaways"] for row in tables["interviews.Scorecard"])
    access = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(person.pk))
    assert access.additional_data["access"] == "candidate data export"


def test_export_refuses_a_bad_path(person, tmp_path):
    with pytest.raises(CommandError, match=r"\.zip"):
        call_command("candidate_export", str(person.pk), str(tmp_path / "x.txt"))


@pytest.mark.parametrize(
    ("who", "export", "erase"), [("admin", 200, 200), ("recruiter", 200, 403), ("manager", 403, 403)]
)
def test_admin_buttons_per_role(client, users, person, who, export, erase, django_capture_on_commit_callbacks):
    users[who].is_staff = True
    users[who].save()
    client.force_login(users[who])
    assert client.get(reverse("admin:hiring_candidate_export", args=[person.pk])).status_code == export
    assert client.get(reverse("admin:hiring_candidate_erase", args=[person.pk])).status_code == erase
    if erase == 200:
        change = client.get(reverse("admin:hiring_candidate_change", args=[person.pk])).content.decode()
        assert "Export data (zip)" in change
        assert "Erase personal data" in change
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("admin:hiring_candidate_erase", args=[person.pk]))
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.email == ""
        entry = LogEntry.objects.filter(object_pk=str(person.pk), changes__icontains="personal data").get()
        assert entry.actor == users[who]
    else:
        assert client.post(reverse("admin:hiring_candidate_erase", args=[person.pk])).status_code == 403
        person.refresh_from_db()
        assert person.email == EMAIL
