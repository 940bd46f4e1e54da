"""A Redis cache that degrades instead of failing the request.

The cache only ever holds what the database can give again (board filters' sources, the
flagged phrases), so when Redis cannot be reached a read is a miss, a write does nothing,
and the page is built from the database. Errors are logged (once per outage and process,
then at debug level); after one, the process skips Redis for ``RETRY_AFTER`` seconds so a
dead server costs one failed connection every few seconds, not one per cache call.

``ping()`` is the one call that raises: the readiness probe wants to know.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Short: a cache answer that takes longer than this is worth less than a database query.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
RETRY_AFTER = 5.0

_lock = threading.Lock()
_down_until: dict[str, float] = {}  # by server list, shared by the threads of a process


class FailSoftRedisCache(RedisCache):
    """Django's ``RedisCache``; a connection error or timeout is a miss (reads) or a no-op (writes)."""

    def __init__(self, server, params):
        params = dict(params)
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        self.retry_after = float(options.pop("RETRY_AFTER", RETRY_AFTER))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._name = ",".join(self._servers)

    # Outage bookkeeping ---------------------------------------------------------------
    def _skipping(self) -> bool:
        until = _down_until.get(self._name)
        return until is not None and time.monotonic() < until

    def _failed(self, operation: str, error: Exception) -> None:
        with _lock:
            first = self._name not in _down_until
            _down_until[self._name] = time.monotonic() + self.retry_after
        log = logger.warning if first else logger.debug
        log("Cache %s failed (%s: %s); serving from the database.", operation, type(error).__name__, error)

    def _succeeded(self) -> None:
        if self._name in _down_until:
            with _lock:
                if _down_until.pop(self._name, None) is not None:
                    logger.warning("Cache reachable again.")

    def _call(self, operation: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        if self._skipping():
            return fallback
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except (RedisError, OSError) as error:
            self._failed(operation, error)
            return fallback
        self._succeeded()
        return result

    # The cache API ---------------------------------------------------------------------
    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout=timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, key, delta, version=version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return value

    def clear(self):
        return self._call("clear", False)

    def ping(self) -> bool:
        """Ask Redis directly (no fallback, no skipping): raises when it cannot be reached."""
        return bool(self._cache.get_client(write=True).ping())
