import pytest
from django.core.management import call_command

from hiring import groups
from hiring.demo import DEMO_PASSWORD, DEMO_USERS
from hiring.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_login_per_role_and_is_idempotent():
    call_command("seed_demo", candidates=5, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = set(User.objects.values_list("email", "groups__name"))

    call_command("seed_demo", candidates=5, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert set(User.objects.values_list("email", "groups__name")) == first
    assert {role for _, role in first} == set(groups.ROLE_NAMES)
    for email, *_ in DEMO_USERS:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
