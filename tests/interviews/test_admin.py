import pytest
from django.urls import reverse

from tests.interviews.conftest import submit


@pytest.mark.parametrize(
    "name",
    [
        "interviews_flaggedphrase",
        "interviews_interviewplan",
        "interviews_interviewstep",
        "interviews_interview",
        "interviews_scorecard",
        "interviews_interviewinvitation",
    ],
)
def test_admin_lists_and_change_pages_open(client, people, alice_card, name, django_assert_max_num_queries):
    submit(alice_card)
    client.force_login(people["admin"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200


def test_scorecards_are_read_only_in_the_admin(client, people, alice_card):
    submit(alice_card, evidence="Evidence as written.")
    client.force_login(people["admin"])
    page = client.get(reverse("admin:interviews_scorecard_change", args=[alice_card.pk]))
    assert page.status_code == 200
    assert "Evidence as written." in page.content.decode()
    assert 'name="key_takeaways"' not in page.content.decode()
    assert client.get(reverse("admin:interviews_scorecard_add")).status_code == 403
