import pytest
from django.core.management import call_command
from django.urls import reverse

from hiring.models import ApplicationSubmission, Posting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def test_seed_demo_publishes_postings_with_a_few_applications_and_is_idempotent(client):
    call_command("seed_demo", candidates=20, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", candidates=20, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert Posting.objects.filter(status=Posting.Status.PUBLISHED).count() == 3
    assert sorted(ApplicationSubmission.objects.values_list("source", flat=True)) == [
        "Careers page",
        "LinkedIn",
        "Meetup",
    ]
    assert ApplicationSubmission.objects.filter(must_have_missed=True).count() == 1
    assert set(ApplicationSubmission.objects.values_list("duplicate_match", flat=True)) == {"email"}
    page = client.get(reverse("careers:index"))
    assert page.content.decode().count('class="card careers-card') == 3
    for posting in Posting.objects.all():
        assert client.get(reverse("careers:posting", args=[posting.slug])).status_code == 200
