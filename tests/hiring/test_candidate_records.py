"""Editing a candidate in the app and merging two records of one person."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hiring import services
from hiring.models import Application, Candidate, Note, Resume, StageChange
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    HiringManagerFactory,
    InterviewerFactory,
    NoteFactory,
    RecruiterFactory,
    ResumeFactory,
    TagFactory,
    job_with_stages,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter(client):
    user = RecruiterFactory()
    client.force_login(user)
    return user


def edit_data(candidate, **changes):
    data = {
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "email": candidate.email,
        "phone": candidate.phone,
        "location": candidate.location,
        "links": "",
        "source": candidate.source,
        "tags": "",
        "version": candidate.version,
    }
    data.update(changes)
    return data


def test_a_recruiter_edits_contact_details_links_source_and_tags(client, recruiter):
    candidate = CandidateFactory(first_name="Ada")
    url = reverse("hiring:candidate-edit", args=[candidate.pk])
    assert 'name="version"' in client.get(url).content.decode()
    response = client.post(
        url,
        edit_data(
            candidate,
            email="ADA@Example.org",
            links="https://github.com/ada https://ada.dev",
            source="Meetup",
            tags="python, mentor",
        ),
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.email == "ada@example.org"
    assert candidate.links == ["https://github.com/ada", "https://ada.dev"]
    assert candidate.source == "Meetup"
    assert sorted(candidate.tags.values_list("name", flat=True)) == ["mentor", "python"]
    assert candidate.version == 2


def test_an_edit_over_a_stale_version_is_refused(client, recruiter):
    candidate = CandidateFactory()
    Candidate.objects.filter(pk=candidate.pk).update(version=3)
    response = client.post(reverse("hiring:candidate-edit", args=[candidate.pk]), edit_data(candidate, source="X"))
    assert response.status_code == 400
    assert "changed by someone else" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.source == "Referral"


def test_an_email_another_candidate_has_is_a_form_error(client, recruiter):
    taken = CandidateFactory()
    candidate = CandidateFactory()
    response = client.post(
        reverse("hiring:candidate-edit", args=[candidate.pk]), edit_data(candidate, email=taken.email)
    )
    assert response.status_code == 400
    assert "Another candidate already has this email" in response.content.decode()


def test_only_recruiters_and_admins_edit_and_merge(client):
    candidate = ApplicationFactory().candidate
    for user in (HiringManagerFactory(), InterviewerFactory()):
        client.force_login(user)
        assert client.get(reverse("hiring:candidate-edit", args=[candidate.pk])).status_code == 404
        assert client.get(reverse("hiring:candidate-merge", args=[candidate.pk])).status_code == 404


@pytest.fixture
def duplicates():
    job_a, job_b = job_with_stages(title="Data engineer"), job_with_stages(title="Analyst")
    keep = CandidateFactory(first_name="Grace", last_name="Hopper", email="grace@example.org", location="")
    gone = CandidateFactory(first_name="Grace", last_name="H.", email="g.hopper@example.org", location="Arlington")
    ApplicationFactory(candidate=keep, job=job_a)
    moved = ApplicationFactory(candidate=gone, job=job_b)
    StageChange.objects.create(application=moved, to_stage=moved.stage, to_status="active")
    NoteFactory(candidate=gone, application=moved, body="Met at the conference.")
    ResumeFactory(candidate=gone)
    keep.tags.add(TagFactory(name="navy"))
    gone.tags.add(TagFactory(name="navy"), TagFactory(name="compilers"))
    return keep, gone, moved


def test_merging_moves_everything_and_leaves_a_tombstone_that_redirects(client, recruiter, duplicates):
    keep, gone, moved = duplicates
    url = reverse("hiring:candidate-merge", args=[keep.pk])
    search = client.get(url, {"q": "Grace"}).content.decode()
    assert f"?other={gone.pk}" in search
    compare = client.get(url, {"other": gone.pk}).content.decode()
    assert "Arlington" in compare
    assert "brings 1 application, 1 note and 1 résumé" in compare
    response = client.post(
        url,
        {
            "other": gone.pk,
            "survivor_version": keep.version,
            "other_version": gone.version,
            "pick_location": "other",
            "pick_email": "this",
        },
    )
    assert response.status_code == 302
    keep.refresh_from_db()
    gone.refresh_from_db()
    assert keep.location == "Arlington"
    assert keep.email == "grace@example.org"
    assert keep.last_name == "Hopper"
    assert set(keep.applications.values_list("job__title", flat=True)) == {"Data engineer", "Analyst"}
    assert Application.objects.get(pk=moved.pk).stage_changes.count() == 1  # history travels with the application
    assert Note.objects.filter(candidate=keep, body="Met at the conference.").exists()
    assert Resume.objects.filter(candidate=keep).count() == 1
    assert sorted(keep.tags.values_list("name", flat=True)) == ["compilers", "navy"]
    assert "PyTorch" in keep.resume_text
    assert gone.merged_into == keep
    assert (gone.email, gone.phone) == ("", "")
    assert not gone.tags.exists()
    tombstone = client.get(reverse("hiring:candidate-detail", args=[gone.pk]))
    assert tombstone.status_code == 302
    assert tombstone["Location"] == reverse("hiring:candidate-detail", args=[keep.pk])
    page = client.get(tombstone["Location"]).content.decode()
    assert "Merged the duplicate record of Grace H." in page
    listed = client.get(reverse("hiring:candidate-list"), {"q": "Grace"}).content.decode()
    assert reverse("hiring:candidate-detail", args=[gone.pk]) not in listed


def test_merging_a_candidate_into_itself_is_refused(client, recruiter, duplicates):
    keep, _gone, _moved = duplicates
    response = client.post(
        reverse("hiring:candidate-merge", args=[keep.pk]),
        {"other": keep.pk, "survivor_version": keep.version, "other_version": keep.version},
    )
    assert response.status_code == 400
    assert "cannot be merged into itself" in response.content.decode()
    keep.refresh_from_db()
    assert keep.merged_into is None
    assert keep.version == 1


def test_a_merge_after_either_record_changed_writes_nothing(client, recruiter, duplicates):
    keep, gone, moved = duplicates
    services.candidate_edit(candidate=gone, expected_version=1, source="Changed meanwhile")
    response = client.post(
        reverse("hiring:candidate-merge", args=[keep.pk]),
        {"other": gone.pk, "survivor_version": 1, "other_version": 1},
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert Application.objects.get(pk=moved.pk).candidate_id == gone.pk
    assert Candidate.objects.get(pk=gone.pk).merged_into is None


def test_two_applications_to_one_job_are_refused_before_anything_moves(duplicates):
    keep, gone, moved = duplicates
    ApplicationFactory(candidate=keep, job=moved.job)
    with pytest.raises(ValidationError, match="Both records applied to Analyst"):
        services.candidate_merge(survivor=keep, other=gone, survivor_version=1, other_version=1)
    assert Application.objects.get(pk=moved.pk).candidate_id == gone.pk


def test_a_forged_or_merged_other_record_is_not_found(client, recruiter, duplicates):
    keep, gone, _moved = duplicates
    url = reverse("hiring:candidate-merge", args=[keep.pk])
    assert client.post(url, {"other": 999999, "survivor_version": 1, "other_version": 1}).status_code == 404
    services.candidate_merge(survivor=keep, other=gone, survivor_version=1, other_version=1)
    third = CandidateFactory()
    response = client.post(
        reverse("hiring:candidate-merge", args=[third.pk]),
        {"other": gone.pk, "survivor_version": 1, "other_version": 1},
    )
    assert response.status_code == 404


def test_a_merge_post_without_the_other_record_is_a_form_error(client, recruiter):
    keep = CandidateFactory()
    response = client.post(reverse("hiring:candidate-merge", args=[keep.pk]), {"survivor_version": "x"})
    assert response.status_code == 400
    assert "Choose the duplicate" in response.content.decode()
