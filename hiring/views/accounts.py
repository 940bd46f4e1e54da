"""Sign-in throttling's answer (django-axes calls it once a user and address are locked out), and
the signed-in person's own settings (their time zone)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hiring import services
from hiring.http import HtmxHttpRequest
from roles.cleaning import CleanInputMixin, clean_text


def login_username(request: HttpRequest, credentials: dict | None) -> str:
    """The posted sign-in name as axes records it: cleaned, lower case, bounded."""
    value = (credentials or {}).get("username") or request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return clean_text(str(value)).strip().lower()[:254]


def locked_out(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The sign-in page's message while sign-in is paused; 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class MySettingsForm(CleanInputMixin, forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Pages show times in it and the times you type are read in it; invitations name it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [("", f"The site's ({settings.TIME_ZONE})")] + [
            (name, name) for name in services.time_zone_choices()
        ]


@require_http_methods(["GET", "POST"])
def my_settings(request: HtmxHttpRequest) -> HttpResponse:
    """The signed-in person's own settings: their time zone."""
    user = request.user
    form = MySettingsForm(request.POST if request.method == "POST" else None, initial={"time_zone": user.time_zone})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_time_zone(user=user, time_zone=form.cleaned_data["time_zone"])
        except ValidationError as error:
            form.add_error("time_zone", error.messages)
        else:
            messages.success(request, f"Times are now shown in {user.zone_name}.")
            return redirect("hiring:my-settings")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "now": timezone.localtime()}
    return render(request, "registration/my_settings.html", context, status=status)
