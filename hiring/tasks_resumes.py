"""Background jobs for candidates: résumé text extraction and CSV imports.

Imported from ``HiringConfig.ready()`` so workers register them. Thin: ids in, a service call.
"""

from celery import shared_task


@shared_task(acks_late=True)
def extract_resume_text(resume_id: int) -> str | None:
    from hiring.services.resumes import resume_extract_text

    resume = resume_extract_text(resume_id=resume_id)
    return resume.status if resume is not None else None


@shared_task(acks_late=True)
def run_candidate_import(import_id: int) -> str | None:
    from hiring.services.imports import candidate_import_run

    candidate_import = candidate_import_run(import_id=import_id)
    return candidate_import.status if candidate_import is not None else None
