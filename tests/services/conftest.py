"""Real Celery workers for the services tier, talking to the test database on PostgreSQL."""

import ast
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    """One ``celery worker`` process with its own log file; start, stop or kill it."""

    def __init__(self, env: dict[str, str], log_dir: Path, extra_args: tuple[str, ...] = (), name: str = "worker"):
        self.env = env
        self.log_dir = log_dir
        self.extra_args = list(extra_args)  # e.g. "--beat": the periodic sweepers run inside the worker
        self.name = name
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, concurrency: int = 1) -> "WorkerProcess":
        self.starts += 1
        log = open(self.log_dir / f"{self.name}-{self.starts}.log", "wb")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
                f"--hostname={self.hostname_prefix}@%h",
                *self.extra_args,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            assert self.process.poll() is None, self.log_text()
            replies = celery_app.control.ping(timeout=1.0) or []
            if any(f"{self.hostname_prefix}@" in name for reply in replies for name in reply):
                return
        raise AssertionError(f"The Celery worker did not answer within {timeout}s:\n{self.log_text()}")

    @property
    def hostname_prefix(self) -> str:
        return f"{self.name}-{os.getpid()}-{self.starts}"

    def outcome(self, result, timeout: float = 60):
        """What a task sent to this worker returned, read from the worker's log of finished tasks.

        Task results are not stored anywhere (``CELERY_TASK_IGNORE_RESULT``): the worker's own
        "succeeded" line for the task id is the record, across restarts (every log file; the
        other workers a test starts log into the same folder, so their tasks are found too).
        """
        succeeded = re.compile(rf"Task [\w.]+\[{re.escape(result.id)}\] succeeded in [\d.e-]+s: (.*)$", re.MULTILINE)
        failed = re.compile(rf"Task [\w.]+\[{re.escape(result.id)}\] (raised|retry|INTERNAL ERROR).*$", re.MULTILINE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            logs = "".join(path.read_text(errors="replace") for path in sorted(self.log_dir.glob("*.log")))
            if match := succeeded.search(logs):
                return ast.literal_eval(match.group(1))
            if match := failed.search(logs):
                raise AssertionError(f"Task {result.id} did not succeed: {match.group(0)}")
            time.sleep(0.1)
        raise AssertionError(f"Task {result.id} did not finish within {timeout}s:\n{self.log_text()}")

    def log_text(self) -> str:
        path = self.log_dir / f"{self.name}-{self.starts}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process and its pool children die at once."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def database_url_for_worker() -> str:
    """The test database (pytest-django's test_ name) as a URL the worker can read."""
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker: the test database, the real broker, the workers' settings."""
    return {
        **os.environ,
        # The test settings, and the fake mail server when a test starts one (worker_settings.py).
        "DJANGO_SETTINGS_MODULE": "tests.services.worker_settings",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **extra,
    }


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path, settings):
    """A real worker on the real broker; tasks are sent for real (no eager mode)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    worker = WorkerProcess(worker_env(), tmp_path)
    worker.start()
    yield worker
    worker.stop()
    celery_app.conf.task_always_eager = True
