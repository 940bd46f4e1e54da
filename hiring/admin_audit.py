"""The audit trail's and the retention policy's admin.

The trail: admins browse the entries (``roles.audit``), filter them by person, kind of object,
one object, action and date, and export what they filtered as CSV.

Entries are append-only: nobody may add, change or delete one here (nor anywhere, see
``roles.audit``). Opening the page asks ``hiring.view_audit_log`` (``rules.py``: admins only).
"""

from __future__ import annotations

import csv
from typing import Any

from auditlog.models import LogEntry
from django.contrib import admin
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.text import Truncator
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from hiring.models import RetentionPolicy
from hiring.selectors.privacy import retention_dry_run, retention_policy
from hiring.services import privacy as privacy_services
from hiring.services import two_factor as two_factor_services
from roles import audit

ACTIONS = dict(LogEntry.Action.choices)


def _csv_safe(text: str) -> str:
    """Stop spreadsheet programs from reading a value as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def describe_changes(entry: LogEntry) -> str:
    """``field: old → new`` for changes, what was read for an access event."""
    if entry.action == LogEntry.Action.ACCESS:
        extra = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        return str(extra.get("access", "read"))
    parts = []
    for field, value in audit.changes_of(entry).items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{field}: {value[0]} → {value[1]}")
        elif isinstance(value, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
            verb = "added" if value.get("operation") == "add" else "removed"
            parts.append(f"{field} {verb}: {', '.join(map(str, value.get('objects', [])))}")
    return "; ".join(parts)


class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "who", "remote_addr", "action", "kind", "object_label", "changes_summary"]
    list_filter = [
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("timestamp", admin.DateFieldListFilter),
    ]
    list_select_related = ["content_type", "actor"]
    search_fields = ["object_repr", "=object_pk", "actor_email", "remote_addr"]
    date_hierarchy = "timestamp"
    ordering = ["-timestamp", "-id"]
    list_per_page = 50
    show_full_result_count = False
    change_list_template = "admin/auditlog/logentry/change_list.html"
    fields = [
        "timestamp",
        "who",
        "remote_addr",
        "action",
        "kind",
        "object_pk",
        "object_repr",
        "changes_summary",
        "additional_data",
    ]
    readonly_fields = [*fields[:7], "full_changes", "additional_data"]

    def get_fields(self, request, obj=None):
        return self.readonly_fields

    @admin.display(description="What changed")
    def full_changes(self, entry: LogEntry) -> str:
        return describe_changes(entry)

    def lookup_allowed(self, lookup: str, value: str, request=None) -> bool:
        # One object's history: ?content_type__id__exact=…&object_pk=…
        return lookup in ("object_pk", "object_id") or super().lookup_allowed(lookup, value, request)

    def _allowed(self, request) -> bool:
        return request.user.has_perm("hiring.view_audit_log")

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Who", ordering="actor_email")
    def who(self, entry: LogEntry) -> str:
        if entry.actor is not None:
            return entry.actor.display_name if hasattr(entry.actor, "display_name") else str(entry.actor)
        return entry.actor_email or "System"

    @admin.display(description="Object type", ordering="content_type")
    def kind(self, entry: LogEntry) -> str:
        return entry.content_type.name if entry.content_type_id else ""

    @admin.display(description="Object", ordering="object_repr")
    def object_label(self, entry: LogEntry) -> str:
        return entry.object_repr

    @admin.display(description="What changed")
    def changes_summary(self, entry: LogEntry) -> str:
        return Truncator(describe_changes(entry)).chars(160)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("export/", self.admin_site.admin_view(self.export_view), name="{}_{}_export".format(*info)),
            *super().get_urls(),
        ]

    def export_view(self, request) -> HttpResponse:
        """The entries the list shows with the same filters, every page of them, as CSV."""
        if not self._allowed(request):
            return HttpResponse("Only admins may export the audit trail.", status=403, content_type="text/plain")
        changelist = self.get_changelist_instance(request)
        rows = changelist.get_queryset(request).select_related("content_type", "actor").iterator(chunk_size=2000)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(["when", "who", "email", "address", "action", "object type", "object id", "object", "what"])
        for entry in rows:
            writer.writerow(
                [_csv_safe(str(value)) for value in self._row(entry)],
            )
        return response

    def _row(self, entry: LogEntry) -> list[Any]:
        return [
            entry.timestamp.isoformat(),
            self.who(entry),
            entry.actor_email or "",
            entry.remote_addr or "",
            ACTIONS.get(entry.action, entry.action),
            self.kind(entry),
            entry.object_pk,
            entry.object_repr,
            describe_changes(entry),
        ]


if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
admin.site.register(LogEntry, AuditEntryAdmin)


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    """The policy (one row) and the dry run: who it anonymises in the next 30 days, and when."""

    change_list_template = "admin/hiring/retentionpolicy/change_list.html"
    fields = ["active", "inactive_months", "keep_hired"]

    def _allowed(self, request) -> bool:
        return request.user.has_perm("hiring.manage_retention")

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        # No query here (every admin page asks): a second "add" saves over the one policy row.
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        privacy_services.retention_policy_save(policy=obj)

    def changelist_view(self, request, extra_context=None):
        now = timezone.now()
        extra = {
            "policy": retention_policy(),
            "saved_policy": RetentionPolicy.objects.order_by("pk").first(),
            "rows": retention_dry_run(now=now, within_days=30),
            "now": now,
        }
        return super().changelist_view(request, {**(extra_context or {}), **extra})


# Two-factor devices: admins see who set up an app and reset it for someone who lost their phone
# and their recovery codes (django-otp's own admin, with its QR-code page, is replaced).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(TOTPDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("hiring.erase_candidates")  # admins

    def delete_model(self, request, obj):
        two_factor_services.two_factor_reset(user=obj.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            two_factor_services.two_factor_reset(user=device.user)
