"""Reads for the hiring app, one module per area; import from here.

Who may see which rows is decided in ``hiring.rules`` (the visibility querysets); every
selector starts from those."""

from .board import (
    CARDS_PER_COLUMN,
    Board,
    BoardFilters,
    Card,
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
    job_detail,
    job_get,
    job_list,
    job_list_filtered,
    jobs_with_stage_counts,
    published_templates,
)
from .timeline import candidate_timeline

__all__ = [
    "CARDS_PER_COLUMN",
    "Board",
    "BoardFilters",
    "Card",
    "Column",
    "application_page",
    "board_applications",
    "board_column_page",
    "board_get",
    "board_sources",
    "board_tags",
    "candidate_list",
    "candidate_list_options",
    "candidate_notes",
    "candidate_profile",
    "candidate_timeline",
    "job_detail",
    "job_get",
    "job_list",
    "job_list_filtered",
    "jobs_with_stage_counts",
    "published_templates",
    "reject_options",
]
