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

import importlib
import logging
from functools import partial
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args: Any, **kwargs: Any) -> bool:
    """Send ``task_name`` now. True when the broker took it; False (logged) when it could not."""
    if task_name not in current_app.tasks:  # its module not imported yet (Celery discovers tasks lazily)
        importlib.import_module(task_name.rsplit(".", 1)[0])
    task = current_app.tasks[task_name]
    if current_app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs)
        return True
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:  # the broker is down or unreachable: the sweeper catches up later
        logger.exception("Could not enqueue %s%r; a sweeper will retry it", task_name, args)
        return False
    return True


def enqueue_on_commit(task_name: str, *args: Any, **kwargs: Any) -> None:
    """Send ``task_name`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, task_name, *args, **kwargs))
