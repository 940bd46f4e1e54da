"""Project-wide request guards (hiring is the lowest app that serves pages).

* ``RequestSizeLimitMiddleware``: refuses a request whose ``Content-Length`` is above
  ``REQUEST_MAX_BYTES`` with a 413 and a plain reason, before anything reads the body
  (so a 200 MB upload is never spooled to disk only to be refused by a form).
* ``NoStoreMiddleware``: answers to signed-in people carry ``Cache-Control: no-store,
  private`` (candidate and application pages, scorecards, file downloads): no shared
  cache and no browser history keeps personal data. A view that set its own
  ``Cache-Control`` keeps it.
* ``FreshStackChunkMiddleware`` (first in the list): runs the request at the start of a fresh
  block of the interpreter's frame stack, so that rendering a deep page does not allocate and
  free a block of that stack thousands of times (see the class).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
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
