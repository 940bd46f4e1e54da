"""Demo data of the hiring app, behind one entry point: ``seed`` (a step of ``seed_demo``).

* ``users``: one login per role (``seed_users``, run first by ``seed_demo``);
* ``pipeline``: jobs from the demo role template, candidates, applications, notes, history;
* ``resumes``: résumé files for some candidates, with their extracted text.
"""

import random
import time

from . import pipeline, resumes
from .pipeline import BIG_JOB
from .users import DEMO_PASSWORD, DEMO_USERS, seed_users

PARTS = (pipeline.seed, resumes.seed)


def seed(*, rng: random.Random, candidates: int, users: dict, stdout) -> None:
    """Every part in order; each starts from the same random state, so a part's data never
    depends on another's. Idempotent like each part."""
    state = rng.getstate()
    for part in PARTS:
        started = time.monotonic()
        part_rng = random.Random()
        part_rng.setstate(state)
        part(rng=part_rng, candidates=candidates, users=users, stdout=stdout)
        stdout.write(f"    {part.__module__}.seed: {time.monotonic() - started:.1f}s")


__all__ = ["BIG_JOB", "DEMO_PASSWORD", "DEMO_USERS", "seed", "seed_users"]
