"""Clients of the public API: one personal token per role."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from hiring.services import api_token_create


def token_client(user, scope: str = "write") -> APIClient:
    """An API client sending ``Authorization: Bearer`` with a new token of ``user``."""
    client = APIClient()
    secret = api_token_create(user=user, name="tests", scope=scope).secret
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def api(users):
    """``api["recruiter"]`` etc.: a write-scoped token client per role of the ``users`` fixture."""
    return {role: token_client(user) for role, user in users.items()}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no requests counted against the rate limit: a rolled-back token's id
    comes back in the next test, and its count would carry over (the limit has its own test)."""
    cache.clear()
