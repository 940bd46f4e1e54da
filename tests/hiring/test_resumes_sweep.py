"""Résumés a lost extraction message left "pending" are caught up by the sweeper, never left for ever."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hiring import resume_text, tasks
from hiring.models import Resume
from hiring.services import resume_upload, resumes, resumes_sweep_pending
from hiring.services.resumes import GAVE_UP_REASON
from tests.hiring.factories import CandidateFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


def pending_resume(*, age_seconds: int, text: bytes = b"Rust and Go") -> Resume:
    resume = Resume.objects.create(
        candidate=CandidateFactory(),
        file=SimpleUploadedFile("cv.txt", text),
        original_name="cv.txt",
        content_type=resume_text.TXT,
        size=len(text),
    )
    Resume.objects.filter(pk=resume.pk).update(created_at=timezone.now() - timedelta(seconds=age_seconds))
    return resume


def test_upload_while_the_broker_is_down_is_read_by_the_next_sweep(client, django_capture_on_commit_callbacks):
    recruiter = RecruiterFactory()
    candidate = CandidateFactory()
    # The upload's on-commit enqueue never reaches a worker (the message is lost).
    with django_capture_on_commit_callbacks(execute=False):
        resume = resume_upload(
            candidate=candidate, file=SimpleUploadedFile("cv.txt", b"Kubernetes wizard"), actor=recruiter
        )
    assert Resume.objects.get(pk=resume.pk).status == Resume.Status.PENDING

    assert resumes_sweep_pending() == ([], 0)  # too recent: the first message may still be on its way
    Resume.objects.filter(pk=resume.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    assert tasks.resumes_sweep() == 1  # the extraction is sent again and (eagerly) runs

    resume.refresh_from_db()
    assert (resume.status, resume.text) == (Resume.Status.DONE, "Kubernetes wizard")
    client.force_login(recruiter)
    assert "Kubernetes wizard" in client.get(reverse("hiring:candidate-detail", args=[candidate.pk])).content.decode()
    assert resumes_sweep_pending() == ([], 0)  # nothing left to do: running it again changes nothing


def test_a_resume_pending_past_the_give_up_time_is_marked_could_not_read_once(client):
    old = pending_resume(age_seconds=2 * 3600)
    fresh = pending_resume(age_seconds=10)

    stale, given_up = resumes_sweep_pending()

    assert (stale, given_up) == ([], 1)
    old.refresh_from_db()
    assert (old.status, old.status_reason) == (Resume.Status.FAILED, GAVE_UP_REASON)
    assert Resume.objects.get(pk=fresh.pk).status == Resume.Status.PENDING
    assert resumes_sweep_pending() == ([], 0)
    client.force_login(RecruiterFactory())
    page = client.get(reverse("hiring:candidate-detail", args=[old.candidate_id])).content.decode()
    assert "upload the file again" in page


@pytest.mark.parametrize("count", [1, 15])
def test_the_sweep_takes_two_queries_whatever_the_number(count, monkeypatch, django_assert_max_num_queries):
    sent = []
    monkeypatch.setattr(resumes, "enqueue", lambda name, *args: sent.append((name, *args)))
    waiting = [pending_resume(age_seconds=600).pk for _ in range(count)]
    pending_resume(age_seconds=2 * 3600)
    with django_assert_max_num_queries(2):
        stale, given_up = resumes_sweep_pending()
    assert (sorted(stale), given_up) == (sorted(waiting), 1)
    assert sorted(sent) == sorted(("hiring.tasks.extract_resume_text", pk) for pk in waiting)
