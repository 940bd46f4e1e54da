"""The candidate list: search (name, email, résumé text), filters, sorting, paging, HTMX, budgets."""

import pytest
from django.urls import reverse

from hiring.models import Application, Candidate, RejectionReason
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    CandidateFactory,
    HiringManagerFactory,
    HiringTeamMemberFactory,
    InterviewerFactory,
    JobFactory,
    RecruiterFactory,
    StageFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("hiring:candidate-list")


def job_with_stages(**kwargs):
    job = JobFactory(**kwargs)
    for order, name in enumerate(["Applied", "Recruiter screen", "Technical interview"]):
        StageFactory(job=job, name=name, order=order)
    return job


def names(response) -> list[str]:
    return [candidate.full_name for candidate in response.context["page"].object_list]


@pytest.fixture
def recruiter_client(client):
    client.force_login(RecruiterFactory())
    return client


class TestSearch:
    def test_search_by_name_email_and_resume_text(self, recruiter_client):
        ada = CandidateFactory(first_name="Ada", last_name="Lovelace", email="ada@engines.test")
        CandidateFactory(first_name="Alan", last_name="Turing", email="alan@bletchley.test")
        grace = CandidateFactory(first_name="Grace", last_name="Hopper", email="grace@navy.test")
        Candidate.objects.filter(pk=grace.pk).update(resume_text="Built the first COBOL compiler; PyTorch curious.")
        assert names(recruiter_client.get(URL, {"q": "lovelace"})) == ["Ada Lovelace"]
        assert names(recruiter_client.get(URL, {"q": "bletchley"})) == ["Alan Turing"]
        assert names(recruiter_client.get(URL, {"q": "cobol compiler"})) == ["Grace Hopper"]
        assert names(recruiter_client.get(URL, {"q": "nobody-matches-this"})) == []
        assert ada.full_name in names(recruiter_client.get(URL, {"q": ""}))

    def test_search_words_all_have_to_match(self, recruiter_client):
        CandidateFactory(first_name="Ada", last_name="Lovelace")
        CandidateFactory(first_name="Ada", last_name="Byron")
        assert names(recruiter_client.get(URL, {"q": "ada byron"})) == ["Ada Byron"]

    def test_search_with_sql_and_html_characters_is_harmless(self, recruiter_client):
        CandidateFactory(first_name="Ada")
        for query in ["' OR 1=1 --", "<script>alert(1)</script>", "%_\\", "a & b | !c :*"]:
            response = recruiter_client.get(URL, {"q": query})
            assert response.status_code == 200
            assert "<script>alert(1)</script>" not in response.content.decode()


class TestFilters:
    def test_filter_by_job_stage_status_source_and_tag(self, recruiter_client):
        job = job_with_stages()
        other = job_with_stages(title="Other job")
        screen = job.stages.get(name="Recruiter screen")
        in_screen = ApplicationFactory(job=job, stage=screen, candidate=CandidateFactory(first_name="Screened"))
        ApplicationFactory(job=job, candidate=CandidateFactory(first_name="Applied"))
        ApplicationFactory(job=other, candidate=CandidateFactory(first_name="Elsewhere", source="Job board"))
        rejected = ApplicationFactory(
            job=job, status=Application.Status.REJECTED, candidate=CandidateFactory(first_name="Rejected")
        )
        in_screen.candidate.tags.add(TagFactory(name="python"))

        assert sorted(n.split()[0] for n in names(recruiter_client.get(URL, {"job": job.pk}))) == [
            "Applied",
            "Rejected",
            "Screened",
        ]
        assert [n.split()[0] for n in names(recruiter_client.get(URL, {"stage": screen.pk}))] == ["Screened"]
        assert [n.split()[0] for n in names(recruiter_client.get(URL, {"status": "rejected"}))] == ["Rejected"]
        assert [n.split()[0] for n in names(recruiter_client.get(URL, {"source": "job board"}))] == ["Elsewhere"]
        assert [n.split()[0] for n in names(recruiter_client.get(URL, {"tag": "python"}))] == ["Screened"]
        assert rejected.candidate.full_name not in names(recruiter_client.get(URL, {"status": "active", "job": job.pk}))

    def test_wrong_filter_values_are_ignored_not_a_500(self, recruiter_client):
        CandidateFactory()
        response = recruiter_client.get(URL, {"job": "abc", "stage": "-1", "status": "nope", "sort": "x", "page": "zz"})
        assert response.status_code == 200
        assert len(names(response)) == 1
        response = recruiter_client.get(URL, {"q": "x" * 10_000, "source": "<b>" * 100, "page": "999999"})
        assert response.status_code == 200
        assert len(names(response)) == 1

    def test_sorting_by_name_and_newest(self, recruiter_client):
        CandidateFactory(first_name="Zoe", last_name="Zed")
        CandidateFactory(first_name="Abe", last_name="Able")
        assert names(recruiter_client.get(URL, {"sort": "name"})) == ["Abe Able", "Zoe Zed"]
        assert names(recruiter_client.get(URL, {"sort": "newest"})) == ["Abe Able", "Zoe Zed"]

    def test_sorting_by_last_activity_puts_recently_noted_first(self, recruiter_client):
        from hiring.services import note_create

        first = CandidateFactory(first_name="First")
        CandidateFactory(first_name="Second")
        note_create(candidate=first, author=None, body="Called back.")
        assert names(recruiter_client.get(URL, {"sort": "activity"}))[0] == first.full_name

    def test_pagination(self, recruiter_client):
        CandidateFactory.create_batch(30)
        first = recruiter_client.get(URL)
        second = recruiter_client.get(URL, {"page": 2})
        assert len(names(first)) == 25
        assert len(names(second)) == 5
        assert "Page 1 of 2" in first.content.decode()
        assert "page=2" in first.content.decode()


class TestHtmx:
    def test_htmx_request_returns_only_the_results_fragment(self, recruiter_client):
        CandidateFactory(first_name="Ada")
        response = recruiter_client.get(URL, {"q": "ada"}, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "Ada" in body
        assert "<html" not in body
        assert 'id="candidate-filters"' not in body
        assert response["Vary"].lower().count("hx-request") == 1

    def test_full_page_has_live_search_wired_up(self, recruiter_client):
        body = recruiter_client.get(URL).content.decode()
        assert 'hx-trigger="input changed delay:300ms, search"' in body
        assert 'hx-push-url="true"' in body
        assert 'id="candidate-results"' in body


class TestBulkBar:
    def test_checkboxes_post_application_ids_to_bulk_action(self, recruiter_client):
        job = job_with_stages()
        application = ApplicationFactory(job=job)
        RejectionReason.objects.create(name="Not enough experience")
        body = recruiter_client.get(URL, {"job": job.pk}).content.decode()
        bulk_url = reverse("hiring:bulk-action")
        assert f'action="{bulk_url}"' in body
        assert f'name="application_ids" value="{application.pk}"' in body
        assert 'name="to_stage"' in body
        assert "Not enough experience" in body


class TestPermissions:
    def test_hiring_manager_sees_only_candidates_of_their_jobs(self, client):
        manager = HiringManagerFactory()
        mine = job_with_stages()
        HiringTeamMemberFactory(job=mine, user=manager, role="hiring_manager")
        ApplicationFactory(job=mine, candidate=CandidateFactory(first_name="Mine"))
        ApplicationFactory(job=job_with_stages(), candidate=CandidateFactory(first_name="Theirs"))
        CandidateFactory(first_name="Nobody")
        client.force_login(manager)
        assert [n.split()[0] for n in names(client.get(URL))] == ["Mine"]

    @pytest.mark.parametrize("factory", [InterviewerFactory, UserFactory])
    def test_interviewers_and_people_without_a_role_get_404(self, client, factory):
        client.force_login(factory())
        assert client.get(URL).status_code == 404

    def test_anonymous_is_sent_to_login(self, client):
        assert client.get(URL).status_code == 302

    @pytest.mark.parametrize("factory", [AdminFactory, RecruiterFactory])
    def test_admins_and_recruiters_see_everyone(self, client, factory):
        CandidateFactory.create_batch(3)
        client.force_login(factory())
        assert len(names(client.get(URL))) == 3


class TestQueryBudget:
    @pytest.mark.parametrize("count", [30, 300])
    def test_at_most_ten_queries_per_page(self, client, django_assert_max_num_queries, count):
        job = job_with_stages()
        other = job_with_stages(title="Second job")
        tag = TagFactory(name="python")
        RejectionReason.objects.create(name="Timing")
        for index, candidate in enumerate(CandidateFactory.create_batch(count)):
            ApplicationFactory(candidate=candidate, job=job if index % 2 else other)
            if index % 3 == 0:
                ApplicationFactory(candidate=candidate, job=other if index % 2 else job)
            candidate.tags.add(tag)
        recruiter = RecruiterFactory()
        client.force_login(recruiter)
        for params in ({}, {"q": "example"}, {"job": job.pk, "sort": "name"}, {"tag": "python", "page": 2}):
            with django_assert_max_num_queries(10):
                response = client.get(URL, params)
            assert response.status_code == 200
            assert response.context["page"].object_list
            with django_assert_max_num_queries(10):
                client.get(URL, params, headers={"HX-Request": "true"})

    @pytest.mark.parametrize("count", [30, 300])
    def test_hiring_manager_list_stays_within_budget(self, client, django_assert_max_num_queries, count):
        manager = HiringManagerFactory()
        job = job_with_stages()
        HiringTeamMemberFactory(job=job, user=manager, role="hiring_manager")
        for candidate in CandidateFactory.create_batch(count):
            ApplicationFactory(candidate=candidate, job=job)
        client.force_login(manager)
        with django_assert_max_num_queries(10):
            response = client.get(URL, {"job": job.pk})
        assert len(response.context["page"].object_list) == 25
