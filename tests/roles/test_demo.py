"""The demo step imports and publishes the project's own role profile, once."""

import random
from io import StringIO

import pytest

from roles import demo
from roles.models import Competency, RoleTemplate

pytestmark = pytest.mark.django_db


def run_seed() -> str:
    out = StringIO()
    demo.seed(rng=random.Random(1), candidates=0, users={}, stdout=out)
    return out.getvalue()


def test_demo_role_is_published_and_a_second_run_changes_nothing():
    first = run_seed()
    template = RoleTemplate.objects.get()
    counts = (RoleTemplate.objects.count(), Competency.objects.count())

    second = run_seed()

    assert (template.slug, template.status, template.version) == (demo.SLUG, "published", 1)
    assert template.competencies.count() == 22
    assert template.compensation.median == 190_000
    assert "published" in first
    assert "already present" in second
    assert (RoleTemplate.objects.count(), Competency.objects.count()) == counts


def test_demo_step_is_first_in_seed_demo():
    from hiring.management.commands.seed_demo import DEMO_STEPS

    assert DEMO_STEPS[0] == "roles.demo.seed"
