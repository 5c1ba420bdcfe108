"""Read-only admin pages: every write goes through the services (the search index, the closure rules, the
audit trail)."""

from typing import Any

from django.contrib import admin

from pmo.knowledge.models import Closure, ImprovementAction, Lesson, LessonCategory, MaturityAssessment, SearchEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Closure)
class ClosureAdmin(ReadOnlyAdmin):
    list_display = ("project", "status", "killed", "session_date", "closed_at")
    list_filter = ("status", "killed")


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "kind", "category", "project", "relevant")
    list_filter = ("kind", "relevant", "category")
    search_fields = ("code", "title", "tags")


@admin.register(LessonCategory)
class LessonCategoryAdmin(ReadOnlyAdmin):
    list_display = ("name", "active")


@admin.register(MaturityAssessment)
class MaturityAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("title", "assessed_on")


@admin.register(ImprovementAction)
class ImprovementActionAdmin(ReadOnlyAdmin):
    list_display = ("title", "dimension", "owner", "due", "status")
    list_filter = ("status", "dimension")


@admin.register(SearchEntry)
class SearchEntryAdmin(ReadOnlyAdmin):
    list_display = ("key", "type", "title", "category", "methodology")
    list_filter = ("type",)
