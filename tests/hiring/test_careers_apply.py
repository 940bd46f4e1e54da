"""Applying through the careers site: the application lands on the board with its source and answers."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from hiring.models import (
    Application,
    ApplicationAnswer,
    ApplicationSubmission,
    Candidate,
    Resume,
    SelfIdentification,
    StageChange,
)
from hiring.selectors.careers import application_from_status_token
from tests.hiring.careers_helpers import apply_data
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    HiringTeamMemberFactory,
    RecruiterFactory,
    published_posting,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def posting():
    return published_posting()


@pytest.fixture
def recruiter(posting):
    user = RecruiterFactory(email="rosa@example.test")
    HiringTeamMemberFactory(job=posting.job, user=user, role="recruiter")
    return user


def apply_url(posting, query: str = "") -> str:
    return reverse("careers:apply", args=[posting.slug]) + query


def test_application_lands_in_the_first_stage_with_source_answers_and_consent(client, posting, recruiter, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-03"
    data = apply_data(posting, source="LinkedIn", utm_campaign="spring")
    response = client.post(apply_url(posting), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("careers:applied", args=[posting.slug])

    application = Application.objects.select_related("candidate", "stage").get()
    assert application.stage == posting.job.stages.order_by("order").first()
    assert application.status == Application.Status.ACTIVE
    assert application.candidate.email == "grace@example.test"
    assert application.candidate.source == "LinkedIn"
    submission = ApplicationSubmission.objects.get(application=application)
    assert submission.source == "LinkedIn"
    assert submission.utm == {"utm_campaign": "spring"}
    assert submission.consent_version == "2026-03"
    assert submission.consent_at is not None
    assert not submission.must_have_missed
    assert [a.answer for a in submission.answers.all()] == ["yes", "yes"]
    assert StageChange.objects.get(application=application).reason == "Applied on the careers site (LinkedIn)"
    resume = Resume.objects.get(candidate=application.candidate)
    assert resume.content_type == "application/pdf"
    assert resume.file.name.startswith("resumes/applications/")


def test_confirmation_email_has_a_status_link_and_the_recruiter_is_notified(
    client, posting, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url(posting), apply_data(posting))
    application = Application.objects.get()
    to_candidate = [m for m in mail.outbox if m.to == ["grace@example.test"]]
    to_recruiter = [m for m in mail.outbox if m.to == ["rosa@example.test"]]
    assert len(to_candidate) == 1
    assert len(to_recruiter) == 1
    token = re.search(r"/careers/status/([^/\s]+)/", to_candidate[0].body).group(1)
    assert application_from_status_token(token) == application
    assert "Grace Hopper" in to_recruiter[0].subject
    assert reverse("hiring:application-detail", args=[application.pk]) in to_recruiter[0].body


def test_the_emails_are_queued_in_the_outbox_once_and_delivered_once(
    client, posting, recruiter, django_capture_on_commit_callbacks
):
    from hiring.models import OutboxMessage
    from hiring.services.careers import _application_emails, careers_emails_queue
    from hiring.tasks import outbox_sweep

    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url(posting), apply_data(posting))
    application = Application.objects.select_related("candidate", "job", "submission").get()
    queued = dict(OutboxMessage.objects.values_list("purpose", "recipient"))
    assert queued == {"careers-confirmation": "grace@example.test", "careers-new-application": "rosa@example.test"}
    assert len(mail.outbox) == 2

    # Queuing the same emails again (a retried request, a second worker) adds nothing, sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        careers_emails_queue(
            emails=_application_emails(
                application=application,
                candidate=application.candidate,
                job=application.job,
                submission=application.submission,
                stage_name="Applied",
            )
        )
    outbox_sweep()
    assert OutboxMessage.objects.count() == 2
    assert len(mail.outbox) == 2


def test_emails_are_sent_after_commit_not_inside_the_transaction(
    client, posting, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(apply_url(posting), apply_data(posting))
    assert mail.outbox == []
    assert len(callbacks) == 2  # the outbox's delivery, then résumé text extraction
    with django_capture_on_commit_callbacks(execute=True):  # whatever they hand on runs too
        for callback in callbacks:
            callback()
    assert len(mail.outbox) == 2


def test_source_comes_from_utm_then_referrer(client, posting):
    client.post(apply_url(posting), apply_data(posting, utm_source="newsletter", utm_medium="email"))
    client.post(apply_url(posting), apply_data(posting, email="b@example.test", phone="", referrer="www.linkedin.com"))
    client.post(apply_url(posting), apply_data(posting, email="c@example.test", phone=""))
    sources = dict(ApplicationSubmission.objects.values_list("application__candidate__email", "source"))
    assert sources == {
        "grace@example.test": "newsletter",
        "b@example.test": "LinkedIn",
        "c@example.test": "Careers page",
    }


def test_the_apply_link_carries_the_source_from_the_posting_page(client, posting):
    page = client.get(reverse("careers:posting", args=[posting.slug]), {"source": "Meetup"})
    assert f"{apply_url(posting)}?source=Meetup".encode() in page.content
    form = client.get(apply_url(posting), {"source": "Meetup"})
    assert b'name="source" value="Meetup"' in form.content
    external = client.get(apply_url(posting), headers={"referer": "https://www.linkedin.com/jobs/1"})
    assert b'name="referrer" value="www.linkedin.com"' in external.content


def test_missing_a_must_have_tags_the_application_and_never_rejects_it(client, posting):
    response = client.post(apply_url(posting), apply_data(posting, answers="no"))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == Application.Status.ACTIVE
    submission = application.submission
    assert submission.must_have_missed
    assert ApplicationAnswer.objects.filter(submission=submission, missed_must_have=True).count() == 2


def test_existing_candidate_by_email_gets_a_new_application_flagged_for_review(client, posting):
    existing = CandidateFactory(email="Grace@Example.test", first_name="Grace", source="Referral")
    ApplicationFactory(candidate=existing)  # another job
    response = client.post(apply_url(posting), apply_data(posting))
    assert response.status_code == 302
    assert Candidate.objects.count() == 1
    application = Application.objects.get(job=posting.job)
    assert application.candidate == existing
    assert application.submission.duplicate_match == "email"
    existing.refresh_from_db()
    assert existing.source == "Referral"  # what the recruiter knew stays
    assert existing.consent_at is not None


def test_existing_candidate_by_phone_gets_a_new_application_flagged_for_review(client, posting):
    existing = CandidateFactory(email="other@example.test", phone="+1 (555) 010-2000")
    client.post(apply_url(posting), apply_data(posting))
    application = Application.objects.get(job=posting.job)
    assert application.candidate == existing
    assert application.submission.duplicate_match == "phone"


def test_applying_twice_gives_a_friendly_message_and_no_duplicate(client, posting):
    assert client.post(apply_url(posting), apply_data(posting)).status_code == 302
    again = client.post(apply_url(posting), apply_data(posting, email="GRACE@example.test"))
    assert again.status_code == 409
    assert b"You have already applied" in again.content
    assert Application.objects.count() == 1
    assert ApplicationSubmission.objects.count() == 1
    assert Resume.objects.count() == 1


def test_self_identification_is_stored_apart_and_only_when_answered(client, posting):
    client.post(apply_url(posting), apply_data(posting, selfid_gender="female", selfid_veteran="declined"))
    application = Application.objects.get()
    record = SelfIdentification.objects.get(application=application)
    assert record.answers == {"gender": "female", "veteran": "declined"}
    assert record.posting == posting
    client.post(apply_url(posting), apply_data(posting, email="nobody@example.test", phone=""))
    assert SelfIdentification.objects.count() == 1


def test_a_closed_or_draft_posting_takes_no_applications(client, posting):
    from hiring.services.careers import posting_unpublish

    posting_unpublish(posting=posting)
    assert client.get(apply_url(posting)).status_code == 404
    assert client.post(apply_url(posting), apply_data(posting)).status_code == 404
    assert not Application.objects.exists()


def test_apply_post_stays_within_seventeen_queries(client, posting, recruiter, django_assert_max_num_queries):
    client.post(apply_url(posting), apply_data(posting, email="warm@example.test", phone=""))  # warm caches
    data = apply_data(posting)
    # The request alone: its résumé-text and email-delivery tasks run after the commit, in a worker.
    # 15, plus the audit entries of the new candidate and application.
    with django_assert_max_num_queries(17):
        response = client.post(apply_url(posting), data)
    assert response.status_code == 302
