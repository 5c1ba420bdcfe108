"""Read-only admin pages: every write goes through the services (scales, ratings, history, notifications)."""

from typing import Any

from django.contrib import admin

from pmo.risks.models import Risk, RiskAction, RiskAssessment, RiskScale, RiskTaskImpact


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(RiskScale)
class RiskScaleAdmin(ReadOnlyAdmin):
    list_display = ("portfolio", "escalation_score")


@admin.register(Risk)
class RiskAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "kind", "project", "program", "portfolio", "score", "status", "shared")
    list_filter = ("kind", "status", "category", "shared")
    search_fields = ("code", "title")


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("risk", "assessed_on", "probability", "impact", "score", "residual_score")


@admin.register(RiskAction)
class RiskActionAdmin(ReadOnlyAdmin):
    list_display = ("risk", "description", "owner", "due_date", "status", "overdue_notified_on")
    list_filter = ("status",)


@admin.register(RiskTaskImpact)
class RiskTaskImpactAdmin(ReadOnlyAdmin):
    list_display = ("risk", "task", "min_days", "likely_days", "max_days", "min_cost", "likely_cost", "max_cost")
