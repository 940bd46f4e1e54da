"""Admin for the interviews app: configuration; writes go through interviews.services, evidence is read-only.

A service's refusal shows on the form with what the admin typed (``roles.admin_kit``).
"""

from django.contrib import admin
from django.db import transaction

from roles.admin_kit import ServiceErrorsInFormMixin, SharedChoicesInlineMixin

from . import services
from .models import (
    CompetencyRating,
    FlaggedPhrase,
    Interview,
    InterviewInvitation,
    InterviewPlan,
    InterviewStep,
    Scorecard,
    ScorecardRevision,
    StepCompetency,
)


@admin.register(FlaggedPhrase)
class FlaggedPhraseAdmin(ServiceErrorsInFormMixin, admin.ModelAdmin):
    list_display = ["phrase", "reason", "active"]
    list_editable = ["active"]
    list_filter = ["active"]
    search_fields = ["phrase", "reason"]

    def save_model(self, request, obj, form, change):
        services.flagged_phrase_save(phrase=obj)  # also on list edits; clears the cached list on commit

    def delete_model(self, request, obj):
        services.flagged_phrase_delete(phrase=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for phrase in queryset:
            services.flagged_phrase_delete(phrase=phrase)


class StepCompetencyInline(SharedChoicesInlineMixin, admin.TabularInline):
    model = StepCompetency
    extra = 0
    fields = ["competency", "prompts", "order"]
    readonly_fields = ["order"]
    shared_choice_fields = ("competency",)

    def limit_choices(self, request, obj, name, queryset):
        # The competencies of the job's role template (the plan service refuses any other).
        return queryset.filter(template__jobs__interview_plan__steps=obj) if obj is not None else queryset.none()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("competency", "step")  # both in each row's title


class InterviewStepInline(SharedChoicesInlineMixin, admin.TabularInline):
    model = InterviewStep
    extra = 0
    fields = ["name", "stage", "kind", "duration_minutes", "order"]
    readonly_fields = ["order"]  # moved up and down on the job's plan page
    show_change_link = True
    shared_choice_fields = ("stage",)

    def limit_choices(self, request, obj, name, queryset):
        # The stages of the plan's job (the plan service refuses any other).
        return queryset.filter(job_id=obj.job_id) if obj is not None else queryset.none()


def _step_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "kind": data["kind"],
        "duration_minutes": data["duration_minutes"],
        "stage": data.get("stage"),
    }


@admin.register(InterviewPlan)
class InterviewPlanAdmin(ServiceErrorsInFormMixin, admin.ModelAdmin):
    """A plan is made when its job opens; here its steps are added, changed and removed through the plan services."""

    list_display = ["job", "updated_at"]
    list_select_related = ["job"]
    search_fields = ["job__title"]
    inlines = [InterviewStepInline]
    fields = ["job", "updated_at"]
    readonly_fields = ["job", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """The plan's own fields are read-only; its steps are saved below."""

    def save_formset(self, request, form, formset, change):
        plan = form.instance
        formset.save(commit=False)
        for step in formset.deleted_objects:
            services.plan_step_remove(plan=plan, step_id=step.pk)
        for step_form in formset.forms:
            if formset._should_delete_form(step_form) or not step_form.has_changed():
                continue
            if step_form.instance.pk is None:
                services.plan_step_add(plan=plan, **_step_fields(step_form))
            else:
                services.plan_step_update(plan=plan, step_id=step_form.instance.pk, **_step_fields(step_form))


@admin.register(InterviewStep)
class InterviewStepAdmin(ServiceErrorsInFormMixin, admin.ModelAdmin):
    list_display = ["name", "plan", "kind", "duration_minutes", "order"]
    list_select_related = ["plan__job"]
    search_fields = ["name", "plan__job__title"]
    inlines = [StepCompetencyInline]
    raw_id_fields = ["plan", "stage"]
    fields = ["plan", "name", "stage", "kind", "duration_minutes", "order"]

    def get_readonly_fields(self, request, obj=None):
        return ["order"] if obj is None else ["plan", "order"]

    def save_model(self, request, obj, form, change):
        if change:
            services.plan_step_update(plan=obj.plan, step_id=obj.pk, **_step_fields(form))
            return
        step = services.plan_step_add(plan=form.cleaned_data["plan"], **_step_fields(form))
        obj.pk, obj.order = step.pk, step.order
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        step = form.instance
        plan = step.plan
        formset.save(commit=False)
        for focus in formset.deleted_objects:
            services.plan_step_competency_remove(plan=plan, step_id=step.pk, competency_id=focus.competency_id)
        for focus_form in formset.forms:
            if formset._should_delete_form(focus_form) or not focus_form.has_changed():
                continue
            focus = focus_form.instance
            if focus.pk and "competency" in focus_form.changed_data:
                previous = StepCompetency.objects.get(pk=focus.pk).competency_id
                services.plan_step_competency_remove(plan=plan, step_id=step.pk, competency_id=previous)
            services.plan_step_competency_add(
                plan=plan,
                step_id=step.pk,
                competency_id=focus_form.cleaned_data["competency"].pk,
                prompts=focus_form.cleaned_data.get("prompts", ""),
            )

    def delete_model(self, request, obj):
        services.plan_step_remove(plan=obj.plan, step_id=obj.pk)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for step in queryset.select_related("plan"):
            services.plan_step_remove(plan=step.plan, step_id=step.pk)


@admin.register(Interview)
class InterviewAdmin(ServiceErrorsInFormMixin, admin.ModelAdmin):
    """Scheduling and rescheduling through the services; who interviews is set when it is scheduled."""

    list_display = ["__str__", "starts_at", "ends_at", "location"]
    list_select_related = ["step", "application__candidate"]
    date_hierarchy = "starts_at"
    search_fields = ["application__candidate__last_name", "application__candidate__email", "step__name"]
    raw_id_fields = ["application", "step", "created_by"]
    filter_horizontal = ["interviewers"]
    SCHEDULE_FIELDS = ["application", "step", "interviewers", "starts_at", "ends_at", "location", "video_url"]

    def get_fields(self, request, obj=None):
        return self.SCHEDULE_FIELDS if obj is None else [*self.SCHEDULE_FIELDS, "created_by"]

    def get_readonly_fields(self, request, obj=None):
        # Changing who interviews would orphan or miss scorecards: schedule another interview instead.
        return [] if obj is None else ["application", "step", "interviewers", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # its scorecards are evidence

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        when = {"starts_at": data["starts_at"], "ends_at": data["ends_at"]}
        where = {"location": data.get("location", ""), "video_url": data.get("video_url", "")}
        if change:
            services.interview_reschedule(interview=obj, **when, **where)
            return
        interview = services.interview_schedule(
            application=data["application"],
            step=data["step"],
            interviewers=data["interviewers"],
            created_by=request.user,
            **when,
            **where,
        )
        obj.pk = interview.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """The interviewers were set by the scheduling service."""


class CompetencyRatingInline(admin.TabularInline):
    model = CompetencyRating
    extra = 0
    can_delete = False
    fields = ["name", "rating", "not_assessed", "evidence"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ScorecardRevisionInline(admin.TabularInline):
    model = ScorecardRevision
    extra = 0
    can_delete = False
    fields = ["version", "created_by", "created_at", "content"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    """Evidence is written by interviewers in the app; the admin only reads it."""

    list_display = ["interviewer", "interview", "status", "overall_recommendation", "submitted_at", "reminders_sent"]
    list_filter = ["status"]
    list_select_related = ["interviewer", "interview__step", "interview__application__candidate"]
    search_fields = ["interviewer__email", "interview__application__candidate__last_name"]
    inlines = [CompetencyRatingInline, ScorecardRevisionInline]
    readonly_fields = [
        "interview",
        "interviewer",
        "status",
        "overall_recommendation",
        "key_takeaways",
        "private_note",
        "version",
        "submitted_at",
        "withdrawn_at",
        "reminders_sent",
        "last_reminded_at",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("interviewer", "interview__step", "interview__application__candidate")
        )


@admin.register(InterviewInvitation)
class InterviewInvitationAdmin(admin.ModelAdmin):
    """Written by the invitation service when it sends; a record of what went out."""

    list_display = ["interview", "interviewer", "sent_at"]
    list_select_related = ["interview__step", "interview__application__candidate", "interviewer"]
    raw_id_fields = ["interview", "interviewer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
