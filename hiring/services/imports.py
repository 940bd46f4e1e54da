"""CSV import of candidates: upload, column mapping, then Celery tasks that import in batches.

The import works in batches of ``IMPORT_BATCH_ROWS`` rows. Each batch is one task run and one
transaction: it validates its rows, looks up duplicates with one query per kind (email, phone),
writes candidates, tags and applications with ``bulk_create`` and moves the import's cursor
(``processed_rows``) and heartbeat, then enqueues the next batch once it has committed. So no
run comes near the task time limit, and progress survives a worker restart:

* a batch claims the import by its cursor under a row lock: a second delivery of the same batch
  (a retried message, the sweeper) finds the cursor moved on and does nothing;
* a worker killed mid-batch rolls the whole batch back; the sweeper (beat, every minute)
  re-enqueues imports whose heartbeat is older than ``IMPORT_STALE_AFTER_SECONDS``, and the
  batch runs again from the same cursor, so every row is imported exactly once.

A row that fails validation is listed in the import's error report with its content; the
rows around it are imported.
"""

import csv
import dataclasses
import io
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.functions import Coalesce, Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from hiring.background import enqueue, enqueue_on_commit
from hiring.forms import IMPORT_FIELDS, CandidateFieldsForm
from hiring.models import Application, Candidate, CandidateImport, Job, StageChange, Tag
from roles import audit

from .candidates import phone_digits
from .webhooks import application_data, webhook_emit_many

logger = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 1_000
MAX_CELLS_KEPT = 20  # of a failing row's content, in the error report
MAX_CELL_CHARS = 100
IMPORT_TASK = "hiring.tasks.run_candidate_import"

HEADER_GUESSES = {
    "first_name": {"firstname", "first", "givenname", "forename", "prenom"},
    "last_name": {"lastname", "last", "surname", "familyname", "nom"},
    "name": {"name", "fullname", "candidate", "candidatename"},
    "email": {"email", "emailaddress", "mail", "e-mail"},
    "phone": {"phone", "phonenumber", "mobile", "telephone", "tel", "cell"},
    "location": {"location", "city", "country", "address", "town"},
    "source": {"source", "channel", "origin"},
    "tags": {"tags", "tag", "labels", "skills"},
    "links": {"links", "link", "linkedin", "url", "website", "github", "portfolio", "profile"},
}


class CsvProblem(ValidationError):
    """The file as a whole cannot be read as a CSV."""


def parse_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file; ``CsvProblem`` with a clear message when it is not one."""
    if not data.strip():
        raise CsvProblem("The file is empty.", code="empty")
    if b"\x00" in data:
        raise CsvProblem("This is not a CSV file (it contains binary data). Export the sheet as CSV.", code="binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvProblem(
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and upload it again.",
            code="encoding",
        ) from None
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise CsvProblem(f"The file is not a well-formed CSV ({error}).", code="malformed") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise CsvProblem("The file is empty.", code="empty")
    header = [cell.strip()[:100] for cell in rows[0]]
    if len(rows) == 1:
        raise CsvProblem("The file has a header row but no candidates below it.", code="no_rows")
    if len(rows) - 1 > settings.IMPORT_MAX_ROWS:
        raise CsvProblem(
            f"The file has {len(rows) - 1:,} rows; import at most {settings.IMPORT_MAX_ROWS:,} at a time.",
            code="too_many_rows",
        )
    return header, rows[1:]


def guess_mapping(header: list[str]) -> dict[str, int]:
    """Candidate field -> column index, from the column names."""
    mapping: dict[str, int] = {}
    for index, title in enumerate(header):
        key = re.sub(r"[^a-z-]", "", title.lower())
        for field, names in HEADER_GUESSES.items():
            if field not in mapping and key in names:
                mapping[field] = index
                break
    if "name" in mapping and "first_name" in mapping:
        del mapping["name"]
    return mapping


def row_values(*, row: list[str], header: list[str], mapping: dict[str, int]) -> dict[str, str]:
    """The mapped values of one row; ``ValidationError`` when the row's shape is wrong."""
    if len(row) != len(header):
        raise ValidationError(
            f"This row has {len(row)} columns; the header has {len(header)}. Check for a missing or extra comma.",
            code="column_count",
        )
    values = {field: row[index].strip() for field, index in mapping.items() if index < len(row)}
    full_name = values.pop("name", "")
    if full_name and not values.get("first_name"):
        first, _, last = full_name.partition(" ")
        values["first_name"] = first
        values.setdefault("last_name", last.strip())
    return values


class RowValidator:
    """Validates rows with the add-candidate form's rules, one form instance for a whole batch.

    Building a Django form deep-copies its fields; rebinding one instance to each row's data
    and cleaning it again gives the same result at a fraction of the cost.
    """

    def __init__(self) -> None:
        self.form = CandidateFieldsForm(data={})

    def clean(self, values: dict[str, str]) -> dict:
        form = self.form
        form.data = values
        form.full_clean()
        if form.errors:
            messages: list[str] = []
            for name, errors in form.errors.items():
                label = form.fields[name].label or name.replace("_", " ").capitalize() if name != "__all__" else ""
                messages.extend(f"{label}: {error}" if label else str(error) for error in errors)
            raise ValidationError(messages)
        return dict(form.cleaned_data)


def row_clean(*, values: dict[str, str]) -> dict:
    """Validate a row with the same rules as the add-candidate form."""
    return RowValidator().clean(values)


@transaction.atomic
def candidate_import_create(*, file: UploadedFile, actor, job: Job | None = None) -> CandidateImport:
    """Store an uploaded CSV with a guessed column mapping, ready to be mapped and previewed."""
    size = file.size or 0
    if size > settings.IMPORT_MAX_BYTES:
        raise CsvProblem(
            f"The file is {filesizeformat(size)}; "
            f"import at most {filesizeformat(settings.IMPORT_MAX_BYTES)} at a time.",
            code="too_large",
        )
    data = file.read()
    header, rows = parse_csv(data)
    candidate_import = CandidateImport(
        job=job,
        original_name=(file.name or "import.csv")[:255],
        mapping=guess_mapping(header),
        total_rows=len(rows),
        created_by=actor,
        status=CandidateImport.Status.UPLOADED,
    )
    candidate_import.file.save("candidates.csv", ContentFile(data), save=False)
    candidate_import.full_clean()
    candidate_import.save()
    return candidate_import


# The last file a process parsed: the batches of one import usually run in the same worker
# process one after the other, and an uploaded file never changes.
_parsed: dict[tuple, tuple[list[str], list[list[str]]]] = {}


def candidate_import_read(*, candidate_import: CandidateImport) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the import's file (parsed once per process and import)."""
    key = (candidate_import.pk, candidate_import.file.name, candidate_import.created_at)
    if key not in _parsed:
        with candidate_import.file.open("rb") as handle:
            parsed = parse_csv(handle.read())
        _parsed.clear()
        _parsed[key] = parsed
    return _parsed[key]


@transaction.atomic
def candidate_import_start(
    *, candidate_import: CandidateImport, mapping: dict[str, int], job: Job | None = None, actor=None
) -> CandidateImport:
    """Save the column mapping and queue the import (once the transaction commits)."""
    locked = CandidateImport.objects.select_for_update().get(pk=candidate_import.pk)
    if locked.status != CandidateImport.Status.UPLOADED:
        raise ValidationError("This import has already been started.", code="started")
    locked.mapping = mapping
    locked.job = job
    locked.status = CandidateImport.Status.QUEUED
    locked.heartbeat_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["mapping", "job", "status", "heartbeat_at"])
    enqueue_on_commit(IMPORT_TASK, locked.pk, locked.processed_rows)
    return locked


@dataclass
class BatchResult:
    """What one batch did: counts and the report lines of the rows that were not imported."""

    created: int = 0
    reused: int = 0
    errors: list[dict] = dataclasses.field(default_factory=list)


def _row_error(*, line: int, row: list[str], messages: list[str], header: list[str] | None = None) -> dict:
    """A report line: the row number, what is wrong, and the row's content (trimmed) to find it,
    also as "column: value" pairs when the header is known (empty cells left out)."""
    values = [cell[:MAX_CELL_CHARS] for cell in row[:MAX_CELLS_KEPT]]
    error = {"row": line, "messages": [str(message)[:300] for message in messages], "values": values}
    if header is not None:
        named = [
            (header[i].strip()[:MAX_CELL_CHARS] if i < len(header) and header[i].strip() else f"column {i + 1}", value)
            for i, value in enumerate(values)
        ]
        error["content"] = " · ".join(f"{name}: {value}" for name, value in named if value.strip()) or "(empty row)"
    return error


def _existing_by_email_and_phone(rows: list[dict]) -> tuple[dict[str, int], dict[str, int]]:
    """Candidates on file matching the batch's emails (case-insensitive) or phones: two queries at most."""
    emails = {row["email"] for row in rows if row["email"]}
    digits = {row["digits"] for row in rows if not row["email"] and len(row["digits"]) >= 6}
    by_email: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    if emails:
        on_file = Candidate.objects.annotate(email_key=Lower("email")).filter(email_key__in=emails)
        for pk, email in on_file.order_by("id").values_list("id", "email_key"):
            by_email.setdefault(email, pk)
    if digits:
        same_phone = Candidate.objects.filter(phone_digits__in=digits)
        for pk, number in same_phone.order_by("id").values_list("id", "phone_digits"):
            by_phone.setdefault(number, pk)
    return by_email, by_phone


def _tags_by_key(names: set[str]) -> dict[str, Tag]:
    """Tags by lower-cased name, matched case-insensitively and created when new: three queries at most."""
    wanted = {name.lower(): name for name in names}
    if not wanted:
        return {}
    found: dict[str, Tag] = {}
    for existing in Tag.objects.annotate(key=Lower("name")).filter(key__in=wanted).order_by("id"):
        found.setdefault(existing.key, existing)
    missing = [Tag(name=name) for key, name in wanted.items() if key not in found]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        for created in Tag.objects.filter(name__in=[tag.name for tag in missing]).order_by("id"):
            found.setdefault(created.name.lower(), created)
    return found


def _import_batch(
    *, rows: list[list[str]], first_line: int, header: list[str], mapping: dict, job: Job | None, actor
) -> BatchResult:
    """Import ``rows`` (one batch) in a fixed number of queries, whatever their content.

    Validation is the add-candidate form's, row by row and without queries; duplicates are
    looked up for the whole batch at once. A row whose email (or, without an email, phone
    number) is already on file reuses that candidate, as does a repeat of a row earlier in the
    batch; the others are created together. Every candidate of the batch is applied to ``job``
    unless already applied.
    """
    result = BatchResult()
    first_stage = job.stages.order_by("order", "id").first() if job is not None else None
    if job is not None and first_stage is None:
        message = f"{job.title} has no stages yet; add a stage before adding candidates."
        result.errors = [
            _row_error(line=first_line + i, row=row, messages=[message], header=header) for i, row in enumerate(rows)
        ]
        return result

    valid: list[dict] = []
    validator = RowValidator()
    for offset, row in enumerate(rows):
        line = first_line + offset
        try:
            data = validator.clean(row_values(row=row, header=header, mapping=mapping))
        except ValidationError as error:
            result.errors.append(_row_error(line=line, row=row, messages=error.messages, header=header))
            continue
        email = data["email"].strip().lower()
        valid.append({"line": line, "row": row, "data": data, "email": email, "digits": phone_digits(data["phone"])})

    by_email, by_phone = _existing_by_email_and_phone(valid)
    seen: dict[str, tuple[str, int]] = {}  # person key -> ("old", candidate id) or ("new", index)
    refs: list[tuple[str, int]] = []  # the candidate of each imported row, in order
    new_candidates: list[Candidate] = []
    new_tags: list[list[str]] = []
    source_default = "CSV import"
    for item in valid:
        data, email, digits = item["data"], item["email"], item["digits"]
        key = f"email:{email}" if email else f"phone:{digits}"
        ref = seen.get(key)
        if ref is None:
            existing = by_email.get(email) if email else by_phone.get(digits)
            if existing is not None:
                ref = ("old", existing)
            else:
                candidate = Candidate(
                    first_name=data["first_name"].strip(),
                    last_name=data["last_name"].strip(),
                    email=email,
                    phone=data["phone"].strip(),
                    location=data["location"].strip(),
                    links=list(data["links"] or []),
                    source=(data["source"] or source_default).strip(),
                )
                try:
                    candidate.full_clean(exclude=["search_document", "phone_digits"], validate_unique=False)
                except ValidationError as error:
                    result.errors.append(
                        _row_error(line=item["line"], row=item["row"], messages=error.messages, header=header)
                    )
                    continue
                new_candidates.append(candidate)
                new_tags.append(data["tags"])
                ref = ("new", len(new_candidates) - 1)
                result.created += 1
            seen[key] = ref
            if ref[0] == "old":
                result.reused += 1
        else:
            result.reused += 1
        refs.append(ref)

    if new_candidates:
        Candidate.objects.bulk_create(new_candidates)
        audit.record_changes(
            model=Candidate,
            rows=[(c.pk, c.full_name, {"source": (None, c.source)}) for c in new_candidates],
            action=audit.Action.CREATE,
            actor=actor,
        )
        names = {" ".join((raw or "").split())[:50] for tags in new_tags for raw in tags} - {""}
        tags = _tags_by_key(names)
        through = Candidate.tags.through
        links: list[Any] = []  # rows of the candidate-tag table
        for candidate, tag_names in zip(new_candidates, new_tags, strict=True):
            tag_ids = {tags[name.lower()].pk for raw in tag_names if (name := " ".join((raw or "").split())[:50])}
            links.extend(through(candidate_id=candidate.pk, tag_id=tag_id) for tag_id in sorted(tag_ids))
        if links:
            through.objects.bulk_create(links)

    if job is not None and refs:
        candidate_ids = list(dict.fromkeys(pk if kind == "old" else new_candidates[pk].pk for kind, pk in refs))
        old_ids = {pk for kind, pk in refs if kind == "old"}
        applied = set(
            Application.objects.filter(job=job, candidate_id__in=old_ids).values_list("candidate_id", flat=True)
            if old_ids
            else ()
        )
        now = timezone.now()
        applications = [
            Application(candidate_id=pk, job=job, stage=first_stage, stage_entered_at=now, applied_at=now)
            for pk in candidate_ids
            if pk not in applied
        ]
        Application.objects.bulk_create(applications)
        audit.record_changes(
            model=Application,
            rows=[(a.pk, f"Application #{a.pk}", {"stage": (None, a.stage_id)}) for a in applications],
            action=audit.Action.CREATE,
            actor=actor,
        )
        StageChange.objects.bulk_create(
            StageChange(
                application=application,
                to_stage=first_stage,
                to_status=Application.Status.ACTIVE,
                actor=actor,
                reason=f"Applied ({source_default})",
                created_at=now,
            )
            for application in applications
        )
        webhook_emit_many(events=[("application.created", application_data(a, source="import")) for a in applications])
        touched = [application.candidate_id for application in applications if application.candidate_id in old_ids]
        if touched:
            Candidate.objects.filter(pk__in=touched).update(updated_at=now)
    return result


def _fail(*, import_id: int, message: str) -> None:
    CandidateImport.objects.filter(
        pk=import_id, status__in=[CandidateImport.Status.QUEUED, CandidateImport.Status.RUNNING]
    ).update(
        status=CandidateImport.Status.FAILED,
        errors=[{"row": None, "messages": [message]}],
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


def candidate_import_run_batch(*, import_id: int, cursor: int | None = None) -> CandidateImport | None:
    """Import the next batch of rows, commit it with the new cursor, and enqueue the batch after it.

    ``cursor`` is the row the caller expects to start at (what the enqueuing run saw). A batch
    already done, or one another worker is importing right now, is left alone, so running
    this twice never imports a row twice.
    """
    in_progress = [CandidateImport.Status.QUEUED, CandidateImport.Status.RUNNING]
    candidate_import = CandidateImport.objects.select_related("job", "created_by").filter(pk=import_id).first()
    if candidate_import is None or candidate_import.status not in in_progress:
        return candidate_import
    if cursor is not None and cursor != candidate_import.processed_rows:
        return candidate_import  # that batch is done already: a repeated message
    try:  # file I/O and parsing happen before the transaction
        header, rows = candidate_import_read(candidate_import=candidate_import)
    except (ValidationError, OSError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else "The uploaded file is missing."
        _fail(import_id=import_id, message=message)
        candidate_import.refresh_from_db()
        return candidate_import

    with transaction.atomic():
        # Claim the batch: the import's row lock, held until this batch commits. A concurrent
        # run (the sweeper's, a redelivery) skips instead of waiting, then finds the cursor moved.
        locked = (
            CandidateImport.objects.select_for_update(skip_locked=True)
            .filter(pk=import_id, status__in=in_progress, processed_rows=candidate_import.processed_rows)
            .first()
        )
        if locked is None:
            return CandidateImport.objects.filter(pk=import_id).first()
        start = locked.processed_rows
        stop = min(start + max(1, settings.IMPORT_BATCH_ROWS), len(rows))
        result = _import_batch(
            rows=rows[start:stop],
            first_line=start + 2,  # the header is line 1
            header=header,
            mapping=locked.mapping,
            job=candidate_import.job,
            actor=candidate_import.created_by,
        )
        now = timezone.now()
        room = max(0, MAX_ERRORS_KEPT - len(locked.errors))
        locked.errors = [*locked.errors, *result.errors[:room]]
        locked.processed_rows = stop
        locked.total_rows = len(rows)
        locked.created_count += result.created
        locked.reused_count += result.reused
        locked.failed_count += len(result.errors)
        locked.heartbeat_at = now
        if stop >= len(rows):
            locked.status = CandidateImport.Status.DONE
            locked.finished_at = now
        else:
            locked.status = CandidateImport.Status.RUNNING
            enqueue_on_commit(IMPORT_TASK, import_id, stop)
        locked.save(
            update_fields=[
                "errors",
                "processed_rows",
                "total_rows",
                "created_count",
                "reused_count",
                "failed_count",
                "heartbeat_at",
                "status",
                "finished_at",
            ]
        )
    return locked


def candidate_import_run(*, import_id: int) -> CandidateImport | None:
    """Run the import's remaining batches one after the other in this process (tests, the bench).

    The worker runs one batch per task instead; both paths share ``candidate_import_run_batch``.
    """
    candidate_import = CandidateImport.objects.filter(pk=import_id).first()
    if candidate_import is None:
        return None
    batches = candidate_import.total_rows // max(1, settings.IMPORT_BATCH_ROWS) + 2
    for _ in range(batches):
        candidate_import = candidate_import_run_batch(import_id=import_id)
        if candidate_import is None or not candidate_import.in_progress:
            break
    return candidate_import


def candidate_imports_sweep_stale(*, limit: int = 100) -> list[int]:
    """Re-enqueue imports that made no progress for ``IMPORT_STALE_AFTER_SECONDS`` (beat, every minute).

    A lost message, a killed worker or a broker that was down when the import started leaves
    an import queued or running with an old heartbeat; its next batch is sent again, from the
    cursor it stopped at. A batch that is in fact still running skips the repeated message.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_AFTER_SECONDS)
    stale = list(
        CandidateImport.objects.filter(status__in=[CandidateImport.Status.QUEUED, CandidateImport.Status.RUNNING])
        .annotate(last_progress=Coalesce("heartbeat_at", "created_at"))
        .filter(last_progress__lt=cutoff)
        .order_by("last_progress")
        .values_list("pk", "processed_rows")[:limit]
    )
    for import_id, cursor in stale:
        logger.info("Import %s made no progress since the cutoff; resuming at row %s", import_id, cursor)
        enqueue(IMPORT_TASK, import_id, cursor)
    return [import_id for import_id, _cursor in stale]


def candidate_import_preview(*, candidate_import: CandidateImport, mapping: dict[str, int], rows: int = 10) -> dict:
    """The first rows as they would be imported (mapped fields only), each with its problems.

    A dry run of ``candidate_import_run`` over the first rows: it writes nothing."""
    header, data = candidate_import_read(candidate_import=candidate_import)
    shown = [(name, label) for name, label in IMPORT_FIELDS if name in mapping and name != "name"]
    if "name" in mapping:
        shown = [
            ("first_name", "First name"),
            ("last_name", "Last name"),
            *[f for f in shown if f[0] not in ("first_name", "last_name")],
        ]
    preview = []
    invalid = 0
    validator = RowValidator()
    # Every row is checked (no queries; about 1.5 s for the largest file allowed), the first ``rows`` shown.
    for index, row in enumerate(data):
        errors: list[str] = []
        values: dict = {name: row[i] if i < len(row) else "" for name, i in mapping.items()}
        try:
            values = row_values(row=row, header=header, mapping=mapping)
            values = validator.clean(values)
        except ValidationError as error:
            errors = error.messages
            invalid += 1
        if index >= rows:
            continue
        cells = []
        for name, _label in shown:
            value = values.get(name, "")
            cells.append(", ".join(value) if isinstance(value, list) else str(value or ""))
        preview.append({"line": index + 2, "cells": cells, "errors": errors})
    return {
        "header": header,
        "columns": [label for _name, label in shown],
        "rows": preview,
        "total": len(data),
        "valid": len(data) - invalid,  # what the import button says it imports
        "invalid": invalid,  # rows the import will skip and list in its report
    }
