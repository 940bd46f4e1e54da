"""Project-wide request guards (hiring is the lowest app that serves pages).

* ``RequestSizeLimitMiddleware``: refuses a request whose ``Content-Length`` is above
  ``REQUEST_MAX_BYTES`` with a 413 and a plain reason, before anything reads the body
  (so a 200 MB upload is never spooled to disk only to be refused by a form).
* ``NoStoreMiddleware``: answers to signed-in people carry ``Cache-Control: no-store,
  private`` (candidate and application pages, scorecards, file downloads): no shared
  cache and no browser history keeps personal data. A view that set its own
  ``Cache-Control`` keeps it.
* ``AuditContextMiddleware``: who and from where, for the audit trail (``roles.audit``).
"""

from __future__ import annotations

from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.cache import add_never_cache_headers

from hiring.http import client_address
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
