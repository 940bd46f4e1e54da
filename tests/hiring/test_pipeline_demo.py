"""The demo step of the pipeline: jobs, candidates spread over stages, history; idempotent."""

import io
import random

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from hiring import demo
from hiring.demo.bulk import fresh_tables, insert_rows
from hiring.models import Application, Candidate, Job, Note, StageChange, Tag
from hiring.selectors import candidate_list
from tests.hiring.factories import RecruiterFactory

pytestmark = pytest.mark.django_db


def run_seed(candidates: int) -> str:
    out = io.StringIO()
    demo.pipeline.seed(rng=random.Random(3), candidates=candidates, users=demo.seed_users(), stdout=out)
    return out.getvalue()


def test_seed_creates_jobs_candidates_and_history_and_is_idempotent():
    run_seed(400)
    counts = (Job.objects.count(), Candidate.objects.count(), Application.objects.count(), StageChange.objects.count())

    second = run_seed(400)

    assert counts[:2] == (3, 400)
    assert (Job.objects.count(), Candidate.objects.count(), Application.objects.count()) == counts[:3]
    assert StageChange.objects.count() == counts[3]
    assert "nothing to do" in second
    big = Job.objects.get(title=demo.BIG_JOB)
    assert big.stages.count() == 6
    assert {m.user.email for m in big.team.select_related("user")} >= {"recruiter@demo.test", "manager@demo.test"}
    assert Application.objects.filter(job=big, status="active").values("stage").distinct().count() >= 4
    assert Application.objects.filter(status="rejected", rejection_reason__isnull=True).count() == 0
    assert Note.objects.exists()


def test_the_big_job_gets_a_tenth_of_the_candidates_as_active_applications():
    run_seed(3000)

    big = Job.objects.get(title=demo.BIG_JOB)
    assert Application.objects.filter(job=big, status="active").count() == 300


def test_history_leads_to_each_application_stage():
    run_seed(200)

    for application in Application.objects.filter(status="active").prefetch_related("stage_changes")[:50]:
        changes = sorted(application.stage_changes.all(), key=lambda c: (c.created_at, c.id))
        if changes:
            assert changes[-1].to_stage_id == application.stage_id
        else:
            assert application.stage.order == 0


def test_seed_demo_command_runs_the_step():
    out = io.StringIO()

    call_command("seed_demo", candidates=50, stdout=out)

    assert "hiring.demo.seed" in out.getvalue()
    assert Candidate.objects.count() == 50


def snapshot() -> dict:
    """The seeded data without its ids and clock times (a second run has other ones)."""
    return {
        "candidates": list(
            Candidate.objects.order_by("id").values_list(
                "first_name", "last_name", "email", "location", "source", "links"
            )
        ),
        "applications": list(
            Application.objects.order_by("id").values_list(
                "candidate__email", "job__title", "stage__order", "status", "rejection_reason__name", "version"
            )
        ),
        "changes": list(
            StageChange.objects.order_by("id").values_list(
                "application__candidate__email", "from_stage__order", "to_stage__order", "to_status", "reason"
            )
        ),
        "tags": sorted(Candidate.tags.through.objects.values_list("candidate__email", "tag__name")),
        "notes": list(Note.objects.order_by("id").values_list("candidate__email", "body")),
    }


def test_the_same_seed_gives_the_same_data():
    run_seed(300)
    first = snapshot()
    Application.objects.all().delete()
    Candidate.objects.all().delete()
    Job.objects.all().delete()

    run_seed(300)

    assert snapshot() == first
    assert len(first["applications"]) == 150
    assert all(first[kind] for kind in ("changes", "tags", "notes"))


def test_bulk_rows_get_defaults_generated_columns_and_are_searchable():
    """``insert_rows`` (COPY on PostgreSQL, bulk_create elsewhere): keys in the order of the rows,
    defaults for the columns left out, and what the database computes (phone digits, search)."""
    ids = insert_rows(
        Candidate,
        ("first_name", "last_name", "email", "phone", "links"),
        [
            ("Zelda", "Quarrington", "zelda.q@example.net", "+31 (20) 555-0101", ["https://example.net/zq"]),
            ("Otto", "Brightwater", "otto@example.net", "", []),
        ],
    )

    first, second = (Candidate.objects.get(pk=pk) for pk in ids)
    assert (first.email, second.email) == ("zelda.q@example.net", "otto@example.net")
    assert (first.links, second.links) == (["https://example.net/zq"], [])
    assert first.phone_digits == "31205550101"
    assert (first.version, first.resume_text, first.merged_into_id) == (1, "", None)
    assert None not in (first.created_at, first.updated_at)
    found = candidate_list(user=RecruiterFactory(), q="Quarrington").page.object_list
    assert [candidate.pk for candidate in found] == [first.pk]

    tag = Tag.objects.create(name="rust")
    assert insert_rows(Candidate.tags.through, ("candidate_id", "tag_id"), [(second.pk, tag.pk)], pks=False) == []
    assert list(second.tags.values_list("name", flat=True)) == ["rust"]
    assert Candidate.objects.create(first_name="Later").pk > max(ids)  # the table's sequence moved on


LOADED = (Candidate, Application, StageChange, Candidate.tags.through, Note)


def indexes_and_keys() -> dict:
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: connection.introspection.get_constraints(cursor, model._meta.db_table)
            for model in LOADED
        }


def test_the_load_puts_back_every_index_and_foreign_key():
    """On PostgreSQL the seed drops the indexes and foreign keys of the empty tables it fills and
    builds them again (``bulk.fresh_tables``); elsewhere it leaves them alone."""
    before = indexes_and_keys()
    assert Candidate.objects.count() == 0

    run_seed(50)

    assert indexes_and_keys() == before


def test_a_failed_load_leaves_the_indexes_and_foreign_keys_in_place():
    before = indexes_and_keys()

    with pytest.raises(RuntimeError), transaction.atomic(), fresh_tables(*LOADED):
        raise RuntimeError("the load failed")

    assert indexes_and_keys() == before
