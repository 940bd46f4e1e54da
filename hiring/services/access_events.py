"""Access events: sensitive reads and reveals, recorded in the audit trail (``roles.audit``).

Each event names the record by id (never the person by name) and is attributed to the
signed-in person and their address by the audit middleware; a structured log line
(logger ``hiring.access``) goes with it for log-based alerting.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models

from roles import audit

logger = logging.getLogger("hiring.access")


def access_event_record(*, user: Any, obj: models.Model, what: str, label: str, **details: Any) -> None:
    """Record that ``user`` did ``what`` (e.g. "blind review reveal") to ``obj``."""
    audit.record_access(obj=obj, what=what, label=label, user_id=getattr(user, "pk", None), **details)
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
