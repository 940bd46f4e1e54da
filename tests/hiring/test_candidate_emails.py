"""Email to candidates: compose from a template, preview, send with an undo window, thread, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hiring.models import CandidateEmail, HiringTeamMember, OutboxMessage
from hiring.services import application_create, application_reject
from hiring.services.outbox import outbox_deliver, outbox_sweep
from tests.hiring.factories import (
    CandidateFactory,
    EmailTemplateFactory,
    HiringManagerFactory,
    RecruiterFactory,
    RejectionReasonFactory,
    job_with_stages,
)
from tests.html import parse


@pytest.fixture
def world(db, settings):
    settings.CANDIDATE_EMAIL_UNDO_SECONDS = 30
    job = job_with_stages(title="Data Engineer")
    recruiter = RecruiterFactory(first_name="Rosa", last_name="Recruiter")
    candidate = CandidateFactory(first_name="Zoë", last_name="Ada", email="zoe@example.test")
    application = application_create(candidate=candidate, job=job, actor=recruiter)
    template = EmailTemplateFactory(
        name="Check-in",
        kind="other",
        subject="{{ job_title }}: a quick note",
        body="Hi {{ first_name }}, {{ recruiter_name }} here.",
    )
    return {"job": job, "recruiter": recruiter, "application": application, "template": template}


def _compose(client, world, step, **data):
    payload = {"template": world["template"].pk, "subject": "", "body": "", "step": step, **data}
    return client.post(reverse("hiring:email-compose", args=[world["application"].pk]), payload)


def test_preview_fills_the_placeholders_and_sends_nothing(world, client):
    client.force_login(world["recruiter"])
    response = _compose(client, world, "preview")
    page = parse(response)
    assert page.xpath("string(//*[@id='preview-subject'])") == "Data Engineer: a quick note"
    assert page.xpath("string(//*[@id='preview-body'])") == "Hi Zoë, Rosa Recruiter here."
    assert not CandidateEmail.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_sent_email_waits_for_the_undo_window_then_leaves_once(world, client, django_capture_on_commit_callbacks):
    client.force_login(world["recruiter"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _compose(client, world, "send")
    assert response.status_code == 302
    email = CandidateEmail.objects.get()
    assert len(mail.outbox) == 0  # the delivery task came too early: nothing due yet
    page = parse(client.get(reverse("hiring:application-detail", args=[world["application"].pk])))
    assert page.xpath("//section[@id='emails-panel']//button[text()='Undo']")
    assert "Email to the candidate: Data Engineer: a quick note" in page.xpath("string(//*[@id='timeline'])")

    OutboxMessage.objects.filter(pk=email.outbox_message_id).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    CandidateEmail.objects.filter(pk=email.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    assert outbox_deliver(message_id=email.outbox_message_id) is True
    assert outbox_deliver(message_id=email.outbox_message_id) is False
    assert outbox_sweep() == 0
    assert [m.subject for m in mail.outbox] == ["Data Engineer: a quick note"]
    # Too late to undo now.
    response = client.post(reverse("hiring:email-undo", args=[email.pk]), follow=True)
    assert "Too late to undo" in response.content.decode()


def test_an_undone_email_never_leaves(world, client):
    client.force_login(world["recruiter"])
    _compose(client, world, "send")
    email = CandidateEmail.objects.get()
    response = client.post(reverse("hiring:email-undo", args=[email.pk]), follow=True)
    assert "was not sent" in response.content.decode()
    email.refresh_from_db()
    assert email.status == "undone"
    assert not OutboxMessage.objects.exists()
    assert outbox_sweep() == 0
    assert mail.outbox == []


def test_empty_email_without_template_gives_clear_errors(world, client):
    client.force_login(world["recruiter"])
    response = _compose(client, world, "send", template="")
    assert response.status_code == 400
    assert "Write a subject or choose a template." in response.content.decode()
    assert not CandidateEmail.objects.exists()


def test_writing_about_another_jobs_application_answers_404(world, client):
    outsider = HiringManagerFactory()
    other = job_with_stages(title="Other", team=[(outsider, HiringTeamMember.Role.HIRING_MANAGER)])
    assert other.pk != world["job"].pk
    client.force_login(outsider)
    assert _compose(client, world, "send").status_code == 404
    assert not CandidateEmail.objects.exists()


def test_a_rejection_email_takes_the_same_path_and_shows_in_the_thread(world, client):
    template = EmailTemplateFactory()
    application_reject(
        application=world["application"],
        reason=RejectionReasonFactory(),
        actor=world["recruiter"],
        email_template=template,
    )
    email = CandidateEmail.objects.get()
    assert (email.purpose, email.recipient) == ("rejection", "zoe@example.test")
    assert OutboxMessage.objects.get().next_attempt_at > timezone.now()  # undo window


def _page_queries(client, application) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("hiring:application-detail", args=[application.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_offer_and_email_panels_cost_the_same_queries_whatever_the_thread(world, client):
    from hiring.services import emails as email_services
    from hiring.services import offers as offer_services
    from tests.hiring.factories import band_for, offer_terms

    band_for(world["job"])
    client.force_login(world["recruiter"])
    application = world["application"]
    offer = offer_services.offer_create(application=application, actor=world["recruiter"], **offer_terms())
    email_services.candidate_email_send(application=application, sender=world["recruiter"], subject="1", body="One")
    small = _page_queries(client, application)
    offer_services.offer_submit(offer=offer, actor=world["recruiter"])
    offer_services.offer_decline(offer=offer, actor=world["recruiter"], reason="Counter-offer")
    offer_services.offer_create(application=application, actor=world["recruiter"], **offer_terms())
    for i in range(12):
        email_services.candidate_email_send(
            application=application, sender=world["recruiter"], subject=f"{i}", body="…"
        )
    assert _page_queries(client, application) == small
    page = parse(client.get(reverse("hiring:application-detail", args=[application.pk])))
    assert len(page.xpath("//ol[@id='email-thread']/li")) == 13
    assert len(page.xpath("//section[@id='offers-panel']//meter")) == 2


def test_interview_time_is_the_next_interview_in_the_sites_time_zone(world, client, settings, users):
    import datetime

    from interviews.services import interview_schedule

    settings.TIME_ZONE = "Europe/Berlin"
    application = world["application"]
    step = world["job"].interview_plan.steps.order_by("order").first()
    starts = datetime.datetime(2031, 3, 4, 9, 30, tzinfo=datetime.UTC)
    interview_schedule(
        application=application,
        step=step,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        interviewers=[users["interviewer"]],
        created_by=world["recruiter"],
    )
    client.force_login(world["recruiter"])
    response = _compose(
        client, world, "preview", template="", subject="Interview", body="See you {{ interview_time }}."
    )
    body = parse(response).xpath("string(//*[@id='preview-body'])")
    assert body == "See you Tuesday 04 March 2031, 10:30 (Europe/Berlin)."


def test_a_forged_or_retired_template_id_is_a_form_error(world, client):
    world["template"].active = False
    world["template"].save()
    client.force_login(world["recruiter"])
    for forged in (world["template"].pk, 999_999, "x"):
        response = _compose(client, world, "send", template=forged, subject="Hi", body="Hello")
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert not CandidateEmail.objects.exists()
