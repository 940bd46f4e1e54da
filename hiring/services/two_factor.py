"""Two-factor sign-in (django-otp): an authenticator app (TOTP) and single-use recovery codes.

A person sets up their app (``totp_device_start`` then ``totp_device_confirm`` with a code it
shows), receives ten recovery codes once, and from then on signs in with a code after their
password. ``TWO_FACTOR_REQUIRED_FOR_ADMINS`` (on in production) makes it compulsory for admins
and for the Django admin (``hiring.middleware.TwoFactorMiddleware``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hiring.models import User

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator-app key for the user (an earlier unconfirmed one is replaced)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device_id: int, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending key with a code from the app; returns it and new recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        raise ValidationError({"token": "This set-up has expired: start again."})
    if not device.verify_token(token.replace(" ", "")):
        raise ValidationError({"token": "That code is not right. Check your phone's clock and try the current code."})
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new single-use recovery codes (the old ones stop working)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_disable(*, user: User, required: bool) -> None:
    if required:
        raise ValidationError("Two-factor sign-in is required for your role: it cannot be turned off.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_reset(*, user: User) -> None:
    """An admin's reset for someone who lost their phone and codes: they set it up again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def two_factor_enrolled(*, user: User) -> bool:
    """Has a confirmed authenticator app (one query)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
