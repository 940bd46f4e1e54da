"""Voluntary self-identification: stored apart, admin-only, totals only, on no other surface."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from hiring import groups
from hiring.models import Application, SelfIdentification
from tests.hiring.careers_helpers import apply_data
from tests.hiring.factories import (
    AdminFactory,
    HiringManagerFactory,
    HiringTeamMemberFactory,
    InterviewerFactory,
    RecruiterFactory,
    published_posting,
    scorecard_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

ANSWERS = {
    "selfid_gender": "another",
    "selfid_race_ethnicity": "pacific_islander",
    "selfid_veteran": "protected_veteran",
    "selfid_disability": "yes",
}
# What would give the answers away on a page or in a file: their labels and stored values.
TELLTALES = [
    "Another gender identity",
    "Native Hawaiian",
    "Pacific Islander",
    "pacific_islander",
    "protected veteran",
    "protected_veteran",
    "I have a disability",
]
# Non-admins do not even see that the report exists (admins see its link in the admin index).
REPORT_NAMES = ["Self-identification", "self-identification", "selfidentification"]


@pytest.fixture
def world(client):
    posting = published_posting()
    client.post(reverse("careers:apply", args=[posting.slug]), apply_data(posting, **ANSWERS))
    application = Application.objects.select_related("candidate", "job").get()
    assert SelfIdentification.objects.get(application=application).answers["race_ethnicity"] == "pacific_islander"
    manager = HiringManagerFactory()
    HiringTeamMemberFactory(job=application.job, user=manager, role="hiring_manager")
    interviewer = InterviewerFactory()
    scorecard = scorecard_for(application=application, interviewer=interviewer)
    return {
        "application": application,
        "scorecard": scorecard,
        "users": {
            "recruiter": RecruiterFactory(),
            "staff recruiter": RecruiterFactory(is_staff=True),
            "hiring manager": manager,
            "interviewer": interviewer,
            "admin": AdminFactory(),
        },
    }


def surfaces(world) -> list[str]:
    application = world["application"]
    job, candidate = application.job, application.candidate
    return [
        reverse("hiring:job-list"),
        reverse("hiring:job-detail", args=[job.pk]),
        reverse("hiring:board", args=[job.pk]),
        reverse("hiring:posting-manage", args=[job.pk]),
        reverse("hiring:candidate-list"),
        reverse("hiring:candidate-list") + "?q=Pacific",
        reverse("hiring:candidate-list") + "?q=veteran",
        reverse("hiring:candidate-detail", args=[candidate.pk]),
        reverse("hiring:application-detail", args=[application.pk]),
        reverse("interviews:feedback", args=[application.pk]),
        reverse("interviews:feedback-export", args=[application.pk]),
        reverse("interviews:application-summary", args=[application.pk]),
        reverse("interviews:debrief", args=[application.pk]),
        reverse("interviews:job-digest", args=[job.pk]),
        reverse("interviews:kit", args=[world["scorecard"].interview_id]),
        reverse("interviews:scorecard-edit", args=[world["scorecard"].pk]),
        reverse("interviews:my-interviews"),
        reverse("admin:index"),
        reverse("admin:hiring_application_change", args=[application.pk]),
        reverse("admin:hiring_candidate_change", args=[candidate.pk]),
        reverse("admin:hiring_candidate_changelist") + "?q=pacific",
    ]


@pytest.mark.parametrize("role", ["recruiter", "staff recruiter", "hiring manager", "interviewer", "admin"])
def test_no_surface_of_the_app_shows_self_identification(world, role):
    client = Client()
    client.force_login(world["users"][role])
    shown = 0
    for url in surfaces(world):
        response = client.get(url)
        assert response.status_code < 500, url
        body = response.content.decode(errors="replace")
        for telltale in TELLTALES + (REPORT_NAMES if role != "admin" else []):
            assert telltale not in body, (role, url, telltale)
        shown += response.status_code == 200
    assert shown >= 3  # each role really saw pages (not only redirects)


@pytest.mark.parametrize("role", ["recruiter", "staff recruiter", "hiring manager", "interviewer"])
def test_the_self_identification_report_is_closed_to_every_role_but_admins(world, role):
    client = Client()
    client.force_login(world["users"][role])
    response = client.get(reverse("admin:hiring_selfidentification_changelist"))
    assert response.status_code in (302, 403)
    assert b"Native Hawaiian" not in response.content


def test_admins_see_totals_never_one_persons_answers(world):
    client = Client()
    client.force_login(world["users"]["admin"])
    response = client.get(reverse("admin:hiring_selfidentification_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Native Hawaiian or Other Pacific Islander</td><td>1</td>" in body
    assert world["application"].candidate.last_name not in body
    assert world["application"].candidate.email not in body
    # No page for one record.
    record = SelfIdentification.objects.get()
    assert client.get(reverse("admin:hiring_selfidentification_change", args=[record.pk])).status_code in (302, 403)


def test_no_role_group_but_admin_holds_a_permission_on_self_identification(db):
    for name in (groups.RECRUITER, groups.HIRING_MANAGER, groups.INTERVIEWER):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert not {c for c in codenames if c.endswith("selfidentification")}, name
    admin_codenames = set(Group.objects.get(name=groups.ADMIN).permissions.values_list("codename", flat=True))
    assert "view_selfidentification" in admin_codenames


def test_a_model_permission_granted_by_hand_does_not_open_the_report(world):
    from django.contrib.auth.models import Permission

    staff = world["users"]["staff recruiter"]
    staff.user_permissions.add(Permission.objects.get(codename="view_selfidentification"))
    client = Client()
    client.force_login(staff)
    response = client.get(reverse("admin:hiring_selfidentification_changelist"))
    assert response.status_code == 403
    assert b"Native Hawaiian" not in response.content
