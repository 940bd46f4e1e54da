"""The careers admin: postings and the self-identification report in a bounded number of queries."""

import pytest
from django.urls import reverse

from hiring.models import Application, SelfIdentification
from tests.hiring.factories import AdminFactory, ApplicationFactory, PostingFactory, published_posting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def admin_user_client(client):
    client.force_login(AdminFactory())
    return client


@pytest.mark.parametrize("count", [3, 30])
def test_posting_pages_load_in_bounded_queries(admin_user_client, count, django_assert_max_num_queries):
    PostingFactory.create_batch(count)
    posting = published_posting()
    with django_assert_max_num_queries(12):
        assert admin_user_client.get(reverse("admin:hiring_posting_changelist")).status_code == 200
    with django_assert_max_num_queries(16):
        assert admin_user_client.get(reverse("admin:hiring_posting_change", args=[posting.pk])).status_code == 200


@pytest.mark.parametrize("count", [3, 60])
def test_self_identification_report_loads_in_bounded_queries(admin_user_client, count, django_assert_max_num_queries):
    posting = published_posting()
    applications = [ApplicationFactory(job=posting.job) for _ in range(count)]
    SelfIdentification.objects.bulk_create(
        SelfIdentification(application=a, posting=posting, answers={"gender": "female"}) for a in applications
    )
    with django_assert_max_num_queries(12):
        response = admin_user_client.get(reverse("admin:hiring_selfidentification_changelist"))
    assert f"Female</td><td>{count}</td>" in response.content.decode()
    assert Application.objects.count() == count
