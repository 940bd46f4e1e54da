"""Create the demo data: logins per role, and whatever each app adds (idempotent)."""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from hiring import demo as hiring_demo

# One step per app, in the order of the layers: ``<app>.demo.seed(*, rng, candidates, users, stdout)``,
# listed in the settings (``DEMO_SEED_STEPS``). Each must leave existing data alone.
DEMO_STEPS: list[str] = list(settings.DEMO_SEED_STEPS)


class Command(BaseCommand):
    help = "Create demo users and data. Running it again changes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--candidates", type=int, default=60, help="How many demo candidates (default 60).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, so the data is reproducible.")

    def handle(self, *args, candidates: int, seed: int, **options) -> None:
        started = time.monotonic()
        users = hiring_demo.seed_users()
        self.stdout.write(f"Demo users ready: {len(users)} (password {hiring_demo.DEMO_PASSWORD!r})")
        for dotted in DEMO_STEPS:
            step_started = time.monotonic()
            import_string(dotted)(rng=random.Random(seed), candidates=candidates, users=users, stdout=self.stdout)
            self.stdout.write(f"  {dotted}: {time.monotonic() - step_started:.1f}s")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f}s"))
