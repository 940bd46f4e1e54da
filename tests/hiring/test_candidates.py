"""Adding candidates: the service, duplicates, applications, the add form and its bad input."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hiring.models import Application, Candidate, StageChange
from hiring.services import DuplicateCandidate, application_create, candidate_create
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    CandidateFactory,
    HiringManagerFactory,
    InterviewerFactory,
    JobFactory,
    RecruiterFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def job_with_stages(**kwargs):
    job = JobFactory(**kwargs)
    for order, name in enumerate(["Applied", "Recruiter screen", "Technical interview"]):
        StageFactory(job=job, name=name, order=order)
    return job


def form_data(**overrides) -> dict:
    data = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "grace@example.test",
        "phone": "+1 (555) 010-2000",
        "location": "Arlington",
        "links": "https://example.test/grace",
        "source": "Referral",
        "tags": "python, compilers",
        "consent_at": "2026-11-01",
        "job": "",
    }
    data.update(overrides)
    return data


class TestCandidateCreateService:
    def test_creates_candidate_with_tags_and_normalised_email(self):
        recruiter = RecruiterFactory()
        candidate = candidate_create(
            first_name="Grace", email="Grace@Example.TEST", phone="555 010 2000", tags=["python", "ml"], actor=recruiter
        )
        assert candidate.email == "grace@example.test"
        assert sorted(candidate.tags.values_list("name", flat=True)) == ["ml", "python"]
        candidate.refresh_from_db()
        assert candidate.phone_digits == "5550102000"

    def test_tags_are_matched_case_insensitively(self):
        from hiring.models import Tag

        Tag.objects.create(name="Python")
        candidate = candidate_create(first_name="Lin", email="lin@example.test", tags=["python", " PYTHON ", "ML  ops"])
        assert sorted(candidate.tags.values_list("name", flat=True)) == ["ML ops", "Python"]
        assert Tag.objects.count() == 2

    def test_same_email_in_other_case_is_never_duplicated(self):
        existing = CandidateFactory(email="ada@example.test")
        with pytest.raises(DuplicateCandidate) as error:
            candidate_create(first_name="Ada", email="ADA@example.test", allow_phone_duplicate=True)
        assert error.value.existing == existing
        assert error.value.match == "email"
        assert Candidate.objects.count() == 1

    def test_same_phone_digits_is_proposed_then_allowed_when_confirmed(self):
        existing = CandidateFactory(phone="+44 20 7946 0958", email="one@example.test")
        with pytest.raises(DuplicateCandidate) as error:
            candidate_create(first_name="Al", email="two@example.test", phone="(44) 20-7946-0958")
        assert error.value.existing == existing
        assert error.value.match == "phone"
        created = candidate_create(
            first_name="Al", email="two@example.test", phone="(44) 20-7946-0958", allow_phone_duplicate=True
        )
        assert created.pk != existing.pk

    def test_create_with_job_applies_to_first_stage_with_history(self):
        recruiter = RecruiterFactory()
        job = job_with_stages()
        candidate = candidate_create(first_name="Lin", email="lin@example.test", job=job, actor=recruiter)
        application = Application.objects.get(candidate=candidate, job=job)
        assert application.stage.name == "Applied"
        change = StageChange.objects.get(application=application)
        assert change.from_stage is None
        assert change.to_stage == application.stage
        assert change.actor == recruiter

    def test_job_without_stages_leaves_nothing_behind(self):
        job = JobFactory()
        with pytest.raises(ValidationError, match="no stages"):
            candidate_create(first_name="Lin", email="lin@example.test", job=job)
        assert not Candidate.objects.exists()


class TestApplicationCreate:
    def test_second_application_to_same_job_gives_clear_message(self):
        job = job_with_stages()
        candidate = CandidateFactory()
        application_create(candidate=candidate, job=job)
        with pytest.raises(ValidationError, match="already applied"):
            application_create(candidate=candidate, job=job)
        assert Application.objects.filter(candidate=candidate).count() == 1
        assert StageChange.objects.count() == 1


class TestCandidateCreateView:
    url = reverse("hiring:candidate-create")

    def test_recruiter_adds_candidate_and_applies_to_job(self, client):
        recruiter = RecruiterFactory()
        job = job_with_stages()
        client.force_login(recruiter)
        response = client.post(self.url, form_data(job=job.pk))
        candidate = Candidate.objects.get(email="grace@example.test")
        assert response.status_code == 302
        assert response["Location"] == reverse("hiring:candidate-detail", args=[candidate.pk])
        assert candidate.applications.get().job == job
        assert candidate.links == ["https://example.test/grace"]

    def test_same_email_proposes_existing_record_without_create_anyway(self, client):
        existing = CandidateFactory(email="grace@example.test", first_name="Grace", last_name="Existing")
        client.force_login(RecruiterFactory())
        response = client.post(self.url, form_data(email="GRACE@example.test", phone=""))
        body = response.content.decode()
        assert response.status_code == 200
        assert "may already be on file" in body
        assert "Use this candidate" in body
        assert "Create anyway" not in body
        assert Candidate.objects.count() == 1
        # "Create anyway" cannot be forced for an email match either.
        response = client.post(self.url, {**form_data(email="grace@example.test"), "confirm_duplicate": "phone"})
        assert Candidate.objects.count() == 1
        response = client.post(self.url, {**form_data(email="grace@example.test"), "use_existing": existing.pk})
        assert response["Location"] == reverse("hiring:candidate-detail", args=[existing.pk])
        assert Candidate.objects.count() == 1

    def test_phone_only_match_offers_create_anyway(self, client):
        CandidateFactory(phone="+1 555 010 2000", email="other@example.test")
        client.force_login(RecruiterFactory())
        response = client.post(self.url, form_data())
        assert "Create anyway" in response.content.decode()
        assert Candidate.objects.count() == 1
        response = client.post(self.url, {**form_data(), "confirm_duplicate": "phone"})
        assert response.status_code == 302
        assert Candidate.objects.count() == 2

    def test_use_existing_applies_existing_candidate_to_job(self, client):
        existing = CandidateFactory(email="grace@example.test")
        job = job_with_stages()
        client.force_login(RecruiterFactory())
        client.post(self.url, {**form_data(job=job.pk), "use_existing": existing.pk})
        assert existing.applications.get().job == job

    def test_ten_thousand_character_name_is_a_form_error(self, client):
        client.force_login(RecruiterFactory())
        response = client.post(self.url, form_data(first_name="x" * 10_000))
        assert response.status_code == 400
        assert "at most 100 characters" in response.content.decode()
        assert not Candidate.objects.exists()

    def test_javascript_link_is_refused(self, client):
        client.force_login(RecruiterFactory())
        response = client.post(self.url, form_data(links="javascript:alert(1)"))
        assert response.status_code == 400
        assert "is not a web address" in response.content.decode()
        assert not Candidate.objects.exists()

    def test_email_or_phone_is_required(self, client):
        client.force_login(RecruiterFactory())
        response = client.post(self.url, form_data(email="", phone=""))
        assert response.status_code == 400
        assert "email address or a phone number" in response.content.decode()

    def test_html_in_every_text_field_is_escaped_on_the_profile(self, client):
        client.force_login(RecruiterFactory())
        script = "<script>alert(1)</script>"
        client.post(
            self.url,
            form_data(first_name=script, last_name=script, location=script, source=script, tags=script, phone=""),
        )
        candidate = Candidate.objects.get()
        for url in (reverse("hiring:candidate-detail", args=[candidate.pk]), reverse("hiring:candidate-list")):
            body = client.get(url).content.decode()
            assert script not in body
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body

    @pytest.mark.parametrize("factory", [HiringManagerFactory, InterviewerFactory, UserFactory])
    def test_other_roles_cannot_add_candidates(self, client, factory):
        client.force_login(factory())
        assert client.get(self.url).status_code == 404
        assert client.post(self.url, form_data()).status_code == 404
        assert not Candidate.objects.exists()

    def test_admin_can_add(self, client):
        client.force_login(AdminFactory())
        assert client.get(self.url).status_code == 200


class TestApplyFromProfile:
    def test_applying_twice_shows_message(self, client):
        application = ApplicationFactory(job=job_with_stages())
        client.force_login(RecruiterFactory())
        url = reverse("hiring:candidate-apply", args=[application.candidate_id])
        # The job is not offered again; posting it anyway gives a clear message, no 500.
        response = client.post(url, {"job": application.job_id}, follow=True)
        assert "already applied" in response.content.decode()
        assert Application.objects.count() == 1
