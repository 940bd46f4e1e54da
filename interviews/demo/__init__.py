"""Demo data of the interviews app, behind one entry point: ``seed`` (a step of ``seed_demo``,
after hiring's: it uses their jobs and applications).

* ``interviews``: plans, past and upcoming interviews, draft and submitted scorecards;
* ``summaries``: the summaries of the applications with submitted scorecards.
"""

import random
import time

from django.db import connection

from . import interviews, summaries

PARTS = (interviews.seed, summaries.seed)


def seed(*, rng: random.Random, candidates: int, users: dict, stdout) -> None:
    """Every part in order; each starts from the same random state. Idempotent like each part."""
    state = rng.getstate()
    for part in PARTS:
        started = time.monotonic()
        part_rng = random.Random()
        part_rng.setstate(state)
        part(rng=part_rng, candidates=candidates, users=users, stdout=stdout)
        stdout.write(f"    {part.__module__}.seed: {time.monotonic() - started:.1f}s")
    if connection.vendor == "postgresql":  # fresh planner statistics after the bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE interviews_interview, interviews_scorecard")


__all__ = ["seed"]
