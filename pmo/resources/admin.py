from django.contrib import admin

from pmo.core.admin import AuditedAdmin
from pmo.resources.models import (
    Absence,
    CapacityPeriod,
    CostRateHistory,
    GenericResource,
    JobRole,
    OrgUnit,
    Person,
    PersonProfile,
    PersonSkill,
    ResourceRequest,
    RoleSkillRequirement,
    Skill,
    TrainingPlan,
    TrainingRecord,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("name", "job_title", "org_unit", "user", "active")
    list_filter = ("active", "org_unit")
    search_fields = ("name", "email")


@admin.register(JobRole)
class JobRoleAdmin(AuditedAdmin):
    list_display = ("name", "standard_hours_per_week")
    search_fields = ("name",)


@admin.register(Skill)
class SkillAdmin(AuditedAdmin):
    list_display = ("name", "category")
    list_filter = ("category",)
    search_fields = ("name", "category")


@admin.register(PersonProfile)
class PersonProfileAdmin(AuditedAdmin):
    list_display = ("person", "primary_role", "calendar", "non_project_percent")
    list_filter = ("primary_role",)
    search_fields = ("person__name",)


@admin.register(PersonSkill)
class PersonSkillAdmin(AuditedAdmin):
    list_display = ("person", "skill", "level")
    list_filter = ("skill", "level")
    search_fields = ("person__name", "skill__name")


@admin.register(CapacityPeriod)
class CapacityPeriodAdmin(AuditedAdmin):
    list_display = ("person", "start", "hours_per_week", "fte")
    search_fields = ("person__name",)


@admin.register(Absence)
class AbsenceAdmin(AuditedAdmin):
    list_display = ("person", "start", "finish", "reason")
    list_filter = ("reason",)
    search_fields = ("person__name",)


@admin.register(CostRateHistory)
class CostRateHistoryAdmin(AuditedAdmin):
    list_display = ("person", "effective_from", "rate_per_hour")
    search_fields = ("person__name",)


@admin.register(GenericResource)
class GenericResourceAdmin(AuditedAdmin):
    list_display = ("role", "org_unit", "headcount", "start", "finish")


@admin.register(ResourceRequest)
class ResourceRequestAdmin(AuditedAdmin):
    list_display = ("id", "project", "role", "state", "start", "finish", "assigned_person")
    list_filter = ("state", "role")


@admin.register(RoleSkillRequirement)
class RoleSkillRequirementAdmin(AuditedAdmin):
    list_display = ("role", "skill", "required_level")
    list_filter = ("role",)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(AuditedAdmin):
    list_display = ("person", "title", "kind", "completed_on", "expires_on")
    list_filter = ("kind",)
    search_fields = ("person__name", "title")


@admin.register(TrainingPlan)
class TrainingPlanAdmin(AuditedAdmin):
    list_display = ("person", "skill", "target_level", "status", "due_date")
    list_filter = ("status",)
