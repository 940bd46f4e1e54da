"""Request plumbing that every app's views share (hiring is the lowest app with views).

* ``render_page``: one answer to "page or fragment?" for every view. Normal navigation,
  htmx history-restore requests and boosted links (``hx-boost`` swaps the whole body) get the
  whole page; other htmx requests get the named ``{% partialdef %}`` fragment of the same
  template. ``Vary: HX-Request`` is always set, so no cache can hand a fragment to a
  full-page request or the other way round.
* ``fragment_response``: the same answer for an htmx swap whose HTML is rendered already
  (a cached fragment, ``roles/fragments.py``).
* ``safe_next_url`` / ``redirect_next``: the only way a view turns a ``next`` value into a
  redirect. Only same-site absolute paths pass; anything else falls back to a URL the view
  built itself. A view never passes user input to ``redirect()`` (which would try to
  ``reverse()`` it and fail with ``NoReverseMatch`` after the write committed).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request type of every view: django-htmx's middleware sets ``htmx`` on each request."""

    htmx: HtmxDetails


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx request that swaps part of a page; false for pages, history restores and boosts."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request and not htmx.boosted


def render_page(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template_name`` whole, or only its ``fragment`` partial for an htmx swap."""
    name = f"{template_name}#{fragment}" if fragment and wants_fragment(request) else template_name
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def fragment_response(html: str) -> HttpResponse:
    """An htmx swap's answer from HTML rendered already (a cached fragment), with ``Vary: HX-Request``."""
    response = HttpResponse(html)
    patch_vary_headers(response, ("HX-Request",))
    return response


def safe_next_url(request: HttpRequest, candidate: object) -> str | None:
    """``candidate`` when it is a same-site absolute path (``/...``), else None."""
    if not isinstance(candidate, str) or not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in candidate):
        return None
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=False):
        return None
    return candidate


def next_url(request: HttpRequest, default: str) -> str:
    """The request's ``next`` (POST first, then GET) when it is safe, else ``default``."""
    return safe_next_url(request, request.POST.get("next") or request.GET.get("next")) or default


def redirect_next(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Redirect to the request's safe ``next``, else to ``default`` (a URL the view built)."""
    return HttpResponseRedirect(next_url(request, default))


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one the configured proxies recorded
    (``CAREERS_PROXY_COUNT`` trusted proxies append to X-Forwarded-For; "" when there is none)."""
    proxies = settings.CAREERS_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or ""
