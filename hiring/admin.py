"""Admin of the hiring models: configuration; every write goes through hiring.services.

A service's refusal shows on the form with what the admin typed (``roles.admin_kit``). An
application's stage and status are read-only here: moves and rejections happen on the
board, through the pipeline service, which keeps the stage history.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from roles.admin_kit import ServiceErrorsInFormMixin, SharedChoicesInlineMixin
from roles.cleaning import CleanInputMixin

from . import services
from .models import (
    ApiToken,
    Application,
    Candidate,
    EmailTemplate,
    HiringTeamMember,
    Job,
    Offer,
    OfferApprover,
    OfferLetterTemplate,
    OutboxMessage,
    RejectionReason,
    Stage,
    StageChange,
    Tag,
    User,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from .services import privacy as privacy_services
from .services import webhooks


class PasswordChangeThroughService(CleanInputMixin, AdminPasswordChangeForm):
    def save(self, commit=True):
        usable = self.cleaned_data.get("set_usable_password", True)
        return services.user_set_password(user=self.user, password=self.cleaned_data["password1"] if usable else None)


@admin.register(User)
class UserAdmin(ServiceErrorsInFormMixin, BaseUserAdmin):
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
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["groups"]
    change_password_form = PasswordChangeThroughService

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.USER_FIELDS if name in form.cleaned_data}
        groups = form.cleaned_data.get("groups")
        if change:
            services.user_update(user=obj, actor=request.user, groups=groups, **fields)
            return
        usable = form.cleaned_data.get("usable_password", True) not in (False, "false")
        user = services.user_create(
            password=form.cleaned_data.get("password1") if usable else None, groups=groups or (), **fields
        )
        obj.pk, obj.password = user.pk, user.password
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Groups were set by the service with the user; no inlines here."""

    def delete_model(self, request, obj):
        services.user_delete(user=obj, actor=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.user_delete(user=user, actor=request.user)


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(BaseGroupAdmin):
    """The four roles and their permissions are defined in code (``hiring.groups``) and synced after every
    migrate; the admin shows them. People get their roles on the user page."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = ["name", "order"]
    ordering = ["order", "id"]


class HiringTeamMemberInline(SharedChoicesInlineMixin, admin.TabularInline):
    model = HiringTeamMember
    extra = 0
    shared_choice_fields = ("user",)

    def limit_choices(self, request, obj, name, queryset):
        return queryset.filter(is_active=True)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


def save_stages(formset, job: Job) -> None:
    """The job's stage rows through the stage services: removals, renames, additions, then the order typed."""
    formset.save(commit=False)
    for stage in formset.deleted_objects:
        services.stage_delete(stage=stage)
    rows = []
    for position, form in enumerate(formset.forms):
        if formset._should_delete_form(form) or not (form.instance.pk or form.has_changed()):
            continue
        stage = form.instance
        if stage.pk is None:
            stage = services.stage_create(job=job, name=form.cleaned_data["name"])
        elif "name" in form.changed_data:
            services.stage_rename(stage=stage, name=form.cleaned_data["name"])
        rows.append((form.cleaned_data.get("order") or 0, position, stage.pk))
    if any(form.has_changed() for form in formset.forms):
        services.stages_reorder(job=job, stage_ids=[pk for _order, _position, pk in sorted(rows)])


def save_team(formset, job: Job) -> None:
    """Hiring team rows through the team services."""
    formset.save(commit=False)
    for member in formset.deleted_objects:
        services.team_member_remove(member=member)
    for form in formset.forms:
        if formset._should_delete_form(form) or not form.has_changed():
            continue
        member = form.instance
        if member.pk and "user" in form.changed_data:  # someone else in that row now
            services.team_member_remove(member=HiringTeamMember.objects.get(pk=member.pk))
        services.team_member_add(job=job, user=form.cleaned_data["user"], role=form.cleaned_data["role"])


@admin.register(Job)
class JobAdmin(ServiceErrorsInFormMixin, admin.ModelAdmin):
    list_display = ["title", "template", "department", "location", "status", "headcount", "created_at"]
    list_filter = ["status", "employment_type"]
    list_select_related = ["template"]
    search_fields = ["title", "department", "location", "template__title"]
    autocomplete_fields = ["template"]
    inlines = [StageInline, HiringTeamMemberInline]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["template", *services.JOB_FIELDS]
        return ["template", *services.JOB_FIELDS, "created_by", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # A job stays on the template version it was opened from; who opened it is recorded by the service.
        return [] if obj is None else ["template", "created_by", "created_at", "updated_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "template":
            # Jobs open from published versions only; a draft is refused by the form, never a 500.
            kwargs["queryset"] = db_field.related_model.objects.filter(status="published")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        # A new job gets its default stages and interview plan from the service; edit them after.
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.JOB_FIELDS if name in form.cleaned_data}
        if change:
            services.job_update(job=obj, **fields)
            return
        job = services.job_create(template=form.cleaned_data["template"], created_by=request.user, **fields)
        obj.pk = job.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if formset.model is Stage:
            save_stages(formset, form.instance)
        elif formset.model is HiringTeamMember:
            save_team(formset, form.instance)
        else:  # pragma: no cover - every inline above has its service
            raise NotImplementedError(formset.model)

    def delete_model(self, request, obj):
        services.job_delete(job=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for job in queryset:
            services.job_delete(job=job)


@admin.register(Stage)
class StageAdmin(ServiceErrorsInFormMixin, admin.ModelAdmin):
    list_display = ["name", "job", "order"]
    list_select_related = ["job"]
    search_fields = ["name", "job__title"]
    autocomplete_fields = ["job"]
    fields = ["job", "name", "order"]

    def get_readonly_fields(self, request, obj=None):
        # The order is changed on the job's page (or its stage rows), where the neighbours are in view.
        return ["order"] if obj is None else ["job", "order"]

    def save_model(self, request, obj, form, change):
        if change:
            services.stage_rename(stage=obj, name=form.cleaned_data["name"])
            return
        stage = services.stage_create(job=form.cleaned_data["job"], name=form.cleaned_data["name"])
        obj.pk, obj.order = stage.pk, stage.order
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.stage_delete(stage=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for stage in queryset:
            services.stage_delete(stage=stage)


class ReferenceAdmin(ServiceErrorsInFormMixin, admin.ModelAdmin):
    """Reference rows saved and deleted by the two services named on the subclass."""

    save_service: str
    delete_service: str
    service_argument: str

    def save_model(self, request, obj, form, change):
        getattr(services, self.save_service)(**{self.service_argument: obj})

    def save_related(self, request, form, formsets, change):
        """No many-to-many fields or inlines on reference rows."""

    def delete_model(self, request, obj):
        getattr(services, self.delete_service)(**{self.service_argument: obj})

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Tag)
class TagAdmin(ReferenceAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    save_service, delete_service, service_argument = "tag_save", "tag_delete", "tag"


@admin.register(Candidate)
class CandidateAdmin(ServiceErrorsInFormMixin, admin.ModelAdmin):
    list_display = ["full_name", "email", "phone", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    autocomplete_fields = ["tags"]
    fields = [*services.CANDIDATE_FIELDS, "tags", "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.CANDIDATE_FIELDS if name in form.cleaned_data}
        tags = form.cleaned_data.get("tags")
        if change:
            services.candidate_update(candidate=obj, tags=tags, **fields)
            return
        candidate = services.candidate_create(
            **fields, tags=[tag.name for tag in tags or ()], actor=request.user, allow_phone_duplicate=False
        )
        obj.pk = candidate.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Tags were set by the service."""

    def delete_model(self, request, obj):
        services.candidate_delete(candidate=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for candidate in queryset:
            services.candidate_delete(candidate=candidate)

    # Data-subject requests: the export (zip) and the erasure, both in the audit trail.
    change_form_template = "admin/hiring/candidate/change_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:object_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            path(
                "<int:object_id>/erase/", self.admin_site.admin_view(self.erase_view), name="{}_{}_erase".format(*info)
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            "can_export": request.user.has_perm("hiring.export_candidate_data"),
            "can_erase": request.user.has_perm("hiring.erase_candidates"),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def export_view(self, request, object_id: int) -> HttpResponse:
        pk = object_id
        if not request.user.has_perm("hiring.export_candidate_data"):
            raise PermissionDenied
        try:
            data = privacy_services.candidate_export(candidate_id=pk, actor=request.user)
        except Candidate.DoesNotExist:
            raise Http404("No such candidate.") from None
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="candidate-{pk}.zip"'
        return response

    def erase_view(self, request, object_id: int) -> HttpResponse:
        pk = object_id
        if not request.user.has_perm("hiring.erase_candidates"):
            raise PermissionDenied
        candidate = Candidate.objects.filter(pk=pk).first()
        if candidate is None:
            raise Http404("No such candidate.")
        if request.method == "POST":
            privacy_services.candidate_anonymise(candidate_id=pk, reason="erasure request", actor=request.user)
            self.message_user(request, f"Candidate #{pk}: personal data erased.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:hiring_candidate_change", args=[pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "candidate": candidate}
        return TemplateResponse(request, "admin/hiring/candidate/erase_confirm.html", context)


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_stage", "to_stage", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_stage", "to_stage", "actor")


@admin.register(Application)
class ApplicationAdmin(ServiceErrorsInFormMixin, admin.ModelAdmin):
    """Reading the record and its history; an application is added through the service and moved on the board."""

    list_display = ["candidate", "job", "stage", "status", "rejection_reason", "stage_entered_at"]
    list_filter = ["status", "job"]
    list_select_related = ["candidate", "job", "stage", "rejection_reason"]
    search_fields = ["candidate__first_name", "candidate__last_name", "candidate__email", "job__title"]
    autocomplete_fields = ["candidate", "job"]
    inlines = [StageChangeInline]
    show_full_result_count = False
    # Everything the pipeline service owns: the stage and status change only through moves and rejections.
    PIPELINE_FIELDS = [
        "candidate",
        "job",
        "stage",
        "status",
        "stage_entered_at",
        "applied_at",
        "version",
        "rejection_reason",
        "rejection_email_template",
        "rejection_email_sent_at",
        "updated_at",
    ]

    def get_fields(self, request, obj=None):
        return ["candidate", "job"] if obj is None else self.PIPELINE_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.PIPELINE_FIELDS

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return  # every field is read-only: a forged POST has nothing to write
        application = services.application_create(
            candidate=form.cleaned_data["candidate"], job=form.cleaned_data["job"], actor=request.user, source="admin"
        )
        obj.pk = application.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        """The stage history inline is read-only; it is written by the pipeline service."""
        formset.save(commit=False)  # fills the formset's change lists for the log, writes nothing

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Its stage history goes with an application deleted as a mistake (the service allows no other);
        # history is otherwise never deleted in the admin, and scorecards still block the delete.
        perms_needed.discard(StageChange._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.application_delete(application=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for application in queryset:
            services.application_delete(application=application)


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
class RejectionReasonAdmin(ReferenceAdmin):
    list_display = ["name", "active", "order"]
    list_editable = ["active", "order"]
    search_fields = ["name"]
    save_service, delete_service, service_argument = "rejection_reason_save", "rejection_reason_delete", "reason"


@admin.register(EmailTemplate)
class EmailTemplateAdmin(ReferenceAdmin):
    list_display = ["name", "kind", "subject", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "subject"]
    save_service, delete_service, service_argument = "email_template_save", "email_template_delete", "template"


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


from . import (  # noqa: E402  (the careers site's and the audit trail's admin)
    admin_audit,  # noqa: F401
    admin_careers,  # noqa: F401
)


@admin.register(OfferLetterTemplate)
class OfferLetterTemplateAdmin(ReferenceAdmin):
    """Offer letters: Markdown with placeholders (the help text lists them)."""

    list_display = ["name", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["name"]
    save_service, delete_service, service_argument = (
        "offer_letter_template_save",
        "offer_letter_template_delete",
        "template",
    )


@admin.register(OfferApprover)
class OfferApproverAdmin(ReferenceAdmin):
    """Who signs an offer outside the pay band off after the hiring manager (the first row counts)."""

    list_display = ["__str__", "created_at"]
    list_select_related = ["user", "group"]
    raw_id_fields = ["user"]
    save_service, delete_service, service_argument = "offer_approver_save", "offer_approver_delete", "approver"


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    """Read-only: offers are written on the offer pages, through the offer services."""

    list_display = ["application", "status", "currency", "base_salary", "out_of_band", "expires_on", "created_at"]
    list_select_related = ["application__candidate", "application__job"]
    list_filter = ["status", "out_of_band"]
    search_fields = ["application__candidate__last_name", "application__job__title"]
    raw_id_fields = ["application", "letter_template", "created_by"]
    show_full_result_count = False


# --- The API's personal tokens and the outgoing webhooks (admins only: hiring.groups.ADMIN_ONLY_MODELS) ---


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners (profile page, ``manage.py api_token``); admins revoke them."""

    list_display = ["name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = ["user", "name", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    exclude = ["digest"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = sum(services.api_token_revoke(user=token.user, token_id=token.pk) for token in queryset)
        self.message_user(request, f"{count} token(s) revoked.")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
        return obj is None and super().has_change_permission(request, obj)


class WebhookEndpointForm(CleanInputMixin, forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=[(name, f"{name}: {text}") for name, text in webhooks.EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ServiceErrorsInFormMixin, admin.ModelAdmin):
    """Register an address for events. The signing secret is made on creation and shown here."""

    form = WebhookEndpointForm
    list_display = ["url", "description", "active", "failure_streak", "disabled_at", "disabled_reason"]
    list_filter = ["active"]
    readonly_fields = ["secret", "failure_streak", "disabled_at", "disabled_reason", "created_at"]

    def save_model(self, request, obj, form, change):
        webhooks.webhook_endpoint_save(endpoint=obj)

    def delete_model(self, request, obj):
        webhooks.webhook_endpoint_delete(endpoint=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for endpoint in queryset:
                webhooks.webhook_endpoint_delete(endpoint=endpoint)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["attempted_at", "status_code", "duration_ms", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-attempted_at", "-id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Read-only log of every event sent to every endpoint, with its attempts; failed ones can be sent again."""

    list_display = ["created_at", "event_type", "endpoint", "status", "attempts", "last_status_code", "next_attempt_at"]
    list_filter = ["status", "event_type"]
    list_select_related = ["endpoint"]
    search_fields = ["event_id", "endpoint__url"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    inlines = [WebhookAttemptInline]
    actions = ["redeliver"]
    readonly_fields = [
        "endpoint",
        "event_id",
        "event_type",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "retry_until",
        "delivered_at",
        "last_status_code",
        "last_error",
        "created_at",
    ]
    exclude = ["claimed_at", "claimed_by"]

    @admin.action(description="Deliver the selected events again")
    def redeliver(self, request, queryset):
        count = webhooks.webhook_redeliver(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} deliveries queued again.")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
