"""Reads for the hiring app, one module per area; import from here."""

from .jobs import job_list

__all__ = ["job_list"]
