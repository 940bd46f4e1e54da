"""Run the web server, a Celery worker and celery beat together; Ctrl-C stops all three."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

# A pool process that grew past this (KiB) is replaced after its task: one hostile résumé or
# a leak cannot keep the worker's memory.
MAX_MEMORY_PER_CHILD_KIB = 512 * 1024


def worker_command(*, concurrency: int) -> list[str]:
    """The Celery worker as run_stack (and the README's deploy commands) start it."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel=INFO",
        f"--concurrency={concurrency}",
        f"--max-memory-per-child={MAX_MEMORY_PER_CHILD_KIB}",
    ]


class Command(BaseCommand):
    help = "Start the web server, a Celery worker and celery beat in the foreground."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="Address the web server listens on.")
        parser.add_argument(
            "--production", action="store_true", help="Serve with gunicorn instead of Django's development server."
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (with --production).")
        parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes.")

    def handle(self, *args, bind: str, production: bool, workers: int, concurrency: int, **options) -> None:
        python = sys.executable
        if production:
            web = [
                python,
                "-m",
                "gunicorn",
                "config.wsgi",
                f"--bind={bind}",
                f"--workers={workers}",
                "--access-logfile=-",
            ]
        else:
            web = [python, "manage.py", "runserver", bind, "--noreload"]
        celery = [python, "-m", "celery", "-A", "config"]
        beat_schedule = settings.BASE_DIR / "var" / "celerybeat"
        beat_schedule.parent.mkdir(parents=True, exist_ok=True)
        commands = {
            "web": web,
            "worker": worker_command(concurrency=concurrency),
            "beat": [*celery, "beat", "--loglevel=INFO", f"--pidfile={beat_schedule}.pid"],
        }
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        processes: dict[str, subprocess.Popen] = {}
        for name, command in commands.items():
            processes[name] = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, start_new_session=True)
        self.stdout.write(self.style.SUCCESS(f"Running at http://{bind}/ (web, worker and beat); Ctrl-C stops all."))

        stopping = False

        def stop(*_args) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} stopped (exit {process.returncode}); stopping the others.")
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()  # each shuts down its own children (warm shutdown)
            deadline = time.monotonic() + 15
            for process in processes.values():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            self.stdout.write("Stopped web, worker and beat.")
