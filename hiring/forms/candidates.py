"""Forms of the candidate screens: validation only; views hand ``cleaned_data`` to services."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat

from hiring.models import Application, Job
from roles.cleaning import CleanInputMixin

MAX_LINKS = 10
_url = URLValidator(schemes=["http", "https"])


def split_list(value: str, separators: str = ",;|\n") -> list[str]:
    for separator in separators[1:]:
        value = value.replace(separator, separators[0])
    return [part.strip() for part in value.split(separators[0]) if part.strip()]


class LinksField(forms.CharField):
    """Web links, one per line (or separated by spaces); only http(s) addresses."""

    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value) -> list[str]:
        value = super().to_python(value) or ""
        return [part for part in value.replace(",", " ").split() if part]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(value) > MAX_LINKS:
            raise ValidationError(f"Add at most {MAX_LINKS} links.", code="too_many")
        for link in value:
            if len(link) > 500:
                raise ValidationError("Links must be shorter than 500 characters.", code="too_long")
            try:
                _url(link)
            except ValidationError:
                raise ValidationError(
                    "“%(link)s” is not a web address (https://…).", code="invalid_link", params={"link": link[:80]}
                ) from None


class TagsField(forms.CharField):
    def to_python(self, value) -> list[str]:
        return split_list(super().to_python(value) or "")

    def validate(self, value: list[str]) -> None:
        if len(value) > 20:
            raise ValidationError("Add at most 20 tags.", code="too_many")
        for tag in value:
            if len(tag) > 50:
                raise ValidationError("Tags must be at most 50 characters.", code="too_long")


class CandidateFieldsForm(CleanInputMixin, forms.Form):
    """The person's details: used by the add form and, row by row, by the CSV import."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100, required=False)
    email = forms.EmailField(max_length=254, required=False)
    phone = forms.CharField(max_length=32, required=False)
    location = forms.CharField(max_length=120, required=False)
    links = LinksField(required=False, help_text="One web address per line: LinkedIn, GitHub, portfolio.")
    source = forms.CharField(max_length=60, required=False, help_text="Where they came from: referral, job board…")
    tags = TagsField(required=False, help_text="Separated by commas.")

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and (sum(char.isdigit() for char in phone) < 6 or any(c.isalpha() for c in phone)):
            raise ValidationError("Enter a phone number with at least six digits.", code="invalid_phone")
        return phone

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            raise ValidationError("Give an email address or a phone number, so the team can reach them.")
        return cleaned


class CandidateForm(CandidateFieldsForm):
    consent_at = forms.DateTimeField(
        required=False,
        label="Consent given on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When the candidate agreed that we keep their data.",
    )
    job = forms.ModelChoiceField(
        queryset=Job.objects.none(), required=False, label="Apply to job", empty_label="— no job for now —"
    )

    def __init__(self, *args, jobs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jobs is not None:
            self.fields["job"].queryset = jobs


class CandidateFilterForm(CleanInputMixin, forms.Form):
    """The list's search box, filters and order; every value is optional and forgiving."""

    SORTS = [("newest", "Newest"), ("name", "Name"), ("activity", "Last activity")]

    q = forms.CharField(required=False, max_length=200, label="Search")
    job = forms.IntegerField(required=False, min_value=1)
    stage = forms.IntegerField(required=False, min_value=1)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Application.Status.choices])
    source = forms.CharField(required=False, max_length=60)
    tag = forms.CharField(required=False, max_length=50)
    sort = forms.ChoiceField(required=False, choices=SORTS)
    page = forms.IntegerField(required=False, min_value=1)

    def filters(self) -> dict:
        """Valid values only: a wrong value is ignored rather than breaking a shared link."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        data["sort"] = data.get("sort") or "newest"
        data["page"] = data.get("page") or 1
        return data


class NoteForm(CleanInputMixin, forms.Form):
    body = forms.CharField(
        label="Add a note",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown works. Only the hiring team sees notes.",
    )
    application = forms.ModelChoiceField(queryset=Application.objects.none(), required=False, label="About")

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        if applications is not None:
            field = self.fields["application"]
            field.queryset = applications.select_related("job")
            field.empty_label = "The candidate in general"
            field.label_from_instance = lambda application: application.job.title


class ResumeForm(CleanInputMixin, forms.Form):
    file = forms.FileField(
        label="New résumé file",
        help_text=f"PDF, DOCX or TXT, at most {filesizeformat(settings.RESUME_MAX_BYTES)}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.txt"}),
    )


class ApplyForm(CleanInputMixin, forms.Form):
    job = forms.ModelChoiceField(queryset=Job.objects.none(), label="Job")

    def __init__(self, *args, jobs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jobs is not None:
            self.fields["job"].queryset = jobs


class ImportUploadForm(CleanInputMixin, forms.Form):
    file = forms.FileField(label="CSV file", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))
    job = forms.ModelChoiceField(
        queryset=Job.objects.none(), required=False, label="Apply everyone to", empty_label="— no job —"
    )

    def __init__(self, *args, jobs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jobs is not None:
            self.fields["job"].queryset = jobs


IMPORT_FIELDS = [
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("name", "Full name (split into first and last)"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("location", "Location"),
    ("source", "Source"),
    ("tags", "Tags"),
    ("links", "Links"),
]


class ImportMappingForm(CleanInputMixin, forms.Form):
    """One select per candidate field: which CSV column fills it."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not imported —")] + [
            (str(i), header or f"Column {i + 1}") for i, header in enumerate(headers)
        ]
        for name, label in IMPORT_FIELDS:
            self.fields[name] = forms.ChoiceField(
                choices=choices, required=False, label=label, widget=forms.Select(attrs={"class": "form-select"})
            )

    def clean(self):
        cleaned = super().clean()
        mapping = {name: int(value) for name, value in cleaned.items() if value not in ("", None)}
        if "first_name" not in mapping and "name" not in mapping:
            raise ValidationError("Choose the column with the first name (or the full name).")
        if "email" not in mapping and "phone" not in mapping:
            raise ValidationError("Choose the column with the email address or the phone number.")
        cleaned["mapping"] = mapping
        return cleaned


class CandidateEditForm(CandidateFieldsForm):
    """A recruiter's edit of a candidate: the person's details, links, source and tags."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, candidate) -> dict:
        return {
            **{name: getattr(candidate, name) for name in ("first_name", "last_name", "email", "phone", "location")},
            "source": candidate.source,
            "links": "\n".join(candidate.links or []),
            "tags": ", ".join(tag.name for tag in candidate.tags.all()),
            "version": candidate.version,
        }


MERGE_CHOICES = [("this", "This record"), ("other", "The duplicate")]


class CandidateMergeForm(CleanInputMixin, forms.Form):
    """Which value each field keeps, and the versions of both records as the recruiter compared them."""

    other = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    survivor_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    other_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.merge_fields = fields
        for name in fields:
            self.fields[f"pick_{name}"] = forms.ChoiceField(
                choices=MERGE_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial="this",
            )

    def take_from_other(self) -> set[str]:
        return {name for name in self.merge_fields if self.cleaned_data.get(f"pick_{name}") == "other"}
