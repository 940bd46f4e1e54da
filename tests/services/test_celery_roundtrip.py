from tests.hiring.factories import UserFactory
from tests.services.worker_tasks import team_size


def test_task_round_trip_through_redis_and_a_real_worker(celery_worker_process):
    UserFactory.create_batch(3)

    result = team_size.delay()

    # The worker read the same test database through the real broker and stored its answer.
    assert result.get(timeout=60) == 3
