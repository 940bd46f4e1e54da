"""Writes about personal data itself: access events of the audit trail for sensitive reads.

A sensitive read (a résumé download, the self-identification report, a candidate's data export)
leaves an access entry in the audit trail (``roles.audit``): who, when, from which address, what.
Labels name the record by id, never by the person, so an erasure has nothing to find here.
"""

from __future__ import annotations

from hiring.models import Resume, SelfIdentification
from roles import audit


def resume_download_record(*, resume: Resume) -> None:
    audit.record_access(
        obj=resume,
        what="résumé download",
        label=f"Résumé #{resume.pk} of candidate #{resume.candidate_id}",
        candidate_id=resume.candidate_id,
    )


def self_identification_report_record(*, posting_id: int | None) -> None:
    audit.record_access(
        model=SelfIdentification,
        what="self-identification report",
        label=f"Self-identification totals ({f'posting #{posting_id}' if posting_id else 'all postings'})",
        posting_id=posting_id,
    )
