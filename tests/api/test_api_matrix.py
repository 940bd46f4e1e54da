"""The API's authorization matrix: every API route x every role (with a personal token) x an
object of the role's own side and a foreign one x every method the route takes.

The expected answer comes from the same rules the pages use (``tests/security``' predicates:
``hiring.rules``, the visibility querysets, ``interviews.rules``), never from the response:

* anonymous (no token) -> 401;
* allowed -> neither 401, 403 nor 404, and never a 5xx (a 400 for the matrix's small payloads is fine);
* not allowed -> 403 or 404 (405 for a method the route never takes).

Where a page shows the same object (an application, a candidate, a job, a summary), the page's
answer for the same user is asserted too: the API never shows what the page hides, or hides
what it shows. A route without an entry in ``API_SPEC`` fails until someone says who may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import rules
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from hiring.services import api_token_create
from interviews.models import ApplicationSummary
from tests.security.test_authorization_matrix import (
    application_visible,
    candidate_visible,
    job_visible,
    manages_pipeline,
    own_scorecard,
    perm,
    sees_all_feedback,
)
from tests.security.urls import all_routes
from tests.security.world import ROLES, Side, World, build_world

Check = Callable[[object, Side], bool]


def never(user, side) -> bool:
    return False


def anyone(user, side) -> bool:
    return True


def both(*checks: Check) -> Check:
    return lambda user, side: all(check(user, side) for check in checks)


@dataclass(frozen=True)
class ApiSpec:
    kwargs: Callable[[Side], dict]
    get: Check = never
    post: Check = never
    patch: Check | None = None  # only routes that take PATCH
    payload: Callable[[Side], dict] = lambda side: {}
    page: str | None = None  # the page showing the same object (same kwargs), if any
    methods: tuple[str, ...] = field(default=("GET", "POST"))


nothing = lambda side: {}  # noqa: E731
pk_of = lambda attribute: lambda side: {"pk": getattr(side, attribute).pk}  # noqa: E731
recruiting = perm("hiring.access_recruiting")

API_SPEC: dict[str, ApiSpec] = {
    "api:job-list": ApiSpec(nothing, get=recruiting),
    "api:job-detail": ApiSpec(pk_of("job"), get=both(recruiting, job_visible), page="hiring:job-detail"),
    "api:job-stages": ApiSpec(pk_of("job"), get=both(recruiting, job_visible)),
    "api:candidate-list": ApiSpec(
        nothing,
        get=perm("hiring.list_candidates"),
        post=perm("hiring.create_candidates"),
        payload=lambda side: {"first_name": "Matrix"},
    ),
    "api:candidate-detail": ApiSpec(pk_of("candidate"), get=candidate_visible, page="hiring:candidate-detail"),
    "api:application-list": ApiSpec(
        nothing,
        get=anyone,
        post=both(perm("hiring.apply_candidates"), candidate_visible, job_visible),
        payload=lambda side: {"candidate": side.candidate.pk, "job": side.job.pk},
    ),
    "api:application-detail": ApiSpec(pk_of("application"), get=application_visible, page="hiring:application-detail"),
    "api:application-move": ApiSpec(
        pk_of("application"),
        post=both(application_visible, manages_pipeline),
        payload=lambda side: {"stage": side.job.stages.order_by("order").last().pk},
    ),
    "api:application-reject": ApiSpec(
        pk_of("application"), post=both(application_visible, manages_pipeline), payload=lambda side: {"reason": 999999}
    ),
    "api:role-template-list": ApiSpec(
        nothing,
        get=perm("hiring.read_role_templates"),
        post=perm("hiring.write_role_templates"),
        payload=lambda side: {"document": {"title": "Matrix role"}},
    ),
    "api:role-template-detail": ApiSpec(
        lambda side: {"pk": side.job.template_id}, get=perm("hiring.read_role_templates")
    ),
    "api:role-template-publish": ApiSpec(
        lambda side: {"pk": side.job.template_id}, post=perm("hiring.write_role_templates")
    ),
    "api:interview-list": ApiSpec(nothing, get=anyone),
    "api:interview-detail": ApiSpec(pk_of("interview"), get=application_visible),
    "api:scorecard-list": ApiSpec(nothing, get=anyone),
    # The side's scorecard is a draft: nobody but its interviewer reads it (independent feedback).
    "api:scorecard-detail": ApiSpec(
        pk_of("scorecard"),
        get=own_scorecard,
        patch=own_scorecard,
        payload=lambda side: {"version": side.scorecard.version, "key_takeaways": "Matrix"},
        methods=("GET", "POST", "PATCH"),
    ),
    "api:scorecard-submit": ApiSpec(pk_of("scorecard"), post=own_scorecard),
    "api:summary-list": ApiSpec(nothing, get=anyone),
    "api:summary-detail": ApiSpec(
        lambda side: {"application_id": side.application.pk},
        get=sees_all_feedback,
        page="interviews:application-summary",
    ),
    # Reports: as their pages (the other reports per role: tests/api/test_api_reports.py).
    "api:report-list": ApiSpec(nothing, get=perm("interviews.view_reports"), page="interviews:report-index"),
    "api:report-detail": ApiSpec(
        lambda side: {"name": "adverse-impact"}, get=perm("interviews.view_adverse_impact"), page="interviews:report"
    ),
    # Any other address under /api/v1/: a 404 in the API's format for everyone signed in.
    "api:not-found": ApiSpec(nothing),
    # The schema: anyone signed in (the docs page is a page: tests/test_site_security.py).
    "api:schema": ApiSpec(nothing, get=anyone),
}

pytestmark = pytest.mark.django_db
API_ROUTES = [route for route in all_routes() if route.namespace == "api" and route.name != "api:docs"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        for side in world.sides.values():
            ApplicationSummary.objects.create(application=side.application, status=ApplicationSummary.Status.READY)
        world.tokens = {
            role: api_token_create(user=user, name="matrix", scope="write").secret for role, user in world.users.items()
        }
        for role in ROLES:
            world.client(role)
        yield world
        transaction.set_rollback(True)


def _call(world: World, django_db_blocker, role: str, method: str, path: str, payload: dict):
    client = APIClient()
    if role != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")
    with django_db_blocker.unblock(), transaction.atomic():
        response = getattr(client, method.lower())(path, payload if method != "GET" else None, format="json")
        transaction.set_rollback(True)
    return response


def _page_allows(world: World, django_db_blocker, role: str, page: str, kwargs: dict) -> bool:
    with django_db_blocker.unblock(), transaction.atomic():
        response = world.client(role).get(reverse(page, kwargs=kwargs))
        transaction.set_rollback(True)
    return response.status_code == 200


def test_every_api_route_is_in_the_matrix():
    missing = sorted(route.name for route in API_ROUTES if route.name not in API_SPEC)
    assert missing == [], f"add an ApiSpec for {missing} (who may use it, with which payload)"
    assert len(API_ROUTES) > 15


@pytest.mark.parametrize("route", API_ROUTES, ids=[route.name for route in API_ROUTES])
def test_every_role_gets_what_the_rules_say(route, world, django_db_blocker):
    spec = API_SPEC[route.name]
    problems, checked = [], 0
    for side_name, side in world.sides.items():
        with django_db_blocker.unblock():
            kwargs = spec.kwargs(side)
            path = reverse(route.name, kwargs=kwargs)
            payload = spec.payload(side)
        for role in ROLES:
            user = world.users.get(role)
            for method in spec.methods:
                check = {"GET": spec.get, "POST": spec.post, "PATCH": spec.patch or never}[method]
                with django_db_blocker.unblock():
                    allowed = role != "anonymous" and check(user, side)
                response = _call(world, django_db_blocker, role, method, path, payload)
                checked += 1
                status = response.status_code
                where = f"{method} {path} as {role} (side {side_name})"
                if status >= 500:
                    problems.append(f"{where}: {status}")
                elif role == "anonymous":
                    if status != 401:
                        problems.append(f"{where}: {status}, not 401")
                elif allowed and status in (401, 403, 404):
                    problems.append(f"{where}: {status} for a user the rules allow")
                elif not allowed and status not in (403, 404, 405):
                    problems.append(f"{where}: LEAK: {status} for a user the rules forbid")
                if method == "GET" and spec.page and role != "anonymous":
                    page_allows = _page_allows(world, django_db_blocker, role, spec.page, kwargs)
                    if page_allows != (status == 200):
                        problems.append(f"{where}: API {status}, but the page {spec.page} says {page_allows}")
    assert checked == len(world.sides) * len(ROLES) * len(spec.methods)
    assert problems == []


def test_the_permissions_used_exist():
    for name in ("hiring.read_role_templates", "hiring.write_role_templates", "hiring.access_recruiting"):
        assert rules.perm_exists(name)
