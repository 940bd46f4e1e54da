"""The profile page's form for a new personal API token."""

from django import forms
from django.conf import settings

from hiring.models import ApiToken
from roles.cleaning import CleanInputMixin


class ApiTokenForm(CleanInputMixin, forms.Form):
    name = forms.CharField(max_length=80, help_text="What it is for, e.g. “Weekly BI export”.")
    scope = forms.ChoiceField(choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ, widget=forms.RadioSelect)
    days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )


class ApiTokenRevokeForm(CleanInputMixin, forms.Form):
    token = forms.IntegerField(min_value=1, max_value=2**62)
