"""The authorization matrix, generated from the URL resolver.

Every URL pattern of the project x every role (anonymous, admin, recruiter, hiring manager
on / off the job's team, interviewer on / off the application) x an object of the user's
own side and a foreign one x GET and POST. The expected answer comes from the app's rules
(``hiring.rules``, the visibility querysets, ``interviews.rules``), never from the response:

* anonymous -> a redirect to the sign-in page (public pages excepted);
* allowed -> anything but 403/404 and never a 5xx (a wrong method may answer 405);
* not allowed (forbidden or unknown) -> 404 (or 405 for a method the URL never takes).

A URL without an entry in ``SPEC`` (or, under /admin/, a keyword ``ADMIN_KWARGS`` cannot
fill) fails its test until someone says how to fill it in and who may see it.
Every request runs in a savepoint that is rolled back, so one role's write never changes
what the next role sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import rules
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hiring.rules import applications_visible_to, can_reveal_identity, candidates_visible_to, jobs_visible_to
from interviews import rules as interview_rules
from tests.security.urls import Route, all_routes
from tests.security.world import ROLES, Side, World, build_world


@dataclass(frozen=True)
class Spec:
    kwargs: Callable[[Side], dict]
    allowed: Callable[[object, Side], bool]  # (user, side) -> may this user use this URL on this side?
    post: Callable[[Side], dict] = lambda side: {}
    public: bool = False


def perm(name: str) -> Callable[[object, Side], bool]:
    return lambda user, side: rules.has_perm(name, user)


def job_visible(user, side: Side) -> bool:
    return jobs_visible_to(user=user).filter(pk=side.job.pk).exists()


def application_visible(user, side: Side) -> bool:
    return applications_visible_to(user=user).filter(pk=side.application.pk).exists()


def candidate_visible(user, side: Side) -> bool:
    return candidates_visible_to(user=user).filter(pk=side.candidate.pk).exists()


def both(*checks):
    return lambda user, side: all(check(user, side) for check in checks)


def anyone(user, side) -> bool:
    return True


def manages_pipeline(user, side: Side) -> bool:
    return rules.has_perm("hiring.manage_pipeline_obj", user, side.job)


def edits_plans(user, side: Side) -> bool:
    return interview_rules.can_edit_plans(user=user)


def schedules(user, side: Side) -> bool:
    return interview_rules.can_schedule(user=user, application=side.application)


def decides(user, side: Side) -> bool:
    return application_visible(user, side) and interview_rules.can_record_decision(
        user=user, application=side.application
    )


def opens_kit(user, side: Side) -> bool:
    return application_visible(user, side) and interview_rules.can_open_kit(user=user, interview=side.interview)


def own_scorecard(user, side: Side) -> bool:
    return side.scorecard.interviewer_id == user.pk


def sees_all_feedback(user, side: Side) -> bool:
    return interview_rules.can_see_all_feedback(user=user, application_id=side.application.pk)


job = lambda key="pk": lambda side: {key: side.job.pk}  # noqa: E731
application = lambda key="pk": lambda side: {key: side.application.pk}  # noqa: E731
candidate = lambda side: {"pk": side.candidate.pk}  # noqa: E731
stage = lambda side: {"pk": side.job.pk, "stage_pk": side.stage.pk}  # noqa: E731
step = lambda side: {"job_id": side.job.pk, "step_id": side.step.pk}  # noqa: E731
step_competency = lambda side: {**step(side), "competency_id": side.competency.pk}  # noqa: E731
scorecard = lambda side: {"scorecard_id": side.scorecard.pk}  # noqa: E731
nothing = lambda side: {}  # noqa: E731
manage_job = both(perm("hiring.manage_jobs"), job_visible)
plan_editor = both(job_visible, edits_plans)


def posting_slug(side: Side) -> dict:
    """The side's job on the careers site (drafted from its template and published on first use)."""
    from hiring.models import Posting
    from hiring.services.careers import posting_create

    posting = posting_create(job=side.job)
    Posting.objects.filter(pk=posting.pk).update(status=Posting.Status.PUBLISHED, published_at=side.job.created_at)
    return {"slug": posting.slug}


def offer_of(side: Side) -> dict:
    """The side's offer: a draft outside the band (no band on the factory's template)."""
    import datetime

    from hiring.models import Offer

    offer = Offer.objects.filter(application=side.application).first()
    if offer is None:
        today = timezone.localdate()
        offer = Offer.objects.create(
            application=side.application,
            base_salary=100_000,
            currency="EUR",
            start_date=today + datetime.timedelta(days=30),
            expires_on=today + datetime.timedelta(days=7),
            out_of_band=True,
        )
    return {"pk": offer.pk}


def sees_offers(user, side: Side) -> bool:
    return application_visible(user, side) and rules.has_perm("hiring.view_candidate_private", user)


def manages_offers(user, side: Side) -> bool:
    return sees_offers(user, side) and rules.has_perm("hiring.manage_offers_obj", user, side.job)


def email_of(side: Side) -> dict:
    """An email written to the side's candidate (already undone: nothing is sent)."""
    from hiring.models import CandidateEmail

    email = CandidateEmail.objects.filter(application=side.application).first() or CandidateEmail.objects.create(
        application=side.application,
        recipient="m@example.test",
        subject="Hi",
        body_text="Hi",
        send_after=timezone.now(),
        status="undone",
    )
    return {"pk": email.pk}


def emails_candidates(user, side: Side) -> bool:
    return sees_offers(user, side) and rules.has_perm("hiring.email_candidates_obj", user, side.job)


def status_token(side: Side) -> dict:
    from hiring.selectors.careers import application_status_token

    return {"token": application_status_token(side.application.pk)}


SPEC: dict[str, Spec] = {
    # Project-level and django.contrib.auth pages.
    "home": Spec(nothing, anyone),
    "healthz": Spec(nothing, anyone, public=True),
    # The careers site: public pages (a signed link for the status page).
    "careers:index": Spec(nothing, anyone, public=True),
    "careers:privacy": Spec(nothing, anyone, public=True),
    "careers:posting": Spec(posting_slug, anyone, public=True),
    "careers:apply": Spec(posting_slug, anyone, public=True),
    "careers:applied": Spec(posting_slug, anyone, public=True),
    "careers:status": Spec(status_token, anyone, public=True),
    "sitemap": Spec(nothing, anyone, public=True),
    # Reports: recruiters, admins and hiring managers (their jobs' figures); adverse impact admins only
    # (the other reports' per-role answers: tests/interviews/test_reports_pages.py); the dashboard for recruiters.
    "interviews:report-index": Spec(nothing, perm("interviews.view_reports")),
    "interviews:report": Spec(lambda side: {"name": "adverse-impact"}, perm("interviews.view_adverse_impact")),
    "interviews:report-csv": Spec(lambda side: {"name": "adverse-impact"}, perm("interviews.view_adverse_impact")),
    "interviews:dashboard": Spec(nothing, perm("interviews.view_dashboard")),
    # The recruiter's side of a posting.
    "hiring:posting-manage": Spec(job(), manage_job),
    "hiring:posting-create": Spec(job(), manage_job),
    "hiring:posting-publish": Spec(job(), manage_job, post=lambda side: {"action": "publish"}),
    "hiring:posting-preview": Spec(job(), manage_job),
    "readyz": Spec(nothing, anyone, public=True),  # 200 while the database, cache and broker answer
    "login": Spec(nothing, anyone, public=True),
    "logout": Spec(nothing, anyone, public=True),
    "password_change": Spec(nothing, anyone),
    "hiring:my-settings": Spec(nothing, anyone),
    # Two-factor sign-in: every signed-in person manages their own (hiring/views/two_factor.py).
    "two-factor": Spec(nothing, anyone),
    "two-factor-verify": Spec(nothing, anyone),
    "two-factor-setup": Spec(nothing, anyone),
    "two-factor-recovery-codes": Spec(nothing, anyone),
    "two-factor-disable": Spec(nothing, anyone),
    "password_change_done": Spec(nothing, anyone),
    "password_reset": Spec(nothing, anyone, public=True),
    "password_reset_done": Spec(nothing, anyone, public=True),
    "password_reset_confirm": Spec(lambda side: {"uidb64": "MQ", "token": "set-password"}, anyone, public=True),
    "password_reset_complete": Spec(nothing, anyone, public=True),
    # Jobs, team, stages, board.
    "hiring:job-list": Spec(nothing, perm("hiring.access_recruiting")),
    "hiring:job-create": Spec(nothing, perm("hiring.manage_jobs")),
    "hiring:job-detail": Spec(job(), both(perm("hiring.access_recruiting"), job_visible)),
    "hiring:job-edit": Spec(job(), manage_job),
    "hiring:team-add": Spec(job(), manage_job),
    "hiring:team-remove": Spec(lambda side: {"pk": side.job.pk, "member_pk": side.member.pk}, manage_job),
    "hiring:stage-add": Spec(job(), manage_job, post=lambda side: {"name": "Matrix"}),
    "hiring:stage-rename": Spec(stage, manage_job, post=lambda side: {"name": "Matrix"}),
    "hiring:stage-move": Spec(stage, manage_job, post=lambda side: {"direction": "1"}),
    "hiring:stage-delete": Spec(stage, manage_job),
    "hiring:board": Spec(job(), both(perm("hiring.access_recruiting"), job_visible)),
    "hiring:board-column": Spec(stage, both(perm("hiring.access_recruiting"), job_visible)),
    "hiring:application-move": Spec(application(), both(application_visible, manages_pipeline)),
    "hiring:bulk-action": Spec(
        nothing,
        both(perm("hiring.access_recruiting"), application_visible, manages_pipeline),
        post=lambda side: {"application_ids": [side.application.pk], "action": "tag", "tag": "matrix"},
    ),
    # Candidates.
    "hiring:candidate-list": Spec(nothing, perm("hiring.list_candidates")),
    "hiring:candidate-create": Spec(nothing, perm("hiring.create_candidates")),
    "hiring:candidate-import": Spec(nothing, perm("hiring.import_candidates")),
    "hiring:candidate-import-detail": Spec(
        lambda side: {"pk": side.candidate_import.pk}, perm("hiring.import_candidates")
    ),
    "hiring:candidate-detail": Spec(candidate, candidate_visible),
    "hiring:candidate-note-add": Spec(
        candidate, both(perm("hiring.write_candidate_notes"), candidate_visible), post=lambda side: {"body": "Matrix"}
    ),
    "hiring:candidate-resumes": Spec(candidate, candidate_visible),
    "hiring:candidate-edit": Spec(candidate, both(perm("hiring.edit_candidates"), candidate_visible)),
    "hiring:candidate-merge": Spec(candidate, both(perm("hiring.merge_candidates"), candidate_visible)),
    "hiring:candidate-resume-upload": Spec(candidate, both(perm("hiring.upload_resumes"), candidate_visible)),
    "hiring:candidate-apply": Spec(candidate, both(perm("hiring.apply_candidates"), candidate_visible)),
    "hiring:resume-download": Spec(lambda side: {"pk": side.resume.pk}, candidate_visible),
    "hiring:application-detail": Spec(application(), application_visible),
    "hiring:application-stage": Spec(
        application(), both(application_visible, manages_pipeline), post=lambda side: {"to_stage": side.stage.pk}
    ),
    "hiring:application-reject": Spec(application(), both(application_visible, manages_pipeline)),
    "hiring:application-reopen": Spec(application(), both(application_visible, manages_pipeline)),
    "hiring:application-tag": Spec(
        application(), both(application_visible, manages_pipeline), post=lambda side: {"tag": "matrix"}
    ),
    # Blind review: a hiring manager of a blind job, after the debrief (the sides' jobs are not blind).
    "hiring:application-reveal": Spec(
        application(),
        lambda user, side: application_visible(user, side) and can_reveal_identity(user, side.application),
    ),
    # Offers: hiring managers off the job's team and interviewers see none of them.
    "hiring:offer-list": Spec(nothing, perm("hiring.list_offers")),
    "hiring:offer-create": Spec(application(), manages_offers),
    "hiring:offer-detail": Spec(offer_of, sees_offers),
    "hiring:offer-edit": Spec(offer_of, manages_offers),
    "hiring:offer-letter": Spec(offer_of, sees_offers),
    "hiring:offer-letter-pdf": Spec(offer_of, sees_offers),
    "hiring:email-compose": Spec(application(), lambda user, side: emails_candidates(user, side)),
    "hiring:email-undo": Spec(email_of, lambda user, side: emails_candidates(user, side)),
    "hiring:offer-action": Spec(lambda side: {**offer_of(side), "action": "submit"}, manages_offers),
    # Everyone's own profile and API tokens (creating one with the matrix's empty POST is a form error).
    "hiring:profile": Spec(nothing, anyone),
    # Interview plans, scheduling, kits, scorecards, summaries.
    "interviews:my-interviews": Spec(nothing, anyone),
    "interviews:plan": Spec(job("job_id"), job_visible),
    "interviews:plan-create": Spec(job("job_id"), plan_editor),
    "interviews:plan-step-add": Spec(job("job_id"), plan_editor),
    "interviews:plan-step-update": Spec(step, plan_editor),
    "interviews:plan-step-move": Spec(step, plan_editor, post=lambda side: {"direction": "up"}),
    "interviews:plan-step-remove": Spec(step, plan_editor),
    "interviews:plan-competency-toggle": Spec(step_competency, plan_editor),
    "interviews:plan-prompts": Spec(step_competency, plan_editor, post=lambda side: {"prompts": "Matrix?"}),
    "interviews:schedule": Spec(application("application_id"), both(application_visible, schedules)),
    "interviews:schedule-overlaps": Spec(application("application_id"), both(application_visible, schedules)),
    "interviews:feedback": Spec(application("application_id"), application_visible),
    "interviews:feedback-export": Spec(application("application_id"), application_visible),
    "interviews:kit": Spec(lambda side: {"interview_id": side.interview.pk}, opens_kit),
    "interviews:scorecard-edit": Spec(scorecard, own_scorecard),
    "interviews:scorecard-autosave": Spec(
        scorecard,
        own_scorecard,
        post=lambda side: {"field": "key_takeaways", "key_takeaways": "Matrix", "version": side.scorecard.version},
    ),
    "interviews:scorecard-amend": Spec(scorecard, own_scorecard),
    "interviews:scorecard-withdraw": Spec(scorecard, own_scorecard),
    "interviews:application-summary": Spec(application("application_id"), sees_all_feedback),
    "interviews:debrief": Spec(application("application_id"), sees_all_feedback),
    "interviews:decision": Spec(
        application("application_id"), decides, post=lambda side: {"outcome": "hold", "rationale": "Matrix"}
    ),
    "interviews:job-digest": Spec(job("job_id"), job_visible),
}

# The Django admin: staff only, whatever the object. Keywords of its URLs and how to fill them.
ADMIN_KWARGS = {"object_id": "999999", "id": "999999", "content_type_id": "1", "url": "no-such-page/"}


def _admin_path(route: Route) -> str:
    values = dict(ADMIN_KWARGS)
    if "app_label" in route.kwargs:
        values["app_label"] = re.search(r"\(\?P<app_label>([\w]+)", route.route).group(1)
    if not route.name.startswith("<unnamed>"):
        return reverse(route.name, kwargs={key: values[key] for key in route.kwargs})
    path = route.route
    if "(?P<url>" in path:
        return "/admin/" + values["url"]
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda match: values[match.group(1)], path)


pytestmark = pytest.mark.django_db  # the test database is set up for this module (the world outlives a test)

ROUTES = all_routes()
# The public API (namespace "api") has its own matrix with tokens: tests/api/test_api_matrix.py.
APP_ROUTES = [route for route in ROUTES if route.namespace not in ("admin", "api")]
ADMIN_ROUTES = [route for route in ROUTES if route.namespace == "admin"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        for role in ROLES:
            world.client(role)  # sign in now: a session created inside a rolled-back request would vanish
        yield world
        transaction.set_rollback(True)


def _request(world: World, django_db_blocker, role: str, method: str, path: str, data: dict):
    with django_db_blocker.unblock(), transaction.atomic():
        client = world.client(role)
        if path.startswith(("/accounts/logout", "/admin/logout")) and role != "anonymous":
            client = Client()  # signing out changes the session cookie: keep the role's client signed in
            client.force_login(world.users[role])
        response = client.post(path, data) if method == "POST" else client.get(path)
        transaction.set_rollback(True)
    return response


def _verdict(response, *, role: str, allowed: bool, public: bool, login_prefix: str) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status} server error"
    if role == "anonymous" and not public:
        location = response.headers.get("Location", "")
        return None if status == 302 and location.startswith(login_prefix) else f"{status}, not the sign-in redirect"
    if allowed:
        return None if status not in (403, 404) else f"{status} for a user the rules allow"
    return None if status in (404, 405) else f"LEAK: {status} for a user the rules forbid"


@pytest.mark.parametrize("route", APP_ROUTES, ids=[route.name for route in APP_ROUTES])
def test_every_role_gets_what_the_rules_say(route, world, django_db_blocker):
    spec = SPEC.get(route.name)
    assert spec is not None, (
        f"{route.name} ({route.route}) is not in the authorization matrix: add a Spec saying how to fill "
        "in its URL and who may use it."
    )
    login_prefix = reverse(settings.LOGIN_URL)
    problems = []
    checked = 0
    for side_name, side in world.sides.items():
        kwargs = spec.kwargs(side)
        assert set(kwargs) == set(route.kwargs), f"{route.name}: the Spec fills {sorted(kwargs)}, not {route.kwargs}"
        path = reverse(route.name, kwargs=kwargs)
        for role in ROLES:
            with django_db_blocker.unblock():
                allowed = role != "anonymous" and spec.allowed(world.users[role], side)
            for method in ("GET", "POST"):
                response = _request(world, django_db_blocker, role, method, path, spec.post(side))
                checked += 1
                problem = _verdict(
                    response, role=role, allowed=allowed or spec.public, public=spec.public, login_prefix=login_prefix
                )
                if problem:
                    problems.append(f"{method} {path} as {role} (side {side_name}): {problem}")
    assert checked == len(world.sides) * len(ROLES) * 2
    assert problems == []


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=[route.name for route in ADMIN_ROUTES])
def test_the_admin_answers_staff_only(route, world, django_db_blocker):
    unknown = [name for name in route.kwargs if name not in ADMIN_KWARGS and name != "app_label"]
    assert unknown == [], f"{route.name} ({route.route}): add a value for {unknown} to ADMIN_KWARGS"
    path = _admin_path(route)
    public = route.name in ("admin:login",)
    problems = []
    for role in ROLES:
        for method in ("GET", "POST"):
            response = _request(world, django_db_blocker, role, method, path, {})
            status = response.status_code
            if status >= 500:
                problems.append(f"{method} {path} as {role}: {status}")
            elif role not in ("admin",) and not public:
                location = response.headers.get("Location", "")
                # Anonymous: a sign-in page (the site's or the admin's); signed in but not staff: the admin's.
                allowed_targets = ("/admin/", reverse(settings.LOGIN_URL)) if role == "anonymous" else ("/admin/",)
                if status != 302 or not location.startswith(allowed_targets):
                    problems.append(f"{method} {path} as {role}: LEAK: {status} (expected a sign-in page)")
    assert problems == []
