"""Read-only admin pages: every write goes through the services (versions, approvals, baselines, audit)."""

from typing import Any

from django.contrib import admin

from pmo.documents.models import (
    Document,
    DocumentApproval,
    DocumentBaseline,
    DocumentTemplate,
    DocumentVersion,
    TemplateVersion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "number", "active", "updated_at")
    list_filter = ("kind", "active")
    search_fields = ("name",)


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyAdmin):
    list_display = ("template", "number", "note", "author", "created_at")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "project", "kind", "status", "approved_version", "updated_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "project__code")


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = ("document", "number", "status", "filename", "size", "author", "created_at")
    list_filter = ("status",)


@admin.register(DocumentApproval)
class DocumentApprovalAdmin(ReadOnlyAdmin):
    list_display = ("document_version", "approver", "decision", "decided_at")
    list_filter = ("decision",)


@admin.register(DocumentBaseline)
class DocumentBaselineAdmin(ReadOnlyAdmin):
    list_display = ("project", "label", "created_by", "created_at")
