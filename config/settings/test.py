"""Settings for the test suite (pytest --ds=config.settings.test)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-any-deployment"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))
ALLOWED_HOSTS = ["*"]
# Tasks run in the test process, also when CELERY_BROKER_URL is a real Redis (CI's second
# pass); the services tier's ``celery_worker_process`` fixture sends them to real workers, which
# it starts with CELERY_TASK_ALWAYS_EAGER=false so that what they enqueue goes through the broker too.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# No undo window by default: a rejection's email leaves on commit, as the tests of the pipeline
# expect; the tests of the undo path set the window themselves.
CANDIDATE_EMAIL_UNDO_SECONDS = 0
# One test process: rendered fragments in its memory, unless the suite runs against Redis (CI's
# second pass), where real workers share the cache with the test server.
if not env("REDIS_URL", default=""):
    CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}  # noqa: F405
