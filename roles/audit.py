"""The audit trail: who changed what, when, from which address, with old and new values.

Built on django-auditlog (its ``LogEntry`` table, its signal receivers and diff). This module
sits in the lowest app so every app may use it:

* ``track(Model, ...)``: one line at the bottom of a ``models.py`` records every create,
  change and delete of that model (``exclude`` drops noisy or derived columns, ``m2m`` lists
  many-to-many fields to record, ``when`` limits the records to the instances it accepts, e.g.
  scorecards once submitted). A model added later (offers, hiring decisions) needs only that line.
* ``record_access(...)``: an access event for a sensitive read (a résumé download, a data
  export, the self-identification report). Reads are not signals, so the view or service that
  performs the read calls it.
* ``record_changes(...)``: bulk writes (``QuerySet.update``) send no signals; the services that
  use them record their rows here, one insert for the whole batch.
* Append-only: an entry can never be changed or deleted, except inside ``redaction()``, which
  only the erasure of a person uses (it removes their personal data from old values).

Who and from where come from ``AuditContextMiddleware`` (``hiring.middleware``) for requests,
and from ``acting_as(user)`` for commands and tasks.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.receivers import log_update
from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

# Columns that change on every write or must never be copied (a password hash).
ALWAYS_EXCLUDED = ("updated_at", "last_login", "password")

Action = LogEntry.Action

_redacting: ContextVar[bool] = ContextVar("audit_redacting", default=False)


def track(
    model: type[models.Model],
    *,
    fields: Iterable[str] = (),
    exclude: Iterable[str] = (),
    m2m: Iterable[str] = (),
    when: Callable[[Any], bool] | None = None,
) -> None:
    """Record every create, change and delete of ``model`` (see the module's notes)."""
    generated = [f.name for f in model._meta.concrete_fields if isinstance(f, models.GeneratedField)]
    # The model's own columns only (reverse relations say nothing about this row).
    own = list(fields) or [f.name for f in model._meta.concrete_fields]
    auditlog.register(
        model,
        include_fields=own,
        exclude_fields=[*ALWAYS_EXCLUDED, *generated, *exclude],
        m2m_fields=set(m2m),
    )
    if when is None:
        return
    label = model._meta.label

    def accepted(sender, instance, **kwargs) -> bool:
        return bool(when(instance))

    pre_log.connect(accepted, sender=model, weak=False, dispatch_uid=f"audit-when-{label}")
    # The change receiver reads the old row first: skip that query for instances not recorded.
    pre_save.disconnect(sender=model, dispatch_uid=auditlog._dispatch_uid(pre_save, log_update))

    def update_when(sender, instance, **kwargs) -> None:
        if when(instance):
            log_update(sender, instance=instance, **kwargs)

    pre_save.connect(update_when, sender=model, weak=False, dispatch_uid=f"audit-update-when-{label}")


def is_tracked(model: type[models.Model]) -> bool:
    return auditlog.contains(model)


# The library leaves its context value set after its block ends; only inside one of ours
# (``acting_as``, ``attributed``) is it read, so an earlier request's person never leaks.
_attributed: ContextVar[bool] = ContextVar("audit_attributed", default=False)


def _context() -> dict[str, Any]:
    if not _attributed.get():
        return {}
    try:
        return dict(auditlog_value.get())
    except LookupError:
        return {}


@contextlib.contextmanager
def attributed() -> Iterator[None]:
    """Marks the library's current context (set by the request middleware) as in force."""
    token = _attributed.set(True)
    try:
        yield
    finally:
        _attributed.reset(token)


@contextlib.contextmanager
def acting_as(user, *, remote_addr: str | None = None) -> Iterator[None]:
    """Attribute the entries written inside the block to ``user`` (commands, tasks)."""
    with set_actor(user, remote_addr=remote_addr), attributed():
        yield


def _entry(
    *, model: type[models.Model], pk: Any, label: str, action: int, changes: Any, extra: Any, actor: Any = None
) -> LogEntry:
    context = _context()
    actor = actor or context.get("actor")
    return LogEntry(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=label[:255] if label else "",
        action=action,
        changes=changes,
        additional_data=extra,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_email=getattr(actor, "email", None),
        remote_addr=context.get("remote_addr"),
    )


def record_access(
    *, obj: models.Model | None = None, model: type[models.Model] | None = None, what: str, label: str = "", **detail
) -> LogEntry:
    """An access event: ``what`` was read (``obj``, or a page about ``model`` as a whole)."""
    target = type(obj) if obj is not None else model
    assert target is not None
    entry = _entry(
        model=target,
        pk=obj.pk if obj is not None else "",
        label=label or (str(obj) if obj is not None else str(target._meta.verbose_name_plural)),
        action=Action.ACCESS,
        changes=None,
        extra={"access": what, **detail},
    )
    entry.save()
    return entry


def record_changes(
    *,
    model: type[models.Model],
    rows: Iterable[tuple[Any, str, dict[str, tuple[Any, Any]]]],
    action: int = Action.UPDATE,
    actor: Any = None,
) -> int:
    """Entries for a bulk write, one insert: ``rows`` are ``(pk, label, {field: (old, new)})``;
    ``actor`` when the write has no request (a background import)."""
    entries = [
        _entry(
            model=model,
            pk=pk,
            label=label,
            action=action,
            changes={field: [_text(old), _text(new)] for field, (old, new) in changes.items()},
            extra=None,
            actor=actor,
        )
        for pk, label, changes in rows
    ]
    LogEntry.objects.bulk_create(entries)
    return len(entries)


def _text(value: Any) -> str:
    return "None" if value is None else str(value)


def changes_of(entry: LogEntry) -> dict[str, Any]:
    """The entry's changes as ``{field: [old, new]}`` (m2m changes as the library stores them)."""
    value = entry.changes
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


@contextlib.contextmanager
def redaction() -> Iterator[None]:
    """The one place entries may be rewritten: erasing a person's data from old values."""
    token = _redacting.set(True)
    try:
        yield
    finally:
        _redacting.reset(token)


@receiver(pre_save, sender=LogEntry, dispatch_uid="audit-append-only-save")
def _refuse_change(sender, instance: LogEntry, **kwargs) -> None:
    if instance.pk is not None and not _redacting.get() and LogEntry.objects.filter(pk=instance.pk).exists():
        raise PermissionDenied("Audit entries are append-only.")


@receiver(pre_delete, sender=LogEntry, dispatch_uid="audit-append-only-delete")
def _refuse_delete(sender, instance: LogEntry, **kwargs) -> None:
    if not _redacting.get():
        raise PermissionDenied("Audit entries are append-only.")
