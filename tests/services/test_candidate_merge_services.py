"""Merging two candidates on PostgreSQL while someone edits one of them on another connection.

The merge and the edit both lock the candidate rows and check the version the user loaded.
Whichever commits first wins; the other waits on the row lock, then finds a new version and
refuses (``CandidateConflict``) without writing anything.
"""

import threading
import time

import pytest
from django.db import connections, transaction

from hiring import services
from hiring.models import Application, Candidate, Note
from tests.hiring.factories import ApplicationFactory, CandidateFactory, job_with_stages


@pytest.fixture
def pair(transactional_db):
    keep = CandidateFactory(first_name="Keep", email="keep@example.org")
    gone = CandidateFactory(first_name="Gone", email="gone@example.org")
    ApplicationFactory(candidate=keep, job=job_with_stages(title="One"))
    moved = ApplicationFactory(candidate=gone, job=job_with_stages(title="Two"))
    return keep, gone, moved


def _in_thread(target, outcomes: dict, name: str) -> threading.Thread:
    def run():
        try:
            outcomes[name] = target()
        except Exception as error:
            outcomes[name] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("edited", ["survivor", "duplicate"])
def test_an_edit_holding_the_lock_makes_the_merge_wait_and_refuse(pair, edited):
    keep, gone, moved = pair
    record = keep if edited == "survivor" else gone
    edit_done, release = threading.Event(), threading.Event()
    outcomes: dict = {}

    def edit():
        with transaction.atomic():
            services.candidate_edit(candidate=record, expected_version=1, source="Edited meanwhile")
            edit_done.set()
            assert release.wait(timeout=20)
        return "edited"

    editor = _in_thread(edit, outcomes, "edit")
    assert edit_done.wait(timeout=20)
    merger = _in_thread(
        lambda: services.candidate_merge(survivor=keep, other=gone, survivor_version=1, other_version=1),
        outcomes,
        "merge",
    )
    time.sleep(0.5)
    assert merger.is_alive(), outcomes  # waiting on the edited row's lock
    release.set()
    editor.join(timeout=20)
    merger.join(timeout=20)

    assert outcomes["edit"] == "edited"
    assert isinstance(outcomes["merge"], services.CandidateConflict), outcomes
    assert Candidate.objects.get(pk=record.pk).source == "Edited meanwhile"
    assert Candidate.objects.get(pk=gone.pk).merged_into_id is None
    assert Application.objects.get(pk=moved.pk).candidate_id == gone.pk
    assert not Note.objects.filter(body__startswith="Merged").exists()


@pytest.mark.parametrize("edited", ["survivor", "duplicate"])
def test_a_merge_holding_the_locks_makes_the_edit_wait_and_refuse(pair, edited):
    keep, gone, moved = pair
    record = keep if edited == "survivor" else gone
    merged, release = threading.Event(), threading.Event()
    outcomes: dict = {}

    def merge():
        with transaction.atomic():
            services.candidate_merge(survivor=keep, other=gone, survivor_version=1, other_version=1)
            merged.set()
            assert release.wait(timeout=20)
        return "merged"

    merger = _in_thread(merge, outcomes, "merge")
    assert merged.wait(timeout=20)
    editor = _in_thread(
        lambda: services.candidate_edit(candidate=record, expected_version=1, source="Too late"), outcomes, "edit"
    )
    time.sleep(0.5)
    assert editor.is_alive(), outcomes  # waiting on the merge's row lock
    release.set()
    merger.join(timeout=20)
    editor.join(timeout=20)

    assert outcomes["merge"] == "merged"
    assert isinstance(outcomes["edit"], services.CandidateConflict), outcomes
    assert Candidate.objects.get(pk=gone.pk).merged_into_id == keep.pk
    assert Application.objects.get(pk=moved.pk).candidate_id == keep.pk
    assert not Candidate.objects.filter(source="Too late").exists()
