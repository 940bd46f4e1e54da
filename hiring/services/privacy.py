"""Writes about personal data itself: access events for sensitive reads, a candidate's data export
and their erasure (the anonymiser that retention uses too).

A sensitive read (a résumé download, the self-identification report, a candidate's data export)
leaves an access entry in the audit trail (``roles.audit``): who, when, from which address, what.
Labels name the record by id, never by the person, so an erasure has nothing to find here.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast
from django.utils import timezone

from hiring.models import Candidate, CandidateImport, OutboxMessage, Resume, RetentionPolicy, SelfIdentification
from hiring.selectors.privacy import retention_due_ids, retention_policy
from roles import audit

from .webhooks import webhook_emit

logger = logging.getLogger(__name__)


def resume_download_record(*, resume: Resume) -> None:
    audit.record_access(
        obj=resume,
        what="résumé download",
        label=f"Résumé #{resume.pk} of candidate #{resume.candidate_id}",
        candidate_id=resume.candidate_id,
    )


def self_identification_report_record(*, posting_id: int | None) -> None:
    audit.record_access(
        model=SelfIdentification,
        what="self-identification report",
        label=f"Self-identification totals ({f'posting #{posting_id}' if posting_id else 'all postings'})",
        posting_id=posting_id,
    )


# --- Data-subject requests: export and erasure ------------------------------------------------------------

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
# How far the export and the erasure follow rows that point at a candidate (candidate -> application
# -> interview -> scorecard -> rating): every app's rows, found through the model graph, never by name.
RELATED_DEPTH = 4


def _related_rows(candidate: Candidate) -> list[tuple[type[models.Model], QuerySet[Any]]]:
    """Every model's rows that point at the candidate, directly or through other such rows
    (found from the model graph, so rows of apps above hiring are included without naming them)."""
    found: list[tuple[type[models.Model], QuerySet[Any]]] = [(Candidate, Candidate.objects.filter(pk=candidate.pk))]
    seen: set[type[models.Model]] = {Candidate}
    frontier = list(found)
    for _depth in range(RELATED_DEPTH):
        next_frontier = []
        for model, queryset in frontier:
            for relation in model._meta.related_objects:
                child = relation.related_model
                if relation.many_to_many or child in seen or not isinstance(child, type):
                    continue
                if child._meta.app_label not in ("roles", "hiring", "interviews") or child._meta.proxy:
                    continue
                field = relation.field
                rows = child._default_manager.filter(**{f"{field.name}__in": queryset.values("pk")})
                seen.add(child)
                next_frontier.append((child, rows))
        found.extend(next_frontier)
        frontier = next_frontier
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def candidate_export_data(*, candidate: Candidate) -> dict[str, Any]:
    """Everything stored about the candidate, table by table (the rows that point at them)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for model, queryset in _related_rows(candidate):
        columns = list(model._meta.concrete_fields)
        rows = [{f.attname: _plain(getattr(row, f.attname)) for f in columns} for row in queryset.order_by("pk")]
        if rows:
            tables[model._meta.label] = rows
    tables["tags"] = [{"name": name} for name in candidate.tags.values_list("name", flat=True)]
    return {"candidate_id": candidate.pk, "exported_at": timezone.now().isoformat(), "tables": tables}


def candidate_export(*, candidate_id: int, actor=None) -> bytes:
    """A zip with ``data.json`` (every row about the candidate) and ``files/`` (their résumés),
    recorded in the audit trail as an access event."""
    candidate = Candidate.objects.get(pk=candidate_id)
    data = candidate_export_data(candidate=candidate)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, default=str))
        for resume in Resume.objects.filter(candidate=candidate).order_by("pk"):
            try:
                with resume.file.open("rb") as handle:
                    content = handle.read()
            except (OSError, ValueError):
                continue  # a missing file: the row in data.json says so by its name
            name = (resume.file.name or "").rsplit("/", 1)[-1]
            archive.writestr(f"files/{resume.pk}-{name}", content)
    with audit.acting_as(actor) if actor is not None else contextlib.nullcontext():
        audit.record_access(
            obj=candidate, what="candidate data export", label=f"Candidate #{candidate.pk}", candidate_id=candidate.pk
        )
    return buffer.getvalue()


@dataclass
class Erasure:
    candidate_id: int
    rows_changed: int
    files_removed: list[str]
    anonymised: bool = True  # False: they had been anonymised before, nothing was done


def _needles(candidate: Candidate) -> tuple[list[str], list[str]]:
    """What to remove: values removed wherever they appear (full name, email, phone), and single
    names removed as words only in the rows about the candidate (another "Ada" keeps her name)."""
    everywhere = [value for value in (candidate.full_name, candidate.email, candidate.phone) if len(value) >= 3]
    if candidate.phone:
        digits = "".join(ch for ch in candidate.phone if ch.isdigit())
        if len(digits) >= 7:
            everywhere.append(digits)
    words = [value for value in (candidate.first_name, candidate.last_name) if len(value) >= 2]
    return everywhere, words


def _json_forms(value: str) -> list[str]:
    """The value as it appears in stored JSON text too (non-ASCII characters escaped)."""
    escaped = json.dumps(value)[1:-1]
    return [value] if escaped == value else [value, escaped]


def _scrub(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_scrub(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {_scrub(k, pattern, replacement): _scrub(v, pattern, replacement) for k, v in value.items()}
    return value


def _text_columns(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, TEXT_FIELDS) and not isinstance(f, models.GeneratedField) and not f.primary_key
    ]


def _scrub_rows(queryset: QuerySet[Any], needles: list[str], pattern: re.Pattern[str], replacement: str) -> int:
    """Rewrite the text columns of the rows containing one of the needles; returns how many rows."""
    model = queryset.model
    columns = _text_columns(model)
    if not columns or not needles:
        return 0
    condition = Q()
    annotations = {}
    for column in columns:
        if isinstance(column, models.JSONField):
            alias = f"_privacy_text_{column.attname}"
            annotations[alias] = Cast(column.attname, models.TextField())
            for needle in needles:
                for form in _json_forms(needle):
                    condition |= Q(**{f"{alias}__icontains": form})
        else:
            for needle in needles:
                condition |= Q(**{f"{column.attname}__icontains": needle})
    changed = 0
    for row in queryset.annotate(**annotations).filter(condition).only("pk", *[c.attname for c in columns]):
        updates = {}
        for column in columns:
            old = getattr(row, column.attname)
            new = _scrub(old, pattern, replacement)
            if new != old:
                updates[column.attname] = new
        if updates:
            model._default_manager.filter(pk=row.pk).update(**updates)
            changed += 1
    return changed


def _pattern(values: list[str], *, words: bool) -> re.Pattern[str]:
    parts = sorted({re.escape(v) for v in values}, key=len, reverse=True)
    body = "|".join(parts)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)" if words else f"(?:{body})", re.IGNORECASE)


def _every_model() -> list[type[models.Model]]:
    return [m for m in django_apps.get_models() if not m._meta.proxy and m._meta.managed]


def _wipe_free_text(related: list[tuple[type[models.Model], QuerySet[Any]]]) -> int:
    """Empty the free text the models declare personal (``personal_text_fields``: notes, evidence,
    takeaways, summaries, answers); ratings, dates and stages stay."""
    changed = 0
    for model, queryset in related:
        names = getattr(model, "personal_text_fields", ())
        if not names:
            continue
        values = {}
        for name in names:
            field = model._meta.get_field(name)
            values[name] = field.get_default() if isinstance(field, models.JSONField) else ""
        changed += queryset.update(**values)
    return changed


@transaction.atomic
def candidate_anonymise(*, candidate_id: int, reason: str, actor=None, free_text: bool = False) -> Erasure:
    """Remove the candidate's personal data and keep the facts reports need (applications, stage
    history, ratings, dates, source). Names, contact details, links and résumés go; their names,
    email and phone are removed from every text column of every table (notes, evidence, summaries
    and their quotes, emails in the outbox, audit values, search); résumé files are deleted after
    the commit. Safe to run twice (the second run finds nothing)."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
    if candidate.anonymised_at is not None:
        return Erasure(candidate_id=candidate.pk, rows_changed=0, files_removed=[], anonymised=False)
    replacement = f"[erased #{candidate.pk}]"
    everywhere, words = _needles(candidate)
    related = _related_rows(candidate)
    files = [name for name in Resume.objects.filter(candidate=candidate).values_list("file", flat=True) if name]
    changed = 0
    with audit.redaction(), disable_auditlog():
        # The candidate's own rows first: single names as words, and the résumés.
        if words or everywhere:
            pattern = _pattern(everywhere + words, words=True)
            for model, queryset in related:
                if model is Candidate:
                    continue
                changed += _scrub_rows(queryset, everywhere + words, pattern, replacement)
            # Emails to them or about their applications (linked by address and reference, not by a key).
            references = [f"application:{pk}" for pk in candidate.applications.values_list("pk", flat=True)]
            mail = Q(reference__in=references) | (Q(recipient__iexact=candidate.email) if candidate.email else Q())
            changed += _scrub_rows(OutboxMessage.objects.filter(mail), everywhere + words, pattern, replacement)
            entries = Q()
            for model, queryset in related:
                entries |= Q(
                    content_type=ContentType.objects.get_for_model(model),
                    object_pk__in=[str(pk) for pk in queryset.values_list("pk", flat=True)],
                )
            changed += _scrub_rows(LogEntry.objects.filter(entries), everywhere + words, pattern, replacement)
        if free_text:
            changed += _wipe_free_text(related)
        Resume.objects.filter(candidate=candidate).delete()
        # Then the full name, email and phone wherever they are, in every table.
        if everywhere:
            pattern = _pattern(everywhere, words=False)
            for model in _every_model():
                if model is Candidate:
                    continue
                changed += _scrub_rows(model._default_manager.all(), everywhere, pattern, replacement)
        Candidate.objects.filter(pk=candidate.pk).update(
            first_name="Anonymised",
            last_name=f"candidate #{candidate.pk}",
            email="",
            phone="",
            location="",
            links=[],
            resume_text="",
            updated_at=timezone.now(),
            anonymised_at=timezone.now(),
        )
    audit.record_changes(
        model=Candidate,
        rows=[(candidate.pk, f"Candidate #{candidate.pk}", {"personal data": ("kept", f"erased ({reason})")})],
        actor=actor,
    )
    # Connected systems erase their copy too; the event carries the id only.
    webhook_emit(event_type="candidate.erased", data={"candidate_id": candidate.pk, "reason": reason})
    imports = [name for name in CandidateImport.objects.values_list("file", flat=True) if name]
    transaction.on_commit(lambda: _delete_files(files))
    transaction.on_commit(lambda: _strip_import_files(imports, everywhere))
    return Erasure(candidate_id=candidate.pk, rows_changed=changed, files_removed=files)


def _strip_import_files(names: list[str], needles: list[str]) -> None:
    """Uploaded CSV files keep no line that names the person (by full name, email or phone)."""
    lowered = [n.lower() for n in needles]
    for name in names:
        try:
            with default_storage.open(name, "rb") as handle:
                text = handle.read().decode("utf-8", "replace")
        except OSError:
            continue
        lines = text.splitlines(keepends=True)
        kept = [line for line in lines if not any(n in line.lower() for n in lowered)]
        if len(kept) == len(lines):
            continue
        default_storage.delete(name)
        default_storage.save(name, ContentFile("".join(kept).encode()))


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete the erased file %s", name)


# --- Retention -----------------------------------------------------------------------------------------------

RETENTION_BATCH = 200


def retention_apply(*, now: datetime | None = None, limit: int = RETENTION_BATCH) -> int:
    """Anonymise the candidates the retention policy says are due (each in its own transaction;
    free text included). Safe to run twice or at the same time: a person is anonymised once."""
    now = now or timezone.now()
    policy = retention_policy()
    if not policy.active:
        return 0
    done = 0
    for candidate_id in retention_due_ids(policy=policy, now=now)[:limit]:
        result = candidate_anonymise(candidate_id=candidate_id, reason="retention policy", free_text=True)
        done += int(result.anonymised)
    return done


@transaction.atomic
def retention_policy_save(*, policy: RetentionPolicy) -> RetentionPolicy:
    """The one policy row (validated; a second row is never created)."""
    existing = RetentionPolicy.objects.select_for_update().order_by("pk").first()
    if existing is not None and policy.pk != existing.pk:
        policy.pk = existing.pk
        policy._state.adding = False
    policy.full_clean()
    policy.save()
    return policy
