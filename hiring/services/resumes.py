"""Writes about résumés: upload (checked by content) and text extraction (a Celery task)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from hiring import resume_text
from hiring.background import enqueue, enqueue_on_commit
from hiring.models import Candidate, Resume
from roles.cleaning import clean_filename

from .candidates import candidate_touch

logger = logging.getLogger(__name__)

HEAD_BYTES = 2 * 1024 * 1024  # enough to read a DOCX's zip directory
EXTRACT_TASK = "hiring.tasks.extract_resume_text"
GAVE_UP_REASON = "Reading the text did not finish; upload the file again."


def resume_check_file(*, file: UploadedFile) -> str:
    """The file's content type, judged from its bytes; ``ValidationError`` when it is not a résumé."""
    size = file.size or 0
    if size == 0:
        raise ValidationError("The file is empty.", code="empty")
    if size > settings.RESUME_MAX_BYTES:
        raise ValidationError(
            f"The file is {filesizeformat(size)}; résumés can be at most {filesizeformat(settings.RESUME_MAX_BYTES)}.",
            code="too_large",
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    content_type = resume_text.detect_type(data)
    if content_type is None:
        raise ValidationError(
            "This file is not a PDF, a Word document (DOCX) or plain text, whatever its name says. "
            "Upload the résumé as PDF, DOCX or TXT.",
            code="wrong_type",
        )
    return content_type


def _safe_name(name: str, content_type: str) -> str:
    stem = "".join(char for char in name.rsplit(".", 1)[0] if char.isalnum() or char in "-_ ")[:80].strip() or "resume"
    return f"{stem}.{resume_text.EXTENSIONS[content_type]}"


def resume_upload(*, candidate: Candidate, file: UploadedFile, actor=None) -> Resume:
    """Store a résumé and extract its text in the background once the row is committed.

    The file is written to storage first, with no transaction open (storage may be slow or
    remote); then the row is created in a short transaction. When the row cannot be
    created, the stored file is removed again, so nothing is left half-written.
    """
    content_type = resume_check_file(file=file)
    original_name = clean_filename(file.name or "", default="resume")
    resume = Resume(
        candidate=candidate,
        original_name=original_name,
        content_type=content_type,
        size=file.size or 0,
        uploaded_by=actor,
        status=Resume.Status.PENDING,
    )
    resume.full_clean(exclude=["file"])
    resume.file.save(_safe_name(original_name, content_type), file, save=False)
    try:
        with transaction.atomic():
            resume.full_clean()
            resume.save()
            candidate_touch(candidate_id=candidate.pk)
            enqueue_on_commit("hiring.tasks.extract_resume_text", resume.pk)
    except BaseException:
        resume.file.delete(save=False)
        resume.pk = None
        raise
    return resume


def candidate_refresh_resume_text(*, candidate_id: int) -> None:
    """Copy the text of a candidate's résumés onto the candidate, where search finds it."""
    texts = Resume.objects.filter(candidate_id=candidate_id, status=Resume.Status.DONE).order_by("-created_at", "-id")
    combined = "\n\n".join(texts.values_list("text", flat=True))[: resume_text.MAX_TEXT_CHARS]
    Candidate.objects.filter(pk=candidate_id).update(resume_text=combined)


def _reason(error: Exception) -> str:
    if isinstance(error, resume_text.UnreadableResume):
        return str(error)[:255]
    return "The file could not be opened from storage."


def resume_mark_unreadable(*, resume_id: int, reason: str) -> bool:
    """Give up on a résumé still being read (the extraction hit its time limit); True when marked."""
    return bool(
        Resume.objects.filter(pk=resume_id, status=Resume.Status.PENDING).update(
            status=Resume.Status.FAILED, status_reason=reason[:255], text=""
        )
    )


def resume_extract_text(*, resume_id: int) -> Resume | None:
    """Fill in a résumé's text. Safe to run twice: a résumé already read is left alone.

    The file is read and parsed with no transaction open and no row locked (a large PDF
    takes a while); the result is written in a short transaction, only if the résumé is
    still pending (of two runs at once, the first to finish writes, the other changes nothing).
    """
    resume = Resume.objects.filter(pk=resume_id).first()
    if resume is None or resume.status != Resume.Status.PENDING:
        return resume
    reason = ""
    try:
        with resume.file.open("rb") as handle:
            text, status = resume_text.extract_text(handle, resume.content_type), Resume.Status.DONE
    except (resume_text.UnreadableResume, OSError) as error:
        text, status, reason = "", Resume.Status.FAILED, _reason(error)
    with transaction.atomic():
        pending = Resume.objects.filter(pk=resume_id, status=Resume.Status.PENDING)
        if not pending.update(text=text, status=status, status_reason=reason):
            return Resume.objects.filter(pk=resume_id).first()
        candidate_refresh_resume_text(candidate_id=resume.candidate_id)
        candidate_touch(candidate_id=resume.candidate_id)
    resume.text, resume.status, resume.status_reason = text, status, reason
    return resume


def resumes_sweep_pending(*, limit: int = 200) -> tuple[list[int], int]:
    """Catch up on résumés still "pending" (beat, every few minutes); returns (re-sent ids, given up).

    A résumé stays pending when its extraction message was lost: the broker was down at upload,
    or the worker was killed at the hard time limit. After ``RESUME_STALE_AFTER_SECONDS`` its
    extraction is sent again (running it twice is harmless); after
    ``RESUME_GIVE_UP_AFTER_SECONDS`` it is marked "could not read" with a reason, so a file that
    keeps killing workers is not retried for ever. Two queries, whatever the number of résumés.
    """
    now = timezone.now()
    pending = Resume.objects.filter(status=Resume.Status.PENDING)
    given_up = pending.filter(created_at__lt=now - timedelta(seconds=settings.RESUME_GIVE_UP_AFTER_SECONDS)).update(
        status=Resume.Status.FAILED, status_reason=GAVE_UP_REASON, text=""
    )
    stale = list(
        pending.filter(created_at__lt=now - timedelta(seconds=settings.RESUME_STALE_AFTER_SECONDS))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for resume_id in stale:
        logger.info("Résumé %s is still pending; sending its extraction again", resume_id)
        enqueue(EXTRACT_TASK, resume_id)
    if given_up:
        logger.warning("Gave up reading %s résumé(s) that stayed pending too long", given_up)
    return stale, given_up
