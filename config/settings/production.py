"""Settings for a deployment: PostgreSQL, Redis, gunicorn and whitenoise.

Secrets and hosts have no default here: a missing one stops the process at start.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

STORAGES = {
    "default": {"BACKEND": env("DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Rendered page fragments must live where every web server and worker sees the same copy (a
# worker's write makes them out of date): without REDIS_URL a deployment keeps none.
if not env("REDIS_URL", default=""):
    FRAGMENT_CACHE_SECONDS = 0
# Admins and the Django admin sign in with a second factor (django-otp).
TWO_FACTOR_REQUIRED_FOR_ADMINS = env.bool("TWO_FACTOR_REQUIRED_FOR_ADMINS", default=True)

# One JSON object per log line unless LOG_FORMAT says otherwise, in web processes and workers
# alike (Celery keeps Django's logging instead of installing its own handlers).
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="json")  # noqa: F405
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reporting (web and workers) when SENTRY_DSN is set; personal data is scrubbed first.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from hiring.observability import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
