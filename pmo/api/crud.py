"""One way to expose a business record over the API: list (filter, search, sort, paginate), read,
create, partial update with a version check, delete, and its audit history.

Each app describes its records with a `Resource`; `register` adds the endpoints to its router.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS, AuditEventOut, Page, audit_event_out
from pmo.core import audit
from pmo.core.access import can, require
from pmo.core.errors import ValidationFailed


class ListParams(Schema):
    q: str | None = Field(None, description="Search text (code, name)")
    ordering: str | None = Field(None, description="Sort field; prefix '-' for descending")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=500)


@dataclass(frozen=True)
class Resource:
    path: str  # "projects"
    model: type[Model]
    out: type[Schema]
    create_in: type[Schema]
    patch_in: type[Schema]
    filters: type[Schema]
    queryset: Callable[[], QuerySet[Any]]
    serialize: Callable[[Any, Any], dict[str, Any]]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    search_fields: tuple[str, ...] = ("name",)
    orderings: tuple[str, ...] = ("name",)
    m2m: dict[str, tuple[str, type[Model]]] = field(default_factory=dict)  # input "objective_ids" -> kwarg
    tag: str = ""
    obj_kwarg: str = ""
    scope: Callable[[QuerySet[Any], Any], QuerySet[Any]] = lambda qs, user: (
        qs
    )  # rows the caller may see  # the service's keyword for the record ("project"); default: the model name


def _nullable(model: type[Model], name: str) -> bool:
    try:
        return bool(model._meta.get_field(name).null)
    except FieldDoesNotExist:
        return True  # not a column: the service decides


def resolve_relations(
    model: type[Model], data: dict[str, Any], m2m: dict[str, tuple[str, type[Model]]]
) -> dict[str, Any]:
    """Turn `<relation>_id` and `<m2m>_ids` input values into records; unknown ids name the field."""
    resolved: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in data.items():
        if name in m2m:
            kwarg, related = m2m[name]
            ids = list(dict.fromkeys(value or []))
            found = {o.pk: o for o in related._default_manager.filter(pk__in=ids)}
            missing = [str(i) for i in ids if i not in found]
            if missing:
                errors[name] = f"No {related._meta.verbose_name} with id {', '.join(missing)}."
            resolved[kwarg] = [found[i] for i in ids if i in found]
        elif name.endswith("_id") and name != "version":
            relation = model._meta.get_field(name[:-3])
            if value is None:
                if not relation.null:
                    errors[name] = "Required: send an id, not null."
                resolved[relation.name] = None
                continue
            target = relation.related_model._default_manager.filter(pk=value).first()
            if target is None:
                errors[name] = f"No {relation.related_model._meta.verbose_name} with id {value}."
            resolved[relation.name] = target
        else:
            if value is None and not _nullable(model, name):
                errors[name] = "May not be null: leave the field out to keep its value."
            resolved[name] = value
    if errors:
        raise ValidationFailed(errors)
    return resolved


def _search(qs: QuerySet[Any], text: str | None, fields: tuple[str, ...]) -> QuerySet[Any]:
    if not text:
        return qs
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": text.strip()})
    return qs.filter(condition)


def _order(qs: QuerySet[Any], ordering: str | None, allowed: tuple[str, ...]) -> QuerySet[Any]:
    if not ordering:
        return qs
    if ordering.lstrip("-") not in allowed:
        raise ValidationFailed({"ordering": f"Sort by one of: {', '.join(allowed)} (prefix '-' to reverse)."})
    return qs.order_by(ordering, "pk")


def register(router: Router, res: Resource) -> None:
    singular = res.model._meta.verbose_name
    plural = res.model._meta.verbose_name_plural
    Out, CreateIn, PatchIn, Filters = res.out, res.create_in, res.patch_in, res.filters
    obj_kwarg = res.obj_kwarg or res.model._meta.model_name
    op = res.path.replace("-", "_")

    def load(request: HttpRequest, pk: int) -> Any:
        obj = res.scope(res.queryset(), request.user).filter(pk=pk).first()
        if obj is None or not can(request.user, "view", obj):
            from django.http import Http404

            raise Http404(f"No {singular} with id {pk}.")
        return obj

    def list_page(request: HttpRequest, params: ListParams, filters: dict[str, Any]) -> Any:
        require(request.user, "view", res.model)
        qs = res.scope(res.queryset(), request.user)
        for name, value in filters.items():
            qs = qs.filter(**{name: value})
        qs = _order(_search(qs, params.q, res.search_fields), params.ordering, res.orderings)
        offset = (params.page - 1) * params.page_size
        items = [res.serialize(o, request.user) for o in qs[offset : offset + params.page_size]]
        return {"items": items, "count": qs.count(), "page": params.page, "page_size": params.page_size}

    list_route = router.get(
        f"/{res.path}",
        response={200: Page[Out], **ERRORS},
        summary=f"List {plural}",
        tags=[res.tag],
        operation_id=f"{op}_list",
    )
    if Filters.model_fields:

        @list_route
        def list_records(request: HttpRequest, params: Query[ListParams], filters: Query[Filters]) -> Any:
            return list_page(request, params, filters.dict(exclude_none=True))

    else:  # a Query of a schema without fields would be a required parameter that no client can send

        @list_route
        def list_unfiltered(request: HttpRequest, params: Query[ListParams]) -> Any:
            return list_page(request, params, {})

    @router.post(
        f"/{res.path}",
        response={201: Out, **ERRORS},
        summary=f"Create a {singular}",
        tags=[res.tag],
        operation_id=f"{op}_create",
    )
    def create_record(request: HttpRequest, payload: CreateIn) -> Any:
        fields = resolve_relations(res.model, payload.dict(exclude_unset=True), res.m2m)
        obj = res.create(actor=request.user, **fields)
        return 201, res.serialize(res.queryset().get(pk=obj.pk), request.user)

    @router.get(
        f"/{res.path}/{{int:pk}}",
        response={200: Out, **ERRORS},
        summary=f"Read a {singular}",
        tags=[res.tag],
        operation_id=f"{op}_read",
    )
    def read_record(request: HttpRequest, pk: int) -> Any:
        return res.serialize(load(request, pk), request.user)

    @router.patch(
        f"/{res.path}/{{int:pk}}",
        response={200: Out, **ERRORS},
        summary=f"Change a {singular}",
        description="Send only the fields to change. Send `version` (from the last read) to be refused with "
        "409 if someone else changed the record since.",
        tags=[res.tag],
        operation_id=f"{op}_update",
    )
    def update_record(request: HttpRequest, pk: int, payload: PatchIn) -> Any:
        obj = load(request, pk)
        data = payload.dict(exclude_unset=True)
        expected_version = data.pop("version", None)
        changes = resolve_relations(res.model, data, res.m2m)
        res.update(actor=request.user, expected_version=expected_version, **{obj_kwarg: obj}, **changes)
        return res.serialize(res.queryset().get(pk=pk), request.user)

    @router.delete(
        f"/{res.path}/{{int:pk}}",
        response={204: None, **ERRORS},
        summary=f"Delete a {singular}",
        tags=[res.tag],
        operation_id=f"{op}_delete",
    )
    def delete_record(request: HttpRequest, pk: int) -> Any:
        obj = load(request, pk)
        res.delete(actor=request.user, **{obj_kwarg: obj})
        return 204, None

    @router.get(
        f"/{res.path}/{{int:pk}}/history",
        response={200: list[AuditEventOut], **ERRORS},
        summary=f"Change history of a {singular}",
        tags=[res.tag],
        operation_id=f"{op}_history",
    )
    def record_history(request: HttpRequest, pk: int) -> Any:
        obj = load(request, pk)
        require(request.user, "view_history", obj)
        return [audit_event_out(e) for e in audit.history_of(obj)[:500]]
