"""CSV import: parsing and its clear messages, mapping, preview, the row-by-row task, the screens."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hiring.models import Application, Candidate, CandidateImport
from hiring.services import candidate_import_create, candidate_import_run, candidate_import_start
from hiring.services.imports import guess_mapping, parse_csv
from tests.hiring.factories import (
    CandidateFactory,
    HiringManagerFactory,
    InterviewerFactory,
    JobFactory,
    RecruiterFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


GOOD = (
    "First name,Last name,Email,Phone,City,Tags\n"
    "Ada,Lovelace,ada@example.test,+44 1234 567890,London,python;math\n"
    "Alan,Turing,alan@example.test,,Manchester,\n"
)


def csv_file(text: str | bytes, name: str = "people.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def job_with_stages(**kwargs):
    job = JobFactory(**kwargs)
    for order, name in enumerate(["Applied", "Recruiter screen"]):
        StageFactory(job=job, name=name, order=order)
    return job


def run_import(text: str, *, job=None, mapping=None, callbacks=None) -> CandidateImport:
    recruiter = RecruiterFactory()
    candidate_import = candidate_import_create(file=csv_file(text), actor=recruiter)
    candidate_import_start(
        candidate_import=candidate_import, mapping=mapping or candidate_import.mapping, job=job, actor=recruiter
    )
    return candidate_import_run(import_id=candidate_import.pk)


class TestParsing:
    def test_guesses_columns_from_headers(self):
        header, rows = parse_csv(GOOD.encode())
        assert guess_mapping(header) == {
            "first_name": 0,
            "last_name": 1,
            "email": 2,
            "phone": 3,
            "location": 4,
            "tags": 5,
        }
        assert len(rows) == 2

    def test_semicolon_csv_and_bom_are_understood(self):
        header, rows = parse_csv("\ufeffname;email\nAda Lovelace;ada@example.test\n".encode())
        assert header == ["name", "email"]
        assert rows == [["Ada Lovelace", "ada@example.test"]]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "empty"),
            (b"   \n\n", "empty"),
            (b"name,email\n", "no candidates"),
            ("name,email\nJosé,j@example.test\n".encode("latin-1"), "UTF-8"),
            (b"%PDF-1.4\x00\x01\x02", "not a CSV"),
            (b"MZ\x90\x00\x03\x00\x00\x00", "not a CSV"),
        ],
    )
    def test_broken_files_give_a_clear_message(self, data, message):
        with pytest.raises(ValidationError, match=message):
            parse_csv(data)


class TestImportTask:
    def test_imports_rows_reuses_duplicates_and_reports_bad_rows(self):
        existing = CandidateFactory(email="ada@example.test", first_name="Ada")
        job = job_with_stages()
        text = (
            GOOD
            + "Bad,Email,not-an-email,,Paris,\n"
            + "Too,Many,x@example.test,1,2,3,4\n"
            + ",NoFirst,nofirst@example.test,,,\n"
            + f"{'x' * 10_000},Long,long@example.test,,,\n"
            + "<script>alert(1)</script>,Html,html@example.test,,,\n"
        )
        result = run_import(text, job=job)
        assert result.status == CandidateImport.Status.DONE
        assert result.processed_rows == result.total_rows == 7
        assert result.created_count == 2  # Alan and the HTML row (stored as text, escaped on output)
        assert result.reused_count == 1  # Ada
        rows_with_errors = [error["row"] for error in result.errors]
        assert rows_with_errors == [4, 5, 6, 7]
        assert "columns" in result.errors[1]["messages"][0]
        assert any("at most 100 characters" in message for message in result.errors[3]["messages"])
        # Nothing half-written: no candidate and no application for the failing rows.
        assert not Candidate.objects.filter(email__in=["x@example.test", "nofirst@example.test", "long@example.test"])
        assert Application.objects.filter(job=job).count() == 3
        assert existing.applications.get().job == job
        assert Candidate.objects.get(email="ada@example.test").pk == existing.pk

    def test_a_job_without_stages_reports_every_row_and_creates_nothing(self):
        result = run_import(GOOD, job=JobFactory())
        assert result.status == CandidateImport.Status.DONE
        assert result.created_count == 0
        assert [error["row"] for error in result.errors] == [2, 3]
        assert "no stages" in result.errors[0]["messages"][0]
        assert not Candidate.objects.exists()

    def test_running_twice_imports_once(self):
        result = run_import(GOOD)
        assert candidate_import_run(import_id=result.pk).created_count == 2
        assert Candidate.objects.count() == 2

    def test_resumes_after_the_last_finished_row(self):
        recruiter = RecruiterFactory()
        candidate_import = candidate_import_create(file=csv_file(GOOD), actor=recruiter)
        candidate_import_start(candidate_import=candidate_import, mapping=candidate_import.mapping, actor=recruiter)
        CandidateImport.objects.filter(pk=candidate_import.pk).update(processed_rows=1, status="running")
        result = candidate_import_run(import_id=candidate_import.pk)
        assert list(Candidate.objects.values_list("email", flat=True)) == ["alan@example.test"]
        assert result.processed_rows == 2

    def test_full_name_column_is_split(self):
        run_import("Name,E-mail\nAda King Lovelace,ada@example.test\n")
        candidate = Candidate.objects.get()
        assert (candidate.first_name, candidate.last_name) == ("Ada", "King Lovelace")

    def test_start_enqueues_the_task_on_commit(self, django_capture_on_commit_callbacks):
        recruiter = RecruiterFactory()
        candidate_import = candidate_import_create(file=csv_file(GOOD), actor=recruiter)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            candidate_import_start(candidate_import=candidate_import, mapping=candidate_import.mapping)
        assert len(callbacks) == 1
        candidate_import.refresh_from_db()
        assert candidate_import.status == CandidateImport.Status.DONE
        with pytest.raises(ValidationError, match="already been started"):
            candidate_import_start(candidate_import=candidate_import, mapping=candidate_import.mapping)


class TestImportScreens:
    def test_upload_map_preview_start_and_progress(self, client, django_capture_on_commit_callbacks):
        client.force_login(RecruiterFactory())
        job = job_with_stages(title="Data scientist")
        response = client.post(reverse("hiring:candidate-import"), {"file": csv_file(GOOD)})
        candidate_import = CandidateImport.objects.get()
        detail = reverse("hiring:candidate-import-detail", args=[candidate_import.pk])
        assert response["Location"] == detail
        page = client.get(detail).content.decode()
        assert "Ada" in page
        assert 'id="import-preview"' in page
        # Changing the mapping refreshes the preview fragment only.
        fragment = client.post(
            detail, {"first_name": "1", "email": "2", "action": "preview"}, headers={"HX-Request": "true"}
        )
        assert "<html" not in fragment.content.decode()
        assert "Lovelace" in fragment.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                detail, {"first_name": "0", "last_name": "1", "email": "2", "job": job.pk, "action": "start"}
            )
        assert response.status_code == 302
        progress = client.get(detail, headers={"HX-Request": "true"}).content.decode()
        assert "<html" not in progress
        assert "2 of 2 rows" in progress
        assert "every 1s" not in progress  # done: polling stops
        assert Application.objects.filter(job=job).count() == 2

    def test_progress_polls_while_running(self, client):
        client.force_login(RecruiterFactory())
        candidate_import = candidate_import_create(file=csv_file(GOOD), actor=None)
        CandidateImport.objects.filter(pk=candidate_import.pk).update(status="running", processed_rows=1)
        detail = reverse("hiring:candidate-import-detail", args=[candidate_import.pk])
        body = client.get(detail, headers={"HX-Request": "true"}).content.decode()
        assert 'hx-trigger="every 1s"' in body
        assert "1 of 2 rows" in body

    def test_mapping_without_first_name_is_an_error_in_place(self, client):
        client.force_login(RecruiterFactory())
        candidate_import = candidate_import_create(file=csv_file(GOOD), actor=None)
        detail = reverse("hiring:candidate-import-detail", args=[candidate_import.pk])
        response = client.post(detail, {"email": "2", "action": "start"})
        assert response.status_code == 400
        assert "first name" in response.content.decode()
        assert CandidateImport.objects.get().status == CandidateImport.Status.UPLOADED

    @pytest.mark.parametrize("data", [b"", b"a,b\n", "name\nJosé\n".encode("latin-1"), b"\x7fELF\x02\x01\x01\x00\x00"])
    def test_broken_uploads_show_the_reason(self, client, data):
        client.force_login(RecruiterFactory())
        response = client.post(reverse("hiring:candidate-import"), {"file": csv_file(data)})
        assert response.status_code == 400
        body = response.content.decode()
        assert any(word in body for word in ("empty", "UTF-8", "not a CSV", "no candidates"))
        assert not CandidateImport.objects.exists()

    @pytest.mark.parametrize("factory", [HiringManagerFactory, InterviewerFactory, UserFactory])
    def test_only_recruiters_and_admins_import(self, client, factory):
        candidate_import = candidate_import_create(file=csv_file(GOOD), actor=None)
        client.force_login(factory())
        assert client.get(reverse("hiring:candidate-import")).status_code == 404
        assert client.get(reverse("hiring:candidate-import-detail", args=[candidate_import.pk])).status_code == 404
