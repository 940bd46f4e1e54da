"""Settings of the services tier's Celery workers: the test settings, plus a test-only part.

With ``TEST_SMTP_PORT`` set, mail goes to the fake SMTP server the test started on 127.0.0.1
(the test settings' in-memory backend would hide it inside the worker process).
"""

import os

from config.settings.test import *  # noqa: F403

if os.environ.get("TEST_SMTP_PORT"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = "127.0.0.1"
    EMAIL_PORT = int(os.environ["TEST_SMTP_PORT"])
    EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
    EMAIL_USE_TLS = EMAIL_USE_SSL = False
    EMAIL_TIMEOUT = 30
