"""Operations: health and readiness probes, request ids in logs, JSON logs, error reports without personal data."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse

from hiring.observability import JsonFormatter, RequestIdFilter, RequestIdMiddleware, scrub_event
from tests.faults import celery_broker, free_port
from tests.test_deploy import REALISTIC_ENV, ROOT

pytestmark = pytest.mark.django_db


# --- /healthz and /readyz --------------------------------------------------------------------------------


def test_readyz_reports_each_dependency_without_login(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
    }
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_503_naming_what_is_down_and_nothing_about_where(client, settings):
    port = free_port()
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    with celery_broker(f"redis://127.0.0.1:{port}/0"):
        response = client.get(reverse("readyz"))

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["cache"] == {"ok": False, "error": "ConnectionError", "ms": checks["cache"]["ms"]}
    assert checks["broker"]["ok"] is False
    assert str(port) not in response.content.decode()


def test_probes_answer_without_login_when_every_page_requires_one(client, settings):
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE

    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("readyz")).status_code == 200
    assert client.get(reverse("hiring:job-list")).status_code == 302  # the middleware is on


# --- request ids and log lines ---------------------------------------------------------------------------


def test_request_id_is_taken_from_the_proxy_or_made_and_always_returned(client):
    given = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="lb-7f3a9c")
    made = client.get(reverse("healthz"))
    forged = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert given["X-Request-ID"] == "lb-7f3a9c"
    assert len(made["X-Request-ID"]) == 32
    assert forged["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(forged["X-Request-ID"]) == 32


def test_log_lines_of_a_request_carry_its_id_as_json():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.operations")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def view(request):
        logger.info("moved application %s", 42, extra={"application_id": 42})
        from django.http import HttpResponse

        return HttpResponse("ok")

    try:
        request = RequestFactory().get("/", HTTP_X_REQUEST_ID="req-1")
        RequestIdMiddleware(view)(request)
        logger.info("outside any request")
    finally:
        logger.removeHandler(handler)

    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["message"] == "moved application 42"
    assert inside["request_id"] == "req-1"
    assert inside["application_id"] == 42
    assert inside["level"] == "INFO"
    assert inside["logger"] == "tests.operations"
    assert outside["request_id"] == "-"


# --- a lost database connection ----------------------------------------------------------------------------


def assert_clear_503(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "We lost the connection to the database" in body
    assert "nothing is saved half-way" in body
    assert "Traceback" not in body


@pytest.fixture
def anonymous_errors(client):
    """Answer exceptions as a server does (the error page), instead of raising them into the test."""
    client.raise_request_exception = False
    return client


def test_a_database_error_in_a_view_answers_a_503_page(anonymous_errors, monkeypatch, caplog):
    from hiring.models import Job
    from tests.hiring.factories import JobFactory, RecruiterFactory

    client = anonymous_errors
    job = JobFactory()
    client.force_login(RecruiterFactory())

    def lost(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr("hiring.selectors.board_get", lost)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(reverse("hiring:board", args=[job.pk]))

    assert_clear_503(response)
    assert "terminating connection" in caplog.text  # logged (and reported) with its traceback
    assert Job.objects.filter(pk=job.pk).exists()


def test_a_database_error_while_loading_the_session_answers_a_503_page(anonymous_errors, monkeypatch):
    """The first query of a request is the session, in a middleware, before any view runs."""
    from tests.hiring.factories import RecruiterFactory

    client = anonymous_errors
    client.force_login(RecruiterFactory())

    def lost(self):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore._get_session_from_db", lost)
    cache.clear()  # sessions are cached (cached_db): a cache miss reads the database
    response = client.get(reverse("hiring:job-list"))

    assert_clear_503(response)


def test_other_errors_keep_the_500_page(anonymous_errors, monkeypatch):
    from tests.hiring.factories import JobFactory, RecruiterFactory

    client = anonymous_errors
    job = JobFactory()
    client.force_login(RecruiterFactory())

    def bug(**kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("hiring.selectors.board_get", bug)
    response = client.get(reverse("hiring:board", args=[job.pk]))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


# --- error reports ---------------------------------------------------------------------------------------


def test_error_reports_lose_emails_names_bodies_and_cookies():
    event = {
        "request": {
            "url": "https://hiring.example.com/hiring/candidates/new/",
            "method": "POST",
            "data": {"first_name": "Jane", "email": "jane.doe@example.com"},
            "cookies": {"sessionid": "s3cr3t"},
            "query_string": "q=jane.doe%40example.com",
            "headers": {"Cookie": "sessionid=s3cr3t", "Authorization": "Bearer t0k3n", "User-Agent": "Firefox"},
        },
        "user": {"id": 7, "email": "rosa@example.com", "username": "rosa@example.com"},
        "exception": {"values": [{"type": "IntegrityError", "value": "Key (email)=(jane.doe@example.com) exists"}]},
        "breadcrumbs": {"values": [{"message": "candidate", "data": {"full_name": "Jane Doe"}}]},
        "extra": {"evidence": "Jane explained the trade-offs", "application_id": 42},
    }

    scrubbed = json.dumps(scrub_event(event, {}))

    for secret in ("jane.doe", "rosa@", "Jane", "s3cr3t", "t0k3n"):
        assert secret not in scrubbed
    assert event["user"] == {"id": 7}
    assert event["request"]["headers"] == {"User-Agent": "Firefox"}
    assert event["extra"]["application_id"] == 42
    assert "IntegrityError" in scrubbed


SENTRY_PROBE = """
import json, django
django.setup()
import sentry_sdk
client = sentry_sdk.get_client()
sent = []
client.transport.capture_envelope = lambda envelope: sent.append(envelope)
try:
    raise ValueError("could not email jane.doe@example.com")
except ValueError:
    sentry_sdk.capture_exception()
client.flush()
event = sent[0].get_event()
print(json.dumps({
    "pii": client.options["send_default_pii"],
    "locals": client.options["include_local_variables"],
    "integrations": sorted(client.integrations),
    "event": event,
}, default=str))
"""


def test_production_reports_errors_to_sentry_when_a_dsn_is_set_and_scrubs_them():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    env.update(REALISTIC_ENV, SENTRY_DSN="https://public@sentry.example.com/1")

    result = subprocess.run(
        [sys.executable, "-c", SENTRY_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["pii"] is False
    assert report["locals"] is False
    assert {"django", "celery"} <= set(report["integrations"])
    assert "jane.doe@example.com" not in json.dumps(report["event"])
    assert "could not email [email]" in json.dumps(report["event"])


def test_production_logs_one_json_object_per_line():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_", "LOG_"))}
    env.update(REALISTIC_ENV)
    probe = "import django, logging; django.setup(); logging.getLogger('hiring.probe').warning('disk %s%% full', 91)"

    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "disk 91% full"
    assert line["level"] == "WARNING"
    assert line["logger"] == "hiring.probe"
    assert line["request_id"] == "-"


S3_PROBE = """
import json, django
django.setup()
from django.core.files.storage import storages
default_storage = storages["default"]
url = default_storage.url("resumes/cv.pdf")
print(json.dumps({
    "class": type(default_storage).__name__,
    "bucket": default_storage.bucket_name,
    "acl": default_storage.default_acl,
    "overwrite": default_storage.file_overwrite,
    "url": url,
}))
"""


def test_media_can_live_on_s3_compatible_storage():
    """Configuration only (no network): a private bucket behind a custom endpoint, signed URLs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
    env.update(
        REALISTIC_ENV,
        DEFAULT_FILE_STORAGE="storages.backends.s3.S3Storage",
        AWS_STORAGE_BUCKET_NAME="hiring-media",
        AWS_S3_ENDPOINT_URL="https://objects.example.com",
        AWS_S3_REGION_NAME="eu-west-1",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="example-secret",
    )

    result = subprocess.run(
        [sys.executable, "-c", S3_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.splitlines()[-1])
    assert storage["class"] == "S3Storage"
    assert storage["bucket"] == "hiring-media"
    assert storage["acl"] is None
    assert storage["overwrite"] is False
    assert storage["url"].startswith("https://objects.example.com/hiring-media/media/resumes/cv.pdf?")
    assert "Signature=" in storage["url"]
