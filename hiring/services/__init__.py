"""Every write of the hiring app, one module per area; import from here."""

from .candidates import (
    DuplicateCandidate,
    application_create,
    candidate_create,
    candidate_find_duplicate,
    note_create,
)
from .imports import candidate_import_create, candidate_import_run, candidate_import_start
from .resumes import resume_extract_text, resume_upload

__all__: list[str] = [
    "DuplicateCandidate",
    "application_create",
    "candidate_create",
    "candidate_find_duplicate",
    "candidate_import_create",
    "candidate_import_run",
    "candidate_import_start",
    "note_create",
    "resume_extract_text",
    "resume_upload",
]
