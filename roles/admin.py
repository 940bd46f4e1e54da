"""The admins' tool for role templates. Configuration here; every write goes through roles.services."""

import json

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from roles.admin_kit import ServiceErrorsInFormMixin

from . import fragments, selectors, services
from .forms import (
    CompensationBandInlineForm,
    CompetencyInlineForm,
    ImportRoleDocumentForm,
    RequirementInlineForm,
    ResponsibilityInlineForm,
)
from .models import CompensationBand, Competency, RatingAnchor, Requirement, Responsibility, RoleTemplate
from .scale import LABELS as SCALE
from .scale import LEVELS


def _report(modeladmin, request, error: ValidationError, prefix: str = "") -> None:
    """Show a service's refusal as an error message (one line per reason)."""
    modeladmin.message_user(request, prefix + " ".join(error.messages), level=messages.ERROR)


class DraftOnlyInlineMixin:
    """Inlines of a published or archived version are shown read-only."""

    def _editable(self, obj) -> bool:
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class CompetencyInline(DraftOnlyInlineMixin, admin.StackedInline):
    model = Competency
    form = CompetencyInlineForm
    extra = 0
    ordering = ["order", "id"]
    readonly_fields = ["source", "anchor_review"]
    show_change_link = True
    classes = ["competency-inline"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("anchors")

    def get_fieldsets(self, request, obj=None):
        review = "anchors_need_review" if obj is None or obj.is_editable else "anchor_review"
        return [
            (None, {"fields": [("name", "category", "weight", "order"), "description"]}),
            (
                "Rating anchors (what each level looks like)",
                {"fields": [("anchor_1", "anchor_2", "anchor_3", "anchor_4"), (review, "source")]},
            ),
        ]

    @admin.display(description="Anchors")
    def anchor_review(self, obj):
        return "Generated, not reviewed" if obj.anchors_need_review else "Reviewed"

    # Shown in place of the anchor text boxes when the version is read-only.
    def _anchor(self, obj, level):
        return next((a.description for a in obj.anchors.all() if a.level == level), "—")

    @admin.display(description=f"Level 1 · {SCALE[1]}")
    def anchor_1(self, obj):
        return self._anchor(obj, 1)

    @admin.display(description=f"Level 2 · {SCALE[2]}")
    def anchor_2(self, obj):
        return self._anchor(obj, 2)

    @admin.display(description=f"Level 3 · {SCALE[3]}")
    def anchor_3(self, obj):
        return self._anchor(obj, 3)

    @admin.display(description=f"Level 4 · {SCALE[4]}")
    def anchor_4(self, obj):
        return self._anchor(obj, 4)


class ResponsibilityInline(DraftOnlyInlineMixin, admin.TabularInline):
    model = Responsibility
    form = ResponsibilityInlineForm
    extra = 0
    ordering = ["order", "id"]
    fields = ["area", "items_text", "order", "source"]
    readonly_fields = ["source"]

    @admin.display(description="Items")
    def items_text(self, obj):
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((item,) for item in obj.items)))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return ["area", "items_text", "order", "source"]
        return self.readonly_fields


class RequirementInline(DraftOnlyInlineMixin, admin.TabularInline):
    model = Requirement
    form = RequirementInlineForm
    extra = 0
    ordering = ["order", "id"]
    fields = ["kind", "text", "required", "min_years", "order", "source"]
    readonly_fields = ["source"]


class CompensationBandInline(DraftOnlyInlineMixin, admin.StackedInline):
    model = CompensationBand
    form = CompensationBandInlineForm
    extra = 0
    max_num = 1
    verbose_name = "pay band"
    verbose_name_plural = "pay band"
    fields = ["currency", ("p10", "min", "median", "max", "p90"), "notes", "source"]
    readonly_fields = ["source"]


def _row_error(obj, error: ValidationError) -> ValidationError:
    """A service's refusal of one inline row, saying which row it was."""
    label = f"{obj._meta.verbose_name.capitalize()} “{obj}”"
    return ValidationError([f"{label}: {message}" for message in error.messages], code=error.code)


class ServiceFormsetsMixin(ServiceErrorsInFormMixin):
    """Inline rows are written through services, never by formset.save(); a refusal shows on the form."""

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # fills new/changed/deleted lists without touching the database
        for obj in formset.deleted_objects:
            try:
                services.template_child_delete(obj=obj)
            except ValidationError as error:
                raise _row_error(obj, error) from error
        parent = formset.instance
        for inline_form in formset.forms:
            if not inline_form.has_changed() or formset._should_delete_form(inline_form):
                continue
            obj = inline_form.instance
            setattr(obj, formset.fk.name, parent)
            try:
                if isinstance(obj, Competency):
                    services.competency_save(competency=obj, anchors=inline_form.anchors())
                elif isinstance(obj, RatingAnchor):
                    services.rating_anchor_save(anchor=obj)
                else:
                    services.template_child_save(obj=obj)
            except ValidationError as error:
                raise _row_error(obj, error) from error


@admin.register(RoleTemplate)
class RoleTemplateAdmin(ServiceFormsetsMixin, admin.ModelAdmin):
    list_display = ["title", "version", "status_badge", "competency_count", "published_on"]
    list_display_links = ["title"]
    list_filter = ["status", "family", "level"]
    search_fields = ["title", "slug", "summary", "family"]
    ordering = ["title", "-version"]
    list_select_related = True
    inlines = [CompetencyInline, ResponsibilityInline, RequirementInline, CompensationBandInline]
    actions = ["publish_selected", "new_version_selected", "archive_selected", "export_selected"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", ("version", "status", "published_at"), ("level", "family"), "summary"]}),
        ("Notes from the source document", {"fields": ["notes"], "classes": ["collapse"]}),
        ("Source document", {"fields": ["source_filename", "source_text_display"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(competency_total=Count("competencies", distinct=True))

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("title",)} if obj is None else {}

    def get_readonly_fields(self, request, obj=None):
        always = ["version", "status", "published_at", "source_filename", "source_text_display"]
        if obj is None:
            return always
        if not obj.is_editable:
            return [*always, "title", "slug", "level", "family", "summary", "notes"]
        return [*always, "slug"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="Competencies", ordering="competency_total")
    def competency_count(self, obj):
        return obj.competency_total

    @admin.display(description="Published", ordering="published_at")
    def published_on(self, obj):
        return date_format(timezone.localtime(obj.published_at), "j M Y") if obj.published_at else "—"

    @admin.display(description="Status", ordering="status")
    def status_badge(self, obj):
        return format_html('<span class="role-status role-status-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description="Source text")
    def source_text_display(self, obj):
        if not obj.source_text:
            return "—"
        return format_html('<pre class="role-source">{}</pre>', obj.source_text)

    # ------------------------------------------------------------------ writes through services

    def save_model(self, request, obj, form, change):
        if change:
            services.role_template_update(template=obj, data=form.cleaned_data)
        else:
            created = services.role_template_create(data=form.cleaned_data)
            obj.pk, obj.slug, obj.version, obj.status = created.pk, created.slug, created.version, created.status
            obj._state.adding = False

    def delete_model(self, request, obj):
        services.role_template_delete(template=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for template in queryset:  # all or nothing: one published version in the selection refuses the lot
            services.role_template_delete(template=template)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        def view():
            return super(RoleTemplateAdmin, self).changeform_view(
                request, object_id, form_url, self._change_context(object_id, extra_context)
            )

        # Opening a template again (its page renders hundreds of inline forms) is served from the
        # fragment cache, per admin and data generation; a page with a message to show is not.
        if request.method != "GET" or not object_id or request.GET or len(messages.get_messages(request)):
            return view()
        answered: dict = {}

        def render() -> str | None:
            response = answered["response"] = view()
            if response.status_code != 200 or not hasattr(response, "render"):
                return None
            return response.render().content.decode(response.charset)

        html = fragments.cached(request, "admin-role-template", (object_id,), render)
        if "response" in answered:  # rendered now: the response as the admin made it (with its cookies)
            return answered["response"]
        return HttpResponse(html)

    def _change_context(self, object_id, extra_context):
        context = dict(extra_context or {})
        if object_id:
            template = RoleTemplate.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
            if template is not None:
                context["role_template"] = template
                context["publish_problems"] = services.publish_problems(template) if template.is_editable else []
                if template.is_editable:
                    context["review_count"] = template.competencies.filter(anchors_need_review=True).count()
                context["show_save_and_add_another"] = False
                others = list(
                    RoleTemplate.objects.filter(slug=template.slug).exclude(pk=template.pk).order_by("version")
                )
                context["other_versions"] = [(other, self._diff_url(template, other)) for other in others]
        return context

    # ------------------------------------------------------------------ actions

    def _run(self, request, queryset, service, done: str):
        count = 0
        for template in queryset:
            try:
                service(template=template)
                count += 1
            except ValidationError as error:
                _report(self, request, error, prefix=f"{template}: ")
        if count:
            self.message_user(request, done.format(count=count), level=messages.SUCCESS)

    @admin.action(description="Publish selected drafts", permissions=["change"])
    def publish_selected(self, request, queryset):
        confirmed = request.POST.get("confirm") == "yes"
        if not confirmed:
            drafts = list(queryset.filter(status=RoleTemplate.Status.DRAFT).order_by("title", "version"))
            unreviewed = [(t, services.unreviewed_anchor_count(t)) for t in drafts]
            unreviewed = [(t, count) for t, count in unreviewed if count]
            if unreviewed:
                return self._confirm_publish(request, unreviewed, single=False, selected=queryset)

        def publish(*, template):
            return services.role_template_publish(template=template, confirm_unreviewed=confirmed)

        self._run(request, queryset, publish, "Published {count} template version(s).")

    def _confirm_publish(self, request, unreviewed, *, single: bool, selected=None):
        """Ask before publishing versions whose generated anchors nobody reviewed, saying how many."""
        total = sum(count for _template, count in unreviewed)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Publish with unreviewed rating anchors?",
            "unreviewed": unreviewed,
            "total": total,
            "single": single,
            "selected": [t.pk for t in selected] if selected is not None else [],
            "action_url": (
                reverse("admin:roles_roletemplate_publish", args=[unreviewed[0][0].pk])
                if single
                else reverse("admin:roles_roletemplate_changelist")
            ),
            "back_url": self._change_url(unreviewed[0][0])
            if single
            else reverse("admin:roles_roletemplate_changelist"),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/roles/roletemplate/confirm_publish.html", context)

    @admin.action(description="Make a new draft version of selected", permissions=["add"])
    def new_version_selected(self, request, queryset):
        self._run(request, queryset, services.role_template_new_version, "Created {count} new draft version(s).")

    @admin.action(description="Archive selected (hide from new jobs)", permissions=["change"])
    def archive_selected(self, request, queryset):
        self._run(request, queryset, services.role_template_archive, "Archived {count} template version(s).")

    @admin.action(description="Export selected as JSON", permissions=["view"])
    def export_selected(self, request, queryset):
        documents = [services.role_template_export(template=t) for t in queryset]
        payload = documents[0] if len(documents) == 1 else documents
        name = f"{documents[0]['slug']}-v{documents[0]['version']}.json" if len(documents) == 1 else "roles.json"
        return self._json_response(payload, name)

    @staticmethod
    def _json_response(payload, filename: str) -> HttpResponse:
        response = HttpResponse(json.dumps(payload, indent=2, ensure_ascii=False), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    # ------------------------------------------------------------------ extra pages

    def get_urls(self):
        wrap = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("import/", wrap(self.import_view), name=f"{prefix}_import"),
            path("<int:object_id>/preview/", wrap(self.preview_view), name=f"{prefix}_preview"),
            path("<int:object_id>/export/", wrap(self.export_view), name=f"{prefix}_export"),
            path("<int:object_id>/diff/", wrap(self.diff_view), name=f"{prefix}_diff"),
            path("<int:object_id>/publish/", wrap(self.lifecycle_view("publish")), name=f"{prefix}_publish"),
            path(
                "<int:object_id>/new-version/",
                wrap(self.lifecycle_view("new_version")),
                name=f"{prefix}_new_version",
            ),
            path("<int:object_id>/archive/", wrap(self.lifecycle_view("archive")), name=f"{prefix}_archive"),
            *super().get_urls(),
        ]

    def _object_or_404(self, request, object_id) -> RoleTemplate:
        template = RoleTemplate.objects.filter(pk=object_id).first()
        if template is None or not self.has_view_permission(request, template):
            raise Http404("No such role template.")
        return template

    def _change_url(self, template: RoleTemplate) -> str:
        return reverse("admin:roles_roletemplate_change", args=[template.pk])

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise Http404("No such page.")
        status = 200
        if request.method == "POST":
            form = ImportRoleDocumentForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    template = services.role_template_import(
                        document=form.cleaned_data["content"],
                        filename=form.cleaned_data["filename"],
                        title=form.cleaned_data["title"] or None,
                        new_template=form.cleaned_data["new_template"],
                    )
                except ValidationError as error:
                    form.add_error(None, ValidationError(error.messages))
                else:
                    self.log_addition(request, template, [{"added": {"name": "import"}}])
                    self._imported_message(request, template)
                    return redirect(self._change_url(template))
            status = 400
        else:
            form = ImportRoleDocumentForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import role document",
            "form": form,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/roles/roletemplate/import.html", context, status=status)

    def _imported_message(self, request, template: RoleTemplate) -> None:
        counts = (
            f"{template.competencies.count()} competencies, {template.responsibilities.count()} responsibility areas, "
            f"{template.requirements.count()} requirements"
        )
        previous = services.previous_version(template)
        if previous is None:
            message = format_html(
                "Imported “{}” as draft version {}: {}. Review the generated rating anchors, then preview and publish.",
                template.title,
                template.version,
                counts,
            )
        else:
            message = format_html(
                "Imported “{}” as draft version {} of the existing template: {}. "
                '<a href="{}">See what changed since version {}</a>.',
                template.title,
                template.version,
                counts,
                self._diff_url(template, previous),
                previous.version,
            )
        self.message_user(request, message, level=messages.SUCCESS)

    def _diff_url(self, template: RoleTemplate, against: RoleTemplate) -> str:
        base = reverse("admin:roles_roletemplate_diff", args=[template.pk])
        return f"{base}?{urlencode({'against': against.pk})}"

    def diff_view(self, request, object_id):
        """What changed between two versions of one role (``?against=<id>``, else the version before)."""
        template = self._object_or_404(request, object_id)
        against_id = request.GET.get("against", "")
        if against_id:
            if not against_id.isdigit():
                raise Http404("No such version.")
            other = RoleTemplate.objects.filter(pk=int(against_id), slug=template.slug).first()
            if other is None or other.pk == template.pk:
                raise Http404("No such version of this role.")
        else:
            other = services.previous_version(template)
            if other is None:
                raise Http404("This is the role's first version: there is nothing to compare it with.")
        old, new = (other, template) if other.version < template.version else (template, other)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{template.title}: version {old.version} → version {new.version}",
            "original": template,
            "role_template": template,
            "diff": selectors.role_template_diff(old=old, new=new),
            "versions": RoleTemplate.objects.filter(slug=template.slug).order_by("version"),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/roles/roletemplate/diff.html", context)

    def preview_view(self, request, object_id):
        template = self._object_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Scorecard preview: {template.title} v{template.version}",
            "original": template,
            "role_template": template,
            "competencies": selectors.role_template_scorecard_preview(template=template),
            "scale": [(level, SCALE[level]) for level in LEVELS],
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/roles/roletemplate/preview.html", context)

    def export_view(self, request, object_id):
        template = self._object_or_404(request, object_id)
        return self._json_response(
            services.role_template_export(template=template), f"{template.slug}-v{template.version}.json"
        )

    def lifecycle_view(self, action: str):
        service, permission, done = {
            "publish": (services.role_template_publish, "change", "Published version {version}."),
            "new_version": (services.role_template_new_version, "add", "Created draft version {version}."),
            "archive": (services.role_template_archive, "change", "Archived version {version}."),
        }[action]

        @require_POST
        def view(request, object_id):
            template = self._object_or_404(request, object_id)
            if not getattr(self, f"has_{permission}_permission")(request):
                raise Http404("No such role template.")
            try:
                if action == "publish":
                    result = service(template=template, confirm_unreviewed=request.POST.get("confirm") == "yes")
                else:
                    result = service(template=template)
            except services.UnreviewedAnchorsError as error:
                return self._confirm_publish(request, [(template, error.count)], single=True)
            except ValidationError as error:
                _report(self, request, error)
                return redirect(self._change_url(template))
            self.log_change(request, result, f"{action.replace('_', ' ')} (version {result.version})")
            self.message_user(request, done.format(version=result.version), level=messages.SUCCESS)
            return redirect(self._change_url(result))

        return view


class RatingAnchorInline(DraftOnlyInlineMixin, admin.TabularInline):
    model = RatingAnchor
    extra = 0
    max_num = 4
    ordering = ["level"]
    fields = ["level", "description"]

    def _editable(self, obj) -> bool:
        return obj is None or obj.template.is_editable


@admin.register(Competency)
class CompetencyAdmin(ServiceFormsetsMixin, admin.ModelAdmin):
    list_display = ["name", "template", "category", "weight", "order", "anchors_need_review"]
    list_filter = ["category", "anchors_need_review", "template__status"]
    search_fields = ["name", "description", "template__title"]
    list_select_related = ["template"]
    ordering = ["template__title", "-template__version", "order"]
    raw_id_fields = ["template"]
    readonly_fields = ["source"]
    inlines = [RatingAnchorInline]
    fields = ["template", ("name", "category"), ("weight", "order"), "description", "anchors_need_review", "source"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.template.is_editable:
            return [*self.fields[:1], "name", "category", "weight", "order", "description", "anchors_need_review"]
        if obj is not None:
            return [*self.readonly_fields, "template"]  # a competency stays with the version it was written for
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.template.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.template.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.competency_save(competency=obj)

    def delete_model(self, request, obj):
        services.template_child_delete(obj=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for competency in queryset.select_related("template"):
            services.template_child_delete(obj=competency)
