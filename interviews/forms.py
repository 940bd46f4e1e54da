"""Validation only: views pass cleaned_data to the services."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from roles.cleaning import CleanInputMixin

from .models import HiringDecision, InterviewStep


class StepForm(CleanInputMixin, forms.Form):
    name = forms.CharField(max_length=120, label="Step name")
    stage = forms.ModelChoiceField(queryset=None, required=False, label="Pipeline stage", empty_label="(no stage)")
    kind = forms.ChoiceField(choices=InterviewStep.Kind.choices, label="Kind")
    duration_minutes = forms.IntegerField(min_value=5, max_value=480, label="Minutes")

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = job.stages.order_by("order", "id")


class PromptsForm(CleanInputMixin, forms.Form):
    prompts = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleForm(CleanInputMixin, forms.Form):
    step = forms.ModelChoiceField(queryset=None, label="Interview step", empty_label=None)
    starts_at = forms.DateTimeField(
        label="Starts",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=480, required=False, label="Minutes", help_text="Leave empty for the step's duration."
    )
    location = forms.CharField(max_length=200, required=False, label="Location")
    video_url = forms.URLField(required=False, label="Video link", assume_scheme="https")
    interviewers = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Interviewers"
    )

    confirm_overlaps = forms.BooleanField(required=False, label="Schedule anyway: these overlaps are known")

    def __init__(self, *args, steps, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = steps
        self.fields["interviewers"].queryset = people
        self.fields["starts_at"].help_text = f"In your time zone, {timezone.get_current_timezone_name()}."

    def clean(self):
        data = super().clean()
        if data.get("step") and data.get("starts_at"):
            minutes = data.get("duration_minutes") or data["step"].duration_minutes
            data["ends_at"] = data["starts_at"] + timedelta(minutes=minutes)
        if not data.get("location") and not data.get("video_url"):
            self.add_error("location", "Give a place or a video link.")
        return data


class DecisionForm(CleanInputMixin, forms.Form):
    outcome = forms.ChoiceField(
        choices=HiringDecision.Outcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        label="Decision",
    )
    rationale = forms.CharField(
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Why: the evidence that carries the decision. Tick the points it relies on below.",
    )
    citations = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label="Cites",
        error_messages={"invalid_choice": "Cite only the points listed here."},
    )
    override_reason = forms.CharField(
        max_length=500,
        required=False,
        label="Deciding before every required scorecard is in: why?",
    )

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["citations"].choices = [(point.key, point.label) for point in points]
