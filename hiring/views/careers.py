"""The careers site (public, no login) and the recruiter's posting screens.

Public views are marked ``login_not_required``; every other view needs a signed-in user with
the right permission. The apply POST checks the per-IP rate limit before it reads the form or
the database, so a flood is answered 429 at almost no cost.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.sitemaps.views import sitemap
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hiring.forms.careers import CareersApplyForm, CareersFilterForm, PostingForm, form_token
from hiring.http import client_address, render_page
from hiring.models import Job, Posting
from hiring.selectors import careers as selectors
from hiring.selectors.jobs import job_get
from hiring.services import careers as services
from hiring.services.resumes import resume_check_file

POSTINGS_PER_PAGE = 20
# The same escapes as Django's ``json_script``: the JSON can never close its <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
_KNOWN_SOURCES = {
    "linkedin.": "LinkedIn",
    "indeed.": "Indeed",
    "glassdoor.": "Glassdoor",
    "github.": "GitHub",
    "google.": "Google",
    "bing.": "Bing",
    "duckduckgo.": "DuckDuckGo",
    "x.com": "X",
    "twitter.": "X",
    "t.co": "X",
}


def json_ld(data: dict) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` element, escaped like ``json_script``."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES))


def _context(**extra) -> dict:
    return {"company": settings.CAREERS_COMPANY_NAME, "privacy_version": settings.PRIVACY_NOTICE_VERSION, **extra}


def client_ip(request: HttpRequest) -> str:
    """The applicant's address (``hiring.http.client_address``), "unknown" when there is none."""
    return client_address(request) or "unknown"


ORIGIN_COOKIE = "careers_origin"
ORIGIN_COOKIE_SALT = "hiring.careers.origin"
ORIGIN_COOKIE_DAYS = 30
ORIGIN_PARAMS = ("source", "utm_source", "utm_medium", "utm_campaign", "ref")


def _origin_in_request(request: HttpRequest) -> dict[str, str]:
    params = {}
    for name in ORIGIN_PARAMS:
        value = services.normalise_source(request.GET.get(name, ""))
        if value:
            params[name] = value
    if "ref" not in params:
        host = (urlsplit(request.headers.get("Referer", "")).hostname or "").lower()
        if host and host != request.get_host().split(":")[0].lower():
            params["ref"] = services.normalise_source(host)
    return params


def _origin_params(request: HttpRequest) -> dict[str, str]:
    """Where the applicant came from: this request's ``?source=`` / UTM / external referrer, else
    what the first careers page they landed on remembered (a signed cookie, first touch wins)."""
    params = _origin_in_request(request)
    if params:
        return params
    remembered = request.get_signed_cookie(ORIGIN_COOKIE, default=None, salt=ORIGIN_COOKIE_SALT)
    try:
        data = json.loads(remembered) if remembered else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: services.normalise_source(str(v)) for k, v in data.items() if k in ORIGIN_PARAMS and v}


def _remember_origin(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Keep the landing page's source for the rest of the visit (only when the request brought one)."""
    params = _origin_in_request(request)
    if params and ORIGIN_COOKIE not in request.COOKIES:
        response.set_signed_cookie(
            ORIGIN_COOKIE,
            json.dumps(params),
            salt=ORIGIN_COOKIE_SALT,
            max_age=ORIGIN_COOKIE_DAYS * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _source_label(*, source: str, utm_source: str, referrer: str) -> str:
    if source:
        return source
    if utm_source:
        return utm_source
    host = referrer.lower()
    for needle, label in _KNOWN_SOURCES.items():
        if needle in host:
            return label
    return host[:60] if host else "Careers page"


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render_page(request, "careers/too_many.html", _context(), status=429)
    response["Retry-After"] = str(settings.CAREERS_APPLY_LIMIT_WINDOW_SECONDS)
    return response


# --- Public pages ------------------------------------------------------------------------------


@login_not_required
@require_GET
def careers_index(request: HttpRequest) -> HttpResponse:
    options = selectors.postings_filter_options()
    form = CareersFilterForm(request.GET or None, options=options)
    values = form.filters() if form.is_bound else {}
    filters = selectors.PostingFilters(
        team=values.get("team") or "", location=values.get("location") or "", workplace=values.get("workplace") or ""
    )
    page = Paginator(selectors.postings_list(filters=filters), POSTINGS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(
        {
            k: v
            for k, v in (("team", filters.team), ("location", filters.location), ("workplace", filters.workplace))
            if v
        }
    )
    response = render_page(
        request,
        "careers/index.html",
        _context(form=form, filters=filters, page=page, postings=page.object_list, query=query),
        fragment="results",
    )
    return _remember_origin(request, response)


@login_not_required
@require_GET
def posting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    posting = selectors.posting_public(slug=slug)
    return _posting_page(request, posting, preview=False)


def _posting_page(request: HttpRequest, posting: Posting, *, preview: bool) -> HttpResponse:
    url = request.build_absolute_uri(reverse("careers:posting", args=[posting.slug]))
    origin = _origin_params(request)
    apply_url = reverse("careers:apply", args=[posting.slug]) + (f"?{urlencode(origin)}" if origin else "")
    context = _context(
        posting=posting,
        canonical_url=url,
        apply_url=apply_url,
        json_ld=json_ld(selectors.posting_json_ld(posting=posting, url=url)),
        valid_through=selectors.posting_valid_through(posting),
        preview=preview,
    )
    return _remember_origin(request, render_page(request, "careers/posting.html", context))


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def posting_apply(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "POST" and not services.rate_limit_consume(
        scope="apply-ip",
        ident=client_ip(request),
        limit=settings.CAREERS_APPLY_LIMIT_PER_IP,
        window=settings.CAREERS_APPLY_LIMIT_WINDOW_SECONDS,
    ):
        return _too_many(request)
    posting = selectors.posting_public(slug=slug)
    questions = selectors.posting_questions(posting=posting)
    if request.method == "GET":
        origin = _origin_params(request)
        initial = {
            "form_token": form_token(posting.pk),
            "source": origin.get("source", ""),
            "utm_source": origin.get("utm_source", ""),
            "utm_medium": origin.get("utm_medium", ""),
            "utm_campaign": origin.get("utm_campaign", ""),
            "referrer": origin.get("ref", ""),
        }
        form = CareersApplyForm(initial=initial, posting=posting, questions=questions)
        return _remember_origin(
            request, render_page(request, "careers/apply.html", _context(posting=posting, form=form))
        )

    form = CareersApplyForm(request.POST, request.FILES, posting=posting, questions=questions)
    _check_resume(form)
    if form.is_valid():
        data = form.cleaned_data
        if not services.rate_limit_consume(
            scope="apply-email",
            ident=data["email"].lower(),
            limit=settings.CAREERS_APPLY_LIMIT_PER_EMAIL,
            window=settings.CAREERS_APPLY_LIMIT_WINDOW_SECONDS,
        ):
            return _too_many(request)
        origin = services.Origin(
            source=_source_label(
                source=services.normalise_source(data["source"]),
                utm_source=services.normalise_source(data["utm_source"]),
                referrer=services.normalise_source(data["referrer"]),
            ),
            utm={
                key: services.normalise_source(data[key])
                for key in ("utm_source", "utm_medium", "utm_campaign")
                if data[key]
            },
            referrer=services.normalise_source(data["referrer"]),
        )
        try:
            services.careers_apply(
                posting=posting,
                questions=questions,
                applicant=services.Applicant(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    links=data["links"],
                    cover_letter=data["cover_letter"],
                ),
                answers=form.answers(),
                resume=data["resume"],
                origin=origin,
                consent_version=settings.PRIVACY_NOTICE_VERSION,
                self_identification=form.self_identification(),
            )
        except services.AlreadyApplied:
            return render_page(request, "careers/already_applied.html", _context(posting=posting), status=409)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return HttpResponseRedirect(reverse("careers:applied", args=[posting.slug]))
    if any(error.code in ("bad_token", "expired") for error in form.errors.as_data().get("__all__", [])):
        form.data = form.data.copy()
        form.data["form_token"] = form_token(posting.pk)
    return render_page(request, "careers/apply.html", _context(posting=posting, form=form), status=400)


def _check_resume(form: CareersApplyForm) -> None:
    """The résumé checked by its content (the résumé service's check), as an error on its field."""
    form.is_valid()
    resume = form.cleaned_data.get("resume")
    if resume is None:
        return
    try:
        resume_check_file(file=resume)
    except ValidationError as error:
        form.add_error("resume", error)


@login_not_required
@require_GET
def posting_applied(request: HttpRequest, slug: str) -> HttpResponse:
    posting = selectors.posting_public(slug=slug)
    return render_page(request, "careers/applied.html", _context(posting=posting))


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def application_status(request: HttpRequest, token: str) -> HttpResponse:
    """The candidate's status page, reached from the signed link in their confirmation email."""
    application = selectors.application_from_status_token(token)
    error = ""
    if request.method == "POST":
        try:
            services.careers_application_withdraw(application_id=application.pk)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return HttpResponseRedirect(reverse("careers:status", args=[token]) + "?withdrawn=1")
    context = _context(
        application=application,
        stage_words=selectors.stage_in_plain_words(application),
        can_withdraw=application.status == application.Status.ACTIVE,
        just_withdrawn=request.GET.get("withdrawn") == "1" and application.status == application.Status.WITHDRAWN,
        error=error,
        token=token,
    )
    return render_page(request, "careers/status.html", context, status=400 if error else 200)


@login_not_required
@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render_page(request, "careers/privacy.html", _context())


@login_not_required
@require_GET
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    from hiring.sitemaps import SITEMAPS

    return sitemap(request, sitemaps=SITEMAPS)


# --- Recruiter side ----------------------------------------------------------------------------


def _managed_job(request: HttpRequest, pk: int) -> Job:
    if not request.user.has_perm("hiring.manage_jobs"):
        raise Http404("No such page.")
    return job_get(user=request.user, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def posting_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the job's posting, publish or unpublish it, preview it."""
    job = _managed_job(request, pk)
    posting = selectors.posting_for_job(job=job)
    form = PostingForm(request.POST or None, instance=posting) if posting else None
    status = 200
    if request.method == "POST":
        if posting is None or form is None:
            messages.error(request, "Draft the posting first.")
            return HttpResponseRedirect(reverse("hiring:posting-manage", args=[job.pk]))
        if form.is_valid():
            try:
                services.posting_update(
                    posting=posting, **{name: form.cleaned_data[name] for name in services.POSTING_FIELDS}
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Posting saved.")
                return HttpResponseRedirect(reverse("hiring:posting-manage", args=[job.pk]))
        status = 400
    context = {
        "job": job,
        "posting": posting,
        "form": form,
        "questions": selectors.posting_questions(posting=posting) if posting else [],
        "by_source": selectors.job_applications_by_source(job=job),
        "public_url": reverse("careers:posting", args=[posting.slug]) if posting else "",
        "pay_difference": selectors.posting_pay_difference(posting=posting) if posting else "",
    }
    return render_page(request, "careers/manage.html", context, status=status)


@login_required
@require_POST
def posting_create(request: HttpRequest, pk: int) -> HttpResponse:
    job = _managed_job(request, pk)
    services.posting_create(job=job)
    messages.success(request, "Posting drafted from the role template. Check it, then publish it.")
    return HttpResponseRedirect(reverse("hiring:posting-manage", args=[job.pk]))


@login_required
@require_POST
def posting_publish(request: HttpRequest, pk: int) -> HttpResponse:
    job = _managed_job(request, pk)
    posting = selectors.posting_for_job(job=job)
    if posting is None:
        messages.error(request, "Draft the posting first.")
        return HttpResponseRedirect(reverse("hiring:posting-manage", args=[job.pk]))
    if request.POST.get("action") == "unpublish":
        services.posting_unpublish(posting=posting)
        messages.success(request, "The posting is off the careers site.")
    else:
        try:
            services.posting_publish(posting=posting)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "The posting is on the careers site.")
    return HttpResponseRedirect(reverse("hiring:posting-manage", args=[job.pk]))


@login_required
@require_GET
def posting_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The posting as applicants will see it, whatever its state."""
    job = _managed_job(request, pk)
    posting = selectors.posting_for_job(job=job)
    if posting is None:
        messages.error(request, "Draft the posting first: there is nothing to preview yet.")
        return HttpResponseRedirect(reverse("hiring:posting-manage", args=[job.pk]))
    posting.job = job
    response = _posting_page(request, posting, preview=True)
    response["X-Robots-Tag"] = "noindex"
    return response
