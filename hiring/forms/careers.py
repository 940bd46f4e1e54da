"""Forms of the careers site: the filters, the apply form, the recruiter's posting form."""

from __future__ import annotations

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError

from hiring.models import Posting, PostingQuestion
from roles.cleaning import CleanInputMixin

from .candidates import LinksField

FORM_SALT = "hiring.careers.form"
FORM_MAX_AGE_SECONDS = 2 * 24 * 3600
COVER_LETTER_MAX = 5000
ANSWER_MAX = 1000
YES_NO = [("yes", "Yes"), ("no", "No")]
_NAME_FORBIDDEN = re.compile(r"[<>{}\[\]\\/=\"`;]|[\x00-\x1f\x7f]|https?:", re.IGNORECASE)
_PHONE_ALLOWED = re.compile(r"^[0-9 +()./-]*$")


class CareersFilterForm(CleanInputMixin, forms.Form):
    team = forms.ChoiceField(required=False, label="Team")
    location = forms.ChoiceField(required=False, label="Location")
    workplace = forms.ChoiceField(required=False, label="Workplace")

    def __init__(self, *args, options: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams")] + [(t, t) for t in options["teams"]]
        self.fields["location"].choices = [("", "All locations")] + [(loc, loc) for loc in options["locations"]]
        self.fields["workplace"].choices = [("", "On site, hybrid or remote"), *list(options["workplaces"])]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        """The valid filters; an unknown value (an old link) is ignored rather than an error."""
        if self.is_valid():
            return self.cleaned_data
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


def form_token(posting_id: int, *, started: float | None = None) -> str:
    """A signed note of when the form was shown (the minimum-fill-time check)."""
    return signing.dumps({"p": posting_id, "t": int(started if started is not None else time.time())}, salt=FORM_SALT)


def _clean_name(value: str) -> str:
    value = " ".join((value or "").split())
    if _NAME_FORBIDDEN.search(value):
        raise ValidationError("Use letters, spaces, hyphens and apostrophes only.", code="invalid_name")
    return value


class CareersApplyForm(CleanInputMixin, forms.Form):
    """The public apply form: the person, the résumé, the posting's questions, consent, self-ID.

    ``website`` is a honeypot (hidden from people, filled by bots); ``form_token`` is the
    signed time the form was shown, so a form sent back within seconds is refused.
    """

    first_name = forms.CharField(
        label="First name", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label="Phone",
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    links = LinksField(
        label="Links",
        required=False,
        max_length=2000,
        help_text="LinkedIn, GitHub, a portfolio: one per line.",
    )
    resume = forms.FileField(
        label="Résumé",
        help_text="PDF, Word (DOCX) or plain text.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,.txt,application/pdf,text/plain,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )
    cover_letter = forms.CharField(
        label="Cover letter",
        required=False,
        max_length=COVER_LETTER_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Optional, up to {COVER_LETTER_MAX:,} characters.",
    )
    consent = forms.BooleanField(
        label="I have read the privacy notice and agree that my application is processed as it describes.",
        error_messages={"required": "Please agree to the privacy notice: we cannot process an application without it."},
    )
    website = forms.CharField(required=False, label="Leave this field empty", max_length=200)
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=500)
    # Where the applicant came from, carried from the posting page.
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    utm_source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    utm_medium = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    utm_campaign = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    referrer = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def __init__(self, *args, posting: Posting, questions: list[PostingQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.posting = posting
        self.questions = questions
        for question in questions:
            name = f"question_{question.pk}"
            if question.kind == PostingQuestion.Kind.YES_NO:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=YES_NO,
                    required=question.required,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Please answer yes or no."},
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text, required=question.required, max_length=ANSWER_MAX
                )
        declined = settings.SELF_ID_DECLINED
        for item in settings.CAREERS_SELF_ID_QUESTIONS:
            self.fields[f"selfid_{item['key']}"] = forms.ChoiceField(
                label=item["label"],
                required=False,
                choices=[
                    ("", "Choose…"),
                    *[tuple(choice) for choice in item["choices"]],
                    (declined, "I don't wish to answer"),
                ],
            )
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(field.widget, forms.RadioSelect | forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    # Fields

    def clean_first_name(self) -> str:
        return _clean_name(self.cleaned_data["first_name"])

    def clean_last_name(self) -> str:
        return _clean_name(self.cleaned_data["last_name"])

    def clean_phone(self) -> str:
        phone = (self.cleaned_data.get("phone") or "").strip()
        if not _PHONE_ALLOWED.match(phone):
            raise ValidationError("Phone numbers use digits, spaces and + - ( ) . only.", code="invalid_phone")
        if phone and len(re.sub(r"\D", "", phone)) < 6:
            raise ValidationError("This phone number is too short.", code="short_phone")
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError("Your application could not be accepted. Please try again.", code="honeypot")
        self._check_timing(cleaned.get("form_token") or "")
        return cleaned

    def _check_timing(self, token: str) -> None:
        try:
            payload = signing.loads(token, salt=FORM_SALT, max_age=FORM_MAX_AGE_SECONDS)
        except signing.SignatureExpired:
            raise ValidationError(
                "This form was open for too long. Please check your answers and send it again.", code="expired"
            ) from None
        except signing.BadSignature:
            raise ValidationError(
                "This form is not valid any more. Please reload the page.", code="bad_token"
            ) from None
        if not isinstance(payload, dict) or payload.get("p") != self.posting.pk:
            raise ValidationError("This form belongs to another job. Please reload the page.", code="bad_token")
        if time.time() - payload.get("t", 0) < settings.CAREERS_MIN_FILL_SECONDS:
            raise ValidationError(
                "That was quicker than we expected. Please check your answers and send the form again.",
                code="too_fast",
            )

    # What the view hands to the service

    def answers(self) -> dict[int, str]:
        return {q.pk: str(self.cleaned_data.get(f"question_{q.pk}") or "") for q in self.questions}

    def self_identification(self) -> dict[str, str]:
        return {
            item["key"]: self.cleaned_data.get(f"selfid_{item['key']}") or ""
            for item in settings.CAREERS_SELF_ID_QUESTIONS
        }

    def question_fields(self):
        return [self[f"question_{q.pk}"] for q in self.questions]

    def self_id_fields(self):
        return [self[f"selfid_{item['key']}"] for item in settings.CAREERS_SELF_ID_QUESTIONS]


class PostingForm(CleanInputMixin, forms.ModelForm):
    """What the recruiter writes on the posting (the view passes ``cleaned_data`` to the service)."""

    class Meta:
        model = Posting
        fields = list(Posting.EDITABLE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "responsibilities": forms.Textarea(attrs={"rows": 6}),
            "requirements": forms.Textarea(attrs={"rows": 6}),
            "valid_through": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"show_pay": "Publish the pay range", "valid_through": "Closing date"}

    def clean(self):
        """Publishing pay with no figures of the posting's own publishes the role template's band."""
        data = super().clean()
        if data.get("show_pay") and data.get("pay_min") is None and data.get("pay_max") is None:
            band = self.instance.template_band()
            if band is None:
                self.add_error("show_pay", "The role template has no complete pay band to publish: give the figures.")
            else:
                data["pay_currency"], data["pay_min"], data["pay_max"] = band
                self.instance.pay_currency, self.instance.pay_min, self.instance.pay_max = band
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"
