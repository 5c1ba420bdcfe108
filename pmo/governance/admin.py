"""Read-only admin pages: every write goes through the services (versions, gates, audits are audited)."""

from typing import Any

from django.contrib import admin

from pmo.governance.models import (
    Audit,
    AuditTemplate,
    Finding,
    GateCondition,
    GateReview,
    Methodology,
    MethodologyVersion,
    ProjectMethodology,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Methodology)
class MethodologyAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "active")


@admin.register(MethodologyVersion)
class VersionAdmin(ReadOnlyAdmin):
    list_display = ("methodology", "number", "state", "published_at")


@admin.register(ProjectMethodology)
class ProjectMethodologyAdmin(ReadOnlyAdmin):
    list_display = ("project", "methodology_version", "current_phase", "phase_started")


@admin.register(GateReview)
class GateReviewAdmin(ReadOnlyAdmin):
    list_display = ("project", "phase", "planned_date", "state", "decision", "decided_on")
    list_filter = ("state", "decision")


@admin.register(GateCondition)
class GateConditionAdmin(ReadOnlyAdmin):
    list_display = ("text", "review", "owner", "due_date", "status")


@admin.register(AuditTemplate)
class AuditTemplateAdmin(ReadOnlyAdmin):
    list_display = ("name", "type", "active")


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ("project", "template", "planned_date", "state", "score")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("title", "project", "severity", "owner", "due_date", "status")
