"""Helpers of the governance API: loading what the caller may see, refusing lists they may not."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from pmo.core.access import can
from pmo.core.errors import ValidationFailed


def _get(request: HttpRequest, model: Any, pk: int) -> Any:
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not can(request.user, "view", obj):
        raise Http404(f"No {model._meta.verbose_name} with id {pk}.")
    return obj


def _may_list(request: HttpRequest, model: Any) -> None:
    if not can(request.user, "view", model):
        raise PermissionDenied(f"You cannot see {model._meta.verbose_name_plural}.")


def _one(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed({field: f"No {model._meta.verbose_name} with id {pk}."})
    return obj
