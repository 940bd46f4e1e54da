"""Spam, floods and bad input on the apply form: clear answers, never a 500, nothing half-written."""

import socket

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from lxml import html

from hiring.models import Application, ApplicationAnswer, ApplicationSubmission, Candidate, Resume, SelfIdentification
from hiring.services import careers as careers_services
from tests.hiring.careers_helpers import apply_data, resume_file
from tests.hiring.factories import RecruiterFactory, published_posting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

CAREERS_ROWS = (Candidate, Application, ApplicationSubmission, ApplicationAnswer, Resume, SelfIdentification)


@pytest.fixture
def posting():
    return published_posting()


def url(posting) -> str:
    return reverse("careers:apply", args=[posting.slug])


def nothing_written() -> bool:
    return all(not model.objects.exists() for model in CAREERS_ROWS)


def stored_resumes() -> list[str]:
    try:
        _, files = default_storage.listdir("resumes/applications")
    except FileNotFoundError:
        return []
    return sorted(files)


def errors_of(response) -> str:
    tree = html.fromstring(response.content)
    return " ".join(tree.xpath('//div[@id="form-errors"]')[0].text_content().split())


def test_a_flood_of_a_thousand_posts_from_one_address_is_answered_429_after_the_limit(client, posting, settings):
    settings.CAREERS_APPLY_LIMIT_PER_IP = 10
    statuses = []
    for i in range(1000):
        response = client.post(
            url(posting), apply_data(posting, email=f"bot{i}@example.test", phone=""), REMOTE_ADDR="203.0.113.9"
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [302] * 10
    assert set(statuses[10:]) == {429}
    assert Application.objects.count() == Candidate.objects.count() == 10
    assert Resume.objects.count() == ApplicationSubmission.objects.count() == 10
    # Another address is not held back by the flood.
    other = client.post(
        url(posting), apply_data(posting, email="human@example.test", phone=""), REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302


def test_the_429_answer_says_what_happened_and_when_to_retry(client, posting, settings):
    settings.CAREERS_APPLY_LIMIT_PER_IP = 0
    response = client.post(url(posting), apply_data(posting))
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.CAREERS_APPLY_LIMIT_WINDOW_SECONDS)
    assert b"Too many applications" in response.content
    assert nothing_written()


def test_one_email_address_is_limited_across_addresses_and_postings(client, settings):
    settings.CAREERS_APPLY_LIMIT_PER_EMAIL = 2
    postings = [published_posting(title=f"Role {i}") for i in range(3)]
    statuses = [
        client.post(url(p), apply_data(p), REMOTE_ADDR=f"192.0.2.{i}").status_code for i, p in enumerate(postings)
    ]
    assert statuses == [302, 302, 429]
    assert Application.objects.count() == 2


def test_a_cache_that_is_down_lets_applications_through_instead_of_a_500(client, posting, settings):
    with socket.socket() as probe:  # a port nobody listens on: the Redis cache is "down"
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    response = client.post(url(posting), apply_data(posting))
    assert response.status_code == 302
    assert Application.objects.count() == 1


def test_the_honeypot_refuses_the_form_and_writes_nothing(client, posting):
    response = client.post(url(posting), apply_data(posting, website="http://spam.example"))
    assert response.status_code == 400
    assert "could not be accepted" in errors_of(response)
    assert nothing_written()


def test_a_form_sent_back_within_seconds_is_refused(client, posting, settings):
    settings.CAREERS_MIN_FILL_SECONDS = 3
    response = client.post(url(posting), apply_data(posting, seconds_ago=0))
    assert response.status_code == 400
    assert "quicker than we expected" in errors_of(response)
    assert nothing_written()


def test_a_forged_form_token_is_refused(client, posting):
    response = client.post(url(posting), apply_data(posting, form_token="1700000000"))
    assert response.status_code == 400
    assert "reload the page" in errors_of(response)
    assert nothing_written()


def test_missing_consent_is_answered_clearly(client, posting):
    response = client.post(url(posting), apply_data(posting, consent=None))
    assert response.status_code == 400
    assert "Please agree to the privacy notice" in errors_of(response)
    assert nothing_written()


def test_unanswered_required_questions_are_answered_clearly(client, posting):
    data = apply_data(posting)
    for key in [k for k in data if k.startswith("question_")]:
        del data[key]
    response = client.post(url(posting), data)
    assert response.status_code == 400
    assert "Please answer yes or no." in errors_of(response)
    assert nothing_written()


def test_script_in_every_field_is_refused_with_a_reason_per_field(client, posting):
    script = "<script>alert(1)</script>"
    data = apply_data(posting)
    for key in ("first_name", "last_name", "email", "phone", "links", "cover_letter", "source", "utm_source"):
        data[key] = script
    for key in [k for k in data if k.startswith("question_") or k.startswith("selfid_")]:
        data[key] = script
    data["selfid_gender"] = script
    response = client.post(url(posting), data)
    assert response.status_code == 400
    errors = errors_of(response)
    assert "First name: Use letters, spaces, hyphens and apostrophes only." in errors
    assert "Last name: Use letters" in errors
    assert "Email: Enter a valid email address." in errors
    assert "Phone: Phone numbers use digits" in errors
    assert "is not a web address" in errors
    assert "Select a valid choice." in errors
    assert script.encode() not in response.content  # every echo of the input is escaped
    assert nothing_written()


def test_a_renamed_executable_is_refused_as_a_resume(client, posting):
    before = stored_resumes()
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program cannot be run"
    response = client.post(url(posting), apply_data(posting, resume=resume_file("resume.pdf", executable)))
    assert response.status_code == 400
    assert "is not a PDF, a Word document (DOCX) or plain text" in errors_of(response)
    assert nothing_written()
    assert stored_resumes() == before


def test_a_resume_over_the_size_limit_is_refused(client, posting, settings):
    settings.RESUME_MAX_BYTES = 100
    response = client.post(url(posting), apply_data(posting, resume=resume_file("cv.txt", b"x" * 500, "text/plain")))
    assert response.status_code == 400
    assert "résumés can be at most 100" in errors_of(response)
    assert nothing_written()


def test_ten_thousand_character_fields_are_refused_with_their_limits(client, posting):
    long = "a" * 10_000
    data = apply_data(posting, first_name=long, last_name=long, cover_letter=long, phone="1" * 10_000)
    data["links"] = "https://example.test/" + long
    response = client.post(url(posting), data)
    assert response.status_code == 400
    errors = errors_of(response)
    assert "First name: Ensure this value has at most 100 characters (it has 10000)." in errors
    assert "Cover letter: Ensure this value has at most 5000 characters (it has 10000)." in errors
    assert "Phone: Ensure this value has at most 32 characters" in errors
    assert "Links: Links must be shorter than 500 characters." in errors
    assert nothing_written()


def test_html_in_a_cover_letter_is_kept_as_text_and_escaped_for_the_recruiter(client, posting):
    letter = "Hello <script>alert('x')</script> <b>team</b>"
    assert client.post(url(posting), apply_data(posting, cover_letter=letter)).status_code == 302
    application = Application.objects.get()
    assert application.submission.cover_letter == letter
    client.force_login(RecruiterFactory())
    page = client.get(reverse("hiring:application-detail", args=[application.pk]))
    assert b"<script>alert('x')</script>" not in page.content
    assert (
        "Hello <script>alert('x')</script> <b>team</b>"
        in html.fromstring(page.content).xpath('//div[contains(@class, "submission-cover-letter")]')[0].text_content()
    )


def test_a_failure_inside_the_transaction_leaves_no_rows_and_no_stored_file(posting, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    before = stored_resumes()
    monkeypatch.setattr(ApplicationAnswer.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        careers_services.careers_apply(
            posting=posting,
            questions=list(posting.questions.all()),
            applicant=careers_services.Applicant(first_name="Ada", last_name="Lovelace", email="ada@example.test"),
            answers={},
            resume=resume_file(),
            origin=careers_services.Origin(),
            consent_version="2026-01",
        )
    assert nothing_written()
    assert stored_resumes() == before
