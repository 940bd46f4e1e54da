from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .models import (
    Application,
    Candidate,
    EmailTemplate,
    HiringTeamMember,
    Job,
    OutboxMessage,
    RejectionReason,
    Stage,
    StageChange,
    Tag,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name"]}),
        ("Roles and permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2", "groups"]})]
    filter_horizontal = ["groups"]


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = ["name", "order"]
    ordering = ["order", "id"]


class HiringTeamMemberInline(admin.TabularInline):
    model = HiringTeamMember
    extra = 0
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "template", "department", "location", "status", "headcount", "created_at"]
    list_filter = ["status", "employment_type"]
    list_select_related = ["template"]
    search_fields = ["title", "department", "location", "template__title"]
    autocomplete_fields = ["template", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [StageInline, HiringTeamMemberInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "template":
            # Jobs open from published versions only; a draft is refused by the form, never a 500.
            from roles.models import RoleTemplate

            kwargs["queryset"] = RoleTemplate.objects.filter(status=RoleTemplate.Status.PUBLISHED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        # A new job gets its default stages and interview plan from the service; edit them after.
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        fields = {name: form.cleaned_data[name] for name in services.JOB_FIELDS if name in form.cleaned_data}
        job = services.job_create(template=obj.template, created_by=request.user, **fields)
        obj.pk = job.pk
        obj.refresh_from_db()


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "job", "order"]
    list_select_related = ["job"]
    search_fields = ["name", "job__title"]
    autocomplete_fields = ["job"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "phone", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    autocomplete_fields = ["tags"]
    date_hierarchy = "created_at"
    show_full_result_count = False


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_stage", "to_stage", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_stage", "to_stage", "actor")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Reading and fixing records; moves and rejections belong on the board (they keep the history)."""

    list_display = ["candidate", "job", "stage", "status", "rejection_reason", "stage_entered_at"]
    list_filter = ["status", "job"]
    list_select_related = ["candidate", "job", "stage", "rejection_reason"]
    search_fields = ["candidate__first_name", "candidate__last_name", "candidate__email", "job__title"]
    autocomplete_fields = ["candidate", "job", "stage", "rejection_reason", "rejection_email_template"]
    readonly_fields = ["version", "rejection_email_sent_at", "updated_at"]
    inlines = [StageChangeInline]
    show_full_result_count = False


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    """The pipeline's history: read-only."""

    list_display = ["created_at", "application", "from_stage", "to_stage", "to_status", "actor", "reason"]
    list_select_related = ["application__candidate", "application__job", "from_stage", "to_stage", "actor"]
    search_fields = ["application__candidate__last_name", "application__candidate__email", "reason"]
    list_filter = ["to_status"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "order"]
    list_editable = ["active", "order"]
    search_fields = ["name"]


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "subject", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "subject"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: what was queued, sent, retried or failed. The outbox services write it."""

    list_display = ["created_at", "purpose", "recipient", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "purpose", "kind"]
    search_fields = ["recipient", "subject", "reference", "key"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    exclude = ["attachments"]
    readonly_fields = ["attachment_names"]

    @admin.display(description="attachments")
    def attachment_names(self, obj: OutboxMessage) -> str:
        return ", ".join(item["filename"] for item in obj.attachments) or "-"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
