from django.contrib import admin

from pmo.core.admin import AuditedAdmin
from pmo.portfolio.models import StrategicObjective


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(AuditedAdmin):
    list_display = ("code", "name", "owner", "target_year", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")
