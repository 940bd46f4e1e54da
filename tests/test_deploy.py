"""Production settings: no defaults for secrets or hosts, and a clean deploy check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALISTIC_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k3Jx9-realistic-production-secret-0f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e",
    "ALLOWED_HOSTS": "hiring.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://hiring.example.com",
    "DATABASE_URL": "postgres://hiring:secret@db.internal:5432/hiring",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "REDIS_URL": "redis://redis.internal:6379/1",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in REALISTIC_ENV and not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_a_realistic_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=REALISTIC_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_collectstatic_builds_the_manifest_of_every_static_file(tmp_path):
    """What a deployment runs before starting: hashed names for every file, vendored ones included
    (a reference to a file that is not there, such as a source map, stops it)."""
    result = manage("collectstatic", "--noinput", env={**REALISTIC_ENV, "STATIC_ROOT": str(tmp_path)})

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/chartjs/chart.umd.min.js" in manifest
    assert "vendor/htmx" in manifest or "htmx" in manifest


def test_production_keeps_no_page_fragments_without_a_shared_cache():
    code = "from django.conf import settings; print(settings.FRAGMENT_CACHE_SECONDS)"
    without_redis = {k: v for k, v in REALISTIC_ENV.items() if k != "REDIS_URL"}

    assert manage("shell", "-c", code, env=REALISTIC_ENV).stdout.split()[-1] == "60"
    assert manage("shell", "-c", code, env=without_redis).stdout.split()[-1] == "0"


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in REALISTIC_ENV.items() if k != "SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in REALISTIC_ENV.items() if k != "ALLOWED_HOSTS"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "Set the ALLOWED_HOSTS environment variable" in result.stderr


def test_the_s3_storage_the_example_environment_suggests_is_installed_and_configured():
    env = {
        **REALISTIC_ENV,
        "DEFAULT_FILE_STORAGE": "storages.backends.s3.S3Storage",
        "AWS_STORAGE_BUCKET_NAME": "hiring-media",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.com",
        "AWS_S3_REGION_NAME": "eu-west-1",
    }
    code = (
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.region_name, s.default_acl)"
    )

    result = manage("shell", "--no-imports", "-c", code, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "hiring-media", "https://s3.example.com", "eu-west-1", "None"]


def test_no_task_results_are_stored():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from config.celery import app; print(app.conf.task_ignore_result)",
        env=REALISTIC_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
