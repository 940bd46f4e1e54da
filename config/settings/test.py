"""Settings for the test suite (pytest --ds=config.settings.test)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_BROKER_URL, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-any-deployment"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))
ALLOWED_HOSTS = ["*"]
# Tasks run in the test process unless a services test points them at a real broker.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
CELERY_TASK_STORE_EAGER_RESULT = False
