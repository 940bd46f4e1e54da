"""The public API's plumbing, shared by every app's ``api.py``: personal-token authentication,
the token's scope, cursor pagination, the per-token rate limit and the one error format.

Kept apart from the endpoints: the REST framework reads these classes from the settings while
its views module loads, so this module must not import its views (``error_handler`` imports
the stock handler when it runs).

The error format, for every 4xx::

    {"error": {"code": "not_found", "message": "Not found.", "fields": {"name": ["..."]}}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, permissions, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from hiring.models import ApiToken
from hiring.services import api_token_authenticate


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` with a personal API token (``request.auth`` is the token)."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as “Authorization: Bearer <token>”.")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("That token is not valid.") from None
        token = api_token_authenticate(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed("That token is not valid, was revoked or has expired.")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class TokenScope(permissions.BasePermission):
    """Signed in (token or session); a read-only token may only read."""

    message = "This token may only read: create a read-and-write token to make changes."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        token = request.auth
        if isinstance(token, ApiToken) and request.method not in permissions.SAFE_METHODS:
            return token.scope == ApiToken.Scope.WRITE
        return True


class CursorPage(CursorPagination):
    """Cursor pagination (stable under inserts): ``?cursor=...`` from ``next`` / ``previous``."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-id"


class PerTokenThrottle(SimpleRateThrottle):
    """``API_RATE_LIMIT`` requests per token (per user for the browser's session), in the cache."""

    scope = "api"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


_CODES = {
    status.HTTP_400_BAD_REQUEST: "invalid",
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "permission_denied",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "not_acceptable",
    status.HTTP_409_CONFLICT: "conflict",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record changed since it was read."
    default_code = "conflict"


def validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError as the API's 400 (field errors under their names)."""
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError({key: [str(m) for m in value] for key, value in error.message_dict.items()})
    return exceptions.ValidationError({"non_field_errors": [str(m) for m in error.messages]})


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """A validation error's detail as messages by field name (``ratings.0.id`` for nested ones)."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}{key}."))
        return out
    name = prefix.rstrip(".") or "non_field_errors"
    if isinstance(detail, list):
        out = {}
        messages = []
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                out.update(_flatten(item, f"{name}.{index}."))
            else:
                messages.append(str(item))
        if messages:
            out[name] = messages
        return out
    return {name: [str(detail)]}


def error_handler(exc: Exception, context: dict) -> Response | None:
    """Every error as ``{"error": {"code", "message", "fields"}}`` (never a bare 500 for bad input)."""
    if isinstance(exc, DjangoValidationError):
        exc = validation_error(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    from rest_framework.views import exception_handler  # not at the top: see the module's docstring

    response = exception_handler(exc, context)
    if response is None:
        return None
    fields: dict[str, list[str]] = {}
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        fields = _flatten(response.data)
        general = fields.pop("non_field_errors", [])
        message = general[0] if general and not fields else "Some fields are not valid."
        if general and fields:
            fields["non_field_errors"] = general
    else:
        detail = response.data
        message = str(detail.get("detail", "")) if isinstance(detail, dict) else str(detail)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        code = codes if isinstance(codes, str) else _CODES.get(response.status_code, "error")
    response.data = {"error": {"code": code, "message": message or "Error.", "fields": fields}}
    return response
