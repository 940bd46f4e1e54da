"""Throughput under a real server: gunicorn (4 workers) on PostgreSQL, measured with wrk.

``bench/http [--candidates 5000] [--seconds 10] [--connections 8] [--database hiring_http]``

It creates a PostgreSQL database of its own, migrates and seeds it (``seed_demo``), starts
gunicorn with the production settings on a free port of 127.0.0.1, then runs wrk against the
login page, the board of the first open job (the demo's biggest), the candidate list, a search and a scorecard
autosave (one connection: each autosave sends the version the previous one returned). It
prints one JSON line per page: requests per second, p50 and p99 latency, the page's size,
and the rate as a share of the login page's (target for the board: at least 0.25). Every GET
is checked to answer 200 first (not a redirect to the login page). Everything it started is
stopped and the database dropped.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load_run import drop_database, free_port, recreate_database, stop, wait_http

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Autosave: the body carries the version the previous answer returned (one connection).
AUTOSAVE_LUA = """
version = {version}
edits = 0
request = function()
  edits = edits + 1
  local body = "field={field}&{field}=Edit+" .. edits .. "&version=" .. version
  return wrk.format("POST", nil, nil, body)
end
response = function(status, headers, body)
  if headers["X-Scorecard-Version"] then version = tonumber(headers["X-Scorecard-Version"]) end
  if status ~= 200 then wrk.thread:stop() end
end
"""


def wrk_run(url: str, *, seconds: int, connections: int, headers: dict[str, str], script: Path | None = None) -> dict:
    command = ["wrk", f"--duration={seconds}s", f"--connections={connections}", "--threads=2", "--latency"]
    if connections == 1:
        command[-2] = "--threads=1"
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    if script is not None:
        command += ["--script", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)

    def percentile(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    return {
        "rps": round(rate, 1),
        "p50_ms": percentile("50"),
        "p99_ms": percentile("99"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def first_answer(url: str, headers: dict[str, str]) -> tuple[int, int]:
    """Status and size of one GET (redirects not followed: a page that sends to login is an error)."""
    host, _, path = url.removeprefix("http://").partition("/")
    connection = http.client.HTTPConnection(host, timeout=30)
    connection.request("GET", "/" + path, headers=headers)
    response = connection.getresponse()
    size = len(response.read())
    connection.close()
    return response.status, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=5_000, help="seed_demo size (default 5,000)")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (autosave uses one)")
    parser.add_argument("--database", default="hiring_http", help="PostgreSQL database to create (dropped at the end)")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/1", help="Redis database of its own")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (bench/http installs the Debian package when it can).")

    port = free_port()
    host = f"127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="hiring-http-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "http-bench-only-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"https://{host}",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "CELERY_BROKER_URL": args.redis,
        "REDIS_URL": args.redis,
        "EMAIL_URL": "consolemail://",
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
    }

    def manage(*command: str) -> None:
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    started = time.monotonic()
    recreate_database(args.postgres, args.database)
    processes: list[subprocess.Popen] = []
    try:
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput")
        manage("seed_demo", "--candidates", str(args.candidates))
        targets_file = work / "targets.json"
        subprocess.run([PYTHON, "-m", "bench.load_prepare", str(targets_file)], cwd=ROOT, env=env, check=True)
        targets = json.loads(targets_file.read_text())
        print(json.dumps({"name": "setup", "seconds": round(time.monotonic() - started, 1)}), flush=True)

        log = open(work / "web.log", "wb")  # noqa: SIM115 - closed with the process
        processes.append(
            subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "config.wsgi", f"--bind={host}", f"--workers={args.workers}"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        wait_http(f"http://{host}/healthz")

        base = f"http://{host}"
        proxy = {"X-Forwarded-Proto": "https"}
        cookie = targets["session_cookie"]

        def signed_in(email: str, csrf: str = "") -> dict[str, str]:
            jar = f"{cookie}={targets['sessions'][email]}" + (f"; csrftoken={csrf}" if csrf else "")
            return {**proxy, "Cookie": jar}

        csrf = "h" * 32  # a CSRF cookie of our own; the header repeats it (Django compares the two)
        # The recruiter's browser holds a CSRF cookie after its first page, as every browser does.
        recruiter = signed_in(targets["recruiter"], csrf)
        board_job = targets["boards"][0]
        search = targets["searches"][0]
        card = targets["scorecards"][0]
        field = f"evidence-{card['ratings'][0]}"
        script = work / "autosave.lua"
        script.write_text(AUTOSAVE_LUA.format(version=card["version"], field=field))
        autosave_headers = {
            **signed_in(card["email"], csrf),
            "HX-Request": "true",
            "X-CSRFToken": csrf,
            "Origin": f"https://{host}",
            "Referer": f"https://{host}/",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        pages = [
            ("login_page", f"{base}/accounts/login/", proxy, None, args.connections),
            ("board", f"{base}/hiring/jobs/{board_job}/board/", recruiter, None, args.connections),
            ("candidate_list", f"{base}/hiring/candidates/", recruiter, None, args.connections),
            ("candidate_search", f"{base}/hiring/candidates/?q={search}", recruiter, None, args.connections),
            ("scorecard_autosave", f"{base}/interviews/scorecards/{card['id']}/autosave/", autosave_headers, script, 1),
        ]
        login_rps = None
        for name, url, headers, lua, connections in pages:
            size = None
            if lua is None:
                status, size = first_answer(url, headers)
                if status != 200:
                    raise SystemExit(f"{name}: {url} answered {status}, not 200")
            result = wrk_run(url, seconds=args.seconds, connections=connections, headers=headers, script=lua)
            login_rps = login_rps or result["rps"]
            share = round(result["rps"] / login_rps, 2) if login_rps else None
            print(
                json.dumps({"name": name, "connections": connections, "bytes": size, **result, "rps_vs_login": share}),
                flush=True,
            )
    finally:
        stop(processes)
        drop_database(args.postgres, args.database)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
