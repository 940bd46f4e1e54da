"""Enqueueing by task name from a web process that never imported a ``tasks`` module."""

import json
import os
import socket
import subprocess
import sys

from tests.test_deploy import REALISTIC_ENV, ROOT

# Every task a service enqueues by name.
SERVICE_TASKS = [
    "interviews.tasks.summarize_application",
    "hiring.tasks.outbox_deliver",
    "hiring.tasks.extract_resume_text",
    "hiring.tasks.run_candidate_import",
]
PROBE = f"""
import json, sys, django
django.setup()
from hiring.background import enqueue
print(json.dumps([enqueue(name, 1) for name in {SERVICE_TASKS!r}]))
ours = ("hiring.tasks", "interviews.tasks", "roles.tasks")
print(json.dumps(sorted(m for m in sys.modules if m in ours)))
"""


def test_a_fresh_web_process_finds_every_task_it_enqueues_by_name():
    """Gunicorn loads settings, URLs and views, never the tasks modules; the broker must still get the task."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "SENTRY_"))}
    env.update(REALISTIC_ENV, CELERY_BROKER_URL="memory://")

    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    sent, imported = (json.loads(line) for line in result.stdout.splitlines()[-2:])
    assert sent == [True] * len(SERVICE_TASKS)
    assert "Could not enqueue" not in result.stderr
    assert imported == ["hiring.tasks", "interviews.tasks"]


HUNG_PROBE = """
import json, time, django
django.setup()
from hiring.background import enqueue
started = time.monotonic()
sent = enqueue("hiring.tasks.outbox_sweep")
print(json.dumps([sent, time.monotonic() - started]))
"""


def test_a_broker_that_accepts_but_never_answers_costs_a_request_seconds_not_forever():
    """A half-dead Redis (a firewall, a failover) takes the connection and never replies: the
    request gives up after the socket timeouts, logs it and goes on (the sweepers catch up)."""
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(16)  # the kernel accepts connections; nothing ever reads or answers them
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "SENTRY_"))}
        env.update(REALISTIC_ENV, CELERY_BROKER_URL=f"redis://127.0.0.1:{hung.getsockname()[1]}/0")
        result = subprocess.run(
            [sys.executable, "-c", HUNG_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        hung.close()

    assert result.returncode == 0, result.stderr
    sent, seconds = json.loads(result.stdout.splitlines()[-1])
    assert sent is False
    assert seconds < 15
    assert "Could not enqueue hiring.tasks.outbox_sweep" in result.stderr
