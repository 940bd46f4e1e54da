"""Résumé upload (type judged by content, size limit) and text extraction by a Celery task."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hiring import resume_text
from hiring.models import Candidate, Resume
from hiring.services import resume_extract_text, resume_upload
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    HiringManagerFactory,
    InterviewerFactory,
    RecruiterFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def make_pdf(text: str) -> bytes:
    """A small, valid one-page PDF showing ``text`` (Helvetica)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100


class TestDetectType:
    def test_known_types_by_content(self):
        assert resume_text.detect_type(make_pdf("Hello")) == resume_text.PDF
        assert resume_text.detect_type(make_docx("Hello")) == resume_text.DOCX
        assert resume_text.detect_type("Plain text résumé".encode()) == resume_text.TXT

    @pytest.mark.parametrize(
        "data",
        [EXECUTABLE, ELF, b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, b"PK\x03\x04not really a zip", "é".encode("latin-1")],
    )
    def test_everything_else_is_refused(self, data):
        assert resume_text.detect_type(data) is None

    def test_zip_that_is_not_a_word_document_is_refused(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("payload.exe", b"MZ")
        assert resume_text.detect_type(out.getvalue()) is None


class TestExtraction:
    @pytest.mark.parametrize(
        ("maker", "name"), [(make_pdf, "cv.pdf"), (make_docx, "cv.docx"), (lambda t: t.encode(), "cv.txt")]
    )
    def test_upload_enqueues_extraction_on_commit_and_text_becomes_searchable(
        self, client, django_capture_on_commit_callbacks, maker, name
    ):
        candidate = CandidateFactory(first_name="Ada")
        recruiter = RecruiterFactory()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            resume = resume_upload(candidate=candidate, file=upload(name, maker("Kubernetes wizard")), actor=recruiter)
        assert len(callbacks) == 1
        resume.refresh_from_db()
        assert resume.status == Resume.Status.PENDING
        callbacks[0]()  # the worker runs the task (eager in tests)
        resume.refresh_from_db()
        assert resume.status == Resume.Status.DONE
        assert "Kubernetes wizard" in resume.text
        assert "Kubernetes wizard" in Candidate.objects.get(pk=candidate.pk).resume_text
        client.force_login(recruiter)
        response = client.get(reverse("hiring:candidate-list"), {"q": "kubernetes"})
        assert [c.pk for c in response.context["page"].object_list] == [candidate.pk]
        profile = client.get(reverse("hiring:candidate-detail", args=[candidate.pk])).content.decode()
        assert "Kubernetes wizard" in profile

    def test_running_the_task_twice_changes_nothing(self, django_assert_max_num_queries):
        candidate = CandidateFactory()
        resume = Resume.objects.create(
            candidate=candidate,
            file=SimpleUploadedFile("cv.txt", b"Rust and Go"),
            original_name="cv.txt",
            content_type=resume_text.TXT,
            size=11,
        )
        with django_assert_max_num_queries(8):
            resume_extract_text(resume_id=resume.pk)
        resume.refresh_from_db()
        first = (resume.text, resume.status)
        with django_assert_max_num_queries(3):
            resume_extract_text(resume_id=resume.pk)
        resume.refresh_from_db()
        assert (resume.text, resume.status) == first == ("Rust and Go", Resume.Status.DONE)
        assert resume_extract_text(resume_id=999999) is None

    def test_damaged_pdf_is_marked_failed_not_crashing(self):
        candidate = CandidateFactory()
        resume = Resume.objects.create(
            candidate=candidate,
            file=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 this is not really a pdf"),
            original_name="cv.pdf",
            content_type=resume_text.PDF,
            size=30,
        )
        resume_extract_text(resume_id=resume.pk)
        resume.refresh_from_db()
        assert resume.status == Resume.Status.FAILED


class TestUploadView:
    def url(self, candidate):
        return reverse("hiring:candidate-resume-upload", args=[candidate.pk])

    @pytest.mark.parametrize(
        ("name", "data"),
        [("resume.pdf", EXECUTABLE), ("resume.docx", ELF), ("resume.txt", b"\x00\x01\x02binary"), ("cv.pdf", b"")],
    )
    def test_renamed_executables_and_binary_files_are_refused(self, client, name, data):
        candidate = CandidateFactory()
        client.force_login(RecruiterFactory())
        response = client.post(self.url(candidate), {"file": upload(name, data, "application/pdf")})
        body = response.content.decode()
        assert response.status_code == 400
        assert "not a PDF, a Word document (DOCX) or plain text" in body or "empty" in body
        assert not Resume.objects.exists()

    def test_oversize_upload_is_refused_with_the_limit(self, client, settings):
        settings.RESUME_MAX_BYTES = 1024
        candidate = CandidateFactory()
        client.force_login(RecruiterFactory())
        response = client.post(
            self.url(candidate), {"file": upload("cv.txt", b"a" * 2048)}, headers={"HX-Request": "true"}
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "at most 1.0" in body
        assert "<html" not in body
        assert not Resume.objects.exists()

    def test_htmx_upload_returns_the_resume_panel(self, client, django_capture_on_commit_callbacks):
        candidate = CandidateFactory()
        client.force_login(RecruiterFactory())
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                self.url(candidate),
                {"file": upload("../../etc/passwd.txt", b"Distributed systems")},
                headers={"HX-Request": "true"},
            )
        resume = Resume.objects.get()
        assert response.status_code == 200
        assert "<html" not in response.content.decode()
        assert ".." not in resume.file.name
        assert resume.file.name.endswith(".txt")

    def test_resume_panel_polls_while_text_is_extracted_and_stops_after(self, client):
        candidate = CandidateFactory()
        resume = Resume.objects.create(
            candidate=candidate,
            file=SimpleUploadedFile("cv.txt", b"Go and Rust"),
            original_name="cv.txt",
            content_type=resume_text.TXT,
            size=11,
        )
        client.force_login(RecruiterFactory())
        url = reverse("hiring:candidate-resumes", args=[candidate.pk])
        pending = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert 'hx-trigger="every 2s"' in pending
        assert "<html" not in pending
        resume_extract_text(resume_id=resume.pk)
        done = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert "every 2s" not in done
        assert "Go and Rust" in done

    def test_download_is_an_attachment_with_the_checked_type(self, client):
        candidate = CandidateFactory()
        recruiter = RecruiterFactory()
        resume = resume_upload(candidate=candidate, file=upload("cv.txt", b"Hello"), actor=recruiter)
        client.force_login(recruiter)
        response = client.get(reverse("hiring:resume-download", args=[resume.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain"
        assert response["Content-Disposition"].startswith("attachment")

    @pytest.mark.parametrize("factory", [HiringManagerFactory, InterviewerFactory, UserFactory])
    def test_only_recruiters_and_admins_upload(self, client, factory):
        application = ApplicationFactory()
        client.force_login(factory())
        response = client.post(self.url(application.candidate), {"file": upload("cv.txt", b"hello")})
        assert response.status_code == 404
        assert not Resume.objects.exists()


def docx_with(members: dict[str, bytes | int], *, base: bytes | None = None) -> bytes:
    """A real DOCX plus extra or replaced members; an int is that many zero bytes, streamed in."""
    source = zipfile.ZipFile(io.BytesIO(base or make_docx("Ada Lovelace")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for item in source.infolist():
            if item.filename not in members:
                archive.writestr(item, source.read(item.filename))
        for name, content in members.items():
            if isinstance(content, int):
                with archive.open(name, "w", force_zip64=True) as member:
                    chunk = b"\x00" * (1024 * 1024)
                    for _ in range(content // len(chunk)):
                        member.write(chunk)
            else:
                archive.writestr(name, content)
    return out.getvalue()


def many_page_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def extract_bounded(data: bytes, content_type: str) -> tuple[str | None, str, float, int]:
    """(text or None, refusal reason, seconds, peak bytes allocated) of one extraction."""
    import time
    import tracemalloc

    tracemalloc.start()
    started = time.monotonic()
    text, reason = None, ""
    try:
        text = resume_text.extract_text(io.BytesIO(data), content_type)
    except resume_text.UnreadableResume as error:
        reason = str(error)
    seconds = time.monotonic() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return text, reason, seconds, peak


MIB = 1024 * 1024


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A DOCX of about 400 KB whose word/document.xml inflates to 400 MB."""
    return docx_with({"word/document.xml": 400 * MIB})


class TestResourceBounds:
    """Defect: a 2 MB DOCX inflating to 800 MB took 98 s and 4.6 GB of the worker's memory."""

    def test_a_zip_bomb_is_refused_unread_in_bounded_time_and_memory(self, zip_bomb):
        assert len(zip_bomb) < 2 * MIB
        assert resume_text.detect_type(zip_bomb) == resume_text.DOCX  # it looks like a DOCX...
        text, reason, seconds, peak = extract_bounded(zip_bomb, resume_text.DOCX)
        assert text is None  # ...but it is never unpacked
        assert "unpacks to 400.0" in reason
        assert seconds < 2
        assert peak < 20 * MIB

    def test_a_bomb_upload_is_marked_could_not_read_with_the_reason_on_the_candidate_page(
        self, client, zip_bomb, django_capture_on_commit_callbacks
    ):
        candidate = CandidateFactory()
        recruiter = RecruiterFactory()
        with django_capture_on_commit_callbacks(execute=True):
            resume = resume_upload(candidate=candidate, file=upload("cv.docx", zip_bomb), actor=recruiter)
        resume.refresh_from_db()
        assert resume.status == Resume.Status.FAILED
        assert "unpacks to 400.0" in resume.status_reason
        client.force_login(recruiter)
        page = client.get(reverse("hiring:candidate-detail", args=[candidate.pk])).content.decode()
        assert "Could not read the text of this file: The document" in page
        assert "every 2s" not in page  # no polling for a file that will never be read

    def test_a_document_with_thousands_of_entries_is_refused(self, settings):
        settings.RESUME_MAX_ZIP_ENTRIES = 100
        data = docx_with({f"customXml/item{i}.xml": b"<a/>" for i in range(200)})
        text, reason, _seconds, _peak = extract_bounded(data, resume_text.DOCX)
        assert text is None
        assert "holds 2" in reason
        assert "at most 100" in reason

    def test_a_document_with_an_archive_inside_is_refused(self):
        inner = docx_with({})
        data = docx_with({"word/embeddings/package.zip": inner})
        text, reason, _seconds, _peak = extract_bounded(data, resume_text.DOCX)
        assert text is None
        assert "another archive" in reason

    def test_a_highly_compressed_member_is_refused_even_under_the_total_cap(self):
        data = docx_with({"word/media/image1.png": 8 * MIB})  # zeros: packed a thousand times
        text, reason, _seconds, _peak = extract_bounded(data, resume_text.DOCX)
        assert text is None
        assert "zip bomb" in reason

    def test_a_pdf_with_too_many_pages_is_refused_before_reading_them(self, settings):
        settings.RESUME_MAX_PDF_PAGES = 50
        data = many_page_pdf(3_000)
        text, reason, seconds, peak = extract_bounded(data, resume_text.PDF)
        assert text is None
        assert "3,000 pages" in reason
        assert seconds < 5
        assert peak < 50 * MIB

    def test_extracted_text_is_capped(self, settings):
        settings.RESUME_MAX_TEXT_CHARS = 1_000
        text, reason, _seconds, _peak = extract_bounded(("word " * 400_000).encode(), resume_text.TXT)
        assert reason == ""
        assert len(text) == 1_000
        docx_text, _reason, _seconds, _peak = extract_bounded(make_docx("Kubernetes " * 500), resume_text.DOCX)
        assert len(docx_text) <= 1_000

    def test_bytes_read_are_capped(self, settings):
        settings.RESUME_MAX_BYTES = 1_000
        text, reason, _seconds, _peak = extract_bounded(b"a" * 5_000, resume_text.TXT)
        assert text is None
        assert "larger than" in reason

    def test_extraction_gives_up_after_its_time_limit(self, settings):
        settings.RESUME_EXTRACT_SECONDS = 0
        text, reason, _seconds, _peak = extract_bounded(make_pdf("Hello"), resume_text.PDF)
        assert text is None
        assert "took longer than 0 seconds" in reason

    def test_the_task_has_time_limits_and_a_soft_limit_marks_the_resume_unreadable(self, monkeypatch):
        from celery.exceptions import SoftTimeLimitExceeded

        from hiring import tasks

        assert tasks.extract_resume_text.soft_time_limit == 30
        assert tasks.extract_resume_text.time_limit == 45
        resume = Resume.objects.create(
            candidate=CandidateFactory(),
            file=SimpleUploadedFile("cv.txt", b"Go"),
            original_name="cv.txt",
            content_type=resume_text.TXT,
            size=2,
        )

        def too_slow(**kwargs):
            raise SoftTimeLimitExceeded

        monkeypatch.setattr(tasks, "resume_extract_text", too_slow)
        assert tasks.extract_resume_text(resume.pk) == "failed"
        resume.refresh_from_db()
        assert (resume.status, resume.status_reason) == (Resume.Status.FAILED, "Reading the text took too long.")

    def test_the_worker_replaces_a_process_that_grew_too_big(self):
        from hiring.management.commands.run_stack import worker_command

        assert any(arg.startswith("--max-memory-per-child=") for arg in worker_command(concurrency=2))
