import uuid

import pytest


@pytest.fixture
def fresh_cache(settings):
    """A cache of this test's own (rate-limit counters never leak from one test into the next)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
