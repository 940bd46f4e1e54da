from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from interviews.models import Scorecard
from interviews.services import scorecard_reminders_send
from interviews.tasks import scorecard_reminders_send as reminder_task
from tests.hiring.factories import InterviewerFactory
from tests.interviews.conftest import submit
from tests.interviews.factories import InterviewFactory, ScorecardFactory, SubmittedScorecardFactory


def draft_ended(hours_ago: float, interviewer=None):
    end = timezone.now() - timedelta(hours=hours_ago)
    interview = InterviewFactory(starts_at=end - timedelta(hours=1), ends_at=end)
    return ScorecardFactory(interview=interview, interviewer=interviewer or InterviewerFactory())


def test_reminder_waits_for_the_setting_then_sends_once(db, settings, django_capture_on_commit_callbacks):
    settings.SCORECARD_REMINDER_HOURS = 2
    early = draft_ended(1)
    due = draft_ended(3)

    with django_capture_on_commit_callbacks(execute=True):  # the outbox delivers after the commit
        assert reminder_task() == 1
        assert reminder_task() == 0  # running twice never sends twice

    assert [m.to for m in mail.outbox] == [[due.interviewer.email]]
    assert reverse("interviews:scorecard-edit", args=[due.pk]) in mail.outbox[0].body
    due.refresh_from_db()
    early.refresh_from_db()
    assert (due.reminders_sent, early.reminders_sent) == (1, 0)


def test_reminders_repeat_daily_at_most_five_times(db, django_capture_on_commit_callbacks):
    card = draft_ended(3)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(8):
            scorecard_reminders_send(now=now + timedelta(days=day, minutes=1))
            scorecard_reminders_send(now=now + timedelta(days=day, minutes=16))  # the next beat tick, same day
    card.refresh_from_db()
    assert card.reminders_sent == 5
    assert len(mail.outbox) == 5


def test_submitted_and_withdrawn_scorecards_get_no_reminder(db, people, alice_card, bob_card):
    submit(alice_card)
    Scorecard.objects.filter(pk=bob_card.pk).update(withdrawn_at=timezone.now())
    assert scorecard_reminders_send() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("count", [1, 15])
def test_reminder_task_query_count_is_constant(db, django_assert_max_num_queries, count):
    for _ in range(count):
        draft_ended(5)
    with django_assert_max_num_queries(4):
        assert scorecard_reminders_send() == count


def test_my_interviews_groups_upcoming_due_overdue_and_submitted(db, client, settings):
    settings.SCORECARD_REMINDER_HOURS = 2
    me = InterviewerFactory()
    now = timezone.now()
    upcoming = ScorecardFactory(
        interviewer=me,
        interview=InterviewFactory(starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=1)),
    )
    due = draft_ended(1, interviewer=me)
    overdue = draft_ended(30, interviewer=me)
    done = SubmittedScorecardFactory(interviewer=me)
    someone_elses = draft_ended(30)
    client.force_login(me)

    body = client.get(reverse("interviews:my-interviews")).content.decode()

    sections = {
        name: body.split(f'id="{name}-heading"')[1].split("</section>")[0]
        for name in ("overdue", "due", "upcoming", "submitted")
    }
    assert reverse("interviews:scorecard-edit", args=[overdue.pk]) in sections["overdue"]
    assert reverse("interviews:scorecard-edit", args=[due.pk]) in sections["due"]
    assert reverse("interviews:scorecard-edit", args=[upcoming.pk]) in sections["upcoming"]
    assert reverse("interviews:kit", args=[upcoming.interview_id]) in sections["upcoming"]
    assert reverse("interviews:feedback", args=[done.interview.application_id]) in sections["submitted"]
    assert reverse("interviews:scorecard-edit", args=[someone_elses.pk]) not in body


@pytest.mark.parametrize("count", [1, 12])
def test_my_interviews_query_count_is_constant(db, client, django_assert_max_num_queries, count):
    me = InterviewerFactory()
    for _ in range(count):
        draft_ended(30, interviewer=me)
        SubmittedScorecardFactory(interviewer=me)
    client.force_login(me)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("interviews:my-interviews"))
    assert response.status_code == 200


def test_my_interviews_follows_the_one_overdue_rule(db, client, settings):
    """An amendment in progress is not overdue on My interviews either (nor reminded), only late drafts are."""
    settings.SCORECARD_REMINDER_HOURS = 2
    me = InterviewerFactory()
    late = draft_ended(30, interviewer=me)
    amending = draft_ended(30, interviewer=me)
    Scorecard.objects.filter(pk=amending.pk).update(submitted_at=timezone.now() - timedelta(hours=20))
    client.force_login(me)

    body = client.get(reverse("interviews:my-interviews")).content.decode()

    overdue_section = body.split('id="overdue-heading"')[1].split("</section>")[0]
    due_section = body.split('id="due-heading"')[1].split("</section>")[0]
    assert reverse("interviews:scorecard-edit", args=[late.pk]) in overdue_section
    assert reverse("interviews:scorecard-edit", args=[amending.pk]) not in overdue_section
    assert reverse("interviews:scorecard-edit", args=[amending.pk]) in due_section
    assert list(Scorecard.objects.overdue(timezone.now()).filter(interviewer=me)) == [late]
