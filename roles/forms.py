"""Forms of the role-template admin: validation only; the admin calls services with the data."""

from pathlib import Path

from django import forms

from .cleaning import CleanInputMixin
from .models import CompensationBand, Competency, Requirement, Responsibility
from .scale import LABELS, LEVELS

MAX_DOCUMENT_BYTES = 1_000_000
DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


class ImportRoleDocumentForm(CleanInputMixin, forms.Form):
    document = forms.FileField(
        required=False,
        label="Role document file",
        help_text="A plain-text (.txt) or Markdown (.md) role profile, up to 1 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_SUFFIXES)}),
    )
    text = forms.CharField(
        required=False,
        label="Or paste the document",
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100}),
    )
    title = forms.CharField(
        required=False,
        max_length=200,
        label="Title (optional)",
        help_text="Leave empty to take it from the document's heading or its overview's first sentence.",
    )
    new_template = forms.BooleanField(
        required=False,
        label="Make a separate template",
        help_text="By default a document whose title matches an existing template becomes its next draft version.",
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload is None:
            return None
        if Path(upload.name).suffix.lower() not in DOCUMENT_SUFFIXES:
            raise forms.ValidationError("Upload a .txt or .md file (save Word or PDF documents as plain text first).")
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB; a role profile is a few pages of text.")
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        upload, text = cleaned.get("document"), (cleaned.get("text") or "").strip()
        if upload is not None and text:
            raise forms.ValidationError("Upload a file or paste text, not both.")
        if upload is None and not text:
            raise forms.ValidationError("Choose a file to upload or paste the document's text.")
        if upload is not None:
            cleaned["content"] = upload.read()
            cleaned["filename"] = Path(upload.name).name
        else:
            cleaned["content"] = cleaned["text"]
            cleaned["filename"] = ""
        return cleaned


def anchor_label(level: int) -> str:
    return f"Level {level} · {LABELS[level]}"


class CompetencyInlineForm(CleanInputMixin, forms.ModelForm):
    """A competency with its four rating anchors edited in the same row (Django has no nested inlines)."""

    anchor_1 = forms.CharField(required=False, label=anchor_label(1), widget=forms.Textarea(attrs={"rows": 5}))
    anchor_2 = forms.CharField(required=False, label=anchor_label(2), widget=forms.Textarea(attrs={"rows": 5}))
    anchor_3 = forms.CharField(required=False, label=anchor_label(3), widget=forms.Textarea(attrs={"rows": 5}))
    anchor_4 = forms.CharField(required=False, label=anchor_label(4), widget=forms.Textarea(attrs={"rows": 5}))

    class Meta:
        model = Competency
        fields = ["name", "category", "description", "weight", "order", "anchors_need_review"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})}
        labels = {"anchors_need_review": "Anchors need review"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for anchor in self.instance.anchors.all():
                self.initial[f"anchor_{anchor.level}"] = anchor.description

    def anchors(self) -> dict[int, str]:
        return {level: self.cleaned_data.get(f"anchor_{level}", "") for level in LEVELS}


class ResponsibilityInlineForm(CleanInputMixin, forms.ModelForm):
    items_text = forms.CharField(
        required=False,
        label="Items",
        help_text="One per line.",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
    )

    class Meta:
        model = Responsibility
        fields = ["area", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["items_text"] = "\n".join(self.instance.items or [])

    def clean(self):
        cleaned = super().clean()
        lines = [line.strip().lstrip("-*•").strip() for line in (cleaned.get("items_text") or "").splitlines()]
        self.instance.items = [line for line in lines if line]
        return cleaned


class RequirementInlineForm(CleanInputMixin, forms.ModelForm):
    class Meta:
        model = Requirement
        fields = ["kind", "text", "required", "min_years", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "cols": 50})}
        labels = {"min_years": "Min. years"}


class CompensationBandInlineForm(CleanInputMixin, forms.ModelForm):
    class Meta:
        model = CompensationBand
        fields = ["currency", "p10", "min", "median", "max", "p90", "notes"]
        labels = {"p10": "10th percentile", "p90": "90th percentile", "min": "Minimum", "max": "Maximum"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"})}
