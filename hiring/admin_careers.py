"""Admin of the careers site: postings and their questions, and the self-identification report.

Self-identification is admin-only: no other role has a model permission on it (``groups``), and
this admin asks ``hiring.read_self_identification`` (``rules.py``: admins only) whatever the
model permissions say. It shows totals
only, never one person's answers.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from roles.admin_kit import ServiceErrorsInFormMixin

from .models import Posting, PostingQuestion, SelfIdentification
from .selectors.careers import self_identification_report
from .services import careers as careers_services
from .services import privacy as privacy_services


class PostingQuestionInline(admin.TabularInline):
    model = PostingQuestion
    extra = 1
    fields = ["order", "text", "kind", "required", "must_have"]
    ordering = ["order", "id"]


@admin.register(Posting)
class PostingAdmin(ServiceErrorsInFormMixin, admin.ModelAdmin):
    list_display = ["title", "status", "team", "location", "workplace", "published_at", "valid_through"]
    list_filter = ["status", "workplace"]
    list_select_related = ["job"]
    search_fields = ["title", "team", "location", "slug"]
    readonly_fields = ["job", "status", "published_at", "created_at", "updated_at"]
    inlines = [PostingQuestionInline]
    actions = ["publish", "unpublish"]

    def has_add_permission(self, request) -> bool:
        return False  # a posting is drafted from its job's page (pre-filled from the role template)

    def save_model(self, request, obj, form, change):
        # Edits go through the service (the same checks as the recruiter's posting page).
        careers_services.posting_update(
            posting=obj,
            **{name: form.cleaned_data[name] for name in careers_services.POSTING_FIELDS if name in form.cleaned_data},
        )

    def save_formset(self, request, form, formset, change):
        # Questions are written through the service too (validated like every other write).
        for question in formset.save(commit=False):
            careers_services.posting_question_save(question=question)
        for question in formset.deleted_objects:
            careers_services.posting_question_delete(question=question)

    @admin.action(description="Publish the selected postings")
    def publish(self, request, queryset):
        for posting in queryset:
            try:
                careers_services.posting_publish(posting=posting)
            except ValidationError as error:
                self.message_user(request, f"{posting}: {error.messages[0]}", messages.ERROR)

    @admin.action(description="Unpublish the selected postings")
    def unpublish(self, request, queryset):
        for posting in queryset:
            careers_services.posting_unpublish(posting=posting)


def _is_admin(request) -> bool:
    return request.user.has_perm("hiring.read_self_identification")


@admin.register(SelfIdentification)
class SelfIdentificationAdmin(admin.ModelAdmin):
    """Aggregate report only (per posting with the filter)."""

    list_filter = ["posting"]
    change_list_template = "admin/hiring/selfidentification/change_list.html"

    def has_module_permission(self, request) -> bool:
        return _is_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _is_admin(request) and obj is None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        posting_id = request.GET.get("posting__id__exact")
        posting = int(posting_id) if (posting_id or "").isdigit() else None
        report = self_identification_report(posting_id=posting)
        privacy_services.self_identification_report_record(posting_id=posting)
        return super().changelist_view(request, {**(extra_context or {}), "report": report})
