"""Operations plumbing: request ids, JSON log lines, error reporting without personal data.

* ``RequestIdMiddleware`` takes the proxy's ``X-Request-ID`` (or makes one), keeps it for the
  request's log lines and returns it in the response, so one id follows a request from the
  proxy's log to ours and to an error report.
* ``RequestIdFilter`` puts that id on every log record (``-`` outside a request);
  ``JsonFormatter`` writes one JSON object per line (``LOG_FORMAT=json``, production's default).
* ``sentry_init`` turns on error reporting (Django and Celery integrations) when ``SENTRY_DSN``
  is set; ``scrub_event`` removes email addresses, names and request bodies before anything
  leaves the process.

Nothing here imports models: logging is configured before the apps are loaded.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime
from typing import Any

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Use the incoming ``X-Request-ID`` when it is a sane token, else a new one; echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_ID.match(incoming) else new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


# Attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_RECORD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


# --- Error reporting ------------------------------------------------------------------------

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
FILTERED = "[Filtered]"
# Keys whose values are personal data wherever they appear in an event.
PERSONAL_KEYS = {
    "email",
    "username",
    "full_name",
    "first_name",
    "last_name",
    "display_name",
    "phone",
    "ip_address",
    "cookies",
    "body",
    "candidate",
    "evidence",
    "key_takeaways",
    "private_note",
    "notes",
    "note",
    "resume_text",
}
# Request headers worth keeping; the rest (cookies, authorization, forwarded addresses) go.
SAFE_HEADERS = {"user-agent", "content-type", "content-length", "accept", "hx-request", "x-request-id", "host"}


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return EMAIL.sub("[email]", value)
    if isinstance(value, dict):
        return {key: (FILTERED if str(key).lower() in PERSONAL_KEYS else _scrub(item)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's ``before_send``: no request body, cookies or personal headers; users by id only;
    email addresses and known personal fields replaced wherever they appear."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        request.pop("query_string", None)
        headers = request.get("headers") or {}
        request["headers"] = {k: v for k, v in headers.items() if k.lower() in SAFE_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    event.setdefault("tags", {})["request_id"] = request_id_var.get()
    for key in ("request", "exception", "logentry", "message", "breadcrumbs", "extra", "contexts", "threads"):
        if key in event:
            event[key] = _scrub(event[key])
    return event


def sentry_init(*, dsn: str, environment: str, release: str = "", traces_sample_rate: float = 0.0) -> None:
    """Report errors of the web processes and the workers to Sentry, without personal data."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,  # frames' locals hold candidates' names and evidence
        max_request_body_size="never",
        before_send=scrub_event,
        traces_sample_rate=traces_sample_rate,
    )
