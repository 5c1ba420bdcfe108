"""Read-only admin pages: subscriptions and archived reports change through the pages, the API and the services."""

from typing import Any

from django.contrib import admin

from pmo.reporting.models import ReportArchive, ReportSubscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("user", "portfolio", "frequency", "format", "active", "next_run", "last_run")
    list_filter = ("frequency", "format", "active")


@admin.register(ReportArchive)
class ReportArchiveAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "format", "period_start", "period_end", "created_at", "created_by", "size")
    list_filter = ("kind", "format")
