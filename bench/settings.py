"""Benchmark settings: a fresh SQLite file of its own (or BENCH_DATABASE_URL), no debug."""

import environ

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

_env = environ.Env()
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = VAR_DIR / "bench-media"
DATABASES = {"default": _env.db("BENCH_DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bench.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"}
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
