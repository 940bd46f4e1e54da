"""The candidate's status page (signed link) and withdrawing from it."""

import pytest
from django.core import signing
from django.urls import reverse
from lxml import html

from hiring.models import Application, StageChange
from hiring.selectors.careers import application_status_token
from hiring.services.pipeline import application_move
from tests.hiring.careers_helpers import apply_data
from tests.hiring.factories import published_posting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def application(client):
    posting = published_posting()
    client.post(reverse("careers:apply", args=[posting.slug]), apply_data(posting))
    return Application.objects.select_related("job").get()


def status_url(application) -> str:
    return reverse("careers:status", args=[application_status_token(application.pk)])


def stage_words(response) -> str:
    return html.fromstring(response.content).xpath('//*[@id="stage-words"]')[0].text_content().strip()


def test_status_page_shows_the_stage_in_plain_words(client, application):
    response = client.get(status_url(application))
    assert response.status_code == 200
    assert stage_words(response).startswith("Received")
    assert application.job.title in response.content.decode()

    interview = application.job.stages.get(name="Technical interview")
    application_move(application=application, to_stage=interview, actor=None, expected_version=application.version)
    assert stage_words(client.get(status_url(application))).startswith("Interviewing")


def test_withdrawing_closes_the_application_and_records_it(client, application):
    response = client.post(status_url(application))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "You have withdrawn your application" in page.content.decode()
    assert stage_words(page).startswith("Withdrawn")
    assert b"Withdraw my application" not in page.content
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    change = StageChange.objects.filter(application=application).latest("id")
    assert (change.from_status, change.to_status) == ("active", "withdrawn")
    assert change.reason == "Withdrawn by the candidate on the careers site"


def test_withdrawing_twice_is_answered_clearly(client, application):
    client.post(status_url(application))
    again = client.post(status_url(application))
    assert again.status_code == 400
    assert "already closed" in again.content.decode()
    assert StageChange.objects.filter(application=application, to_status="withdrawn").count() == 1


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"a": 1}, salt="another.salt"),
    ],
)
def test_forged_links_answer_404(client, application, token):
    assert client.get(reverse("careers:status", args=[token])).status_code == 404
    assert client.post(reverse("careers:status", args=[token])).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE


def test_an_altered_link_answers_404(client, application):
    token = application_status_token(application.pk)
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("careers:status", args=[altered])).status_code == 404


def test_an_expired_link_answers_404(client, application, settings):
    url = status_url(application)
    settings.CAREERS_STATUS_LINK_DAYS = -1
    assert client.get(url).status_code == 404
