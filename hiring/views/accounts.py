"""Sign-in throttling's answer (django-axes calls it once a user and address are locked out)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from roles.cleaning import clean_text


def login_username(request: HttpRequest, credentials: dict | None) -> str:
    """The posted sign-in name as axes records it: cleaned, lower case, bounded."""
    value = (credentials or {}).get("username") or request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return clean_text(str(value)).strip().lower()[:254]


def locked_out(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The sign-in page's message while sign-in is paused; 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
