from typing import Any

from django.contrib import admin

from pmo.core.models import ApiToken, AuditEvent
from pmo.core.services import record_create, record_delete, record_update


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits go through the same audited, permission-checked writes as the pages and the API."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if change:
            original = type(obj).objects.get(pk=obj.pk)
            saved = record_update(actor=request.user, obj=original, changes=fields, allowed=fields)
        else:
            saved = record_create(
                actor=request.user,
                model=type(obj),
                fields={name: form.cleaned_data[name] for name in form.cleaned_data},
                allowed=form.cleaned_data,
            )
        obj.pk = saved.pk
        obj.version = saved.version

    def delete_model(self, request: Any, obj: Any) -> None:
        record_delete(actor=request.user, obj=obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_name")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request: Any) -> bool:
        return False
