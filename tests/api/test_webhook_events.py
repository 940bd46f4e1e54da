"""The interviews app's events reach webhook endpoints: scorecard.submitted, then summary.ready."""

import pytest

from hiring.models import WebhookDelivery, WebhookEndpoint
from hiring.services import webhooks
from interviews.models import Scorecard
from tests.interviews.factories import scorecard_submitted
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.django_db


def test_submitting_a_scorecard_sends_scorecard_submitted_then_summary_ready(
    application_with_interviews, users, django_capture_on_commit_callbacks
):
    receiver = Receiver().start()
    try:
        endpoint = webhooks.webhook_endpoint_save(
            endpoint=WebhookEndpoint(url=receiver.url, events=["scorecard.submitted", "summary.ready"])
        )
        receiver.secret = endpoint.secret
        card = Scorecard.objects.filter(interview__application=application_with_interviews).first()
        with django_capture_on_commit_callbacks(execute=True):
            scorecard_submitted(card, recommendation=4)
    finally:
        receiver.stop()

    types = [entry["body"]["type"] for entry in receiver.received]
    assert types[0] == "scorecard.submitted"
    assert "summary.ready" in types
    submitted = receiver.received[0]["body"]["data"]
    assert submitted["scorecard_id"] == card.pk
    assert submitted["application_id"] == application_with_interviews.pk
    assert submitted["overall_recommendation"] == 4
    assert receiver.rejected == []
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
