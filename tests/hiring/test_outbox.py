"""The outbox: queued in the business transaction, claimed, sent outside it, retried, sent once."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from hiring import tasks
from hiring.models import OutboxMessage
from hiring.services.outbox import (
    Attachment,
    outbox_claim,
    outbox_deliver,
    outbox_enqueue,
    outbox_sweep,
    retry_delay,
)

pytestmark = pytest.mark.django_db


class FlakyBackend(EmailBackend):
    """The locmem backend, except that the next ``failures`` sends raise as a dropped SMTP link would."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.hiring.test_outbox.FlakyBackend"
    FlakyBackend.failures = 0
    yield FlakyBackend
    FlakyBackend.failures = 0


def queue(recipient="ana@example.test", purpose="rejection", reference="application:1", **extra) -> int:
    fields = {"subject": "Your application", "body_text": "Dear Ana"} | extra
    return outbox_enqueue(purpose=purpose, reference=reference, recipient=recipient, deliver_on_commit=False, **fields)


def test_the_same_message_is_queued_once_and_keeps_its_first_content():
    first = queue(subject="First")
    second = queue(subject="Second")  # the same purpose, record and recipient
    other = queue(recipient="bob@example.test")

    assert first == second
    assert other != first
    assert OutboxMessage.objects.count() == 2
    assert OutboxMessage.objects.get(pk=first).subject == "First"
    assert OutboxMessage.objects.get(pk=first).status == OutboxMessage.Status.PENDING


def test_delivery_is_enqueued_on_commit_and_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        message_id = outbox_enqueue(
            purpose="interview-invitation",
            reference="interview:7",
            recipient="Alice@Example.test",
            subject="Interview:   Ada,\n panel",
            body_text="Hello Alice",
            body_html="<p>Hello Alice</p>",
            attachments=[Attachment("interview.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
        )
    assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1

    callbacks[0]()  # the commit: the delivery task runs (eagerly in tests)
    assert outbox_deliver(message_id=message_id) is False  # a duplicate task sends nothing

    [sent] = mail.outbox
    assert sent.to == ["Alice@Example.test"]
    assert sent.subject == "Interview: Ada, panel"
    assert sent.alternatives[0].content == "<p>Hello Alice</p>"
    name, content, mimetype = sent.attachments[0]
    assert (name, mimetype) == ("interview.ics", "text/calendar")
    assert "BEGIN:VCALENDAR" in (content if isinstance(content, str) else content.decode())
    message = OutboxMessage.objects.get(pk=message_id)
    assert message.status == OutboxMessage.Status.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.key == "interview-invitation:interview:7:alice@example.test"


def test_a_broker_outage_at_commit_delays_the_email_until_the_sweeper(django_capture_on_commit_callbacks, monkeypatch):
    from kombu.exceptions import OperationalError

    from config.celery import app
    from hiring.background import broker_outage_reset

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.outbox_deliver, "apply_async", broker_down)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False  # as in production: the hand-over to the broker is guarded
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            message_id = outbox_enqueue(purpose="rejection", recipient="ana@example.test", subject="S", body_text="B")
    finally:
        app.conf.task_always_eager = previous
        broker_outage_reset()  # the broker is "back": later enqueues try it at once

    assert mail.outbox == []  # the change committed; its email waits in the outbox
    assert OutboxMessage.objects.get(pk=message_id).status == OutboxMessage.Status.PENDING
    assert outbox_sweep() == 1  # the next sweep, once the broker is back, sends it
    assert [m.to for m in mail.outbox] == [["ana@example.test"]]


def test_a_claimed_message_cannot_be_claimed_again():
    message_id = queue()

    [claimed] = outbox_claim(ids=[message_id])

    assert claimed.status == OutboxMessage.Status.SENDING
    assert claimed.attempts == 1
    assert claimed.claimed_by
    assert outbox_claim(ids=[message_id]) == []
    assert outbox_claim() == []
    assert outbox_deliver(message_id=message_id) is False
    assert mail.outbox == []


def test_the_conditional_claim_loses_to_a_worker_that_claimed_between_its_read_and_its_update(monkeypatch):
    """The claim without row locks (SQLite's): its UPDATE re-checks "due", so a row another
    worker claimed after we read it is not claimed twice."""
    from django.db import connection
    from django.db.models import F, QuerySet

    monkeypatch.setattr(connection.features, "has_select_for_update_skip_locked", False)
    message_id = queue()
    real_update = QuerySet.update
    raced = []

    def update(self, **kwargs):
        if self.model is OutboxMessage and kwargs.get("status") == OutboxMessage.Status.SENDING and not raced:
            raced.append(True)  # the other worker's claim lands first
            real_update(
                OutboxMessage.objects.filter(pk=message_id),
                status=OutboxMessage.Status.SENDING,
                claimed_by="other-worker",
                claimed_at=timezone.now(),
                attempts=F("attempts") + 1,
            )
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)

    assert outbox_claim() == []
    assert raced == [True]
    message = OutboxMessage.objects.get(pk=message_id)
    assert (message.claimed_by, message.attempts) == ("other-worker", 1)


def test_a_message_not_due_yet_is_not_claimed():
    message_id = queue()
    OutboxMessage.objects.filter(pk=message_id).update(next_attempt_at=timezone.now() + timedelta(minutes=5))

    assert outbox_claim() == []
    assert outbox_deliver(message_id=message_id) is False
    assert mail.outbox == []


def test_delivery_refuses_to_run_inside_a_transaction():
    message_id = queue()

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        outbox_deliver(message_id=message_id)

    assert OutboxMessage.objects.get(pk=message_id).status == OutboxMessage.Status.PENDING
    assert mail.outbox == []


def test_a_failed_send_is_retried_with_exponential_backoff(flaky, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 100
    flaky.failures = 2
    message_id = queue()

    before = timezone.now()
    assert outbox_deliver(message_id=message_id) is False
    message = OutboxMessage.objects.get(pk=message_id)
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in message.last_error
    assert message.claimed_by == ""
    assert before + timedelta(seconds=30) <= message.next_attempt_at <= timezone.now() + timedelta(seconds=30)
    assert outbox_deliver(message_id=message_id) is False  # not due yet: nothing is tried
    assert OutboxMessage.objects.get(pk=message_id).attempts == 1

    OutboxMessage.objects.filter(pk=message_id).update(next_attempt_at=timezone.now())
    assert outbox_sweep() == 0  # the second attempt fails too: the next wait is twice as long
    message = OutboxMessage.objects.get(pk=message_id)
    assert message.attempts == 2
    assert message.next_attempt_at - timezone.now() > timedelta(seconds=55)

    OutboxMessage.objects.filter(pk=message_id).update(next_attempt_at=timezone.now())
    assert outbox_sweep() == 1
    message = OutboxMessage.objects.get(pk=message_id)
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 3
    assert len(mail.outbox) == 1
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_after_the_last_attempt_the_message_is_failed_and_left_alone(flaky, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    flaky.failures = 5
    message_id = queue()

    for _ in range(2):
        OutboxMessage.objects.filter(pk=message_id).update(next_attempt_at=timezone.now())
        outbox_sweep()

    message = OutboxMessage.objects.get(pk=message_id)
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 2
    OutboxMessage.objects.filter(pk=message_id).update(next_attempt_at=timezone.now())
    assert outbox_sweep() == 0
    assert mail.outbox == []


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_timeout(settings):
    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = 300
    message_id = queue()
    [dead] = outbox_claim(ids=[message_id])  # the worker dies before sending

    assert outbox_sweep() == 0  # a fresh claim is respected
    OutboxMessage.objects.filter(pk=message_id).update(claimed_at=timezone.now() - timedelta(seconds=301))
    assert outbox_sweep() == 1

    message = OutboxMessage.objects.get(pk=message_id)
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert message.claimed_by != dead.claimed_by
    assert len(mail.outbox) == 1
    assert outbox_sweep() == 0


def test_the_sweeper_sends_what_a_lost_task_left_behind():
    ids = [queue(recipient=f"person{i}@example.test") for i in range(3)]
    later = queue(recipient="later@example.test")
    OutboxMessage.objects.filter(pk=later).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    outbox_deliver(message_id=ids[0])  # one went out through its task; the others' tasks were lost

    assert tasks.outbox_sweep.delay().get() == 2
    assert tasks.outbox_sweep.delay().get() == 0

    assert sorted(m.to[0] for m in mail.outbox) == [f"person{i}@example.test" for i in range(3)]
    assert OutboxMessage.objects.get(pk=later).status == OutboxMessage.Status.PENDING


@pytest.mark.parametrize("count", [1, 12])
def test_sweeper_queries_are_a_fixed_claim_plus_one_update_per_message(count, django_assert_max_num_queries):
    for i in range(count):
        queue(recipient=f"person{i}@example.test")

    # savepoint, claim (select + update, and a read back on SQLite), release; one UPDATE per message sent
    with django_assert_max_num_queries(5 + count):
        assert outbox_sweep(batch=50) == count
    with django_assert_max_num_queries(4):
        assert outbox_sweep() == 0


def test_deliver_task_queries(django_assert_max_num_queries):
    message_id = queue()

    # savepoint, claim (update + read back), release, mark sent
    with django_assert_max_num_queries(5):
        assert tasks.outbox_deliver(message_id) is True
    with django_assert_max_num_queries(3):
        assert tasks.outbox_deliver(message_id) is False


def test_beat_runs_the_outbox_sweeper_every_minute(settings):
    from config.celery import app as celery_app

    entry = settings.CELERY_BEAT_SCHEDULE["hiring-outbox-sweep"]
    assert entry["schedule"] <= 60
    assert entry["task"] == "hiring.tasks.outbox_sweep"
    assert entry["task"] in celery_app.tasks
    assert tasks.outbox_sweep.time_limit < settings.OUTBOX_CLAIM_TIMEOUT_SECONDS


@pytest.mark.parametrize("count", [3, 30])
def test_admin_lists_messages_read_only_in_bounded_queries(client, count, django_assert_max_num_queries):
    from django.urls import reverse

    from tests.hiring.factories import AdminFactory

    client.force_login(AdminFactory())
    ids = [
        queue(recipient=f"person{i}@example.test", attachments=[Attachment("a.ics", b"x", "text/calendar")])
        for i in range(count)
    ]

    with django_assert_max_num_queries(15):
        listing = client.get(reverse("admin:hiring_outboxmessage_changelist"), {"q": "person1"})
    detail = client.get(reverse("admin:hiring_outboxmessage_change", args=[ids[0]]))
    added = client.get(reverse("admin:hiring_outboxmessage_add"))
    posted = client.post(reverse("admin:hiring_outboxmessage_change", args=[ids[0]]), {"status": "sent"})

    assert listing.status_code == 200
    assert "person1@example.test" in listing.content.decode()
    assert detail.status_code == 200
    assert "a.ics" in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()
    assert added.status_code == 403
    assert posted.status_code == 403
    assert OutboxMessage.objects.get(pk=ids[0]).status == OutboxMessage.Status.PENDING
