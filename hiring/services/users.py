"""Writes about the hiring team's accounts: creating people, changing their details and roles."""

import zoneinfo
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from hiring.models import User

USER_FIELDS = ("email", "first_name", "last_name", "is_active", "is_staff", "is_superuser")


def _check_email(user: User) -> None:
    user.email = User.objects.normalize_email(user.email).lower()
    if User.objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": "Someone already signs in with this email address."}, code="duplicate")


@transaction.atomic
def user_create(*, email: str, password: str | None = None, groups: Iterable[Group] = (), **fields) -> User:
    """A new account (no password: it cannot sign in until one is set)."""
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    user = User(email=email, **fields)
    _check_email(user)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(groups)
    return user


@transaction.atomic
def user_update(*, user: User, actor: User | None = None, groups: Iterable[Group] | None = None, **fields) -> User:
    """Change someone's details and roles. Nobody can lock themselves out (deactivate or demote themselves)."""
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    stored = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None and actor.pk == user.pk:
        if fields.get("is_active") is False:
            raise ValidationError({"is_active": "You cannot deactivate your own account."}, code="self_lockout")
        if stored.is_superuser and fields.get("is_superuser") is False:
            raise ValidationError(
                {"is_superuser": "You cannot take away your own superuser status; ask another admin."},
                code="self_lockout",
            )
    for name, value in fields.items():
        setattr(user, name, value)
    _check_email(user)
    user.full_clean(exclude=["password"])
    user.save()
    if groups is not None:
        user.groups.set(groups)
    return user


@transaction.atomic
def user_delete(*, user: User, actor: User | None = None) -> None:
    """Delete an account; nobody deletes their own (deactivating keeps a person's history readable)."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("You cannot delete your own account.", code="self_lockout")
    user.delete()


@transaction.atomic
def user_set_password(*, user: User, password: str | None) -> User:
    """Set someone's password; ``None`` leaves them without one (they cannot sign in with a password)."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    return user


def time_zone_choices() -> list[str]:
    """Every IANA time zone name the system knows, sorted."""
    return sorted(zoneinfo.available_timezones())


@transaction.atomic
def user_set_time_zone(*, user: User, time_zone: str) -> User:
    """The time zone someone reads and enters times in; empty means the site's."""
    time_zone = (time_zone or "").strip()
    if time_zone and time_zone not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": f"“{time_zone[:64]}” is not a time zone name (e.g. Europe/Berlin)."})
    user.time_zone = time_zone
    user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    User.objects.filter(pk=user.pk).update(time_zone=time_zone)
    return user
