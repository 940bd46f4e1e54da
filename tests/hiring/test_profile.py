"""The candidate profile and the application page: what each role sees, notes, the timeline."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import Note, StageChange
from hiring.selectors import candidate_timeline
from hiring.services import note_create
from interviews.models import Interview, InterviewPlan, InterviewStep
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    CandidateFactory,
    HiringManagerFactory,
    HiringTeamMemberFactory,
    InterviewerFactory,
    JobFactory,
    NoteFactory,
    RecruiterFactory,
    ResumeFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def job_with_stages(**kwargs):
    job = JobFactory(**kwargs)
    for order, name in enumerate(["Applied", "Recruiter screen", "Technical interview"]):
        StageFactory(job=job, name=name, order=order)
    return job


def interview_for(application, interviewer, *, days: int = 1) -> Interview:
    plan, _ = InterviewPlan.objects.get_or_create(job=application.job)
    step = InterviewStep.objects.create(plan=plan, name="Technical interview")
    starts = timezone.now() + timedelta(days=days)
    interview = Interview.objects.create(
        application=application, step=step, starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    interview.interviewers.add(interviewer)
    return interview


def history(application, moves: int) -> None:
    stages = list(application.job.stages.all())
    for index in range(moves):
        StageChange.objects.create(
            application=application,
            from_stage=stages[index % len(stages)],
            to_stage=stages[(index + 1) % len(stages)],
            to_status="active",
            from_status="active",
        )


@pytest.fixture
def world():
    """A candidate with two applications (jobs A and B), a note on each, a résumé and an interview."""
    job_a = job_with_stages(title="Job A")
    job_b = job_with_stages(title="Job B")
    candidate = CandidateFactory(
        first_name="Ada", last_name="Lovelace", email="ada@example.test", phone="+44 1234 567890"
    )
    app_a = ApplicationFactory(candidate=candidate, job=job_a)
    app_b = ApplicationFactory(candidate=candidate, job=job_b)
    NoteFactory(candidate=candidate, application=app_a, body="Note about **job A**")
    NoteFactory(candidate=candidate, application=app_b, body="Note about job B only")
    ResumeFactory(candidate=candidate, text="Analytical engine programmer")
    interviewer = InterviewerFactory()
    interview_for(app_a, interviewer)
    manager = HiringManagerFactory()
    HiringTeamMemberFactory(job=job_a, user=manager, role="hiring_manager")
    return {
        "candidate": candidate,
        "app_a": app_a,
        "app_b": app_b,
        "interviewer": interviewer,
        "manager": manager,
    }


def profile(client, user, candidate):
    client.force_login(user)
    return client.get(reverse("hiring:candidate-detail", args=[candidate.pk]))


class TestProfilePermissions:
    @pytest.mark.parametrize("factory", [AdminFactory, RecruiterFactory])
    def test_recruiters_and_admins_see_everything(self, client, world, factory):
        body = profile(client, factory(), world["candidate"]).content.decode()
        assert "ada@example.test" in body
        assert "Job A" in body
        assert "Job B" in body
        assert "Note about job B only" in body
        assert "Analytical engine programmer" in body

    def test_hiring_manager_sees_their_job_and_its_notes_only(self, client, world):
        body = profile(client, world["manager"], world["candidate"]).content.decode()
        assert "ada@example.test" in body
        assert "Job A" in body
        assert "Job B" not in body
        assert "<strong>job A</strong>" in body
        assert "Note about job B only" not in body

    def test_interviewer_sees_the_interview_kit_without_private_details(self, client, world):
        response = profile(client, world["interviewer"], world["candidate"])
        body = response.content.decode()
        assert response.status_code == 200
        assert "Analytical engine programmer" in body
        assert "Job A" in body
        assert "ada@example.test" not in body
        assert "1234 567890" not in body
        assert "Note about" not in body
        assert "Job B" not in body
        assert "Add note" not in body

    def test_interviewer_cannot_add_notes(self, client, world):
        client.force_login(world["interviewer"])
        url = reverse("hiring:candidate-note-add", args=[world["candidate"].pk])
        assert client.post(url, {"body": "sneaky"}).status_code == 404
        assert not Note.objects.filter(body="sneaky").exists()

    @pytest.mark.parametrize("role", ["interviewer_elsewhere", "manager_elsewhere", "nobody"])
    def test_everyone_else_gets_404(self, client, world, role):
        user = {
            "interviewer_elsewhere": InterviewerFactory,
            "manager_elsewhere": HiringManagerFactory,
            "nobody": UserFactory,
        }[role]()
        client.force_login(user)
        candidate = world["candidate"]
        urls = [
            reverse("hiring:candidate-detail", args=[candidate.pk]),
            reverse("hiring:application-detail", args=[world["app_a"].pk]),
            reverse("hiring:resume-download", args=[candidate.resumes.get().pk]),
            reverse("hiring:candidate-resumes", args=[candidate.pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("hiring:candidate-note-add", args=[candidate.pk]), {"body": "x"}).status_code == 404

    def test_unknown_ids_are_404(self, client):
        client.force_login(RecruiterFactory())
        assert client.get(reverse("hiring:candidate-detail", args=[999999])).status_code == 404
        assert client.get(reverse("hiring:application-detail", args=[999999])).status_code == 404


class TestApplicationPage:
    def test_shows_history_feedback_and_summary_panels(self, client, world):
        client.force_login(RecruiterFactory())
        app = world["app_a"]
        history(app, 2)
        body = client.get(reverse("hiring:application-detail", args=[app.pk])).content.decode()
        assert "Stage history" in body
        assert "Feedback summary" in body  # {% application_summary %}
        assert "Interviews" in body  # {% application_feedback %}
        assert "Note about <strong>job A</strong>" in body
        assert "Note about job B only" not in body

    def test_interviewer_sees_their_application_read_only(self, client, world):
        client.force_login(world["interviewer"])
        body = client.get(reverse("hiring:application-detail", args=[world["app_a"].pk])).content.decode()
        assert "Analytical engine programmer" in body
        assert "Stage history" not in body
        assert "Note about" not in body
        assert client.get(reverse("hiring:application-detail", args=[world["app_b"].pk])).status_code == 404


class TestNotes:
    def test_htmx_note_returns_the_notes_fragment_with_sanitised_markdown(self, client, world):
        client.force_login(RecruiterFactory())
        url = reverse("hiring:candidate-note-add", args=[world["candidate"].pk])
        body = "**Great** call <script>alert('x')</script> [link](javascript:alert(1)) [ok](https://example.test)"
        response = client.post(url, {"body": body}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert "<strong>Great</strong>" in html
        assert "<script>alert" not in html
        assert "javascript:" not in html
        assert 'href="https://example.test"' in html
        assert 'id="timeline"' in html
        assert 'hx-swap-oob="true"' in html  # the activity timeline follows
        assert Note.objects.filter(body=body).exists()

    def test_empty_note_is_an_error_in_place(self, client, world):
        client.force_login(RecruiterFactory())
        url = reverse("hiring:candidate-note-add", args=[world["candidate"].pk])
        response = client.post(url, {"body": "   "}, headers={"HX-Request": "true"})
        assert "This field is required" in response.content.decode()
        response = client.post(url, {"body": ""})
        assert response.status_code == 400

    def test_note_about_another_candidates_application_is_refused(self, client, world):
        client.force_login(RecruiterFactory())
        other = ApplicationFactory(job=world["app_a"].job)
        url = reverse("hiring:candidate-note-add", args=[world["candidate"].pk])
        response = client.post(url, {"body": "x", "application": other.pk}, headers={"HX-Request": "true"})
        assert "Select a valid choice" in response.content.decode()
        assert not Note.objects.filter(body="x").exists()

    def test_hiring_manager_can_add_a_note(self, client, world):
        client.force_login(world["manager"])
        url = reverse("hiring:candidate-note-add", args=[world["candidate"].pk])
        response = client.post(url, {"body": "Looks good", "application": world["app_a"].pk})
        assert response.status_code == 302
        assert Note.objects.filter(body="Looks good", author=world["manager"]).exists()

    def test_over_long_note_is_refused(self, world):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            note_create(candidate=world["candidate"], author=None, body="x" * 20_001)


class TestTimeline:
    def test_merges_stage_changes_notes_resumes_and_interviews_newest_first(self, world):
        recruiter = RecruiterFactory()
        history(world["app_a"], 1)
        events = candidate_timeline(user=recruiter, candidate=world["candidate"])
        kinds = {event.kind for event in events}
        assert kinds == {"stage", "note", "resume", "interview"}
        assert [event.at for event in events] == sorted((event.at for event in events), reverse=True)

    def test_interviewer_timeline_has_no_private_events(self, world):
        events = candidate_timeline(user=world["interviewer"], candidate=world["candidate"])
        assert {event.kind for event in events} <= {"resume", "interview"}

    @pytest.mark.parametrize("moves", [2, 40])
    def test_fixed_number_of_queries(self, world, django_assert_max_num_queries, moves):
        recruiter = RecruiterFactory()
        history(world["app_a"], moves)
        NoteFactory.create_batch(moves, candidate=world["candidate"])
        recruiter.groups.all()  # role lookup is cached per request in real use
        candidate_timeline(user=recruiter, candidate=world["candidate"])
        with django_assert_max_num_queries(5):  # the candidate's visible applications, then one per kind
            events = candidate_timeline(user=recruiter, candidate=world["candidate"])
        ids = [world["app_a"].pk, world["app_b"].pk]
        with django_assert_max_num_queries(4):
            again = candidate_timeline(user=recruiter, candidate=world["candidate"], visible_application_ids=ids)
        assert again == events
        assert len(events) >= moves

    @pytest.mark.parametrize("moves", [2, 40])
    def test_profile_page_query_count_does_not_grow(self, client, world, django_assert_max_num_queries, moves):
        history(world["app_a"], moves)
        NoteFactory.create_batch(moves, candidate=world["candidate"])
        for _ in range(moves // 2):
            ResumeFactory(candidate=world["candidate"])
        client.force_login(RecruiterFactory())
        with django_assert_max_num_queries(15):
            response = client.get(reverse("hiring:candidate-detail", args=[world["candidate"].pk]))
        assert response.status_code == 200
