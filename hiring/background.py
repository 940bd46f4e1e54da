"""Handing work to Celery: by task name, after the transaction commits, never failing the request.

Services enqueue with ``enqueue_on_commit("app.tasks.name", *ids)``. Naming the task (rather
than importing it) keeps services free of imports of their own app's ``tasks`` module, so
``tasks -> services`` is the only direction. The broker is optional at request time: when it
cannot be reached the failure is logged and the request still succeeds; every task has a
periodic sweeper that finds the work a lost message left behind.

Under ``CELERY_TASK_ALWAYS_EAGER`` (the test suite) a task's own errors propagate, so tests
see them; only the hand-over to a broker is guarded.
"""

from __future__ import annotations

import logging
import time
from functools import partial
from typing import Any

from celery import Task, current_app
from django.db import transaction

logger = logging.getLogger(__name__)

# After a failed send, the process does not try the broker again for this long: a request that
# enqueues many tasks (a bulk action) fails over in one connection attempt, not one per task.
BROKER_RETRY_AFTER = 5.0
_broker_down_until = 0.0


def broker_outage_reset() -> None:
    """Forget a recent broker failure (tests that brought a broker down and back up)."""
    global _broker_down_until
    _broker_down_until = 0.0


def _task(task_name: str) -> Task:
    """The registered task of that name. A web process has not imported the apps' ``tasks.py``
    yet: run Celery's autodiscovery once (the worker does the same when it starts). Only the
    discovery: importing the default modules would also run Django's system checks here."""
    if task_name not in current_app.tasks:
        current_app.autodiscover_tasks(force=True)
    return current_app.tasks[task_name]


def enqueue(task_name: str, *args: Any, countdown: float | None = None, **kwargs: Any) -> bool:
    """Send ``task_name`` now (to run ``countdown`` seconds later, if given). True when the broker
    took it; False (logged) when it could not."""
    task = _task(task_name)
    options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
    if current_app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, **options)
        return True
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        logger.warning("Not enqueueing %s%r: the broker failed moments ago; a sweeper will retry it", task_name, args)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs, **options)
    except Exception:  # the broker is down or unreachable: the sweeper catches up later
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
        logger.exception("Could not enqueue %s%r; a sweeper will retry it", task_name, args)
        return False
    return True


def enqueue_on_commit(task_name: str, *args: Any, countdown: float | None = None, **kwargs: Any) -> None:
    """Send ``task_name`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, task_name, *args, countdown=countdown, **kwargs))
