"""Project-wide request guards (hiring is the lowest app that serves pages).

* ``RequestSizeLimitMiddleware``: refuses a request whose ``Content-Length`` is above
  ``REQUEST_MAX_BYTES`` with a 413 and a plain reason, before anything reads the body
  (so a 200 MB upload is never spooled to disk only to be refused by a form).
* ``UserTimeZoneMiddleware``: activates the signed-in person's time zone for the request, so
  pages show times in it and forms read the times typed in it.
* ``NoStoreMiddleware``: answers to signed-in people carry ``Cache-Control: no-store,
  private`` (candidate and application pages, scorecards, file downloads): no shared
  cache and no browser history keeps personal data. A view that set its own
  ``Cache-Control`` keeps it.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.cache import add_never_cache_headers


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("The request's Content-Length is not a number.", status=400, content_type="text/plain")
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            return HttpResponse(
                f"The request is too large ({filesizeformat(length)}); "
                f"uploads can be at most {filesizeformat(limit)}. Nothing was saved.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class UserTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        name = getattr(user, "zone_name", "") if user is not None and user.is_authenticated else ""
        try:
            timezone.activate(zoneinfo.ZoneInfo(name)) if name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # a zone removed from the system's database
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
