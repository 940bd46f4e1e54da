"""Reads for the hiring app, one module per area; import from here."""

from .access import applications_visible_to, can_manage_pipeline, candidates_visible_to, jobs_visible_to
from .candidates import application_page, candidate_list, candidate_list_options, candidate_notes, candidate_profile
from .jobs import job_list
from .timeline import candidate_timeline

__all__ = [
    "application_page",
    "applications_visible_to",
    "can_manage_pipeline",
    "candidate_list",
    "candidate_list_options",
    "candidate_notes",
    "candidate_profile",
    "candidate_timeline",
    "candidates_visible_to",
    "job_list",
    "jobs_visible_to",
]
