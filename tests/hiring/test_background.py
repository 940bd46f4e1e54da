"""Enqueueing by task name from a process that has not imported the tasks module yet."""

import sys

import pytest
from celery import current_app

from hiring.background import enqueue


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::celery.exceptions.DuplicateTaskNameWarning")  # the module is imported afresh
def test_enqueue_by_name_imports_the_tasks_module_when_this_process_has_not(monkeypatch):
    import hiring.tasks  # noqa: F401  (so that the monkeypatch can take it away and restore it)

    name = "hiring.tasks.team_size"
    monkeypatch.delitem(current_app.tasks, name)
    monkeypatch.delitem(sys.modules, "hiring.tasks")
    assert name not in current_app.tasks  # what a fresh web process sees: autodiscovery is lazy

    assert enqueue(name) is True
    assert name in current_app.tasks
