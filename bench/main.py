"""Seed a fresh database, then time the pages and jobs that must stay fast.

Prints one JSON object per line: {"name", "queries", "p50_ms", "p95_ms", "cpu_p50_ms", "ratio"},
where ratio is p50 divided by the p50 of a hello-world view measured in the same run, and
cpu_p50_ms is the median processor time of this process (it moves less than the wall-clock
figures when other work shares the machine). Every line also carries ``login_ratio``: p50
divided by the p50 of the login page (a template page with no queries) measured in the same
run; the pages with a render budget add ``budget`` (the most that ratio may be) and
``within_budget``, and a ``<name>_cold`` line follows with the same page rendered from the
database each time (what the first viewer after a change waits for; see roles/fragments.py).
Each app adds its cases in ``bench/cases_<area>.py`` (a ``cases(ctx)`` function).
"""

import argparse
import importlib
import json
import os
import pkgutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"


@dataclass
class Case:
    """One measured operation: ``run`` performs it once (a request, a task, a call)."""

    name: str
    run: Callable[[], object]
    repeat: int = 30
    extra: dict = field(default_factory=dict)


@dataclass
class Context:
    candidates: int
    seed: int
    data: dict = field(default_factory=dict)


# Render budgets: the most a page may cost, as a multiple of the login page in the same run.
RENDER_BUDGETS = {
    "pipeline_board": 4,
    "candidate_list": 4,
    "candidate_search_name": 4,
    "candidate_search_resume_htmx": 4,
    "candidate_profile": 4,
    "my_interviews": 4,
    "roles_admin_change_page": 8,
}


def measure(case: Case) -> dict:
    from django.db import connection

    case.run()  # warm caches and templates
    # Count with an execute wrapper: the test client's request_started signal resets
    # connection.queries_log, so CaptureQueriesContext reports 0 around a request.
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        case.run()
    timings, cpu = [], []
    for _ in range(case.repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        case.run()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return {
        "name": case.name,
        "queries": len(queries),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(p95, 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        **case.extra,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=50_000, help="candidates to seed (default 50,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per case")
    parser.add_argument(
        "--only", default="", help="run only cases whose name contains this (several: separated by commas)"
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db['NAME']}{suffix}").unlink(missing_ok=True)
    else:
        call_command("flush", interactive=False, verbosity=0)
    from django.core.cache import caches

    caches["fragments"].clear()  # fragments of an earlier run's database
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", candidates=args.candidates, seed=args.seed, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(
        json.dumps({"name": "seed", "candidates": args.candidates, "seconds": round(time.monotonic() - started, 1)}),
        flush=True,
    )

    ctx = Context(candidates=args.candidates, seed=args.seed)
    client = Client()
    hello = measure(Case("hello_world_view", lambda: client.get("/healthz"), repeat=max(args.repeat, 100)))
    hello["ratio"] = 1.0
    print(json.dumps(hello), flush=True)
    login = measure(Case("login_page_reference", lambda: client.get("/accounts/login/"), repeat=max(args.repeat, 100)))
    login["ratio"] = round(login["p50_ms"] / hello["p50_ms"], 1) if hello["p50_ms"] else None
    login["login_ratio"] = 1.0
    print(json.dumps(login), flush=True)

    for module_info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if not module_info.name.startswith("cases_"):
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        for case in module.cases(ctx):
            if args.only and not any(part and part in case.name for part in args.only.split(",")):
                continue
            case.repeat = min(case.repeat, args.repeat) if case.repeat else args.repeat
            result = measure(case)
            _add_ratios(result, hello, login)
            if case.name in RENDER_BUDGETS:
                result["budget"] = RENDER_BUDGETS[case.name]
                result["within_budget"] = (
                    result["login_ratio"] is not None and result["login_ratio"] <= result["budget"]
                )
            print(json.dumps(result), flush=True)
            if case.name in RENDER_BUDGETS:
                print(json.dumps(_cold(case, hello, login)), flush=True)
    return 0


def _cold(case: Case, hello: dict, login: dict) -> dict:
    """The same page rendered from the database every time: the data generation is replaced
    before each run, as a committed write would, so the fragment cache never answers."""
    from roles import fragments

    def run() -> object:
        fragments.bump()
        return case.run()

    return _add_ratios(measure(Case(f"{case.name}_cold", run, repeat=case.repeat, extra=case.extra)), hello, login)


def _add_ratios(result: dict, hello: dict, login: dict) -> dict:
    """``ratio`` to the hello-world view and ``login_ratio`` to the login page of the same run."""
    result["ratio"] = round(result["p50_ms"] / hello["p50_ms"], 1) if hello["p50_ms"] else None
    result["login_ratio"] = round(result["p50_ms"] / login["p50_ms"], 1) if login["p50_ms"] else None
    return result


if __name__ == "__main__":
    raise SystemExit(main())
