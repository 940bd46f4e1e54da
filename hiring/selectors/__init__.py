"""Reads for the hiring app, one module per area; import from here."""

from .access import applications_visible_to, can_manage_pipeline, candidates_visible_to, jobs_visible_to
from .jobs import job_list

__all__ = [
    "applications_visible_to",
    "can_manage_pipeline",
    "candidates_visible_to",
    "job_list",
    "jobs_visible_to",
]
