from django.urls import reverse


def test_pages_render(client, people, interview, alice_card, job):
    client.force_login(people["alice"])
    assert client.get(reverse("interviews:scorecard-edit", args=[alice_card.pk])).status_code == 200
    assert client.get(reverse("interviews:kit", args=[interview.pk])).status_code == 200
    assert client.get(reverse("interviews:my-interviews")).status_code == 200
    assert client.get(reverse("interviews:feedback", args=[interview.application_id])).status_code == 200
    client.force_login(people["recruiter"])
    assert client.get(reverse("interviews:plan", args=[job.pk])).status_code == 200
    assert client.get(reverse("interviews:schedule", args=[interview.application_id])).status_code == 200
