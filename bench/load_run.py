"""Load test: 50 simulated people for 60 s against gunicorn + PostgreSQL + Redis + a Celery worker.

``bench/load [--users 50] [--seconds 60] [--candidates 5000] [--database hiring_load] [--redis-db 15]``

Everything it needs it starts itself and stops at the end: a fresh PostgreSQL database of its
own (created, migrated, seeded with ``seed_demo``), gunicorn on a free port of 127.0.0.1 with
the production settings, a Celery worker on its own Redis database number, then locust
(headless). It prints one JSON line per endpoint, ``{"name", "requests", "errors", "p50_ms",
"p95_ms"}``, then a total line, and exits non-zero when any request failed.
"""

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recreate_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f}s")


def stop(processes: list[subprocess.Popen]) -> None:
    """Stop what this script started (and only that): SIGTERM each group, SIGKILL what stays."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def report(stats_csv: Path) -> int:
    errors_total = 0
    with stats_csv.open() as handle:
        for row in csv.DictReader(handle):
            line = {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "rps": round(float(row["Requests/s"] or 0), 1),
            }
            if row["Name"] == "Aggregated":
                line["name"] = "total"
                errors_total = line["errors"]
            print(json.dumps(line), flush=True)
    return errors_total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--candidates", type=int, default=5_000, help="seed_demo size (default 5,000)")
    parser.add_argument("--database", default="hiring_load", help="PostgreSQL database to create (dropped at the end)")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379", help="Redis server")
    parser.add_argument("--redis-db", type=int, default=15, help="Redis database number of its own")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--keep-database", action="store_true", help="keep the database and the logs folder at the end")
    args = parser.parse_args(argv)

    port = free_port()
    host = f"127.0.0.1:{port}"
    redis_url = f"{args.redis}/{args.redis_db}"
    work = Path(tempfile.mkdtemp(prefix="hiring-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "load-test-only-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"https://{host}",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": "consolemail://",
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }

    def manage(*command: str) -> None:
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    started = time.monotonic()
    recreate_database(args.postgres, args.database)
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    manage("seed_demo", "--candidates", str(args.candidates))
    targets = work / "targets.json"
    subprocess.run([PYTHON, "-m", "bench.load_prepare", str(targets)], cwd=ROOT, env=env, check=True)
    env["LOAD_TARGETS"] = str(targets)
    print(json.dumps({"name": "setup", "seconds": round(time.monotonic() - started, 1)}), flush=True)

    processes: list[subprocess.Popen] = []
    passed = False

    def spawn(name: str, command: list[str]) -> subprocess.Popen:
        log = open(work / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        processes.append(process)
        return process

    try:
        spawn(
            "web",
            [PYTHON, "-m", "gunicorn", "config.wsgi", f"--bind={host}", f"--workers={args.web_workers}"],
        )
        spawn(
            "worker",
            [
                *[PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING", "--concurrency=1"],
                *["--max-memory-per-child=524288", "--without-gossip", "--without-mingle"],
            ],
        )
        wait_http(f"http://{host}/healthz")
        locust = spawn(
            "locust",
            [
                PYTHON,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(max(1, args.users // 5)),
                "--run-time",
                f"{args.seconds}s",
                "--host",
                f"http://{host}",
                "--csv",
                str(work / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
        )
        locust.wait(timeout=args.seconds + 120)
        if not (work / "load_stats.csv").exists():
            print((work / "locust.log").read_text()[-3000:], file=sys.stderr)
            return 1
        errors = report(work / "load_stats.csv")
        passed = not errors
        failures = work / "load_failures.csv"
        if errors and failures.exists():
            print(failures.read_text(), file=sys.stderr)
        return 1 if errors else 0
    finally:
        stop(processes)
        if not args.keep_database:
            drop_database(args.postgres, args.database)
        if passed and not args.keep_database:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"Logs of the web server, the worker and locust: {work}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
