"""The audit trail: who changed what and when, from which address, with old and new values;
access events for sensitive reads; append-only; the admins' page with filters and CSV export."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hiring import services
from hiring.models import Application, Candidate, Resume
from hiring.services import users as user_services
from roles import audit
from roles import services as role_services
from tests.hiring.factories import ApplicationFactory, CandidateFactory

LIST = reverse("admin:auditlog_logentry_changelist")
EXPORT = reverse("admin:auditlog_logentry_export")


def entries_for(model, pk=None):
    found = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
    if pk is not None:
        found = found.filter(object_pk=str(pk))
    return list(found.order_by("id"))


def test_candidate_create_change_and_delete_are_recorded_with_old_and_new_values(users):
    with audit.acting_as(users["recruiter"], remote_addr="10.1.2.3"):
        candidate = services.candidate_create(first_name="Grace", last_name="Hopper", email="grace@example.test")
        services.candidate_update(candidate=candidate, email="grace.hopper@example.test")
        pk = candidate.pk
        services.candidate_delete(candidate=candidate)
    created, changed, deleted = entries_for(Candidate, pk)
    assert [created.action, changed.action, deleted.action] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.DELETE,
    ]
    assert changed.changes_dict["email"] == ["grace@example.test", "grace.hopper@example.test"]
    assert "updated_at" not in changed.changes_dict
    assert all(e.actor == users["recruiter"] and e.remote_addr == "10.1.2.3" for e in (created, changed, deleted))


def test_a_stage_move_through_the_site_records_the_person_and_their_address(client, recruiter, job, stages):
    application = ApplicationFactory(job=job, stage=stages["Applied"])
    client.post(
        reverse("hiring:application-move", args=[application.pk]),
        {"to_stage": stages["Offer"].pk, "version": 1},
        REMOTE_ADDR="192.0.2.7",
    )
    (entry,) = [e for e in entries_for(Application, application.pk) if e.action == LogEntry.Action.UPDATE]
    assert entry.actor == recruiter
    assert entry.remote_addr == "192.0.2.7"
    assert entry.changes_dict["stage"] == [str(stages["Applied"].pk), str(stages["Offer"].pk)]


def test_bulk_moves_and_rejections_are_recorded_per_application(users, job, stages):
    from hiring.models import RejectionReason
    from hiring.services import pipeline

    apps = [ApplicationFactory(job=job, stage=stages["Applied"]) for _ in range(3)]
    pipeline.applications_bulk_move(applications=apps, to_stage=stages["Offer"], actor=users["recruiter"])
    reason = RejectionReason.objects.create(name="Not a fit")
    pipeline.applications_bulk_reject(applications=apps[:2], reason=reason, actor=users["manager"])
    for application in apps:
        moves = [e for e in entries_for(Application, application.pk) if "stage" in e.changes_dict]
        assert moves[-1].changes_dict["stage"] == [str(stages["Applied"].pk), str(stages["Offer"].pk)]
        assert moves[-1].actor == users["recruiter"]
    rejected = [e for e in entries_for(Application, apps[0].pk) if "status" in e.changes_dict]
    assert rejected[-1].changes_dict["status"] == ["active", "rejected"]
    assert rejected[-1].actor == users["manager"]


def test_group_membership_and_role_templates_are_recorded(users):
    recruiters = Group.objects.get(name="Recruiter")
    user_services.user_update(user=users["nobody"], actor=users["admin"], groups=[recruiters])
    (membership,) = [e for e in entries_for(type(users["nobody"]), users["nobody"].pk) if "groups" in e.changes_dict]
    assert membership.changes_dict["groups"]["operation"] == "add"
    assert membership.changes_dict["groups"]["objects"] == ["Recruiter"]

    template = role_services.role_template_create(data={"title": "Data Engineer"})
    role_services.role_template_update(template=template, data={"title": "Senior Data Engineer"})
    assert entries_for(type(template), template.pk)[-1].changes_dict["title"] == [
        "Data Engineer",
        "Senior Data Engineer",
    ]


def test_scorecards_are_recorded_from_their_submission_on_not_while_drafted(application_with_interviews):
    from interviews import services as interview_services
    from interviews.models import Scorecard
    from tests.interviews.conftest import fill, submit

    card = Scorecard.objects.filter(interview__application=application_with_interviews).first()
    fill(card)
    assert entries_for(Scorecard, card.pk) == []
    submit(card)
    interview_services.scorecard_amend(scorecard_id=card.pk, user=card.interviewer)
    submitted, amended = entries_for(Scorecard, card.pk)
    assert submitted.changes_dict["status"] == ["draft", "submitted"]
    assert amended.changes_dict["status"] == ["submitted", "draft"]


def test_entries_are_append_only(db):
    candidate = CandidateFactory()
    entry = LogEntry.objects.log_create(candidate, action=LogEntry.Action.UPDATE, changes={"x": ["a", "b"]})
    entry.object_repr = "rewritten"
    with pytest.raises(PermissionDenied), transaction.atomic():
        entry.save()
    with pytest.raises(PermissionDenied), transaction.atomic():
        entry.delete()
    assert LogEntry.objects.filter(pk=entry.pk, object_repr=str(candidate)).exists()


def test_a_resume_download_leaves_an_access_event(client, recruiter):
    candidate = CandidateFactory()
    resume = Resume.objects.create(
        candidate=candidate,
        file=ContentFile(b"%PDF-1.4", name="cv.pdf"),
        original_name="cv.pdf",
        content_type="application/pdf",
        size=8,
        status="done",
    )
    response = client.get(reverse("hiring:resume-download", args=[resume.pk]), REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 200
    (entry,) = entries_for(Resume, resume.pk)
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.additional_data["access"] == "résumé download"
    assert (entry.actor, entry.remote_addr) == (recruiter, "198.51.100.4")
    assert candidate.first_name not in entry.object_repr


def test_the_self_identification_report_leaves_an_access_event(client, users):
    from hiring.models import SelfIdentification

    client.force_login(users["admin"])
    assert client.get(reverse("admin:hiring_selfidentification_changelist")).status_code == 200
    (entry,) = entries_for(SelfIdentification)
    assert (entry.action, entry.actor) == (LogEntry.Action.ACCESS, users["admin"])


# --- The admins' page --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "allowed"), [("admin", True), ("recruiter", False), ("manager", False)])
def test_only_admins_browse_and_export_the_trail(client, users, who, allowed):
    users[who].is_staff = True  # even with access to the Django admin, only admins see the trail
    users[who].save()
    client.force_login(users[who])
    assert (client.get(LIST).status_code == 200) is allowed
    assert (client.get(EXPORT).status_code == 200) is allowed


def test_entries_cannot_be_added_changed_or_deleted_from_the_page(client, users):
    candidate = CandidateFactory()
    entry = entries_for(Candidate, candidate.pk)[0]
    client.force_login(users["admin"])
    page = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).content.decode()
    assert 'name="_save"' not in page
    assert client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


@pytest.fixture
def trail(users, job, stages):
    """A recruiter's and a manager's changes, a week apart."""
    with audit.acting_as(users["recruiter"]):
        ada = services.candidate_create(first_name="Ada", last_name="Lovelace", email="ada@example.test")
    with audit.acting_as(users["manager"]):
        services.candidate_update(candidate=ada, location="London")
        bob = services.candidate_create(first_name="Bob", last_name="Babbage")
    LogEntry.objects.filter(object_pk=str(ada.pk), action=LogEntry.Action.CREATE).update(
        timestamp=timezone.now() - timedelta(days=40)
    )
    return {"ada": ada, "bob": bob}


def export_rows(client, query):
    response = client.get(EXPORT + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_page_filters_by_person_object_action_and_date_and_exports_what_it_shows(client, users, trail):
    client.force_login(users["admin"])
    candidate_type = ContentType.objects.get_for_model(Candidate).pk
    body = client.get(LIST).content.decode()
    assert "Export CSV" in body
    assert "location: " in body
    assert "London" in body

    by_person = export_rows(client, f"?actor__id__exact={users['manager'].pk}")
    assert {row["who"] for row in by_person} == {users["manager"].display_name}
    assert len(by_person) == 2

    by_object = export_rows(client, f"?content_type__id__exact={candidate_type}&object_pk={trail['ada'].pk}")
    assert {row["object"] for row in by_object} == {"Ada Lovelace"}
    assert len(by_object) == 2

    by_action = export_rows(client, f"?action__exact={LogEntry.Action.UPDATE}&content_type__id__exact={candidate_type}")
    assert [row["what"] for row in by_action] == ["location:  → London"]

    since = urlencode({"timestamp__gte": (timezone.now() - timedelta(days=7)).isoformat()})
    this_week = export_rows(client, f"?{since}")
    assert "Ada Lovelace" not in {row["object"] for row in this_week if row["action"] == "create"}
    listed = client.get(LIST + f"?actor__id__exact={users['recruiter'].pk}").content.decode()
    assert "Bob Babbage" not in listed
    assert "Ada Lovelace" in listed


def test_exported_values_cannot_run_as_spreadsheet_formulas(client, users):
    with audit.acting_as(users["recruiter"]):
        services.candidate_create(first_name="=HYPERLINK(1)", last_name="x")
    client.force_login(users["admin"])
    rows = export_rows(client, "")
    assert any(row["object"].startswith("'=HYPERLINK") for row in rows)


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_and_the_export_cost_the_same_queries_at_two_sizes(client, users, size, django_assert_max_num_queries):
    for i in range(size):
        with audit.acting_as(users["recruiter" if i % 2 else "manager"], remote_addr="10.0.0.1"):
            candidate = services.candidate_create(first_name=f"Person{i}", email=f"p{i}@example.test")
            services.candidate_update(candidate=candidate, location=f"Town {i}")
    client.force_login(users["admin"])
    client.get(LIST)  # warm the content types
    with django_assert_max_num_queries(12):
        page = client.get(LIST)
    assert page.status_code == 200
    assert page.content.decode().count("Person") >= min(size, 25)
    with django_assert_max_num_queries(8):
        rows = export_rows(client, "")
    assert len(rows) >= 2 * size
