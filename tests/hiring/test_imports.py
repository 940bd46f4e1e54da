"""CSV import: parsing and its clear messages, mapping, preview, the row-by-row task, the screens."""

import time
from datetime import timedelta
from unittest import mock

import factory
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

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
from tests.html import parse, texts

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

    def test_preview_counts_every_row_and_the_button_imports_what_it_says(
        self, client, django_capture_on_commit_callbacks
    ):
        client.force_login(RecruiterFactory())
        lines = [f"Person {i},Last,person{i}@example.test" for i in range(12)]
        lines[1] = "Bad One,Last,not-an-email"  # shown in the preview
        lines[11] = "Bad Two,Last,also-bad"  # past the rows the preview shows
        lines[10] = "Bad Three,Last,"
        candidate_import = candidate_import_create(file=csv_file("first,last,email\n" + "\n".join(lines)), actor=None)
        detail = reverse("hiring:candidate-import-detail", args=[candidate_import.pk])
        mapping = {"first_name": "0", "last_name": "1", "email": "2"}

        tree = parse(client.post(detail, {**mapping, "action": "preview"}, headers={"HX-Request": "true"}))

        assert texts(tree, '//*[@id="import-summary"]')[0].startswith(
            "12 rows found: 9 ready to import, 3 with problems"
        )
        assert texts(tree, '//button[@value="start"]') == ["Import 9 rows, skip 3"]
        assert len(tree.xpath('//*[@id="import-preview"]/tbody/tr')) == 10
        with django_capture_on_commit_callbacks(execute=True):
            client.post(detail, {**mapping, "action": "start"})
        done = CandidateImport.objects.get(pk=candidate_import.pk)
        assert (done.created_count + done.reused_count, done.failed_count) == (9, 3)
        report = parse(client.get(detail))
        assert "first: Bad Two · last: Last · email: also-bad" in texts(report, '//*[@id="import-errors"]//td')

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


def people_csv(rows: int, *, start: int = 0, tags: str = "") -> str:
    header = "first_name,last_name,email,phone,tags\n"
    return header + "".join(f"P{i},Person,p{i}@example.test,+44 20 7946 {i:04d},{tags}\n" for i in range(start, rows))


def started_import(text: str, *, job=None) -> CandidateImport:
    recruiter = RecruiterFactory()
    candidate_import = candidate_import_create(file=csv_file(text), actor=recruiter)
    return candidate_import_start(candidate_import=candidate_import, mapping=candidate_import.mapping, job=job)


class TestBatches:
    """Defect: a 10,000-row import ran in one task run, hit the time limit and stayed "running"."""

    def test_one_task_run_imports_one_batch_commits_it_and_enqueues_the_next(
        self, settings, django_capture_on_commit_callbacks
    ):
        from hiring import tasks

        settings.IMPORT_BATCH_ROWS = 500
        candidate_import = started_import(people_csv(1_200))
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert tasks.run_candidate_import(candidate_import.pk, 0) == CandidateImport.Status.RUNNING
        candidate_import.refresh_from_db()
        assert (candidate_import.processed_rows, candidate_import.created_count) == (500, 500)
        assert candidate_import.heartbeat_at is not None
        assert Candidate.objects.count() == 500
        assert len(callbacks) == 1  # the next batch, sent once this one has committed

    def test_ten_thousand_rows_finish_in_batches_through_the_task_chain(
        self, settings, django_capture_on_commit_callbacks
    ):
        settings.IMPORT_BATCH_ROWS = 500
        job = job_with_stages()
        recruiter = RecruiterFactory()
        candidate_import = candidate_import_create(file=csv_file(people_csv(10_000)), actor=recruiter)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            candidate_import_start(candidate_import=candidate_import, mapping=candidate_import.mapping, job=job)
        elapsed = time.monotonic() - started
        candidate_import.refresh_from_db()
        assert candidate_import.status == CandidateImport.Status.DONE
        assert candidate_import.processed_rows == candidate_import.created_count == 10_000
        assert len(callbacks) == 20  # one task run per batch of 500
        assert Candidate.objects.count() == 10_000
        assert Application.objects.filter(job=job).count() == 10_000
        assert elapsed < 120, f"10,000 rows took {elapsed:.0f}s"

    def test_a_repeated_message_for_a_done_batch_does_nothing(self, settings):
        from hiring.services.imports import candidate_import_run_batch

        settings.IMPORT_BATCH_ROWS = 2
        candidate_import = started_import(people_csv(5))
        candidate_import_run_batch(import_id=candidate_import.pk, cursor=0)
        again = candidate_import_run_batch(import_id=candidate_import.pk, cursor=0)  # a redelivered first message
        assert again.processed_rows == 2
        assert Candidate.objects.count() == 2
        candidate_import_run_batch(import_id=candidate_import.pk, cursor=2)
        assert Candidate.objects.count() == 4

    def test_a_batch_that_crashes_halfway_leaves_nothing_and_runs_again_from_its_cursor(self, settings, monkeypatch):
        from hiring.services import imports

        settings.IMPORT_BATCH_ROWS = 3
        job = job_with_stages()
        candidate_import = started_import(people_csv(5, tags="python"), job=job)
        imports.candidate_import_run_batch(import_id=candidate_import.pk)  # rows 1-3

        def crash(*args, **kwargs):
            raise RuntimeError("worker lost")

        monkeypatch.setattr(imports.StageChange.objects, "bulk_create", crash)
        with pytest.raises(RuntimeError):
            imports.candidate_import_run_batch(import_id=candidate_import.pk)  # rows 4-5, after the candidates
        candidate_import.refresh_from_db()
        assert candidate_import.processed_rows == 3
        assert Candidate.objects.count() == 3
        monkeypatch.undo()
        result = imports.candidate_import_run(import_id=candidate_import.pk)
        assert result.status == CandidateImport.Status.DONE
        assert Candidate.objects.count() == 5
        assert Application.objects.filter(job=job).count() == 5
        assert Candidate.objects.filter(tags__name="python").count() == 5

    @pytest.mark.parametrize("kind", ["new", "on_file", "repeats", "invalid", "mixed"])
    def test_a_batch_of_500_rows_takes_a_fixed_number_of_queries(self, settings, django_assert_max_num_queries, kind):
        from hiring.services.imports import candidate_import_run_batch

        settings.IMPORT_BATCH_ROWS = 500
        job = job_with_stages()
        if kind == "on_file":
            CandidateFactory.create_batch(20, email=factory.Sequence(lambda n: f"p{n}@example.test"))
        lines = {
            "new": [f"P{i},Person,p{i}@example.test,,a;b;T{i % 7}" for i in range(500)],
            "on_file": [f"P{i},Person,P{i}@EXAMPLE.test,,x" for i in range(500)],
            "repeats": [f"P,Person,same@example.test,,x{i % 3}" for i in range(500)],
            "invalid": [f"P{i},Person,not-an-email,,x" for i in range(500)],
            "mixed": [
                f"P{i},Person,{'bad' if i % 5 == 0 else f'p{i % 50}@example.test'},+1 555 01{i % 40:02d},t{i % 3}"
                for i in range(500)
            ],
        }[kind]
        text = "first_name,last_name,email,phone,tags\n" + "\n".join(lines) + "\n"
        candidate_import = started_import(text, job=job)
        # A running process knows its content types (the audit entries name them): as in production.
        ContentType.objects.get_for_models(Candidate, Application)
        # 16, plus one insert of audit entries for the candidates and one for the applications.
        with django_assert_max_num_queries(18):
            result = candidate_import_run_batch(import_id=candidate_import.pk)
        assert result.processed_rows == 500
        assert result.created_count + result.reused_count + result.failed_count == 500

    def test_duplicates_are_found_by_email_case_insensitively_and_by_phone_without_email(self):
        by_email = CandidateFactory(email="Ada@Example.test", phone="")
        by_phone = CandidateFactory(email="", phone="+44 20 7946 0001")
        job = job_with_stages()
        text = (
            "first_name,email,phone\n"
            "Ada,ADA@example.test,\n"
            "Grace,,+44 (20) 7946-0001\n"
            "Grace again,,+44 20 7946 0001\n"
            "Linus,linus@example.test,+44 20 7946 0001\n"
        )
        result = run_import(text, job=job)
        assert (result.created_count, result.reused_count) == (1, 3)
        assert Candidate.objects.count() == 3
        assert set(Application.objects.filter(job=job).values_list("candidate_id", flat=True)) == {
            by_email.pk,
            by_phone.pk,
            Candidate.objects.get(email="linus@example.test").pk,
        }

    def test_errors_keep_the_row_content_and_show_it(self, client):
        result = run_import("first_name,email\nAda,not-an-email\n")
        assert result.errors == [
            {
                "row": 2,
                "messages": ["Email: Enter a valid email address."],
                "values": ["Ada", "not-an-email"],
                "content": "first_name: Ada · email: not-an-email",
            }
        ]
        client.force_login(RecruiterFactory())
        page = client.get(reverse("hiring:candidate-import-detail", args=[result.pk])).content.decode()
        assert "first_name: Ada · email: not-an-email" in page
        assert "1 with errors" in page

    def test_a_report_stored_before_column_names_still_shows_the_content(self, client):
        result = run_import("first_name,email\nAda,not-an-email\n")
        type(result).objects.filter(pk=result.pk).update(
            errors=[{"row": 2, "messages": ["Email: Enter a valid email address."], "values": ["Ada", "not-an-email"]}]
        )
        client.force_login(RecruiterFactory())
        page = client.get(reverse("hiring:candidate-import-detail", args=[result.pk])).content.decode()
        assert "Ada, not-an-email" in page

    def test_the_report_keeps_the_first_errors_and_counts_them_all(self, client, monkeypatch):
        from hiring.services import imports

        monkeypatch.setattr(imports, "MAX_ERRORS_KEPT", 2)
        result = run_import("first_name,email\n" + "".join(f"P{i},bad{i}\n" for i in range(5)))
        assert (len(result.errors), result.failed_count) == (2, 5)
        client.force_login(RecruiterFactory())
        page = client.get(reverse("hiring:candidate-import-detail", args=[result.pk])).content.decode()
        assert "5 with errors" in page
        assert "Rows not imported (the first 2)" in page

    def test_files_over_the_documented_row_limit_are_refused(self, settings):
        settings.IMPORT_MAX_ROWS = 100
        with pytest.raises(ValidationError, match="import at most 100"):
            parse_csv(people_csv(101).encode())


class TestSweeper:
    def test_stale_imports_are_enqueued_again_at_their_cursor(self, settings, django_capture_on_commit_callbacks):
        from hiring import tasks

        settings.IMPORT_BATCH_ROWS = 2
        settings.IMPORT_STALE_AFTER_SECONDS = 60
        stale = started_import(people_csv(5))
        tasks.run_candidate_import(stale.pk, 0)  # one batch done; its next message "lost"
        fresh = started_import(people_csv(103, start=100))
        done = run_import(GOOD)
        long_ago = timezone.now() - timedelta(minutes=5)
        CandidateImport.objects.filter(pk__in=[stale.pk, done.pk]).update(heartbeat_at=long_ago)

        sent = []
        monkeypatch_target = "hiring.services.imports.enqueue"
        with mock.patch(monkeypatch_target, side_effect=lambda *args: sent.append(args)):
            assert tasks.candidate_imports_sweep() == 1
        assert sent == [("hiring.tasks.run_candidate_import", stale.pk, 2)]
        assert CandidateImport.objects.get(pk=fresh.pk).status == CandidateImport.Status.QUEUED

        with django_capture_on_commit_callbacks(execute=True):
            tasks.run_candidate_import(*sent[0][1:])  # the swept message finishes the import
        stale.refresh_from_db()
        assert stale.status == CandidateImport.Status.DONE
        assert stale.created_count == 5

    def test_the_sweeper_is_scheduled_every_minute(self, settings):
        entry = settings.CELERY_BEAT_SCHEDULE["hiring-imports-sweep"]
        assert entry == {"task": "hiring.tasks.candidate_imports_sweep", "schedule": 60.0}

    def test_progress_says_stalled_while_stale_and_stops_polling_when_finished(self, client, settings):
        settings.IMPORT_STALE_AFTER_SECONDS = 60
        client.force_login(RecruiterFactory())
        candidate_import = started_import(GOOD)
        detail = reverse("hiring:candidate-import-detail", args=[candidate_import.pk])
        body = client.get(detail, headers={"HX-Request": "true"}).content.decode()
        assert "Stalled, resuming" not in body
        assert 'hx-trigger="every 1s"' in body
        CandidateImport.objects.filter(pk=candidate_import.pk).update(
            status="running", heartbeat_at=timezone.now() - timedelta(minutes=3)
        )
        body = client.get(detail, headers={"HX-Request": "true"}).content.decode()
        assert "Stalled, resuming" in body
        assert 'hx-trigger="every 1s"' in body
        candidate_import_run(import_id=candidate_import.pk)
        body = client.get(detail, headers={"HX-Request": "true"}).content.decode()
        assert "Stalled, resuming" not in body
        assert "every 1s" not in body
        assert "Import finished" in body
