"""Résumé file work stays out of database transactions; a failed upload leaves no file behind."""

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from hiring import resume_text
from hiring.models import Candidate, Resume
from hiring.services import resumes
from tests.hiring.factories import CandidateFactory, RecruiterFactory


@pytest.fixture
def stored(monkeypatch):
    """Names the storage wrote, each with whether a transaction was open at that moment."""
    real = FileSystemStorage._save
    writes = []

    def save(self, name, content):
        saved = real(self, name, content)
        writes.append((saved, connection.in_atomic_block))
        return saved

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return writes


def test_upload_writes_the_file_before_the_row_and_outside_any_transaction(
    transactional_db, stored, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory()
    file = SimpleUploadedFile("cv.txt", b"Distributed systems and Rust")

    with django_capture_on_commit_callbacks(execute=False):
        resume = resumes.resume_upload(candidate=candidate, file=file, actor=RecruiterFactory())

    assert stored == [(resume.file.name, False)]
    assert Resume.objects.get(pk=resume.pk).file.name == resume.file.name


def test_a_row_that_cannot_be_written_removes_the_stored_file(db, stored, monkeypatch):
    candidate = CandidateFactory()

    def fail(*, candidate_id):
        raise RuntimeError("the database refused the write")

    monkeypatch.setattr(resumes, "candidate_touch", fail)
    with pytest.raises(RuntimeError):
        resumes.resume_upload(candidate=candidate, file=SimpleUploadedFile("cv.txt", b"Go and Rust"))

    [(name, _)] = stored
    assert not Resume.objects.exists()
    assert not FileSystemStorage().exists(name)  # nothing half-written is left behind


def test_text_is_extracted_outside_any_transaction(transactional_db, monkeypatch):
    real = resume_text.extract_text
    seen = []

    def extract(handle, content_type):
        seen.append(connection.in_atomic_block)
        return real(handle, content_type)

    monkeypatch.setattr(resume_text, "extract_text", extract)
    resume = Resume.objects.create(
        candidate=CandidateFactory(),
        file=SimpleUploadedFile("cv.txt", b"Kubernetes and Terraform"),
        original_name="cv.txt",
        content_type=resume_text.TXT,
        size=24,
    )

    done = resumes.resume_extract_text(resume_id=resume.pk)

    assert seen == [False]
    assert done.status == Resume.Status.DONE
    assert "Kubernetes" in Candidate.objects.get(pk=resume.candidate_id).resume_text
