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
* ``AuditContextMiddleware``: who and from where, for the audit trail (``roles.audit``).
* ``FreshStackChunkMiddleware`` (first in the list): runs the request at the start of a fresh
  block of the interpreter's frame stack, so that rendering a deep page does not allocate and
  free a block of that stack thousands of times (see the class).
"""

from __future__ import annotations

import sys
import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django_otp.plugins.otp_totp.models import TOTPDevice

from hiring.http import client_address
from hiring.rules import is_admin
from roles import audit


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


class AuditContextMiddleware(AuditlogMiddleware):
    """Attributes the audit entries a request writes to its user and address (``roles.audit``).

    The address is the same one the rest of the site trusts (``hiring.http.client_address``:
    REMOTE_ADDR, or what the configured proxies recorded), never a raw, spoofable header.
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_address(request) or None

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.attributed():
            return super().__call__(request)


ENROLLED_SESSION_KEY = "two_factor_enrolled"


def remember_two_factor(sender, request, user, **kwargs) -> None:
    """At sign-in: note in the session whether the person has a second factor (one query)."""
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_SESSION_KEY] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class TwoFactorMiddleware:
    """Asks for the second factor (``hiring.views.two_factor``) before any other page.

    A signed-in person who is not verified yet goes to the code page when they set up an app
    (noted in the session at sign-in, so ordinary requests cost no query), or to the set-up page
    when ``TWO_FACTOR_REQUIRED_FOR_ADMINS`` is on and they are an admin or open the Django admin.
    """

    EXEMPT = ("two-factor-verify", "two-factor-setup", "logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def _exempt_paths(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = (*(reverse(name) for name in self.EXEMPT), settings.STATIC_URL)
        return self._exempt

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self._exempt_paths()):
            return self.get_response(request)
        is_verified = getattr(user, "is_verified", None)
        if is_verified is None or is_verified():
            return self.get_response(request)
        if request.session.get(ENROLLED_SESSION_KEY):
            return self._send(request, "two-factor-verify")
        if settings.TWO_FACTOR_REQUIRED_FOR_ADMINS and (
            request.path.startswith(reverse("admin:index")) or is_admin(user)
        ):
            return self._send(request, "two-factor-setup")
        return self.get_response(request)

    @staticmethod
    def _send(request: HttpRequest, name: str) -> HttpResponse:
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)


def _call_in_fresh_chunk(get_response: Callable[[HttpRequest], HttpResponse], request: HttpRequest) -> HttpResponse:
    return get_response(request)


# CPython keeps Python frames in 16 KiB chunks and, up to 3.12, frees a chunk as soon as the
# frame at its start returns (python/cpython#142183). A page whose template rendering loops
# around a chunk boundary pays an mmap, a munmap and a page fault on every call across it:
# the role template's admin page made ~5,000 of each per request (+60 % CPU) once the
# middleware list had grown by a few entries. A frame too big for the current chunk gets a
# new chunk sized for it plus room (1,000 slots, rounded up to a power of two); with a
# 60 KB frame (unused evaluation-stack slots: never written, so never faulted in) that is a
# 128 KiB chunk with ~68 KiB free, where the rest of the request runs whatever its depth.
_FRAME_SLOTS = 7_500
if sys.implementation.name == "cpython":
    _call_in_fresh_chunk.__code__ = _call_in_fresh_chunk.__code__.replace(co_stacksize=_FRAME_SLOTS)


class FreshStackChunkMiddleware:
    """First middleware: the rest of the request runs in one fresh frame-stack chunk (see above)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return _call_in_fresh_chunk(self.get_response, request)
