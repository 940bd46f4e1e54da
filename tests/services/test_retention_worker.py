"""The retention job through Redis and a real worker on PostgreSQL: run twice at once, each due
person is anonymised once (and audited once)."""

from datetime import timedelta

from auditlog.models import LogEntry
from django.utils import timezone

from hiring.models import Application, Candidate
from hiring.tasks import retention_run
from tests.hiring.factories import ApplicationFactory, CandidateFactory


def test_the_retention_job_run_twice_at_once_anonymises_each_person_once(celery_worker_process):
    celery_worker_process.stop()
    celery_worker_process.start(concurrency=2)  # two processes, so both runs overlap
    long_ago = timezone.now() - timedelta(days=800)
    gone = [CandidateFactory(first_name=f"Gone{i}") for i in range(3)]
    for candidate in gone:
        ApplicationFactory(candidate=candidate, status=Application.Status.REJECTED)
    still_here = CandidateFactory(first_name="Recent")
    Candidate.objects.filter(pk__in=[c.pk for c in gone]).update(updated_at=long_ago)
    Application.objects.filter(candidate__in=gone).update(updated_at=long_ago)

    first, second = retention_run.delay(), retention_run.delay()

    assert celery_worker_process.outcome(first) + celery_worker_process.outcome(second) == 3
    assert celery_worker_process.outcome(retention_run.delay()) == 0
    assert set(Candidate.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)) == {
        c.pk for c in gone
    }
    assert not Candidate.objects.filter(first_name__startswith="Gone").exists()
    assert Candidate.objects.get(pk=still_here.pk).first_name == "Recent"
    erased = LogEntry.objects.filter(changes__icontains="erased (retention policy)")
    for candidate in gone:
        assert erased.filter(object_pk=str(candidate.pk)).count() == 1
