"""Walk every URL of the site: the resolver's patterns, filled in with demo objects.

Shared by the site-wide checks (login by default, the Content-Security-Policy on every
page, the render path of every URL htmx pushes). The list of URLs is read from the
resolver, never written down, so a new URL is covered as soon as it exists: if its
parameters are new, ``url_values`` fails and says which URL needs a demo object.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from lxml import html as lxml_html

from hiring.demo import DEMO_USERS
from hiring.models import Application, CandidateImport, HiringTeamMember, Job, Posting, Resume, User
from hiring.selectors.careers import application_status_token
from hiring.services import candidate_import_create
from interviews.models import Interview, InterviewStep, Scorecard
from roles.models import RoleTemplate

# The pages anyone may open without signing in (each view says so with ``login_not_required``).
PUBLIC_URL_NAMES = {
    "healthz",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "admin:login",
    # The careers site: open positions, a posting, its apply form, the status link, the sitemap.
    "careers:index",
    "careers:privacy",
    "careers:posting",
    "careers:apply",
    "careers:applied",
    "careers:status",
    "sitemap",
}
# Public too when they exist: a readiness probe for load balancers.
OPTIONAL_PUBLIC_URL_NAMES = {"readyz"}
# The public API and its schema sign requests in themselves (a token, or the session): no
# sign-in redirect, a 401 for an anonymous request (config/api.py).
API_ROUTE_PREFIXES = ("api/v1/", "api/schema/")
ROLE_EMAILS = [email for email, *_ in DEMO_USERS[:4]]  # admin, recruiter, hiring manager, interviewer


@dataclass(frozen=True)
class Route:
    route: str  # e.g. "hiring/jobs/<int:pk>/board/"
    name: str | None  # e.g. "hiring:board"
    callback: Callable

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def is_public(self) -> bool:
        return not getattr(self.callback, "login_required", True) and not self.is_api

    @property
    def is_api(self) -> bool:
        return self.route.replace("^", "").startswith(API_ROUTE_PREFIXES)

    @property
    def parameters(self) -> list[str]:
        """Names of the path converters (``<int:pk>``) and regex groups (``(?P<url>...)``)."""
        return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", self.route)]


def routes() -> list[Route]:
    """Every URL pattern of the site, with its full route and namespaced name."""

    def walk(patterns, prefix: str, namespace: str | None) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                yield Route(prefix + str(pattern.pattern), name, pattern.callback)

    return list(walk(get_resolver().url_patterns, "", None))


def build_path(route: Route, values: dict[str, object]) -> str:
    """The route with its parameters (path converters and regex groups) filled in."""

    def value(match: re.Match) -> str:
        return str(values[match.group("name")])

    path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route.route)
    path = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", value, path)
    return "/" + path.replace("^", "").replace("$", "")


@dataclass
class Demo:
    """The demo objects one user's walk fills URLs with (their own where the role has some)."""

    user: User
    job: Job
    stage: object
    member: HiringTeamMember
    application: Application
    resume: Resume
    candidate_import: CandidateImport
    step: InterviewStep
    competency: object
    interview: Interview
    scorecard: Scorecard
    template: RoleTemplate
    offer: object = None
    email: object = None


def demo_for(user: User) -> Demo:
    """Objects from the demo data, chosen so that this user may see as many pages as the role allows."""
    scorecard = (
        Scorecard.objects.filter(interviewer=user).order_by("-status", "pk").first()
        or Scorecard.objects.filter(status=Scorecard.Status.SUBMITTED).order_by("pk").first()
    )
    interview = scorecard.interview
    application = interview.application
    job = application.job
    step = interview.step
    focus = step.focus.select_related("competency").order_by("pk").first()
    competency = focus.competency if focus is not None else job.template.competencies.order_by("pk").first()
    resume = Resume.objects.filter(candidate=application.candidate).first() or Resume.objects.order_by("pk").first()
    candidate_import = CandidateImport.objects.order_by("pk").first()
    if candidate_import is None:
        upload = SimpleUploadedFile("people.csv", b"First name,Last name,Email\nAda,Lovelace,ada@example.test\n")
        candidate_import = candidate_import_create(file=upload, actor=User.objects.get(email=ROLE_EMAILS[1]))
    return Demo(
        user=user,
        job=job,
        stage=job.stages.order_by("order", "pk").first(),
        member=job.team.order_by("pk").first(),
        application=application,
        resume=resume,
        candidate_import=candidate_import,
        step=step,
        competency=competency,
        interview=interview,
        scorecard=scorecard,
        template=job.template,
        offer=_demo_offer(application),
        email=_demo_email(application),
    )


def _demo_offer(application: Application):
    """An offer on the walked application (the demo data has none): a draft above any band."""
    import datetime

    from django.utils import timezone

    from hiring.models import Offer

    offer = Offer.objects.filter(application=application).order_by("pk").first()
    if offer is None:
        today = timezone.localdate()
        offer = Offer.objects.create(
            application=application,
            base_salary=250_000,
            currency="EUR",
            start_date=today + datetime.timedelta(days=30),
            expires_on=today + datetime.timedelta(days=7),
            out_of_band=True,
        )
    return offer


def _demo_email(application: Application):
    """An email written to the walked application's candidate (undone: nothing is sent)."""
    from django.utils import timezone

    from hiring.models import CandidateEmail

    email = CandidateEmail.objects.filter(application=application).order_by("pk").first()
    if email is None:
        email = CandidateEmail.objects.create(
            application=application,
            recipient="walk@example.test",
            subject="Hello",
            body_text="Hello",
            status=CandidateEmail.Status.UNDONE,
            send_after=timezone.now(),
        )
    return email


# Which demo object a ``pk`` stands for, by URL name (the longest matching prefix wins).
PK_OBJECT = {
    "hiring:job-": "job",
    "hiring:team-": "job",
    "hiring:stage-": "job",
    "hiring:board": "job",
    "hiring:candidate-import-detail": "candidate_import",
    "hiring:candidate-": "candidate",
    "hiring:resume-": "resume",
    "hiring:application-": "application",
    "hiring:posting-": "job",
    "hiring:offer-": "offer",
    "hiring:offer-create": "application",
    "hiring:email-": "email",
    "hiring:email-compose": "application",
    "api:job-": "job",
    "api:candidate-": "candidate",
    "api:application-": "application",
    "api:interview-": "interview",
    "api:scorecard-": "scorecard",
    "api:role-template-": "template",
}
# Every other parameter name of the app's URLs.
PARAMETER_OBJECT = {
    "stage_pk": "stage",
    "member_pk": "member",
    "job_id": "job",
    "step_id": "step",
    "competency_id": "competency",
    "application_id": "application",
    "interview_id": "interview",
    "scorecard_id": "scorecard",
}


def url_values(route: Route, demo: Demo) -> dict[str, object]:
    """The route's parameters, from the demo objects; fails loudly for a parameter nobody taught it."""
    values: dict[str, object] = {}
    for parameter in route.parameters:
        if route.is_admin:
            values[parameter] = _admin_value(route, parameter, demo)
        elif parameter == "pk":
            prefix = max((p for p in PK_OBJECT if (route.name or "").startswith(p)), key=len, default=None)
            if prefix is None:
                raise AssertionError(f"tests/site_walk.py: which demo object is the pk of {route.name}?")
            obj = PK_OBJECT[prefix]
            values[parameter] = (demo.application.candidate if obj == "candidate" else getattr(demo, obj)).pk
        elif parameter in PARAMETER_OBJECT:
            values[parameter] = getattr(demo, PARAMETER_OBJECT[parameter]).pk
        elif parameter == "slug" and (route.name or "").startswith("careers:"):
            values[parameter] = _careers_posting().slug
        elif parameter == "token" and route.name == "careers:status":
            values[parameter] = application_status_token(
                _careers_posting().submissions.order_by("pk")[0].application_id
            )
        elif parameter == "name" and (route.name or "").startswith(("interviews:report", "api:report")):
            values[parameter] = "funnel"  # a report's name (interviews.reports.REPORTS)
        elif parameter == "action" and route.name == "hiring:offer-action":
            values[parameter] = "submit"
        elif parameter in ("uidb64", "token"):
            values[parameter] = "not-a-valid-link"
        else:
            raise AssertionError(f"tests/site_walk.py: no demo value for <{parameter}> of {route.route}")
    return values


def _careers_posting() -> Posting:
    """The demo's published posting that has applications from the careers site."""
    return Posting.objects.filter(status=Posting.Status.PUBLISHED, submissions__isnull=False).order_by("pk")[0]


def _admin_value(route: Route, parameter: str, demo: Demo) -> object:
    if parameter == "app_label":
        return "hiring"
    if parameter == "url":
        return "no-such-admin-page/"
    if parameter == "content_type_id":
        return ContentType.objects.get_for_model(Job).pk
    if route.name == "admin:view_on_site":
        return demo.job.pk
    # admin/<app_label>/<model_name>/<object_id>/...: the first object of that model.
    _, app_label, model_name, *_ = route.route.split("/")
    model = apps.get_model(app_label, model_name)
    if model is RoleTemplate:
        return demo.template.pk
    first = model._default_manager.order_by("pk").first()
    return first.pk if first is not None else 1


def url_of(route: Route, demo: Demo) -> str:
    return build_path(route, url_values(route, demo))


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


@dataclass
class Push:
    """A URL that an element of a page pushes into the browser history."""

    page: str
    template: str
    url: str


def pushed_urls(page_url: str, body: str, template: str) -> list[Push]:
    """Every URL an ``hx-push-url`` element of this page puts in the history (forms: with their fields)."""
    document = lxml_html.fromstring(body)
    pushes = []
    for element in document.xpath("//*[@hx-push-url]"):
        push = element.get("hx-push-url")
        if push == "false":
            continue
        target = push if push != "true" else element.get("hx-get")
        if not target:
            raise AssertionError(f"{page_url}: hx-push-url without a URL or hx-get on <{element.tag}>")
        url = urljoin(page_url, target)
        pushes.append(Push(page_url, template, url))
        if element.tag == "form":
            fields = [
                (field.name, field.value or "")
                for field in element.xpath(".//input|.//select")
                if field.name and field.get("type") not in ("checkbox", "radio", "submit", "file")
            ]
            if fields:
                separator = "&" if "?" in url else "?"
                pushes.append(Push(page_url, template, url + separator + urlencode(fields)))
    return pushes


def page_template(response) -> str:
    """The screen's own template (the first one rendered that is not the shared base)."""
    # A partial rendered on its own first (a cached part of the page) is named by its file.
    files = [getattr(t.origin, "template_name", None) or t.name for t in getattr(response, "templates", [])]
    names = [name for name in files if name and not name.startswith("base")]
    return names[0] if names else ""
