"""Reads of the careers site: published postings, one posting and its JSON-LD, the status page.

The public pages cost a fixed number of queries whatever the number of postings: the list is
one query for its page, one for its count and one for the filters' options; a posting page
is one query (its questions are read only by the apply form).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils import timezone
from django.utils.html import escape

from hiring.models import Application, Job, Posting, PostingQuestion

STATUS_SALT = "hiring.careers.status"
DEFAULT_VALID_DAYS = 60

EMPLOYMENT_TYPES: dict[str, str] = {
    Job.EmploymentType.FULL_TIME: "FULL_TIME",
    Job.EmploymentType.PART_TIME: "PART_TIME",
    Job.EmploymentType.CONTRACT: "CONTRACTOR",
    Job.EmploymentType.INTERNSHIP: "INTERN",
}


@dataclass(frozen=True)
class PostingFilters:
    team: str = ""
    location: str = ""
    workplace: str = ""

    @property
    def active(self) -> bool:
        return bool(self.team or self.location or self.workplace)


def _open_today() -> Q:
    return Q(status=Posting.Status.PUBLISHED) & (
        Q(valid_through__isnull=True) | Q(valid_through__gte=timezone.localdate())
    )


def postings_public() -> QuerySet[Posting]:
    """Postings on the careers site today: published, not past their closing date."""
    return Posting.objects.filter(_open_today())


def postings_list(*, filters: PostingFilters) -> QuerySet[Posting]:
    """The careers list (newest first) with only what its cards show; one query per page."""
    postings = postings_public()
    if filters.team:
        postings = postings.filter(team=filters.team)
    if filters.location:
        postings = postings.filter(location=filters.location)
    if filters.workplace:
        postings = postings.filter(workplace=filters.workplace)
    return postings.only(
        "id", "slug", "title", "team", "location", "workplace", "remote_regions", "published_at", "status"
    ).order_by("-published_at", "-id")


def postings_filter_options() -> dict[str, list]:
    """Teams and locations of the open postings, for the filters: one query."""
    rows = postings_public().order_by().values_list("team", "location").distinct()
    teams, locations = set(), set()
    for team, location in rows:
        if team:
            teams.add(team)
        if location:
            locations.add(location)
    return {
        "teams": sorted(teams),
        "locations": sorted(locations),
        "workplaces": Posting.Workplace.choices,
    }


def posting_public(*, slug: str) -> Posting:
    """A posting on the careers site, with its job (404 for drafts, unpublished and closed ones)."""
    posting = postings_public().select_related("job").filter(slug=slug).first()
    if posting is None:
        raise Http404("No such job opening.")
    return posting


def posting_questions(*, posting: Posting) -> list[PostingQuestion]:
    return list(posting.questions.order_by("order", "id"))


def posting_for_job(*, job: Job) -> Posting | None:
    return Posting.objects.filter(job=job).first()


def posting_pay_difference(*, posting: Posting) -> str:
    """Pay transparency: a sentence for the recruiter when the posting's pay range is not the template's
    band (empty when they agree or the template has no band)."""
    band = posting.template_band()
    if band is None or posting.pay_min is None or posting.pay_max is None:
        return ""
    if (posting.pay_currency, posting.pay_min, posting.pay_max) == band:
        return ""
    currency, lowest, highest = band
    return (
        f"This posting's pay range ({posting.pay_currency} {posting.pay_min:,} to {posting.pay_max:,}) differs "
        f"from the role template's band ({currency} {lowest:,} to {highest:,})."
    )


def posting_valid_through(posting: Posting) -> datetime.date:
    if posting.valid_through is not None:
        return posting.valid_through
    start = posting.published_at or timezone.now()
    return (start + datetime.timedelta(days=DEFAULT_VALID_DAYS)).date()


def _description_html(posting: Posting) -> str:
    parts = []
    if posting.summary:
        parts.append(f"<p>{escape(posting.summary)}</p>")
    for heading, lines in (
        ("Responsibilities", posting.responsibility_list),
        ("Requirements", posting.requirement_list),
    ):
        if lines:
            items = "".join(f"<li>{escape(line)}</li>" for line in lines)
            parts.append(f"<h2>{heading}</h2><ul>{items}</ul>")
    return "".join(parts) or f"<p>{escape(posting.title)}</p>"


def posting_json_ld(*, posting: Posting, url: str) -> dict:
    """schema.org ``JobPosting`` of a posting (what search engines read)."""
    company = settings.CAREERS_COMPANY_NAME
    published = posting.published_at or timezone.now()
    data: dict = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": _description_html(posting),
        "identifier": {"@type": "PropertyValue", "name": company, "value": str(posting.pk)},
        "datePosted": published.date().isoformat(),
        "validThrough": f"{posting_valid_through(posting).isoformat()}T23:59:59",
        "employmentType": EMPLOYMENT_TYPES.get(posting.job.employment_type, "OTHER"),
        "hiringOrganization": {"@type": "Organization", "name": company, "sameAs": settings.SITE_URL},
        "url": url,
    }
    if posting.team:
        data["industry"] = posting.team
    if posting.workplace == Posting.Workplace.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {
            "@type": "AdministrativeArea",
            "name": posting.remote_regions or "Anywhere",
        }
    else:
        address = {"@type": "PostalAddress", "addressLocality": posting.location or company}
        if posting.country:
            address["addressCountry"] = posting.country
        data["jobLocation"] = {"@type": "Place", "address": address}
    if posting.show_pay and posting.pay_min is not None and posting.pay_max is not None:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": posting.pay_currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": posting.pay_min,
                "maxValue": posting.pay_max,
                "unitText": "YEAR",
            },
        }
    return data


# --- The candidate's status page ---------------------------------------------------------------


def application_status_token(application_id: int) -> str:
    """The signed part of a status link (no expiry in the token; checked on use)."""
    return signing.dumps({"a": application_id}, salt=STATUS_SALT, compress=True)


def application_from_status_token(token: str) -> Application:
    """The application a status link points at; 404 for a forged, altered or expired link."""
    try:
        payload = signing.loads(
            token, salt=STATUS_SALT, max_age=datetime.timedelta(days=settings.CAREERS_STATUS_LINK_DAYS)
        )
    except signing.BadSignature:
        raise Http404("This link is not valid.") from None
    application_id = payload.get("a") if isinstance(payload, dict) else None
    if not isinstance(application_id, int):
        raise Http404("This link is not valid.")
    application = (
        Application.objects.select_related("job", "stage", "candidate")
        .only(
            "id", "status", "applied_at", "job__id", "job__title", "stage__id", "stage__name", "candidate__first_name"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404("This application no longer exists.")
    return application


_STAGE_WORDS = [
    (("hired",), "Hired: welcome to the team!"),
    (("offer",), "Offer: we are preparing or discussing an offer with you."),
    (("interview", "panel", "onsite", "assessment", "technical"), "Interviewing: you are in our interview process."),
    (("screen", "review", "phone"), "In review: the team is looking at your application."),
    (("applied", "new", "received", "inbox"), "Received: the hiring team will review your application soon."),
]


def stage_in_plain_words(application: Application) -> str:
    """Where an application stands, as a candidate would say it."""
    if application.status == Application.Status.WITHDRAWN:
        return "Withdrawn: you withdrew this application."
    if application.status == Application.Status.REJECTED:
        return "Closed: the team decided not to continue with this application."
    if application.status == Application.Status.HIRED:
        return "Hired: welcome to the team!"
    name = application.stage.name.lower()
    for words, text in _STAGE_WORDS:
        if any(word in name for word in words):
            return text
    return "In progress: your application is moving through our process."


# --- Recruiter side ----------------------------------------------------------------------------


def job_applications_by_source(*, job: Job) -> list[tuple[str, int]]:
    """How many of the job's applications came from each source (most first), in one query.

    A careers-site application counts under the source it came with; one a recruiter added
    counts under its candidate's source.
    """
    rows = (
        Application.objects.filter(job=job)
        .annotate(
            origin=Coalesce(
                NullIf("submission__source", Value("")), NullIf("candidate__source", Value("")), Value("Unknown")
            )
        )
        .values_list("origin")
        .annotate(n=Count("id"))
        .order_by("-n", "origin")
    )
    return list(rows)


__all__ = [
    "PostingFilters",
    "application_from_status_token",
    "application_status_token",
    "job_applications_by_source",
    "posting_for_job",
    "posting_json_ld",
    "posting_public",
    "posting_questions",
    "posting_valid_through",
    "postings_filter_options",
    "postings_list",
    "postings_public",
    "stage_in_plain_words",
]


def self_identification_report(*, posting_id: int | None = None) -> list[dict]:
    """Totals per question and answer (admins only; the one read of self-identification)."""
    from collections import Counter

    from hiring.models import SelfIdentification

    rows = SelfIdentification.objects.all()
    if posting_id is not None:
        rows = rows.filter(posting_id=posting_id)
    counters: dict[str, Counter] = {item["key"]: Counter() for item in settings.CAREERS_SELF_ID_QUESTIONS}
    total = 0
    for answers in rows.values_list("answers", flat=True).iterator(chunk_size=2000):
        total += 1
        for key, counter in counters.items():
            counter[(answers or {}).get(key) or settings.SELF_ID_DECLINED] += 1
    report = []
    for item in settings.CAREERS_SELF_ID_QUESTIONS:
        labels = dict(item["choices"]) | {settings.SELF_ID_DECLINED: "Did not answer / declined"}
        counter = counters[item["key"]]
        report.append(
            {
                "label": item["label"],
                "total": total,
                "rows": [(labels.get(value, value), counter.get(value, 0)) for value in labels],
            }
        )
    return report
