import time

from interviews.models import InterviewInvitation
from interviews.tasks import interview_invitations_send
from tests.hiring.factories import InterviewerFactory
from tests.interviews.factories import InterviewFactory


def test_task_round_trip_through_redis_and_a_real_worker(celery_worker_process):
    people = InterviewerFactory.create_batch(3)
    interview = InterviewFactory(interviewers=people)

    interview_invitations_send.delay(interview.pk)

    # No result backend: the worker's writes to the same test database are the proof it ran.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and InterviewInvitation.objects.filter(interview=interview).count() < 3:
        time.sleep(0.2)
    invited = set(InterviewInvitation.objects.filter(interview=interview).values_list("interviewer_id", flat=True))
    assert invited == {person.pk for person in people}, celery_worker_process.log_text()
