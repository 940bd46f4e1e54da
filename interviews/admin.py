"""Admin for the interviews app: configuration, read-mostly for the evidence itself."""

from django.contrib import admin
from django.core.cache import cache

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
from .selectors import FLAGGED_PHRASES_CACHE_KEY


@admin.register(FlaggedPhrase)
class FlaggedPhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "reason", "active"]
    list_editable = ["active"]
    list_filter = ["active"]
    search_fields = ["phrase", "reason"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        cache.delete(FLAGGED_PHRASES_CACHE_KEY)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        cache.delete(FLAGGED_PHRASES_CACHE_KEY)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        cache.delete(FLAGGED_PHRASES_CACHE_KEY)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        cache.delete(FLAGGED_PHRASES_CACHE_KEY)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "POST":  # list_editable saves
            cache.delete(FLAGGED_PHRASES_CACHE_KEY)
        return response


class StepCompetencyInline(admin.TabularInline):
    model = StepCompetency
    extra = 0
    raw_id_fields = ["competency"]
    fields = ["competency", "prompts", "order"]


class InterviewStepInline(admin.TabularInline):
    model = InterviewStep
    extra = 0
    fields = ["name", "stage", "kind", "duration_minutes", "order"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "stage":
            kwargs["queryset"] = db_field.related_model.objects.select_related("job")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(InterviewPlan)
class InterviewPlanAdmin(admin.ModelAdmin):
    list_display = ["job", "updated_at"]
    list_select_related = ["job"]
    search_fields = ["job__title"]
    inlines = [InterviewStepInline]
    readonly_fields = ["job"]


@admin.register(InterviewStep)
class InterviewStepAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "kind", "duration_minutes", "order"]
    list_select_related = ["plan__job"]
    search_fields = ["name", "plan__job__title"]
    inlines = [StepCompetencyInline]
    raw_id_fields = ["plan", "stage"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_at", "ends_at", "location"]
    list_select_related = ["step", "application__candidate"]
    date_hierarchy = "starts_at"
    search_fields = ["application__candidate__last_name", "application__candidate__email", "step__name"]
    raw_id_fields = ["application", "step", "created_by"]
    filter_horizontal = ["interviewers"]


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


@admin.register(InterviewInvitation)
class InterviewInvitationAdmin(admin.ModelAdmin):
    list_display = ["interview", "interviewer", "sent_at"]
    list_select_related = ["interview__step", "interview__application__candidate", "interviewer"]
    raw_id_fields = ["interview", "interviewer"]
