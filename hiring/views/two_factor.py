"""Two-factor sign-in pages: the second step of signing in, setting up an authenticator app,
recovery codes (``hiring.services.two_factor``)."""

from __future__ import annotations

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hiring.forms.two_factor import TokenForm
from hiring.http import HtmxHttpRequest, next_url
from hiring.middleware import ENROLLED_SESSION_KEY
from hiring.rules import is_admin
from hiring.services import two_factor as services

ENROLLED = ENROLLED_SESSION_KEY  # set at sign-in, read by TwoFactorMiddleware


def required_for(user) -> bool:
    return bool(settings.TWO_FACTOR_REQUIRED_FOR_ADMINS and is_admin(user))


def _next(request: HtmxHttpRequest) -> str:
    return next_url(request, reverse("home"))


@require_http_methods(["GET", "POST"])
def verify(request: HtmxHttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    if request.user.is_verified():
        return redirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                left = StaticToken.objects.filter(device__user=request.user).count()
                messages.warning(request, f"You used a recovery code: {left} left.")
            return redirect(_next(request))
        form.add_error("token", "That code is not right (or was used already).")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def setup(request: HtmxHttpRequest) -> HttpResponse:
    """Scan or type the key into an authenticator app, confirm with a code; recovery codes once."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("-pk").first()
    if request.method == "GET" or device is None:
        device = services.totp_device_start(user=request.user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.totp_device_confirm(
                user=request.user, device_id=device.pk, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            for message in error.message_dict.get("token", error.messages):
                form.add_error("token", message)
        else:
            otp_login(request, device)
            request.session[ENROLLED] = True
            return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": _next(request)})
    secret = b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "uri": device.config_url,
        "required": required_for(request.user),
        "next": _next(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


@require_http_methods(["GET"])
def overview(request: HtmxHttpRequest) -> HttpResponse:
    enrolled = services.two_factor_enrolled(user=request.user)
    codes_left = StaticToken.objects.filter(device__user=request.user).count()
    context = {"enrolled": enrolled, "codes_left": codes_left, "required": required_for(request.user)}
    return render(request, "registration/two_factor.html", context)


@require_POST
def recovery_codes(request: HtmxHttpRequest) -> HttpResponse:
    if not services.two_factor_enrolled(user=request.user) or not request.user.is_verified():
        return redirect("two-factor")
    codes = services.recovery_codes_renew(user=request.user)
    return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": reverse("two-factor")})


@require_POST
def disable(request: HtmxHttpRequest) -> HttpResponse:
    try:
        services.two_factor_disable(user=request.user, required=required_for(request.user))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("two-factor")
    request.session[ENROLLED] = False
    messages.success(request, "Two-factor sign-in is off.")
    return redirect("two-factor")
