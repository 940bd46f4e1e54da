"""The code asked at the second step of signing in and when setting up an authenticator app."""

from django import forms

from roles.cleaning import CleanInputMixin


class TokenForm(CleanInputMixin, forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split())
