"""The server-error page (``handler500``): a lost database says so with a 503, anything else is a 500.

Django calls this inside its exception handler, wherever the error came from: a view, a
template, or a middleware (loading the session or the user is a query too). The exception has
already been logged (``django.request``) and reported. The pages are rendered without context
processors, since they would query the database again.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        # Every write is one transaction, so a connection lost half-way left nothing behind.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
