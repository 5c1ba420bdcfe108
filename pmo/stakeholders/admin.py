"""Read-only admin pages: every write goes through the services (validation, permissions, audit, notifications)."""

from typing import Any

from django.contrib import admin

from pmo.stakeholders.models import (
    Benefit,
    BenefitMeasurement,
    CommunicationItem,
    CommunicationLog,
    Stakeholder,
    Survey,
    SurveyResponse,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Stakeholder)
class StakeholderAdmin(ReadOnlyAdmin):
    list_display = ("name", "project", "program", "portfolio", "interest", "influence", "current_engagement")
    search_fields = ("name", "organisation")


@admin.register(CommunicationItem)
class CommunicationItemAdmin(ReadOnlyAdmin):
    list_display = ("what", "project", "program", "portfolio", "frequency", "channel", "sender", "next_due", "active")
    list_filter = ("frequency", "channel", "active")


@admin.register(CommunicationLog)
class CommunicationLogAdmin(ReadOnlyAdmin):
    list_display = ("item", "sent_on", "sent_by_name")


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ("project", "period", "is_open")


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ("survey", "respondent_name", "score")


@admin.register(Benefit)
class BenefitAdmin(ReadOnlyAdmin):
    list_display = ("project", "name", "kpi", "baseline_value", "target_value", "target_date", "financial_value")
    search_fields = ("name", "kpi")


@admin.register(BenefitMeasurement)
class BenefitMeasurementAdmin(ReadOnlyAdmin):
    list_display = ("benefit", "measured_on", "value", "recorded_by_name")
