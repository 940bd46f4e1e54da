"""Moving, rejecting and tagging applications: the services behind the board."""

import itertools
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from hiring import services
from hiring.models import Application, OutboxMessage, StageChange
from hiring.tasks import outbox_deliver
from tests.hiring.factories import (
    ApplicationFactory,
    EmailTemplateFactory,
    RecruiterFactory,
    RejectionReasonFactory,
    job_with_stages,
)

pytestmark = pytest.mark.django_db


def test_move_records_history_and_raises_version(job, stages):
    recruiter = RecruiterFactory()
    application = ApplicationFactory(job=job, stage=stages["Applied"])
    before = application.stage_entered_at

    moved = services.application_move(
        application=application, to_stage=stages["Panel"], actor=recruiter, expected_version=1, reason="Strong screen"
    )

    moved.refresh_from_db()
    assert moved.stage == stages["Panel"]
    assert moved.version == 2
    assert moved.stage_entered_at > before
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage, change.actor, change.reason) == (
        stages["Applied"],
        stages["Panel"],
        recruiter,
        "Strong screen",
    )


def test_stale_version_is_refused_with_who_moved_it_where(job, stages):
    rosa = RecruiterFactory(first_name="Rosa", last_name="Recruiter")
    other = RecruiterFactory()
    application = ApplicationFactory(job=job, stage=stages["Applied"])
    services.application_move(application=application, to_stage=stages["Offer"], actor=rosa, expected_version=1)

    with pytest.raises(services.MoveConflict) as conflict:
        services.application_move(application=application, to_stage=stages["Panel"], actor=other, expected_version=1)

    assert (
        conflict.value.message
        == f"{application.candidate.full_name} was moved by Rosa Recruiter to Offer a moment ago."
    )
    application.refresh_from_db()
    assert application.stage == stages["Offer"]
    assert StageChange.objects.filter(application=application).count() == 1


def test_moving_to_a_stage_of_another_job_is_refused(job, stages):
    application = ApplicationFactory(job=job, stage=stages["Applied"])
    other_stage = job_with_stages().stages.last()

    with pytest.raises(ValidationError):
        services.application_move(application=application, to_stage=other_stage, actor=None)

    application.refresh_from_db()
    assert application.stage == stages["Applied"]
    assert not StageChange.objects.exists()


def test_moving_to_the_same_stage_changes_nothing(job, stages):
    application = ApplicationFactory(job=job, stage=stages["Applied"])

    services.application_move(application=application, to_stage=stages["Applied"], actor=None)

    application.refresh_from_db()
    assert application.version == 1
    assert not StageChange.objects.exists()


def test_reject_with_email_sends_once_after_commit(job, stages, django_capture_on_commit_callbacks):
    application = ApplicationFactory(
        job=job, stage=stages["Panel"], candidate__first_name="Ana", candidate__last_name="Lee"
    )
    reason = RejectionReasonFactory(name="Not enough depth in ML systems")
    template = EmailTemplateFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.application_reject(application=application, reason=reason, actor=None, email_template=template)
    assert len(mail.outbox) == 0  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    message = OutboxMessage.objects.get(reference=f"application:{application.pk}")
    assert outbox_deliver(message.pk) is False  # a duplicate message or a retry sends nothing

    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.rejection_reason == reason
    assert application.rejection_email_sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [application.candidate.email]
    assert mail.outbox[0].subject == "Your application for Staff Machine Learning Architect"
    assert "Dear Ana Lee" in mail.outbox[0].body
    change = application.stage_changes.get()
    assert (change.from_status, change.to_status, change.reason) == ("active", "rejected", reason.name)


def test_reject_without_email_enqueues_nothing(job, stages, django_capture_on_commit_callbacks):
    application = ApplicationFactory(job=job, stage=stages["Applied"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.application_reject(application=application, reason=RejectionReasonFactory(), actor=None)

    assert callbacks == []
    assert mail.outbox == []


def test_rejecting_twice_is_refused(job, stages):
    application = ApplicationFactory(job=job, stage=stages["Applied"])
    reason = RejectionReasonFactory()
    services.application_reject(application=application, reason=reason, actor=None)

    with pytest.raises(ValidationError):
        services.application_reject(application=application, reason=reason, actor=None)
    assert application.stage_changes.count() == 1


def test_inactive_reason_is_refused(job, stages):
    application = ApplicationFactory(job=job, stage=stages["Applied"])

    with pytest.raises(ValidationError):
        services.application_reject(application=application, reason=RejectionReasonFactory(active=False), actor=None)
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE


def test_tag_goes_on_the_candidate_once(job, stages):
    application = ApplicationFactory(job=job, stage=stages["Applied"])

    services.application_tag(application=application, tag="  strong   python ")
    services.application_tag(application=application, tag="Strong Python")

    assert list(application.candidate.tags.values_list("name", flat=True)) == ["strong python"]


def test_bulk_move_is_all_or_nothing(job, stages):
    applications = [ApplicationFactory(job=job, stage=stages["Applied"]) for _ in range(3)]
    stranger = ApplicationFactory(job=job_with_stages(), candidate=applications[0].candidate)

    with pytest.raises(ValidationError):
        services.applications_bulk_move(applications=[*applications, stranger], to_stage=stages["Panel"], actor=None)

    assert set(Application.objects.filter(job=job).values_list("stage__name", flat=True)) == {"Applied"}
    assert not StageChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_recruiters_moving_the_same_card_at_once_one_wins():
    """Both load version 1 and move at the same moment; the row lock lets exactly one through."""
    job = job_with_stages()
    stages = {stage.name: stage for stage in job.stages.all()}
    application = ApplicationFactory(job=job, stage=stages["Applied"])
    recruiters = [RecruiterFactory(), RecruiterFactory()]
    results: list[str] = []
    barrier = threading.Barrier(2)

    def move(actor, stage):
        from django.db import connections

        try:
            barrier.wait(timeout=5)
            services.application_move(application=application, to_stage=stage, actor=actor, expected_version=1)
            results.append("moved")
        except services.MoveConflict:
            results.append("conflict")
        except Exception as error:
            results.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=move, args=(recruiters[0], stages["Panel"])),
        threading.Thread(target=move, args=(recruiters[1], stages["Offer"])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    application.refresh_from_db()
    assert results.count("moved") == 1, results
    assert len(results) == 2
    assert application.version == 2
    assert StageChange.objects.filter(application=application).count() == 1
    assert application.stage == StageChange.objects.get(application=application).to_stage


def test_history_stays_one_chain_through_moves_and_a_lost_race(job, stages):
    application = ApplicationFactory(job=job, stage=stages["Applied"])
    route = ["Recruiter screen", "Technical interview", "Recruiter screen", "Panel", "Offer"]
    for name in route:
        application = services.application_move(
            application=application, to_stage=stages[name], actor=None, expected_version=application.version
        )
    with pytest.raises(services.MoveConflict):
        services.application_move(application=application, to_stage=stages["Hired"], actor=None, expected_version=2)

    changes = list(application.stage_changes.order_by("created_at", "id"))
    assert [c.to_stage.name for c in changes] == route
    assert changes[0].from_stage == stages["Applied"]
    assert all(a.to_stage_id == b.from_stage_id for a, b in itertools.pairwise(changes))
    application.refresh_from_db()
    assert application.version == 1 + len(route)


def test_a_rejection_rolled_back_queues_no_email(job, stages, monkeypatch):
    application = ApplicationFactory(job=job, stage=stages["Applied"])

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away after the email was queued")

    monkeypatch.setattr(Application, "save", fail)
    with pytest.raises(RuntimeError):
        services.application_reject(
            application=application, reason=RejectionReasonFactory(), actor=None, email_template=EmailTemplateFactory()
        )

    assert not OutboxMessage.objects.exists()  # the email exists if and only if the rejection committed
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE


def test_rejecting_without_an_email_address_queues_nothing(job, stages, django_capture_on_commit_callbacks):
    application = ApplicationFactory(job=job, stage=stages["Applied"], candidate__email="")

    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(
            application=application, reason=RejectionReasonFactory(), actor=None, email_template=EmailTemplateFactory()
        )

    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_email_placeholders_are_filled_as_plain_text():
    values = {"candidate_name": "Zoë O'Brien & <Co>", "job_title": "Staff ML Architect"}

    text = services.pipeline.fill_placeholders(
        "Dear {{candidate_name}}, about {{ job_title }}: {% load x %} {{ unknown }}", values
    )

    assert text == "Dear Zoë O'Brien & <Co>, about Staff ML Architect: {% load x %} {{ unknown }}"
