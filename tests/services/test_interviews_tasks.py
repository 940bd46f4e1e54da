"""Invitation and reminder tasks through Redis and a real worker: run twice, sent once."""

from datetime import timedelta

from django.utils import timezone

from interviews.models import InterviewInvitation, Scorecard
from interviews.tasks import interview_invitations_send, scorecard_reminders_send
from tests.hiring.factories import InterviewerFactory
from tests.interviews.factories import InterviewFactory, ScorecardFactory


def test_invitations_sent_twice_at_once_reach_each_interviewer_once(celery_worker_process):
    celery_worker_process.stop()
    celery_worker_process.start(concurrency=2)  # two processes, so both runs can overlap
    people = InterviewerFactory.create_batch(3)
    interview = InterviewFactory(interviewers=people)

    first, second = interview_invitations_send.delay(interview.pk), interview_invitations_send.delay(interview.pk)

    # Each task answers how many invitations it sent; together exactly one per interviewer.
    assert celery_worker_process.outcome(first) + celery_worker_process.outcome(second) == 3
    assert celery_worker_process.outcome(interview_invitations_send.delay(interview.pk)) == 0
    assert InterviewInvitation.objects.filter(interview=interview).count() == 3


def test_reminders_run_twice_at_once_send_once(celery_worker_process):
    celery_worker_process.stop()
    celery_worker_process.start(concurrency=2)
    end = timezone.now() - timedelta(hours=5)
    cards = [
        ScorecardFactory(interview=InterviewFactory(starts_at=end - timedelta(hours=1), ends_at=end)) for _ in range(4)
    ]

    first, second = scorecard_reminders_send.delay(), scorecard_reminders_send.delay()

    assert celery_worker_process.outcome(first) + celery_worker_process.outcome(second) == 4
    assert celery_worker_process.outcome(scorecard_reminders_send.delay()) == 0
    assert list(Scorecard.objects.filter(pk__in=[c.pk for c in cards]).values_list("reminders_sent", flat=True)) == [
        1,
        1,
        1,
        1,
    ]
