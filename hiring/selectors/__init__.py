"""Reads for the hiring app, one module per area; import from here."""

from .access import applications_visible_to, can_manage_pipeline, candidates_visible_to, jobs_visible_to
from .board import (
    CARDS_PER_COLUMN,
    Board,
    BoardFilters,
    Column,
    board_applications,
    board_column_page,
    board_get,
    board_sources,
    board_tags,
    reject_options,
)
from .candidates import application_page, candidate_list, candidate_list_options, candidate_notes, candidate_profile
from .jobs import (
    SCORECARD_OVERDUE_AFTER,
    job_detail,
    job_get,
    job_list,
    job_list_filtered,
    jobs_with_stage_counts,
    overdue_cutoff,
    overdue_scorecards_q,
    published_templates,
)
from .timeline import candidate_timeline

__all__ = [
    "CARDS_PER_COLUMN",
    "SCORECARD_OVERDUE_AFTER",
    "Board",
    "BoardFilters",
    "Column",
    "application_page",
    "applications_visible_to",
    "board_applications",
    "board_column_page",
    "board_get",
    "board_sources",
    "board_tags",
    "can_manage_pipeline",
    "candidate_list",
    "candidate_list_options",
    "candidate_notes",
    "candidate_profile",
    "candidate_timeline",
    "candidates_visible_to",
    "job_detail",
    "job_get",
    "job_list",
    "job_list_filtered",
    "jobs_visible_to",
    "jobs_with_stage_counts",
    "overdue_cutoff",
    "overdue_scorecards_q",
    "published_templates",
    "reject_options",
]
