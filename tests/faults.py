"""Helpers of the fault tests: a port nothing listens on, a broker pointed elsewhere, a Redis of our own.

Fault tests never touch the machine's shared services: a dead Redis is a closed port or a
``redis-server`` process the test started itself (and stops itself).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import redis

from config.celery import app as celery_app
from hiring.background import broker_outage_reset


def free_port() -> int:
    """A TCP port nothing listens on right now (the kernel's pick, released at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def celery_broker(url: str, *, eager: bool = False) -> Iterator[None]:
    """Send tasks for real (not eagerly) to ``url`` in this block; everything is put back after."""
    saved = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    saved_pools = (celery_app._pool, celery_app.amqp._producer_pool)
    saved_env = os.environ.get("CELERY_BROKER_URL")  # Celery reads it before its own setting
    os.environ["CELERY_BROKER_URL"] = url
    celery_app.conf.task_always_eager = eager
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    broker_outage_reset()
    try:
        yield
    finally:
        for pool in (celery_app._pool, celery_app.amqp._producer_pool):
            if pool is not None and pool not in saved_pools:
                with contextlib.suppress(Exception):
                    pool.force_close_all()
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
        celery_app._pool, celery_app.amqp._producer_pool = saved_pools
        broker_outage_reset()


class RedisServer:
    """A ``redis-server`` of the test's own on a free port, without persistence, like a crashed cache."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        log = open(self.folder / f"redis-{self.port}.log", "ab")  # noqa: SIM115 - closed with the process
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [binary, *options, "--dir", str(self.folder)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"redis-server exited: {self.log_text()}"
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    return self
            time.sleep(0.05)
        raise AssertionError(f"redis-server did not answer on port {self.port}: {self.log_text()}")

    def stop(self) -> None:
        """Stop it (everything it held is gone, as after a crash without persistence)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def log_text(self) -> str:
        path = self.folder / f"redis-{self.port}.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""


class LiveSession:
    """A signed-in browser without a browser: plain HTTP to the live server, redirects not followed.

    The session cookie comes from the test client's ``force_login``; the CSRF cookie and header
    carry the same secret, as a browser's form post would.
    """

    CSRF_SECRET = "faultsuitecsrfsecret000000000000"  # 32 characters, like Django's

    def __init__(self, live_server_url: str, client, user):
        client.force_login(user)
        self.session_id = client.cookies[settings_session_cookie()].value
        parts = urlsplit(live_server_url)
        self.host, self.port = parts.hostname, parts.port

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None):
        body = urlencode(data or {}) if method == "POST" else None
        all_headers = {
            "Cookie": f"{settings_session_cookie()}={self.session_id}; csrftoken={self.CSRF_SECRET}",
            "X-CSRFToken": self.CSRF_SECRET,
            **({"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}),
            **(headers or {}),
        }
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            return LiveResponse(response.status, dict(response.getheaders()), response.read().decode())
        finally:
            connection.close()

    def get(self, path: str, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict, **headers):
        return self.request("POST", path, data=data, headers=headers)


@dataclass
class LiveResponse:
    status: int
    headers: dict
    text: str


def settings_session_cookie() -> str:
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME
