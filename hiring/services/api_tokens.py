"""Personal API tokens: created (shown once), looked up by digest, revoked.

A token is ``hire_`` followed by 43 random URL-safe characters. Only its SHA-256 digest is
stored (a token is random and long, so a fast digest is enough: there is nothing to guess),
plus its first characters to recognise it in a list.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hiring.models import ApiToken, User

TOKEN_PREFIX = "hire_"  # noqa: S105 - the marker in front of a token, not one


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token: shown once, never stored


@transaction.atomic
def api_token_create(*, user: User, name: str, scope: str = ApiToken.Scope.READ, days: int | None = None) -> NewToken:
    """Create a token for ``user``; the returned ``secret`` is the only time the token is known."""
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"Choose between 1 and {settings.API_TOKEN_MAX_DAYS} days."})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": "Choose read or write."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=" ".join(name.split())[:80] or "API token",
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    token.full_clean(exclude=["user"])
    token.save()
    return NewToken(token=token, secret=secret)


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of ``user``'s tokens (someone else's id does nothing); True when it was usable."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


def api_token_authenticate(*, secret: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token with this secret and its active user, or None. One query; the last-used
    time is written at most once a minute (one more query then)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.usable(now)
        .select_related("user")
        .filter(digest=token_digest(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
