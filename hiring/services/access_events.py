"""Access events: sensitive reads and reveals, written where the audit trail can pick them up.

A seam with one function. Today it writes a structured log line (logger ``hiring.access``) with
who, what and which record, naming the record by id and never by the person. When the audit
trail lands, this function is the one place to point at it; its callers do not change.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models

logger = logging.getLogger("hiring.access")


def access_event_record(*, user: Any, obj: models.Model, what: str, label: str, **details: Any) -> None:
    """Record that ``user`` did ``what`` (e.g. "blind review reveal") to ``obj``."""
    logger.info(
        "access event: %s",
        what,
        extra={
            "event": "access",
            "what": what,
            "label": label,
            "user_id": getattr(user, "pk", None),
            "object": f"{obj._meta.label}:{obj.pk}",
            **details,
        },
    )
