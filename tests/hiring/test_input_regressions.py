"""Bad input at the edges: control characters, ``next`` values, request size, file names,
caching of personal pages and sign-in throttling. Each test failed before its fix."""

import importlib
import inspect
import pkgutil

import pytest
from axes.models import AccessAttempt
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import hiring
import interviews
import roles
from hiring.models import Application, Candidate, Note, Resume, Tag
from hiring.services.resumes import resume_upload
from roles.cleaning import CleanInputMixin, clean_filename, clean_text, out_of_range_id
from tests.hiring.factories import (
    DEFAULT_PASSWORD,
    AdminFactory,
    ApplicationFactory,
    CandidateFactory,
    JobFactory,
    RecruiterFactory,
    ResumeFactory,
    StageFactory,
    UserFactory,
)

EVIL = ["null", "-1", "https://evil.example/phish", "//evil.example/phish", "/\\evil.example", "javascript:alert(1)"]


@pytest.fixture
def recruiter(db, client):
    user = RecruiterFactory()
    client.force_login(user)
    return user


@pytest.fixture
def board_job(db):
    job = JobFactory()
    return job, StageFactory(job=job, name="Applied", order=0), StageFactory(job=job, name="Screen", order=1)


# --- one cleaning step for every form -------------------------------------------------------------


def test_clean_text_keeps_tabs_and_line_breaks_and_drops_other_controls():
    assert clean_text("a\x00b\x01\x1f\x7fc\td\ne\rf") == "abc\td\ne\rf"
    assert clean_text("emoji 🙂 and ‮ stay") == "emoji 🙂 and ‮ stay"
    assert clean_text("\udc80x") == "\ufffdx"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", False),
        ("9223372036854775807", False),
        ("9223372036854775808", True),
        ("9" * 40, True),
        ("0" * 5000, False),
        ("1" * 5000, True),
        ("\u00b2", False),  # a digit int() cannot read
        ("\u0661" * 25, True),  # Arabic-Indic digits int() can read
        ("abc", False),
        ("", False),
    ],
)
def test_out_of_range_ids_are_recognised_without_crashing(value, expected):
    assert out_of_range_id(value) is expected


def test_a_bulk_action_with_an_id_no_database_can_hold_is_a_form_error(client, recruiter):
    response = client.post(reverse("hiring:bulk-action"), {"application_ids": ["9" * 40], "action": "tag", "tag": "x"})

    assert response.status_code == 400
    assert "not an application" in response.content.decode()


def _form_classes():
    for package in (roles, hiring, interviews):
        for module_info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".migrations" in module_info.name or ".management" in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for _name, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                    yield value


def test_every_form_of_the_three_apps_cleans_its_input():
    found = list(_form_classes())
    assert len(found) >= 20  # the walk really finds the forms
    assert [cls.__qualname__ for cls in found if not issubclass(cls, CleanInputMixin)] == []


def test_a_note_with_control_characters_is_stored_without_them(client, recruiter):
    candidate = CandidateFactory()

    response = client.post(reverse("hiring:candidate-note-add", args=[candidate.pk]), {"body": "Call\x00 back\x07"})

    assert response.status_code == 302
    assert Note.objects.get(candidate=candidate).body == "Call back"


def test_a_new_candidate_with_control_characters_is_stored_without_them(client, recruiter):
    response = client.post(
        reverse("hiring:candidate-create"),
        {"first_name": "Ada\x00", "last_name": "Love\x1blace", "email": "ada@example.test", "source": "ref\x00"},
    )

    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.first_name, candidate.last_name, candidate.source) == ("Ada", "Lovelace", "ref")


# --- next: only same-site paths, never a 500 after the write -----------------------------------------


@pytest.mark.parametrize("next_value", EVIL)
def test_note_with_a_bad_next_saves_and_goes_back_to_the_profile(client, recruiter, next_value):
    candidate = CandidateFactory()

    response = client.post(
        reverse("hiring:candidate-note-add", args=[candidate.pk]), {"body": "Saved anyway", "next": next_value}
    )

    assert response.status_code == 302
    assert response.url == reverse("hiring:candidate-detail", args=[candidate.pk])
    assert Note.objects.filter(candidate=candidate, body="Saved anyway").count() == 1


def test_note_with_a_same_site_next_goes_there(client, recruiter):
    candidate = CandidateFactory()
    target = reverse("hiring:candidate-list") + "?q=ada"

    response = client.post(reverse("hiring:candidate-note-add", args=[candidate.pk]), {"body": "x", "next": target})

    assert response.url == target


@pytest.mark.parametrize("next_value", EVIL)
def test_move_with_a_bad_next_moves_and_goes_back_to_the_board(client, recruiter, board_job, next_value):
    job, applied, screen = board_job
    application = ApplicationFactory(job=job, stage=applied)

    response = client.post(
        reverse("hiring:application-move", args=[application.pk]),
        {"to_stage": screen.pk, "version": application.version, "next": next_value},
    )

    assert response.status_code == 302
    assert response.url == reverse("hiring:board", args=[job.pk])
    assert Application.objects.get(pk=application.pk).stage == screen


@pytest.mark.parametrize("next_value", EVIL)
def test_bulk_tag_with_a_bad_next_tags_and_goes_back_to_the_board(client, recruiter, board_job, next_value):
    job, applied, _screen = board_job
    applications = [ApplicationFactory(job=job, stage=applied) for _ in range(2)]

    response = client.post(
        reverse("hiring:bulk-action"),
        {"application_ids": [a.pk for a in applications], "action": "tag", "tag": "later", "next": next_value},
    )

    assert response.status_code == 302
    assert response.url == reverse("hiring:board", args=[job.pk])
    assert Tag.objects.get(name="later").candidates.count() == 2


# --- request size ------------------------------------------------------------------------------------


def test_a_request_above_the_limit_is_refused_by_its_length_with_413(client, recruiter, settings):
    candidate = CandidateFactory()

    response = client.post(
        reverse("hiring:candidate-resume-upload", args=[candidate.pk]),
        {"file": SimpleUploadedFile("cv.txt", b"tiny")},
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not Resume.objects.exists()


def test_an_upload_just_over_the_limit_is_refused_and_nothing_is_saved(client, recruiter, settings):
    settings.REQUEST_MAX_BYTES = 4096
    candidate = CandidateFactory()

    response = client.post(
        reverse("hiring:candidate-resume-upload", args=[candidate.pk]),
        {"file": SimpleUploadedFile("cv.txt", b"Python engineer. " * 300)},
    )

    assert response.status_code == 413
    assert "at most 4.0" in response.content.decode()
    assert not Resume.objects.exists()


# --- file names ------------------------------------------------------------------------------------------


def test_clean_filename_drops_bidi_and_control_characters_and_folders():
    assert clean_filename("cv\u202egpj.exe") == "cvgpj.exe"
    assert clean_filename("../../e\u0301tude\x00\u200f.txt") == "\u00e9tude.txt"  # NFC: e + accent -> é
    assert clean_filename("\u202e\u2066") == "file"
    assert len(clean_filename("a" * 400 + ".pdf")) == 255


def test_an_uploaded_file_name_is_stored_composed_and_without_bidi_characters(client, recruiter):
    candidate = CandidateFactory()

    response = client.post(
        reverse("hiring:candidate-resume-upload", args=[candidate.pk]),
        {"file": SimpleUploadedFile("cv-e\u0301tude\u202etxt.exe.txt", b"Python engineer with ten years of Django.")},
    )

    assert response.status_code == 302
    assert Resume.objects.get(candidate=candidate).original_name == "cv-\u00e9tudetxt.exe.txt"
    page = client.get(reverse("hiring:candidate-detail", args=[candidate.pk])).content.decode()
    assert "cv-\u00e9tudetxt.exe.txt" in page


def test_a_file_name_with_a_right_to_left_override_from_any_caller_is_never_shown_as_is(client, recruiter):
    candidate = CandidateFactory()
    upload = SimpleUploadedFile("x.txt", b"Python engineer with ten years of Django.")
    upload.name = "resume\u202etxt.exe"  # set after the constructor, as a caller other than a form could

    resume_upload(candidate=candidate, file=upload, actor=recruiter)

    assert Resume.objects.get(candidate=candidate).original_name == "resumetxt.exe"
    page = client.get(reverse("hiring:candidate-detail", args=[candidate.pk])).content.decode()
    assert "\u202e" not in page


# --- no-store on personal pages -------------------------------------------------------------------------------


def test_candidate_application_and_download_answers_are_never_stored(client, recruiter):
    application = ApplicationFactory()
    resume = ResumeFactory(candidate=application.candidate)
    urls = [
        reverse("hiring:candidate-detail", args=[application.candidate_id]),
        reverse("hiring:application-detail", args=[application.pk]),
        reverse("hiring:resume-download", args=[resume.pk]),
        reverse("hiring:candidate-list"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        cache_control = response.headers.get("Cache-Control", "")
        assert "no-store" in cache_control, url
        assert "private" in cache_control, url


# --- sign-in throttling -----------------------------------------------------------------------------------------


def sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(client, db):
    user = UserFactory(email="target@example.test")

    answers = [sign_in(client, user.email, f"wrong-{n}").status_code for n in range(30)]
    response = sign_in(client, user.email, DEFAULT_PASSWORD)

    assert answers[:4] == [200] * 4  # the form with its error
    assert set(answers[5:]) == {429}
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("hiring:job-list")).status_code == 302  # still signed out


def test_a_lockout_is_per_account_and_address_and_an_admin_can_lift_it(client, db):
    user = UserFactory(email="target@example.test")
    for n in range(5):
        sign_in(client, user.email, f"wrong-{n}")

    assert sign_in(client, user.email, DEFAULT_PASSWORD, ip="10.0.0.2").status_code == 302  # another address
    client.logout()
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 429

    admin = AdminFactory()
    client.force_login(admin)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "target@example.test" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="target@example.test")
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302
    client.logout()

    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 302


def test_a_sign_in_name_with_control_characters_is_recorded_clean_never_a_500(client, db):
    assert sign_in(client, "ada\x00@example.test", "whatever").status_code == 200  # refused by the form
    response = sign_in(client, "Ada\x07@example.test", "whatever")

    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "ada@example.test"


def test_passwords_are_left_as_typed_while_other_fields_are_cleaned():
    from hiring.admin import PasswordChangeThroughService

    user = UserFactory.build()
    form = PasswordChangeThroughService(user, {"password1": "se\x01cret-Pass-9", "password2": "se\x01cret-Pass-9"})

    assert form.data["password1"] == "se\x01cret-Pass-9"
    assert form.is_valid(), form.errors
