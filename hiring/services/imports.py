"""CSV import of candidates: upload, column mapping, then a Celery task that imports row by row.

Every row runs in its own savepoint: a row that fails leaves nothing behind and is listed
in the import's error report; the rows around it are imported. The task is safe to run
twice: it continues after the last row it finished and does nothing once the import is done.
"""

import csv
import io
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from hiring.background import enqueue_on_commit
from hiring.forms import IMPORT_FIELDS, CandidateFieldsForm
from hiring.models import Application, CandidateImport, Job

from .candidates import DuplicateCandidate, application_create, candidate_create

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 20_000
MAX_ERRORS_KEPT = 1_000

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
    if len(rows) - 1 > IMPORT_MAX_ROWS:
        raise CsvProblem(f"The file has {len(rows) - 1:,} rows; import at most {IMPORT_MAX_ROWS:,} at a time.")
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


def row_clean(*, values: dict[str, str]) -> dict:
    """Validate a row with the same rules as the add-candidate form."""
    form = CandidateFieldsForm(data=values)
    if not form.is_valid():
        messages: list[str] = []
        for field, errors in form.errors.items():
            label = form.fields[field].label or field.replace("_", " ").capitalize() if field != "__all__" else ""
            messages.extend(f"{label}: {error}" if label else str(error) for error in errors)
        raise ValidationError(messages)
    return form.cleaned_data


@transaction.atomic
def candidate_import_create(*, file: UploadedFile, actor, job: Job | None = None) -> CandidateImport:
    """Store an uploaded CSV with a guessed column mapping, ready to be mapped and previewed."""
    size = file.size or 0
    if size > IMPORT_MAX_BYTES:
        raise CsvProblem(
            f"The file is {filesizeformat(size)}; import at most {filesizeformat(IMPORT_MAX_BYTES)} at a time.",
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


def candidate_import_read(*, candidate_import: CandidateImport) -> tuple[list[str], list[list[str]]]:
    with candidate_import.file.open("rb") as handle:
        return parse_csv(handle.read())


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
    locked.full_clean()
    locked.save(update_fields=["mapping", "job", "status"])
    import_id = locked.pk
    enqueue_on_commit("hiring.tasks.run_candidate_import", import_id)
    return locked


def _import_row(*, values: dict[str, str], job: Job | None, actor) -> str:
    """Create or reuse the candidate of one row (and apply them); returns "created" or "reused"."""
    data = row_clean(values=values)
    try:
        candidate = candidate_create(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            location=data["location"],
            links=data["links"],
            source=data["source"] or "CSV import",
            tags=data["tags"],
            actor=actor,
            allow_phone_duplicate=True,
        )
        outcome = "created"
    except DuplicateCandidate as duplicate:
        candidate = duplicate.existing
        outcome = "reused"
    if job is not None and not Application.objects.filter(candidate=candidate, job=job).exists():
        application_create(candidate=candidate, job=job, actor=actor, source="CSV import")
    return outcome


def candidate_import_run(*, import_id: int) -> CandidateImport | None:
    """Import every row not imported yet; each row commits (or rolls back) on its own."""
    with transaction.atomic():
        candidate_import = CandidateImport.objects.select_for_update().filter(pk=import_id).first()
        if candidate_import is None or candidate_import.status in (
            CandidateImport.Status.DONE,
            CandidateImport.Status.FAILED,
            CandidateImport.Status.UPLOADED,
        ):
            return candidate_import
        candidate_import.status = CandidateImport.Status.RUNNING
        candidate_import.save(update_fields=["status"])
    job = Job.objects.filter(pk=candidate_import.job_id).first() if candidate_import.job_id else None
    actor = candidate_import.created_by
    try:
        header, rows = candidate_import_read(candidate_import=candidate_import)
    except (ValidationError, OSError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else "The uploaded file is missing."
        CandidateImport.objects.filter(pk=import_id).update(
            status=CandidateImport.Status.FAILED,
            errors=[{"row": None, "messages": [message]}],
            finished_at=timezone.now(),
        )
        candidate_import.refresh_from_db()
        return candidate_import
    errors = list(candidate_import.errors)
    for index in range(candidate_import.processed_rows, len(rows)):
        line = index + 2  # the header is line 1
        try:
            with transaction.atomic():
                values = row_values(row=rows[index], header=header, mapping=candidate_import.mapping)
                outcome = _import_row(values=values, job=job, actor=actor)
                CandidateImport.objects.filter(pk=import_id).update(
                    processed_rows=index + 1,
                    created_count=F("created_count") + int(outcome == "created"),
                    reused_count=F("reused_count") + int(outcome == "reused"),
                )
        except ValidationError as error:
            if len(errors) < MAX_ERRORS_KEPT:
                errors.append({"row": line, "messages": [str(message)[:300] for message in error.messages]})
            CandidateImport.objects.filter(pk=import_id).update(processed_rows=index + 1, errors=errors)
    CandidateImport.objects.filter(pk=import_id).update(
        status=CandidateImport.Status.DONE, processed_rows=len(rows), total_rows=len(rows), finished_at=timezone.now()
    )
    candidate_import.refresh_from_db()
    return candidate_import


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
    for index, row in enumerate(data[:rows]):
        errors: list[str] = []
        values: dict = {name: row[i] if i < len(row) else "" for name, i in mapping.items()}
        try:
            values = row_values(row=row, header=header, mapping=mapping)
            values = row_clean(values=values)
        except ValidationError as error:
            errors = error.messages
        cells = []
        for name, _label in shown:
            value = values.get(name, "")
            cells.append(", ".join(value) if isinstance(value, list) else str(value or ""))
        preview.append({"line": index + 2, "cells": cells, "errors": errors})
    return {"header": header, "columns": [label for _name, label in shown], "rows": preview, "total": len(data)}
