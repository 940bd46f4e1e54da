"""Two-factor sign-in: optional for everyone, required for admins and the Django admin when the
setting says so (on in production); an authenticator app (TOTP) plus single-use recovery codes."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hiring.services import two_factor
from tests.hiring.factories import DEFAULT_PASSWORD

JOBS = reverse("hiring:job-list")
REQUIRED = override_settings(TWO_FACTOR_REQUIRED_FOR_ADMINS=True)


def code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)).zfill(
        device.digits
    )


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device, two_factor.recovery_codes_renew(user=user)


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return response


def test_setting_up_an_app_turns_it_on_and_shows_recovery_codes_once(client, users):
    client.force_login(users["recruiter"])
    page = client.get(reverse("two-factor-setup"))
    assert page.status_code == 200
    assert 'id="totp-secret"' in page.content.decode()
    device = TOTPDevice.objects.get(user=users["recruiter"], confirmed=False)

    wrong = client.post(reverse("two-factor-setup"), {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=users["recruiter"], confirmed=True).exists()

    done = client.post(reverse("two-factor-setup"), {"token": code(device)})
    body = done.content.decode()
    assert "Your recovery codes" in body
    codes = StaticToken.objects.filter(device__user=users["recruiter"]).values_list("token", flat=True)
    assert len(codes) == 10
    assert all(token in body for token in codes)
    assert TOTPDevice.objects.filter(user=users["recruiter"], confirmed=True).count() == 1
    assert client.get(JOBS).status_code == 200  # verified in this session


def test_an_enrolled_person_gives_a_code_after_the_password(client, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code otherwise pauses the next try for a second
    device, _ = enrolled(users["recruiter"])
    sign_in(client, users["recruiter"])
    response = client.get(JOBS)
    assert response.status_code == 302
    assert response.url == f"{reverse('two-factor-verify')}?next=%2Fhiring%2Fjobs%2F"

    refused = client.post(reverse("two-factor-verify"), {"token": "12345", "next": JOBS})
    assert "That code is not right" in refused.content.decode()
    assert client.get(JOBS).status_code == 302

    accepted = client.post(reverse("two-factor-verify"), {"token": code(device), "next": JOBS})
    assert accepted.status_code == 302
    assert accepted.url == JOBS
    assert client.get(JOBS).status_code == 200


def test_a_recovery_code_works_once(client, users):
    _, codes = enrolled(users["recruiter"])
    sign_in(client, users["recruiter"])
    assert client.post(reverse("two-factor-verify"), {"token": codes[0], "next": JOBS}).url == JOBS
    client.logout()
    sign_in(client, users["recruiter"])
    again = client.post(reverse("two-factor-verify"), {"token": codes[0], "next": JOBS})
    assert again.status_code == 200
    assert StaticToken.objects.filter(device__user=users["recruiter"]).count() == 9


def test_the_verify_page_never_redirects_off_site(client, users):
    device, _ = enrolled(users["recruiter"])
    sign_in(client, users["recruiter"])
    response = client.post(reverse("two-factor-verify"), {"token": code(device), "next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_optional_for_people_without_it(client, users):
    sign_in(client, users["recruiter"])
    assert client.get(JOBS).status_code == 200


@REQUIRED
@pytest.mark.parametrize(("who", "sent_to_setup"), [("admin", True), ("recruiter", False), ("manager", False)])
def test_when_required_admins_set_it_up_before_anything_else(client, users, who, sent_to_setup):
    sign_in(client, users[who])
    response = client.get(JOBS)
    if sent_to_setup:
        assert response.status_code == 302
        assert response.url.startswith(reverse("two-factor-setup"))
    else:
        assert response.status_code == 200


@REQUIRED
def test_when_required_the_django_admin_asks_everyone_for_the_second_factor(client, users):
    users["recruiter"].is_staff = True
    users["recruiter"].save()
    sign_in(client, users["recruiter"])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two-factor-setup"))


@REQUIRED
def test_an_admin_with_the_second_factor_reaches_the_django_admin(client, users):
    device, _ = enrolled(users["admin"])
    sign_in(client, users["admin"])
    assert client.get(reverse("admin:index")).url.startswith(reverse("two-factor-verify"))
    client.post(reverse("two-factor-verify"), {"token": code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


@REQUIRED
def test_admins_cannot_turn_it_off_when_required_others_can(client, users):
    for who in ("admin", "recruiter"):
        device, _ = enrolled(users[who])
        client.logout()
        sign_in(client, users[who])
        client.post(reverse("two-factor-verify"), {"token": code(device)})
        client.post(reverse("two-factor-disable"))
        still_on = TOTPDevice.objects.filter(user=users[who]).exists()
        assert still_on is (who == "admin")


def test_new_recovery_codes_replace_the_old_ones(client, users):
    device, old = enrolled(users["recruiter"])
    sign_in(client, users["recruiter"])
    client.post(reverse("two-factor-verify"), {"token": code(device)})
    page = client.post(reverse("two-factor-recovery-codes")).content.decode()
    new = list(StaticToken.objects.filter(device__user=users["recruiter"]).values_list("token", flat=True))
    assert len(new) == 10
    assert not set(old) & set(new)
    assert all(token in page for token in new)


def test_htmx_requests_are_told_where_to_go(client, users):
    enrolled(users["recruiter"])
    sign_in(client, users["recruiter"])
    response = client.get(JOBS, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("two-factor-verify"))


def test_an_admin_resets_the_app_of_someone_who_lost_their_phone(client, users):
    device, _ = enrolled(users["recruiter"])
    client.force_login(users["admin"])
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    assert "Rosa Recruiter" in listing
    client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert not TOTPDevice.objects.filter(user=users["recruiter"]).exists()
    assert not StaticToken.objects.filter(device__user=users["recruiter"]).exists()
