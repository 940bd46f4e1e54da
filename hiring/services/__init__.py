"""Every write of the hiring app, one module per area; import from here."""

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
    rejection_email_send,
    tag_get_or_create,
)

__all__ = [
    "BULK_CONFIRM_OVER",
    "DEFAULT_STAGES",
    "JOB_FIELDS",
    "MoveConflict",
    "application_move",
    "application_reject",
    "application_tag",
    "applications_bulk_move",
    "applications_bulk_reject",
    "applications_bulk_tag",
    "job_create",
    "job_update",
    "rejection_email_send",
    "stage_create",
    "stage_delete",
    "stage_move",
    "stage_rename",
    "tag_get_or_create",
    "team_member_add",
    "team_member_remove",
]
