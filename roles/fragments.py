"""Rendered page fragments kept in a cache, for the one viewer they were rendered for.

The heavy pages (the board, the candidate list and its searches, a candidate's profile,
"My interviews") spend most of their time rendering the same HTML again. ``cached`` keeps a
fragment's HTML for ``FRAGMENT_CACHE_SECONDS`` under a key made of:

* **the viewer**: the user's id, a digest of the CSRF secret the fragment's forms carry, the
  time zone and the language. A fragment is only ever served back to the person (and the
  browser session) it was rendered for, so it cannot show anyone what their permissions,
  blind-review state or hiring-team membership would hide;
* **the data generation**: a token that changes after every committed write to the apps'
  tables (below), so no fragment outlives a change it could show;
* the fragment's name and what the view says selects it (the query string, an object's id).

The generation is watched at the database connection, not in model signals: an execute
wrapper sees every INSERT, UPDATE and DELETE (``save()``, ``QuerySet.update()``,
``bulk_create()`` and raw SQL alike) and, once the write is committed, replaces the token.
Writes to bookkeeping tables that no fragment shows (the outbox, webhook deliveries, API
token use, report snapshots, import progress) are left out, so background work does not
empty the cache. The time limit bounds what changes with the clock alone (days in stage,
an overdue scorecard) to a minute, and ``migrate`` (which every deployment runs) starts a new
generation, so fragments of the code it replaces are not served again. The one write left out
on purpose is an autosave of a draft scorecard (``unwatched``): no cached page shows a draft's
text, and interviewers save every few seconds while they type, which would otherwise empty the
cache for everyone all day.

A cache outage is a miss: the fragment is rendered as if it were the first time.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)

CACHE_ALIAS = "fragments"
GENERATION_KEY = "fragments:generation"
WATCHED_PREFIXES = ("hiring_", "interviews_", "roles_", "auth_")
# Written by background work or on every API call, and shown by no cached fragment.
IGNORED_TABLES = frozenset(
    {
        "hiring_outboxmessage",
        "hiring_webhookdelivery",
        "hiring_webhookattempt",
        "hiring_apitoken",
        "hiring_candidateimport",
        "interviews_reportsnapshot",
    }
)
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?', re.I
)
NONCE_MARK = "\x00csp-nonce\x00"  # where a fragment carried its request's CSP nonce


def _cache():
    return caches[CACHE_ALIAS]


def enabled() -> bool:
    """Whether fragments are kept: a time limit is set and a cache is configured for them."""
    return bool(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0)) and CACHE_ALIAS in settings.CACHES


# The data generation --------------------------------------------------------------------
def generation() -> str:
    """The current data generation (a new one when the cache lost it)."""
    cache = _cache()
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), None)
        token = cache.get(GENERATION_KEY) or "unknown"
    return token


def bump() -> None:
    """Every fragment rendered so far is out of date (called after a committed write)."""
    if CACHE_ALIAS not in settings.CACHES:
        return
    try:
        _cache().set(GENERATION_KEY, secrets.token_hex(8), None)
    except Exception:
        logger.warning("Could not mark the cached fragments out of date.", exc_info=True)


def watched_table(sql: str) -> str | None:
    """The app table an SQL statement writes to, when fragments may show it; else None."""
    match = _WRITE.match(sql)
    if match is None:
        return None
    table = match.group(1).lower()
    if table.startswith(WATCHED_PREFIXES) and table not in IGNORED_TABLES:
        return table
    return None


def _inside_test_case(connection) -> bool:
    # Django's TestCase wraps each test in atomic blocks that never commit; a write there is as
    # committed as it will ever be, so it marks the fragments out of date at once.
    return bool(connection.atomic_blocks) and getattr(connection.atomic_blocks[0], "_from_testcase", False)


def _written(connection) -> None:
    if not connection.in_atomic_block or _inside_test_case(connection):
        bump()
        return
    # Once per transaction (a rolled-back savepoint takes its callback away with it).
    if not any(func is bump for _, func, _ in connection.run_on_commit):
        transaction.on_commit(bump, using=connection.alias)


def after_migrate(**kwargs) -> None:
    """``post_migrate`` receiver: new code (templates, rules) may render the same data differently."""
    bump()


def mark_written(using: str = DEFAULT_DB_ALIAS) -> None:
    """For writes the connection does not see as statements (PostgreSQL's COPY): the same as a
    watched write, out of date now or when the transaction commits."""
    _written(connections[using])


def watch_writes(execute, sql, params, many, context):
    """Execute wrapper: after a write to a watched table, mark the fragments out of date."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and sql[:1] in "IUDTiudt " and watched_table(sql):
        connection = context["connection"]
        if not getattr(connection, "_fragments_unwatched", 0):
            _written(connection)
    return result


@contextmanager
def unwatched(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Writes inside change nothing any cached fragment shows (a draft scorecard's text, saved
    every few seconds while an interviewer types): they keep the fragments. Use sparingly, and
    say at the call why no fragment shows what they write."""
    connection = connections[using]
    connection._fragments_unwatched = getattr(connection, "_fragments_unwatched", 0) + 1
    try:
        yield
    finally:
        connection._fragments_unwatched -= 1


def install(connection, **kwargs) -> None:
    """``connection_created`` receiver: watch this connection's writes."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


# Fragments ------------------------------------------------------------------------------
def _viewer(request: HttpRequest) -> tuple:
    get_token(request)  # the forms in the fragment carry a token of this secret
    secret = request.META.get("CSRF_COOKIE", "")
    user = getattr(request, "user", None)
    return (
        getattr(user, "pk", None),
        hashlib.sha256(secret.encode()).hexdigest()[:16],
        timezone.get_current_timezone_name(),
        translation.get_language(),
    )


def key_for(request: HttpRequest, name: str, parts: Iterable[Any], generation_token: str) -> str:
    raw = repr((name, _viewer(request), generation_token, tuple(parts)))
    return f"fragment:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached(request: HttpRequest, name: str, parts: Iterable[Any], render: Callable[[], Any]) -> Any:
    """``render()``'s result for this viewer, data generation and ``parts``: from the cache when
    it holds one, else rendered now and kept. Strings come back safe (they are rendered HTML)."""
    if not enabled():
        return _safe(render())
    try:
        cache = _cache()
        key = key_for(request, name, parts, generation())
        value = cache.get(key)
    except Exception:
        logger.warning("Fragment cache unreachable; rendering.", exc_info=True)
        return _safe(render())
    if value is None:
        value = render()
        if value is None:  # nothing to show (the view answers otherwise): nothing to keep
            return None
        nonce = get_nonce(request)
        kept = _replace(value, str(nonce), NONCE_MARK) if nonce else value
        try:
            # A script's nonce belongs to one response: kept as a mark, filled in when served.
            cache.set(key, kept, settings.FRAGMENT_CACHE_SECONDS)
        except Exception:
            logger.warning("Could not keep a rendered fragment.", exc_info=True)
        return _safe(value)
    return _safe(_fill_nonce(request, value))


def _each(value: Any, change: Callable[[str], str]) -> Any:
    """``change`` applied to a fragment (a string) or to each fragment of a dict of them."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: change(item) for key, item in value.items()}
    return value


def _replace(value: Any, old: str, new: str) -> Any:
    return _each(value, lambda text: text.replace(old, new))


def _fill_nonce(request: HttpRequest, value: Any) -> Any:
    texts = value.values() if isinstance(value, dict) else [value]
    if not any(isinstance(text, str) and NONCE_MARK in text for text in texts):
        return value  # the nonce stays unasked for (Django adds it to the header once asked)
    nonce = get_nonce(request)
    return _replace(value, NONCE_MARK, str(nonce) if nonce is not None else "")


def _safe(value: Any) -> Any:
    return _each(value, mark_safe)  # HTML our own templates rendered and escaped


__all__ = [
    "after_migrate",
    "bump",
    "cached",
    "enabled",
    "generation",
    "install",
    "key_for",
    "mark_written",
    "unwatched",
    "watched_table",
]
