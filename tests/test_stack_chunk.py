"""Every request runs in a fresh block of the interpreter's frame stack (hiring.middleware).

On CPython 3.12 a page whose rendering loops across a frame-stack chunk boundary frees and
maps that chunk on every crossing; the role template's admin page did it ~5,000 times per
request. The first middleware calls the rest of the request from a frame too large for any
chunk in use, so the request starts at the beginning of a new, larger chunk whatever depth
the server calls it from.
"""

import resource
import sys

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from hiring.middleware import FreshStackChunkMiddleware, _call_in_fresh_chunk

CHUNK_BYTES = 16 * 1024


def test_the_fresh_chunk_middleware_comes_first(settings):
    assert settings.MIDDLEWARE[0] == "hiring.middleware.FreshStackChunkMiddleware"


def test_the_request_and_the_response_pass_through_unchanged():
    seen = []

    def view(request):
        seen.append(request)
        return HttpResponse("ok", status=201)

    request = RequestFactory().get("/anything")
    response = FreshStackChunkMiddleware(view)(request)

    assert seen == [request]
    assert (response.status_code, response.content) == (201, b"ok")


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="a CPython frame-stack detail")
def test_the_calling_frame_needs_more_than_a_whole_chunk():
    code = _call_in_fresh_chunk.__code__
    slots = code.co_stacksize + code.co_nlocals

    assert slots * 8 > CHUNK_BYTES


def _deep(depth, leaf_calls):
    if depth:
        return _deep(depth - 1, leaf_calls)
    total = 0
    for _ in range(leaf_calls):
        total += _leaf()
    return total


def _leaf():
    return 1


def _faults(run):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    run()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="a CPython frame-stack detail")
def test_a_loop_deep_in_the_request_does_not_map_memory_per_call():
    # A loop of 3,000 calls at each depth over two chunks' worth of frames: called directly, one
    # of these depths puts the loop's calls across a chunk boundary (~3,000 page faults on 3.12);
    # inside the fresh chunk every depth stays far from its end.
    worst = max(
        _faults(lambda depth=depth: _call_in_fresh_chunk(lambda _: _deep(depth, 3_000), None)) for depth in range(250)
    )

    assert worst < 300
