"""Settings of the services tier's Celery workers: the test settings, plus a test-only part.

With ``TEST_SMTP_PORT`` set, mail goes to the fake SMTP server the test started on 127.0.0.1
(the test settings' in-memory backend would hide it inside the worker process).
With ``IMPORT_TEST_DELAY_SECONDS`` above zero, every CSV import batch of the worker sleeps that
long before it commits, so a test can kill the worker in the middle of one. Production code
knows nothing of it: the worker's own copy of the batch function is wrapped here.
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

_import_delay = float(os.environ.get("IMPORT_TEST_DELAY_SECONDS") or 0)
if _import_delay > 0:
    import time

    from celery.signals import task_prerun

    @task_prerun.connect(weak=False)
    def _slow_import_batches(**_kwargs) -> None:
        """Wrap the batch import once per worker process: import, then wait inside the transaction."""
        from hiring.services import imports

        if getattr(imports._import_batch, "slowed", False):
            return
        original = imports._import_batch

        def slowed(**kwargs):
            result = original(**kwargs)
            time.sleep(_import_delay)
            return result

        slowed.slowed = True  # type: ignore[attr-defined]
        imports._import_batch = slowed
