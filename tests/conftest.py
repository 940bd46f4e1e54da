"""Test harness: factories' fixtures, the Playwright browser and the services tier.

* Browser tests (marker ``browser``, every test under ``tests/browser``) drive the
  system's Chromium through Playwright. Without Chromium they skip with the reason,
  except under ``CI``, where a missing browser is a failure.
* Services tests (marker ``services``, every test under ``tests/services``) need the
  real PostgreSQL and Redis and start real Celery workers. They run when
  ``DATABASE_URL`` points at PostgreSQL and ``CELERY_BROKER_URL`` at Redis (as in the
  second pass of ``.ci/run``); otherwise they are deselected, and under
  ``REQUIRE_SERVICES=1`` a missing service fails the run.
"""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_CANDIDATES = [os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests
# make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


def services_available() -> bool:
    return settings.IS_POSTGRES and settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))


def pytest_collection_modifyitems(config, items):
    browser_dir = str(ROOT / "tests" / "browser")
    services_dir = str(ROOT / "tests" / "services")
    for item in items:
        path = str(item.path)
        if path.startswith(browser_dir):
            item.add_marker(pytest.mark.browser)
        if path.startswith(services_dir):
            item.add_marker(pytest.mark.services)

    if not services_available():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            raise pytest.UsageError(
                "REQUIRE_SERVICES=1 but DATABASE_URL is not PostgreSQL or CELERY_BROKER_URL is not Redis."
            )
        kept = [item for item in items if item.get_closest_marker("services") is None]
        deselected = [item for item in items if item.get_closest_marker("services") is not None]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = kept
            config._services_deselected = len(deselected)

    if chromium_path() is None:
        if os.environ.get("CI"):
            raise pytest.UsageError("CI is set but Chromium is missing: install Debian's chromium package.")
        skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium) - browser test skipped")
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    count = getattr(config, "_services_deselected", 0)
    if count:
        terminalreporter.write_line(
            f"{count} services tests deselected: they need DATABASE_URL=postgres://... and "
            "CELERY_BROKER_URL=redis://... (see .ci/run)."
        )


@pytest.fixture(autouse=True)
def _fresh_content_types_after_flush():
    """A transactional test flushes the tables and content types come back with new ids: forget the
    cached ones before and after every test (the audit trail writes them into its entries; a
    clear costs nothing, and guessing which tests flushed missed some)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/screenshots/NAME.png."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page, live_server):
    """Sign a user in through the login form, as a person would."""
    from tests.hiring.factories import DEFAULT_PASSWORD

    def sign_in(user, password: str = DEFAULT_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")
        return page

    return sign_in


@pytest.fixture
def eager_celery():
    """Tasks run in the test process (the test settings' default, stated where a test relies on it)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


# --------------------------------------------------------------------------- shared data


@pytest.fixture
def users(db):
    """One person per role (the admin is also a superuser, as the demo's is)."""
    from tests.hiring.factories import (
        AdminFactory,
        HiringManagerFactory,
        InterviewerFactory,
        RecruiterFactory,
        UserFactory,
    )

    return {
        "admin": AdminFactory(first_name="Ada", last_name="Admin"),
        "recruiter": RecruiterFactory(first_name="Rosa", last_name="Recruiter"),
        "manager": HiringManagerFactory(first_name="Hugo", last_name="Manager"),
        "interviewer": InterviewerFactory(first_name="Ines", last_name="Interviewer"),
        "interviewer2": InterviewerFactory(first_name="Ivo", last_name="Interviewer"),
        "nobody": UserFactory(first_name="Nora", last_name="Nobody"),
    }


@pytest.fixture
def job(db):
    """A job opened through the service: the default stages and the default interview plan."""
    from tests.hiring.factories import job_with_stages

    return job_with_stages(title="Staff Machine Learning Architect")


@pytest.fixture
def stages(job):
    """The job's stages by name."""
    return {stage.name: stage for stage in job.stages.all()}


@pytest.fixture
def recruiter(client, users):
    """The recruiter, signed in on ``client``."""
    client.force_login(users["recruiter"])
    return users["recruiter"]


@pytest.fixture
def admin_client(client, users):
    """``client`` signed in as the admin (``admin_client.user`` is who)."""
    client.force_login(users["admin"])
    client.user = users["admin"]
    return client


@pytest.fixture
def application_with_interviews(job, stages, users, django_capture_on_commit_callbacks):
    """An application moved to the panel with a past interview there: two interviewers, draft scorecards."""
    from datetime import timedelta

    from django.utils import timezone

    from hiring.services import application_create, application_move
    from interviews.services import interview_schedule
    from tests.hiring.factories import CandidateFactory

    application = application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"])
    application = application_move(application=application, to_stage=stages["Panel"], actor=users["recruiter"])
    step = job.interview_plan.steps.filter(stage=stages["Panel"]).order_by("order").first()
    start = timezone.now() - timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=False):  # no invitations sent
        interview_schedule(
            application=application,
            step=step,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            interviewers=[users["interviewer"], users["interviewer2"]],
            created_by=users["recruiter"],
        )
    return application


@pytest.fixture
def demo_site(db):
    """The demo data of ``make run`` (``seed_demo``), with enough candidates for a second list page."""
    from django.core.management import call_command

    from hiring.groups import sync_groups

    sync_groups()  # a transactional test (the browser's) flushes the groups the migration made
    call_command("seed_demo", candidates=30, seed=7, stdout=io.StringIO())


def no_webhook_endpoints() -> None:
    """Start from "no webhook endpoint", already known (cached), as a running site that has none.

    The active endpoints are cached; a rolled-back test's endpoints must not outlive it (the next
    test would queue deliveries for rows that no longer exist), and a cold cache would add its one
    look-up to the query counts that tests pin.
    """
    from django.core.cache import cache

    from hiring.services.webhooks import ENDPOINTS_CACHE_KEY, ENDPOINTS_CACHE_SECONDS

    cache.set(ENDPOINTS_CACHE_KEY, [], ENDPOINTS_CACHE_SECONDS)


@pytest.fixture(autouse=True)
def _no_webhook_endpoints():
    no_webhook_endpoints()
    yield
    no_webhook_endpoints()
