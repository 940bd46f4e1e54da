"""The careers site on the real stack: rate limits in Redis, simultaneous submissions on PostgreSQL."""

import os
import threading
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from hiring.models import Application, Candidate
from hiring.services import careers as careers_services
from tests.hiring.careers_helpers import apply_data, resume_file
from tests.hiring.factories import published_posting


@pytest.fixture
def redis_cache(settings):
    """The Django cache on the real Redis, under a key prefix of this test's own (nothing is flushed)."""
    location = os.environ.get("REDIS_URL") or settings.CELERY_BROKER_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_cache")
def test_a_flood_against_redis_is_answered_429_after_the_limit(settings):
    settings.CAREERS_APPLY_LIMIT_PER_IP = 10
    posting = published_posting()
    client = Client()
    statuses = [
        client.post(
            reverse("careers:apply", args=[posting.slug]),
            apply_data(posting, email=f"bot{i}@example.test", phone=""),
            REMOTE_ADDR="203.0.113.50",
        ).status_code
        for i in range(1000)
    ]
    assert statuses[:10] == [302] * 10
    assert set(statuses[10:]) == {429}
    assert Application.objects.count() == 10


@pytest.mark.django_db(transaction=True)
def test_the_same_person_submitting_twice_at_once_gets_one_application():
    posting = published_posting()
    questions = list(posting.questions.all())
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            careers_services.careers_apply(
                posting=posting,
                questions=questions,
                applicant=careers_services.Applicant(first_name="Ada", last_name="Lovelace", email="ada@example.test"),
                answers={q.pk: "yes" for q in questions},
                resume=resume_file(),
                origin=careers_services.Origin(source="LinkedIn"),
                consent_version="2026-01",
            )
            outcomes.append("applied")
        except careers_services.AlreadyApplied:
            outcomes.append("already applied")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already applied", "applied"]
    assert Candidate.objects.filter(email="ada@example.test").count() == 1
    assert Application.objects.count() == 1
