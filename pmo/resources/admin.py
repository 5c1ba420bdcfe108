from django.contrib import admin

from pmo.core.admin import AuditedAdmin
from pmo.resources.models import OrgUnit, Person


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("name", "job_title", "org_unit", "user", "active")
    list_filter = ("active", "org_unit")
    search_fields = ("name", "email")
