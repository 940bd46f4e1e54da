"""Reads for the profile page: the user's own API tokens."""

from django.db.models import QuerySet

from hiring.models import ApiToken


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too, marked as such)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
