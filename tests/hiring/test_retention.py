"""Retention: the admins' policy, its dry run, and the nightly job that anonymises people without an
open application and without activity for the policy's months (hires kept), once, audited."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, Candidate, Note, Resume, RetentionPolicy, StageChange
from hiring.selectors.candidates import candidate_list
from hiring.selectors.privacy import retention_dry_run
from hiring.services.privacy import retention_apply, retention_policy_save
from hiring.tasks import retention_run
from tests.hiring.factories import ApplicationFactory, CandidateFactory

LIST = reverse("admin:hiring_retentionpolicy_changelist")


def idle(candidate: Candidate, *, days: int) -> Candidate:
    """Make the candidate's last activity ``days`` ago (their record, applications and notes)."""
    then = timezone.now() - timedelta(days=days)
    Candidate.objects.filter(pk=candidate.pk).update(updated_at=then)
    Application.objects.filter(candidate=candidate).update(updated_at=then)
    Note.objects.filter(candidate=candidate).update(created_at=then)
    return candidate


def person(first: str, status: str, *, days: int, **kwargs) -> Candidate:
    candidate = CandidateFactory(first_name=first, last_name="Example", email=f"{first.lower()}@example.test")
    ApplicationFactory(candidate=candidate, status=status, **kwargs)
    return idle(candidate, days=days)


@pytest.fixture
def world(db, users):
    return {
        "old_rejected": person("Oldrej", Application.Status.REJECTED, days=800),
        "old_active": person("Oldact", Application.Status.ACTIVE, days=800),
        "old_hired": person("Oldhire", Application.Status.HIRED, days=800),
        "recent": person("Recent", Application.Status.REJECTED, days=30),
        "soon": person("Soonish", Application.Status.WITHDRAWN, days=715),  # 24 months in about 15 days
    }


def test_the_job_anonymises_only_the_people_the_default_policy_names(world, users, django_capture_on_commit_callbacks):
    old = world["old_rejected"]
    application = old.applications.get()
    StageChange.objects.create(application=application, to_stage=application.stage, to_status="rejected")
    Note.objects.create(candidate=old, author=users["recruiter"], body="Talked about salary expectations.")
    resume = Resume.objects.create(
        candidate=old,
        file=ContentFile(b"Oldrej CV", name="old.pdf"),
        original_name="old.pdf",
        content_type="application/pdf",
        size=9,
        text="Oldrej Example, Kafka",
        status="done",
    )
    idle(old, days=800)

    with django_capture_on_commit_callbacks(execute=True):
        assert retention_run.delay().get() == 1

    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert (old.first_name, old.email, old.phone, old.links) == ("Anonymised", "", "", [])
    assert Note.objects.get(candidate=old).body == ""
    assert not Resume.objects.filter(pk=resume.pk).exists()
    assert not default_storage.exists(resume.file.name)
    # Facts stay for reports.
    assert Application.objects.filter(pk=application.pk, status="rejected").exists()
    assert StageChange.objects.filter(application=application).exists()
    assert old.source == Candidate.objects.get(pk=old.pk).source
    # Everybody else is untouched.
    for key in ("old_active", "old_hired", "recent", "soon"):
        assert Candidate.objects.get(pk=world[key].pk).anonymised_at is None
    # Audited, and gone from search.
    assert LogEntry.objects.filter(object_pk=str(old.pk), changes__icontains="erased (retention policy)").count() == 1
    assert list(candidate_list(user=users["recruiter"], q="Anonymised").page) == []


def test_evidence_text_goes_and_ratings_stay(application_with_interviews):
    from interviews.models import Scorecard
    from interviews.services import scorecard_submit
    from tests.interviews.conftest import fill

    card = Scorecard.objects.filter(interview__application=application_with_interviews).first()
    fill(card)
    scorecard_submit(scorecard_id=card.pk, user=card.interviewer)
    Application.objects.filter(pk=application_with_interviews.pk).update(status=Application.Status.REJECTED)
    idle(application_with_interviews.candidate, days=800)

    assert retention_apply() == 1
    card.refresh_from_db()
    assert card.key_takeaways == ""
    assert card.overall_recommendation == 3
    assert card.status == Scorecard.Status.SUBMITTED


def test_running_twice_anonymises_once(world):
    assert retention_apply() == 1
    assert retention_apply() == 0
    assert LogEntry.objects.filter(changes__icontains="erased (retention policy)").count() == 1


def test_the_admins_policy_decides(world):
    RetentionPolicy.objects.create(inactive_months=24, keep_hired=False)
    assert retention_apply() == 2  # the rejected and the hired person
    RetentionPolicy.objects.update(active=False, inactive_months=1)
    assert retention_apply() == 0


def test_the_dry_run_lists_who_goes_next_and_when(world):
    now = timezone.now()
    rows = {row.name: row for row in retention_dry_run(now=now, within_days=30)}
    assert set(rows) == {"Oldrej Example", "Soonish Example"}
    assert rows["Oldrej Example"].due_at == now
    expected = Candidate.objects.get(pk=world["soon"].pk).updated_at
    assert rows["Soonish Example"].due_at == expected + relativedelta(months=24)
    assert now + timedelta(days=10) < rows["Soonish Example"].due_at < now + timedelta(days=20)


@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("recruiter", 403), ("manager", 403)])
def test_only_admins_see_the_dry_run_and_set_the_policy(client, users, world, who, status):
    users[who].is_staff = True
    users[who].save()
    client.force_login(users[who])
    response = client.get(LIST)
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "Oldrej Example" in body
        assert "Soonish Example" in body
        assert "Recent Example" not in body
        assert "next run" in body
        saved = client.post(
            reverse("admin:hiring_retentionpolicy_add"), {"active": "on", "inactive_months": "36", "keep_hired": "on"}
        )
        assert saved.status_code == 302
        assert RetentionPolicy.objects.get().inactive_months == 36
        assert LogEntry.objects.filter(object_repr__icontains="36 months", actor=users[who]).exists()
        client.post(reverse("admin:hiring_retentionpolicy_add"), {"inactive_months": "48", "keep_hired": "on"})
        assert list(RetentionPolicy.objects.values_list("inactive_months", "active")) == [(48, False)]  # one row


def test_a_bad_policy_is_refused_in_place(client, users):
    client.force_login(users["admin"])
    response = client.post(reverse("admin:hiring_retentionpolicy_add"), {"inactive_months": "0"})
    assert response.status_code == 200
    assert "greater than or equal to 1" in response.content.decode()
    assert not RetentionPolicy.objects.exists()


def test_services_keep_one_policy_row(db):
    retention_policy_save(policy=RetentionPolicy(inactive_months=12))
    retention_policy_save(policy=RetentionPolicy(inactive_months=18))
    assert list(RetentionPolicy.objects.values_list("inactive_months", flat=True)) == [18]
