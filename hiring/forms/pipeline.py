"""Forms of the jobs and pipeline screens: validation only; views pass cleaned_data to services."""

from django import forms
from django.core.exceptions import ValidationError

from hiring import groups
from hiring.models import EmailTemplate, HiringTeamMember, Job, RejectionReason, Stage, Tag, User
from hiring.selectors import published_templates
from roles.cleaning import CleanInputMixin, out_of_range_id
from roles.models import RoleTemplate


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} <{obj.email}>"


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} <{obj.email}>"


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RoleTemplate) -> str:
        """Title and version; roles sharing a title also show what tells them apart (level, family, slug)."""
        label = f"{obj.title} (version {obj.version})"
        if getattr(obj, "same_title_count", 1) > 1:
            extra = [part for part in (obj.level, obj.family) if part]
            label += f" · {', '.join([*extra, obj.slug])}"
        return label


def _people(*group_names: str):
    return User.objects.filter(is_active=True, groups__name__in=group_names).distinct().order_by("first_name", "email")


class JobForm(CleanInputMixin, forms.ModelForm):
    headcount = forms.IntegerField(min_value=1, max_value=1000, initial=1)

    class Meta:
        model = Job
        fields = [
            "title",
            "department",
            "location",
            "employment_type",
            "headcount",
            "target_date",
            "status",
            "blind_review",
        ]
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"})}


_SEVERAL = "Ctrl (or Cmd) + click picks several."


class JobCreateForm(JobForm):
    template = TemplateChoiceField(
        queryset=RoleTemplate.objects.none(),
        label="Role template",
        help_text="Only published versions can be used; the job keeps this version.",
    )
    recruiters = UserMultipleChoiceField(queryset=User.objects.none(), required=False, help_text=_SEVERAL)
    hiring_managers = UserMultipleChoiceField(queryset=User.objects.none(), required=False, help_text=_SEVERAL)
    interviewers = UserMultipleChoiceField(queryset=User.objects.none(), required=False, help_text=_SEVERAL)

    class Meta(JobForm.Meta):
        fields = ["template", *JobForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = published_templates()
        self.fields["recruiters"].queryset = _people(groups.RECRUITER, groups.ADMIN)
        self.fields["hiring_managers"].queryset = _people(groups.HIRING_MANAGER)
        self.fields["interviewers"].queryset = _people(groups.INTERVIEWER, groups.HIRING_MANAGER, groups.RECRUITER)
        self.fields["title"].required = False
        self.fields["title"].help_text = "Leave empty to use the template's title."

    def clean(self):
        cleaned = super().clean()
        template = cleaned.get("template")
        if template and not cleaned.get("title"):
            cleaned["title"] = template.title[:200]
        return cleaned

    def team(self) -> list[tuple[User, str]]:
        """(user, role) pairs; someone picked twice keeps the first role listed."""
        Role = HiringTeamMember.Role
        team: dict[int, tuple[User, str]] = {}
        for field, role in (
            ("hiring_managers", Role.HIRING_MANAGER),
            ("recruiters", Role.RECRUITER),
            ("interviewers", Role.INTERVIEWER),
        ):
            for user in self.cleaned_data.get(field, []):
                team.setdefault(user.pk, (user, role))
        return list(team.values())

    def job_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in JobForm.Meta.fields}


class TeamMemberForm(CleanInputMixin, forms.Form):
    user = UserChoiceField(
        queryset=User.objects.none(),
        label="Person",
        empty_label="Choose a person…",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    role = forms.ChoiceField(
        choices=HiringTeamMember.Role.choices, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(*groups.ROLE_NAMES)


class StageForm(CleanInputMixin, forms.Form):
    name = forms.CharField(max_length=80, label="Stage name")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Give the stage a name.")
        return name


class StageMoveForm(CleanInputMixin, forms.Form):
    direction = forms.TypedChoiceField(choices=[("-1", "Earlier"), ("1", "Later")], coerce=int)


class BoardFilterForm(CleanInputMixin, forms.Form):
    source = forms.CharField(max_length=60, required=False)
    tag = forms.ModelChoiceField(queryset=Tag.objects.order_by("name"), required=False, empty_label="Any tag")
    overdue = forms.BooleanField(required=False, label="Has overdue scorecards")


class MoveForm(CleanInputMixin, forms.Form):
    to_stage = forms.IntegerField(min_value=1, label="Move to")
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    reason = forms.CharField(max_length=255, required=False)


class IdListField(forms.Field):
    """Repeated ``name=id`` values (checkboxes) as a list of distinct integers, in order."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            ids = [int(v) for v in value]
        except (TypeError, ValueError):
            raise ValidationError("The selection contains something that is not an application.") from None
        if any(i <= 0 or out_of_range_id(i) for i in ids):
            raise ValidationError("The selection contains something that is not an application.")
        return list(dict.fromkeys(ids))


class BulkActionForm(CleanInputMixin, forms.Form):
    ACTIONS = [("move", "Move to stage"), ("reject", "Reject"), ("tag", "Tag")]

    application_ids = IdListField(label="Applications", required=False)
    action = forms.ChoiceField(choices=ACTIONS)
    to_stage = forms.IntegerField(min_value=1, required=False, label="Stage")
    reason = forms.ModelChoiceField(
        queryset=RejectionReason.objects.filter(active=True), required=False, label="Rejection reason"
    )
    email_template = forms.ModelChoiceField(
        queryset=EmailTemplate.objects.filter(active=True, kind=EmailTemplate.Kind.REJECTION),
        required=False,
        label="Email to the candidate",
        empty_label="No email",
    )
    tag = forms.CharField(max_length=50, required=False)
    confirmed = forms.BooleanField(required=False)
    next = forms.CharField(max_length=2000, required=False)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if not self.errors.get("application_ids") and not cleaned.get("application_ids"):
            self.add_error("application_ids", "Select at least one application.")
        if action == "move" and not cleaned.get("to_stage"):
            self.add_error("to_stage", "Choose the stage to move them to.")
        if action == "reject" and not cleaned.get("reason"):
            self.add_error("reason", "Choose a rejection reason.")
        if action == "tag":
            tag = " ".join((cleaned.get("tag") or "").split())
            if not tag:
                self.add_error("tag", "Type the tag to add.")
            cleaned["tag"] = tag
        return cleaned


def stage_choices(stages: list[Stage]) -> list[tuple[int, str]]:
    return [(stage.pk, stage.name) for stage in stages]


# --- The application page's actions: ids are checked against the choices the page offered ----------------


class _ChoiceIdField(forms.TypedChoiceField):
    """An id among the choices the page offered; anything else (another job's stage, a forged
    number) is a form error, never a look-up."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs={"class": "form-select form-select-sm"}))
        super().__init__(coerce=int, empty_value=None, **kwargs)


class ApplicationMoveForm(CleanInputMixin, forms.Form):
    to_stage = _ChoiceIdField(label="Move to", error_messages={"invalid_choice": "Pick one of this job's stages."})
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, stages: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = stages


class ApplicationRejectForm(CleanInputMixin, forms.Form):
    reason = _ChoiceIdField(
        label="Reason", error_messages={"invalid_choice": "Pick one of the rejection reasons offered."}
    )
    email_template = _ChoiceIdField(
        label="Email to the candidate",
        required=False,
        error_messages={"invalid_choice": "Pick one of the rejection emails offered."},
    )
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, reasons: list[tuple[int, str]], email_templates: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "Choose a reason…"), *reasons]
        self.fields["email_template"].choices = [("", "No email"), *email_templates]


class ApplicationReopenForm(CleanInputMixin, forms.Form):
    reason = forms.CharField(max_length=200, required=False, label="Why (optional)")
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class ApplicationTagForm(CleanInputMixin, forms.Form):
    tag = forms.CharField(max_length=50, label="Add a tag")

    def clean_tag(self) -> str:
        tag = " ".join(self.cleaned_data["tag"].split())
        if not tag:
            raise ValidationError("Type the tag to add.")
        return tag
