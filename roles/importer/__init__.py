"""The role-document importer: ``reader`` reads the document into an outline of sections,
``mapping`` maps that outline to an unsaved template (``ParsedRole``). Import from here."""

from .mapping import (
    ParsedBand,
    ParsedCompetency,
    ParsedRequirement,
    ParsedResponsibility,
    ParsedRole,
    min_years,
    parse_role_document,
)
from .reader import RoleDocumentError

__all__ = [
    "ParsedBand",
    "ParsedCompetency",
    "ParsedRequirement",
    "ParsedResponsibility",
    "ParsedRole",
    "RoleDocumentError",
    "min_years",
    "parse_role_document",
]
