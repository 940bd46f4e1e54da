"""Every write of the hiring app, one module per area; import from here."""

from .candidates import (
    DuplicateCandidate,
    application_create,
    candidate_create,
    candidate_find_duplicate,
    note_create,
)
from .imports import candidate_import_create, candidate_import_run, candidate_import_start
from .jobs import (
    DEFAULT_STAGES,
    JOB_FIELDS,
    job_create,
    job_update,
    stage_create,
    stage_delete,
    stage_move,
    stage_rename,
    team_member_add,
    team_member_remove,
)
from .pipeline import (
    BULK_CONFIRM_OVER,
    MoveConflict,
    application_move,
    application_reject,
    application_tag,
    applications_bulk_move,
    applications_bulk_reject,
    applications_bulk_tag,
    rejection_emails_queue,
    tag_get_or_create,
)
from .resumes import resume_extract_text, resume_upload

__all__ = [
    "BULK_CONFIRM_OVER",
    "DEFAULT_STAGES",
    "JOB_FIELDS",
    "DuplicateCandidate",
    "MoveConflict",
    "application_create",
    "application_move",
    "application_reject",
    "application_tag",
    "applications_bulk_move",
    "applications_bulk_reject",
    "applications_bulk_tag",
    "candidate_create",
    "candidate_find_duplicate",
    "candidate_import_create",
    "candidate_import_run",
    "candidate_import_start",
    "job_create",
    "job_update",
    "note_create",
    "rejection_emails_queue",
    "resume_extract_text",
    "resume_upload",
    "stage_create",
    "stage_delete",
    "stage_move",
    "stage_rename",
    "tag_get_or_create",
    "team_member_add",
    "team_member_remove",
]
