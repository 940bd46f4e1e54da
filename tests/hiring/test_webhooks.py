"""Outgoing webhooks: written with the change (or not at all), signed per Standard Webhooks,
retried with backoff, logged, re-deliverable, and endpoints that keep failing are turned off."""

import contextlib
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from hiring.models import OutboxMessage, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from hiring.services import application_create, application_move, applications_bulk_move, webhooks
from tests.hiring.factories import CandidateFactory
from tests.webhook_receiver import Receiver, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose on-commit work (the delivery tasks, eager in tests) runs when it ends, as after a commit."""

    @contextlib.contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            yield

    return block


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


def endpoint_for(receiver, events=("application.created", "application.moved")) -> WebhookEndpoint:
    endpoint = webhooks.webhook_endpoint_save(endpoint=WebhookEndpoint(url=receiver.url, events=list(events)))
    receiver.secret = endpoint.secret
    return endpoint


def test_signature_follows_standard_webhooks():
    """The example of the Standard Webhooks specification."""
    signature = webhooks.webhook_signature(
        secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        msg_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp=1614265330,
        body='{"test": 2432232314}',
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_nothing_is_written_when_nobody_listens(users, job, django_assert_num_queries):
    webhooks.webhook_emit(event_type="application.moved", data={})  # reads the (empty) endpoint list once
    with django_assert_num_queries(0):  # then it is cached: a change costs no query while nobody listens
        assert webhooks.webhook_emit(event_type="application.moved", data={}) == []
    with pytest.raises(ValueError, match="Unknown webhook event"):
        webhooks.webhook_emit(event_type="application.exploded", data={})


def test_a_rolled_back_change_sends_nothing(users, job, stages, receiver, django_capture_on_commit_callbacks):
    endpoint_for(receiver)

    def change_that_fails():
        with transaction.atomic():
            application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"])
            raise RuntimeError("the change fails after the event was written")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_that_fails()
    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []


def test_committed_changes_are_delivered_signed(users, job, stages, receiver, django_capture_on_commit_callbacks):
    endpoint = endpoint_for(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        application = application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"])
    with django_capture_on_commit_callbacks(execute=True):
        application_move(application=application, to_stage=stages["Recruiter screen"], actor=users["recruiter"])

    assert [entry["body"]["type"] for entry in receiver.received] == ["application.created", "application.moved"]
    assert receiver.rejected == []
    moved = receiver.received[1]["body"]["data"]
    assert moved["application_id"] == application.pk
    assert moved["stage_id"] == stages["Recruiter screen"].pk
    assert moved["from_stage_id"] == stages["Applied"].pk
    assert WebhookDelivery.objects.filter(endpoint=endpoint, status="delivered").count() == 2
    attempt = WebhookAttempt.objects.order_by("id").first()
    assert attempt.status_code == 204
    assert attempt.duration_ms >= 0


def test_bulk_moves_write_one_event_per_application(users, job, stages, receiver):
    endpoint_for(receiver, events=["application.moved"])
    apps = [application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"]) for _ in range(3)]
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        moved = applications_bulk_move(applications=apps, to_stage=stages["Panel"], actor=users["recruiter"])
    assert moved == 3
    assert sorted(WebhookDelivery.objects.values_list("event_type", flat=True)) == ["application.moved"] * 3
    assert len({row.event_id for row in WebhookDelivery.objects.all()}) == 3


def test_a_receiver_verifies_with_the_endpoint_secret(receiver):
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(int(timezone.now().timestamp()))}
    secret = webhooks.webhook_secret_new()
    headers["webhook-signature"] = webhooks.webhook_signature(
        secret=secret, msg_id="msg_1", timestamp=int(headers["webhook-timestamp"]), body='{"a":1}'
    )
    assert verify(secret=secret, headers=headers, body=b'{"a":1}')
    assert not verify(secret=secret, headers=headers, body=b'{"a":2}')
    assert not verify(secret=webhooks.webhook_secret_new(), headers=headers, body=b'{"a":1}')


def test_failures_back_off_then_the_endpoint_is_turned_off_and_admins_told(users, job, receiver, committed):
    endpoint = endpoint_for(receiver)
    receiver.answer = 500
    with committed():
        webhooks.webhook_emit(event_type="application.created", data={"application_id": 1})
    delivery = WebhookDelivery.objects.get()
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert delivery.attempts == 1
    assert delivery.last_status_code == 500
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=20) < first_wait <= timedelta(seconds=30)

    with override_settings(WEBHOOK_DISABLE_AFTER_FAILURES=3):
        for _ in range(2):
            WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
            webhooks.webhooks_sweep()
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.attempts == 3
    assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=100)  # 30 s doubled twice
    assert list(WebhookAttempt.objects.values_list("status_code", flat=True)) == [500, 500, 500]
    assert not endpoint.active
    assert "3 deliveries failed in a row" in endpoint.disabled_reason
    mail = OutboxMessage.objects.filter(purpose="webhook-disabled")
    assert set(mail.values_list("recipient", flat=True)) == {users["admin"].email}

    # Turned off: the next events are not written for it; what was pending is not sent.
    assert webhooks.webhook_emit(event_type="application.created", data={}) == []
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    webhooks.webhooks_sweep()
    delivery.refresh_from_db()
    assert delivery.status == "failed"


def test_giving_up_after_the_retry_window(receiver, committed):
    endpoint = endpoint_for(receiver)
    receiver.answer = 503
    with committed():
        webhooks.webhook_emit(event_type="application.moved", data={})
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now(), retry_until=timezone.now() + timedelta(seconds=5)
    )
    webhooks.webhooks_sweep()
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.status == "failed"
    assert not endpoint.active
    assert "failed for 24 hours" in endpoint.disabled_reason


def test_redelivery_by_hand_sends_the_same_event_again(receiver, committed):
    endpoint = endpoint_for(receiver)
    receiver.answer = 500
    with committed():
        webhooks.webhook_emit(event_type="application.moved", data={"application_id": 7})
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed")
    receiver.answer = 200
    webhooks.webhook_endpoint_save(endpoint=endpoint)  # still on
    with committed():
        assert webhooks.webhook_redeliver(delivery_ids=[delivery.pk]) == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert [entry["id"] for entry in receiver.received] == [delivery.event_id]


def test_a_delivery_already_claimed_is_not_sent_twice(receiver, committed):
    endpoint_for(receiver)
    with committed():
        ids = webhooks.webhook_emit(event_type="application.moved", data={})
    # The eager task delivered it; running the task again (a redelivered message) sends nothing.
    assert not webhooks.webhook_deliver(delivery_id=ids[0])
    assert len(receiver.received) == 1


def test_admin_registers_an_endpoint_and_delivers_again_by_hand(admin_client, receiver, committed):
    response = admin_client.post(
        "/admin/hiring/webhookendpoint/add/",
        {"url": receiver.url, "description": "HR system", "events": ["application.moved"], "active": "on"},
    )
    assert response.status_code == 302, response.content
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_")
    receiver.secret = endpoint.secret
    assert admin_client.get(f"/admin/hiring/webhookendpoint/{endpoint.pk}/change/").status_code == 200

    with committed():
        webhooks.webhook_emit(event_type="application.moved", data={"application_id": 3})
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered"
    page = admin_client.get(f"/admin/hiring/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert b"204" in page.content  # the attempt's status code is in the log

    with committed():
        admin_client.post("/admin/hiring/webhookdelivery/", {"action": "redeliver", "_selected_action": [delivery.pk]})
    assert [entry["id"] for entry in receiver.received] == [delivery.event_id, delivery.event_id]
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 2


def test_unknown_events_are_a_form_error_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/hiring/webhookendpoint/add/", {"url": "https://hooks.example.test/x", "events": ["nope"]}
    )
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()


def test_only_admins_see_webhooks_in_the_admin(client, users):
    users["recruiter"].is_staff = True
    users["recruiter"].save()
    client.force_login(users["recruiter"])
    assert client.get("/admin/hiring/webhookendpoint/").status_code == 403
    assert client.get("/admin/hiring/apitoken/").status_code == 403


def test_an_accepted_offer_and_an_erasure_are_delivered_as_events(receiver, django_capture_on_commit_callbacks):
    """offer.accepted carries the offer's terms; candidate.erased only the id (never personal data)."""
    from hiring.services import offers as offer_services
    from hiring.services.privacy import candidate_anonymise
    from tests.hiring.factories import HiringManagerFactory, RecruiterFactory, band_for, job_with_stages, offer_terms

    endpoint_for(receiver, events=("offer.accepted", "candidate.erased"))
    job = job_with_stages(title="Data Engineer", team=[(HiringManagerFactory(), "hiring_manager")])
    band_for(job)
    recruiter = RecruiterFactory()
    candidate = CandidateFactory(first_name="Zoë", last_name="Quist", email="zoe.quist@example.test")
    application = application_create(candidate=candidate, job=job, actor=recruiter)
    offer = offer_services.offer_create(application=application, actor=recruiter, **offer_terms())
    offer = offer_services.offer_submit(offer=offer, actor=recruiter)
    offer = offer_services.offer_mark_sent(offer=offer, actor=recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        offer_services.offer_accept(offer=offer, actor=recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        candidate_anonymise(candidate_id=candidate.pk, reason="request")

    assert receiver.rejected == []
    accepted, erased = (entry["body"] for entry in receiver.received)
    assert accepted["type"] == "offer.accepted"
    assert accepted["data"]["offer_id"] == offer.pk
    assert accepted["data"]["base_salary"] == offer.base_salary
    assert erased == {**erased, "type": "candidate.erased", "data": {"candidate_id": candidate.pk, "reason": "request"}}
    assert "Quist" not in str(receiver.received)
