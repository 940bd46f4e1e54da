"""Offers: drafted against the role's pay band, signed off outside it, sent, answered, expired."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, HiringTeamMember, Offer, OfferApprover, OutboxMessage
from hiring.offer_pdf import letter_pdf
from hiring.selectors.offers import band_view, offer_letter
from hiring.services import application_create
from hiring.services import offers as services
from tests.hiring.factories import (
    AdminFactory,
    CandidateFactory,
    HiringManagerFactory,
    OfferLetterTemplateFactory,
    RecruiterFactory,
    band_for,
    job_with_stages,
    offer_terms,
)
from tests.html import parse


@pytest.fixture
def world(db):
    manager = HiringManagerFactory(first_name="Hugo", last_name="Manager")
    job = job_with_stages(title="Data Engineer", team=[(manager, HiringTeamMember.Role.HIRING_MANAGER)])
    band_for(job)
    recruiter = RecruiterFactory(first_name="Rosa", last_name="Recruiter")
    approver = AdminFactory(first_name="Fina", last_name="Approver")
    OfferApprover.objects.create(user=approver)
    application = application_create(candidate=CandidateFactory(first_name="Zoë"), job=job, actor=recruiter)
    return {"job": job, "manager": manager, "recruiter": recruiter, "approver": approver, "application": application}


def test_an_offer_inside_the_band_is_approved_when_submitted(world):
    offer = services.offer_create(application=world["application"], actor=world["recruiter"], **offer_terms())
    assert not offer.out_of_band
    offer = services.offer_submit(offer=offer, actor=world["recruiter"])
    assert offer.status == Offer.Status.APPROVED
    assert band_view(offer).verdict == "Within the band, above the median (110,000)."


def test_an_offer_above_the_band_needs_a_reason_then_the_manager_then_the_approver(world):
    offer = services.offer_create(
        application=world["application"], actor=world["recruiter"], **offer_terms(base_salary=150_000)
    )
    assert offer.out_of_band
    assert band_view(offer).position == "above"
    with pytest.raises(ValidationError, match="say why"):
        services.offer_submit(offer=offer, actor=world["recruiter"])
    offer = services.offer_submit(offer=offer, actor=world["recruiter"], justification="Competing offer")
    assert offer.status == Offer.Status.PENDING

    # The approver cannot jump the queue: the hiring manager signs first.
    with pytest.raises(ValidationError, match="hiring manager"):
        services.offer_approve(offer=offer, actor=RecruiterFactory(), reason="fine")
    offer = services.offer_approve(offer=offer, actor=world["manager"], reason="Worth it")
    assert offer.status == Offer.Status.PENDING
    # The manager cannot sign the second step too.
    with pytest.raises(ValidationError, match="another person"):
        services.offer_approve(offer=offer, actor=world["manager"], reason="again")
    offer = services.offer_approve(offer=offer, actor=world["approver"], reason="Budget allows")
    assert offer.status == Offer.Status.APPROVED
    assert [a.step for a in offer.approvals.all()] == ["hiring_manager", "final"]


def test_nobody_approves_their_own_out_of_band_offer(world):
    offer = services.offer_create(
        application=world["application"], actor=world["manager"], **offer_terms(base_salary=150_000)
    )
    offer = services.offer_submit(offer=offer, actor=world["manager"], justification="Strong candidate")
    with pytest.raises(ValidationError, match="You wrote this offer"):
        services.offer_approve(offer=offer, actor=world["manager"], reason="mine")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING
    assert not offer.approvals.exists()


def test_a_group_as_approver_and_sending_back(world):
    from django.contrib.auth.models import Group

    finance = Group.objects.create(name="Finance")
    OfferApprover.objects.all().delete()
    OfferApprover.objects.create(group=finance)
    member = RecruiterFactory()
    member.groups.add(finance)
    offer = services.offer_create(
        application=world["application"], actor=world["recruiter"], **offer_terms(base_salary=60_000)
    )
    offer = services.offer_submit(offer=offer, actor=world["recruiter"], justification="Part-time")
    offer = services.offer_approve(offer=offer, actor=world["manager"], reason="ok")
    with pytest.raises(ValidationError, match="Finance"):
        services.offer_approve(offer=offer, actor=world["approver"], reason="ok")
    offer = services.offer_send_back(offer=offer, actor=member, reason="Too low for the level")
    assert offer.status == Offer.Status.DRAFT
    # Resubmitted: a new round, both steps again.
    offer = services.offer_update(offer=offer, actor=world["recruiter"], **offer_terms(base_salary=70_000))
    offer = services.offer_submit(offer=offer, actor=world["recruiter"], justification="Part-time, raised")
    assert (offer.status, offer.round) == (Offer.Status.PENDING, 2)
    assert services.offer_next_step(offer)[0] == "hiring_manager"


@pytest.mark.parametrize(
    ("salary", "message"),
    [(-5, "positive"), (0, "positive"), (10**9, "not plausible"), (2_000_000, "more than 5 times")],
)
def test_impossible_salaries_are_refused_and_nothing_is_written(world, salary, message):
    with pytest.raises(ValidationError, match=message):
        services.offer_create(
            application=world["application"], actor=world["recruiter"], **offer_terms(base_salary=salary)
        )
    assert not Offer.objects.exists()


def test_accepting_moves_the_application_to_hired_and_fills_the_job(world, client):
    offer = services.offer_create(application=world["application"], actor=world["recruiter"], **offer_terms())
    offer = services.offer_submit(offer=offer, actor=world["recruiter"])
    offer = services.offer_mark_sent(offer=offer, actor=world["recruiter"])
    offer = services.offer_accept(offer=offer, actor=world["recruiter"])
    application = Application.objects.select_related("stage").get(pk=world["application"].pk)
    assert (offer.status, application.status, application.stage.name) == ("accepted", "hired", "Hired")
    assert application.stage_changes.filter(reason="Offer accepted").exists()

    client.force_login(world["recruiter"])
    page = parse(client.get(reverse("hiring:job-detail", args=[world["job"].pk])))
    assert page.xpath("//*[@id='job-filled']")  # headcount 1, one hire


def test_an_expired_offer_cannot_be_accepted(world):
    offer = services.offer_create(application=world["application"], actor=world["recruiter"], **offer_terms())
    offer = services.offer_submit(offer=offer, actor=world["recruiter"])
    offer = services.offer_mark_sent(offer=offer, actor=world["recruiter"])
    Offer.objects.filter(pk=offer.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="expired on"):
        services.offer_accept(offer=offer, actor=world["recruiter"])
    assert Application.objects.get(pk=world["application"].pk).status == "active"


def test_the_expiry_job_expires_once_and_tells_the_author_once(world, django_capture_on_commit_callbacks):
    offer = services.offer_create(application=world["application"], actor=world["recruiter"], **offer_terms())
    offer = services.offer_submit(offer=offer, actor=world["recruiter"])
    offer = services.offer_mark_sent(offer=offer, actor=world["recruiter"])
    later = offer.expires_on + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=False):
        assert services.offers_expire(today=later) == 1
        assert services.offers_expire(today=later) == 0
    offer.refresh_from_db()
    assert offer.status == Offer.Status.EXPIRED
    assert OutboxMessage.objects.filter(purpose="offer-expired", recipient=world["recruiter"].email).count() == 1


def test_one_open_offer_per_application(world):
    services.offer_create(application=world["application"], actor=world["recruiter"], **offer_terms())
    with pytest.raises(ValidationError, match="open offer already"):
        services.offer_create(application=world["application"], actor=world["recruiter"], **offer_terms())


def test_the_letter_fills_the_template_and_renders_as_pdf(world):
    letter_template = OfferLetterTemplateFactory()
    offer = services.offer_create(
        application=world["application"], actor=world["recruiter"], **offer_terms(letter_template=letter_template)
    )
    letter = offer_letter(offer=offer)
    assert "Dear Zoë," in letter.markdown
    assert "<strong>Data Engineer</strong>" in letter.html
    pdf = letter_pdf(title=letter.title, markdown_text=letter.markdown)
    assert pdf.startswith(b"%PDF-")
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "Dear Zoë," in text
    assert "EUR 115,000" in text


# --------------------------------------------------------------------------- views


def test_the_form_shows_clear_errors_for_bad_salaries(world, client):
    client.force_login(world["recruiter"])
    url = reverse("hiring:offer-create", args=[world["application"].pk])
    terms = offer_terms()
    data = {**terms, "start_date": terms["start_date"].isoformat(), "expires_on": terms["expires_on"].isoformat()}
    data.pop("letter_template")
    for bad, message in [("abc", "whole number"), ("-10", "positive"), ("999999999999", "not plausible")]:
        response = client.post(url, {**data, "base_salary": bad})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Offer.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    assert Offer.objects.get().base_salary == 115_000


def test_approving_ones_own_offer_over_http_answers_400_with_the_reason(world, client):
    offer = services.offer_create(
        application=world["application"], actor=world["manager"], **offer_terms(base_salary=150_000)
    )
    services.offer_submit(offer=offer, actor=world["manager"], justification="Strong")
    client.force_login(world["manager"])
    response = client.post(reverse("hiring:offer-action", args=[offer.pk, "approve"]), {"reason": "mine"})
    assert response.status_code == 400
    assert "You wrote this offer" in response.content.decode()
    assert not offer.approvals.exists()


def test_offers_of_another_job_answer_404_to_its_outsiders(world, client):
    other_manager = HiringManagerFactory()
    offer = services.offer_create(application=world["application"], actor=world["recruiter"], **offer_terms())
    client.force_login(other_manager)
    for url in [
        reverse("hiring:offer-detail", args=[offer.pk]),
        reverse("hiring:offer-letter-pdf", args=[offer.pk]),
        reverse("hiring:offer-create", args=[world["application"].pk]),
    ]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("hiring:offer-action", args=[offer.pk, "submit"])).status_code == 404
    assert Offer.objects.get().status == "draft"


def test_the_application_page_shows_the_offer_against_the_band(world, client):
    offer = services.offer_create(
        application=world["application"], actor=world["recruiter"], **offer_terms(base_salary=150_000)
    )
    client.force_login(world["recruiter"])
    page = parse(client.get(reverse("hiring:application-detail", args=[world["application"].pk])))
    meter = page.xpath("//section[@id='offers-panel']//meter")[0]
    assert (meter.get("value"), meter.get("low"), meter.get("high")) == ("150000", "90000", "130000")
    assert "15% above the band's maximum" in "".join(page.xpath("//section[@id='offers-panel']//text()"))
    assert offer.pk


@pytest.mark.parametrize("count", [3, 30])
def test_the_offers_list_costs_a_fixed_number_of_queries(world, client, count, django_assert_max_num_queries):
    for i in range(count):
        application = application_create(candidate=CandidateFactory(), job=world["job"], actor=world["recruiter"])
        services.offer_create(application=application, actor=world["recruiter"], **offer_terms(base_salary=100_000 + i))
    client.force_login(world["recruiter"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("hiring:offer-list"))
    assert response.status_code == 200
    assert len(parse(response).xpath("//tbody/tr")) == count


def _through_http(client, offer, action, **data):
    return client.post(reverse("hiring:offer-action", args=[offer.pk, action]), data)


def test_the_whole_answer_path_over_http_and_an_expired_offer_refused_in_place(world, client):
    client.force_login(world["recruiter"])
    offer = services.offer_create(application=world["application"], actor=world["recruiter"], **offer_terms())
    assert _through_http(client, offer, "submit").status_code == 302
    assert _through_http(client, offer, "mark-sent").status_code == 302
    Offer.objects.filter(pk=offer.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    response = _through_http(client, offer, "accept")
    assert response.status_code == 400
    assert "it can no longer be accepted" in response.content.decode()
    assert Application.objects.get(pk=world["application"].pk).status == "active"
    assert _through_http(client, offer, "bogus").status_code == 404
    response = _through_http(client, offer, "decline", reason="Took another offer")
    assert response.status_code == 302
    assert Offer.objects.get(pk=offer.pk).status == "declined"


def test_a_forged_letter_template_id_is_a_form_error(world, client):
    client.force_login(world["recruiter"])
    retired = OfferLetterTemplateFactory(active=False)
    terms = offer_terms()
    data = {**terms, "start_date": terms["start_date"].isoformat(), "expires_on": terms["expires_on"].isoformat()}
    for forged in (retired.pk, 999_999):
        response = client.post(
            reverse("hiring:offer-create", args=[world["application"].pk]), {**data, "letter_template": forged}
        )
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert not Offer.objects.exists()


def test_each_step_asks_its_approvers_by_email_once(world, django_capture_on_commit_callbacks):
    offer = services.offer_create(
        application=world["application"], actor=world["recruiter"], **offer_terms(base_salary=150_000)
    )
    offer = services.offer_submit(offer=offer, actor=world["recruiter"], justification="Competing offer")
    asked = OutboxMessage.objects.filter(purpose="offer-approval")
    assert list(asked.values_list("recipient", flat=True)) == [world["manager"].email]
    services.offer_approve(offer=offer, actor=world["manager"], reason="ok")
    assert sorted(asked.values_list("recipient", flat=True)) == sorted(
        [world["manager"].email, world["approver"].email]
    )
    assert "Competing offer" in asked.get(recipient=world["approver"].email).body_text


def test_an_approver_group_without_a_hiring_role_sees_only_what_waits_for_it(world, client):
    from django.contrib.auth.models import Group

    from tests.hiring.factories import UserFactory

    finance = Group.objects.create(name="Finance")
    OfferApprover.objects.all().delete()
    OfferApprover.objects.create(group=finance)
    controller = UserFactory()
    controller.groups.add(finance)
    offer = services.offer_create(
        application=world["application"], actor=world["recruiter"], **offer_terms(base_salary=150_000)
    )
    client.force_login(controller)
    url = reverse("hiring:offer-detail", args=[offer.pk])
    assert client.get(url).status_code == 404  # a draft: not theirs to see
    offer = services.offer_submit(offer=offer, actor=world["recruiter"], justification="Rare profile")
    services.offer_approve(offer=offer, actor=world["manager"], reason="ok")
    assert client.get(url).status_code == 200
    response = client.post(reverse("hiring:offer-action", args=[offer.pk, "approve"]), {"reason": "Within budget"})
    assert response.url == reverse("home")
    assert Offer.objects.get(pk=offer.pk).status == "approved"
    assert client.get(url).status_code == 404  # approved: no longer waiting for them


def test_marking_sent_can_email_the_letter_as_a_pdf_through_the_candidate_email_path(world, client, settings):
    import base64

    from hiring.models import CandidateEmail

    settings.CANDIDATE_EMAIL_UNDO_SECONDS = 30
    offer = services.offer_create(application=world["application"], actor=world["recruiter"], **offer_terms())
    services.offer_submit(offer=offer, actor=world["recruiter"])
    client.force_login(world["recruiter"])
    response = client.post(reverse("hiring:offer-action", args=[offer.pk, "mark-sent"]), {"email_letter": "on"})
    assert response.status_code == 302
    email = CandidateEmail.objects.get()
    assert (email.purpose, email.subject) == ("offer-letter", "Your offer for Data Engineer")
    message = OutboxMessage.objects.get(purpose="offer-letter")
    assert message.next_attempt_at > timezone.now()  # the undo window
    (attachment,) = message.attachments
    assert attachment["filename"] == f"offer-{offer.pk}.pdf"
    assert base64.b64decode(attachment["content_b64"]).startswith(b"%PDF-")
    assert Offer.objects.get(pk=offer.pk).status == "sent"
    page = parse(client.get(reverse("hiring:application-detail", args=[world["application"].pk])))
    assert "Your offer for Data Engineer" in page.xpath("string(//ol[@id='email-thread'])")
