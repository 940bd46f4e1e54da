"""Forms of the offer pages and of email to candidates: validation only."""

from django import forms

from hiring.models import OFFER_SALARY_MAX, EmailTemplate, OfferLetterTemplate
from roles.cleaning import CleanInputMixin


class OfferForm(CleanInputMixin, forms.Form):
    base_salary = forms.IntegerField(
        label="Base salary (yearly)",
        min_value=1,
        max_value=OFFER_SALARY_MAX,
        error_messages={
            "invalid": "Enter the base salary as a whole number, e.g. 120000.",
            "min_value": "The base salary must be a positive figure.",
            "max_value": "That base salary is not plausible; check the figure.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )
    currency = forms.CharField(
        max_length=3, min_length=3, help_text="Three letters, e.g. EUR; the band's currency is suggested."
    )
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label="Offer expires on", widget=forms.DateInput(attrs={"type": "date"}), help_text="Last day to accept."
    )
    bonus = forms.CharField(max_length=300, required=False, help_text="As text, e.g. “10% target bonus”.")
    equity = forms.CharField(max_length=300, required=False, help_text="As text, e.g. “4,000 options over 4 years”.")
    letter_template = forms.ModelChoiceField(
        queryset=OfferLetterTemplate.objects.none(), required=False, empty_label="The standard letter"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letter_template"].queryset = OfferLetterTemplate.objects.filter(active=True).order_by("name")

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].strip().upper()
        if not value.isalpha():
            raise forms.ValidationError("Use a three-letter currency code, e.g. EUR.")
        return value


class OfferSubmitForm(CleanInputMixin, forms.Form):
    justification = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why this figure",
        help_text="Required when the offer is outside the role's pay band.",
    )


class OfferReasonForm(CleanInputMixin, forms.Form):
    reason = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}), label="Reason")


class OfferSendForm(CleanInputMixin, forms.Form):
    email_letter = forms.BooleanField(
        required=False,
        label="Email the letter (PDF) to the candidate now",
        help_text="It leaves after a short undo window and shows in the application's emails.",
    )


class OfferDeclineForm(CleanInputMixin, forms.Form):
    reason = forms.CharField(max_length=300, required=False, label="Why the candidate declined (optional)")


class EmailComposeForm(CleanInputMixin, forms.Form):
    template = forms.ModelChoiceField(queryset=EmailTemplate.objects.none(), required=False, empty_label="(blank)")
    subject = forms.CharField(max_length=200, required=False)
    body = forms.CharField(max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = EmailTemplate.objects.filter(active=True).order_by("name")

    def clean(self):
        cleaned = super().clean()
        template = cleaned.get("template")
        if not (cleaned.get("subject") or "").strip() and template is not None:
            cleaned["subject"] = template.subject
        if not (cleaned.get("body") or "").strip() and template is not None:
            cleaned["body"] = template.body
        if not (cleaned.get("subject") or "").strip():
            self.add_error("subject", "Write a subject or choose a template.")
        if not (cleaned.get("body") or "").strip():
            self.add_error("body", "Write the message or choose a template.")
        return cleaned
