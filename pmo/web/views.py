"""Generic record pages and the few pages that belong to no area (home, account)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms import ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pmo.core import audit
from pmo.core.access import can, person_id_of, require, roles_of
from pmo.core.errors import DomainError, StaleVersion, ValidationFailed
from pmo.core.models import ApiToken, AuditEvent
from pmo.core.services import token_create, token_revoke
from pmo.web.areas import Area, Column, Section

PER_PAGE = 25


def render_cell(column: Column, obj: Any) -> dict[str, Any]:
    value = column.value(obj)
    return {"value": value, "kind": column.kind, "link": column.link}


def render_section(section: Section) -> dict[str, Any]:
    """A detail-page section as plain data, so templates never call Python objects."""
    return {
        "title": section.title,
        "empty": section.empty,
        "headers": [{"label": c.label, "kind": c.kind} for c in section.columns],
        "rows": [
            {
                "url": section.url_of(row) if section.url_of else None,
                "cells": [render_cell(c, row) for c in section.columns],
            }
            for row in section.rows
        ],
    }


def _load(area: Area, user: Any, pk: int) -> Any:
    obj = area.scope(area.queryset(), user).filter(pk=pk).first()
    if obj is None or not can(user, "view", obj):
        raise Http404(f"No {area.singular} with id {pk}.")
    return obj


def _querystring(params: dict[str, str], **changes: Any) -> str:
    merged = {**params, **{k: v for k, v in changes.items()}}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


@login_required
def record_list(request: HttpRequest, area: Area) -> HttpResponse:
    require(request.user, "view", area.model)
    qs = area.scope(area.queryset(), request.user)
    params = {k: v for k, v in request.GET.items() if k not in ("page", "export")}
    search = request.GET.get("q", "").strip()
    if search:
        condition = Q()
        for name in area.search_fields:
            condition |= Q(**{f"{name}__icontains": search})
        qs = qs.filter(condition)
    active_filters = []
    for spec in area.filters:
        if spec.requires and not can(request.user, spec.requires, area.model):
            continue
        value = request.GET.get(spec.name, "")
        choices = spec.choices()
        if value and value in {c for c, _ in choices}:
            qs = qs.filter(**{spec.lookup: value})
        active_filters.append({"spec": spec, "value": value, "choices": choices})
    columns = area.columns_for(request.user) if area.columns_for else area.columns
    sortable = {c.sort for c in columns if c.sort}
    sort = request.GET.get("sort", area.default_sort)
    if sort.lstrip("-") not in sortable:
        sort = area.default_sort
    qs = qs.order_by(sort, "pk")
    from pmo.reporting.exports import export_response, requested_format

    export = requested_format(request)
    if export:
        # CSV / Excel of every row the filters select (not only this page), with the columns the user sees.
        return export_response(area.title, columns, qs, export)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    headers = []
    for column in columns:
        header: dict[str, Any] = {"label": column.label, "kind": column.kind}
        if column.sort:
            descending = sort == column.sort
            header["url"] = "?" + _querystring(params, sort=("-" if descending else "") + column.sort)
            header["sorted"] = "asc" if sort == column.sort else "desc" if sort == "-" + column.sort else ""
        headers.append(header)
    rows = [
        {"url": reverse(f"{area.key}-detail", args=[obj.pk]), "cells": [render_cell(c, obj) for c in columns]}
        for obj in page.object_list
    ]
    return render(
        request,
        "web/list.html",
        {
            "area": area,
            "headers": headers,
            "rows": rows,
            "page": page,
            "search": search,
            "filters": active_filters,
            "filtered": bool(search or any(f["value"] for f in active_filters)),
            "page_query": _querystring(params),
            "export_csv": "?" + _querystring(params, export="csv"),
            "export_xlsx": "?" + _querystring(params, export="xlsx"),
            "can_add": can(request.user, "add", area.model),
        },
    )


@login_required
def record_detail(request: HttpRequest, area: Area, pk: int) -> HttpResponse:
    obj = _load(area, request.user, pk)
    context = {
        "area": area,
        "obj": obj,
        "facts": area.facts(obj, request.user),
        "sections": [render_section(s) for s in area.sections(obj, request.user)],
        "can_change": can(request.user, "change", obj),
        "can_delete": can(request.user, "delete", obj),
        "can_view_history": can(request.user, "view_history", obj),
        "history": _readable(area, audit.history_of(obj)[:5]) if can(request.user, "view_history", obj) else [],
        **area.extra(obj, request.user),
    }
    return render(request, area.detail_template, context)


def _save_form(request: HttpRequest, area: Area, form: Any, obj: Any | None) -> Any | None:
    """Hand the cleaned form to the area's service; service errors become form errors."""
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    expected_version = data.pop("version", None)
    m2m = {name: data.pop(name) for name in list(data) if isinstance(form.fields.get(name), ModelMultipleChoiceField)}
    try:
        if obj is None:
            return area.create(actor=request.user, **data, **m2m)
        return area.update(
            actor=request.user, expected_version=expected_version, **{area.obj_kwarg: obj}, **data, **m2m
        )
    except ValidationFailed as error:
        for name, msgs in error.fields.items():
            for msg in msgs:
                form.add_error(name if name in form.fields else None, msg)
    except StaleVersion as error:
        _show_conflict(form, obj, data, m2m, error)
    except DomainError as error:
        form.add_error(None, error.message)
    return None


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple | set) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return ", ".join(sorted(str(v) for v in items)) or "—"
    return str(value)


def _show_conflict(form: Any, obj: Any, data: dict[str, Any], m2m: dict[str, Any], error: StaleVersion) -> None:
    """Someone saved the record since this form was opened: say so, list the fields where what is saved now
    differs from what this person typed, and arm the form with the current version, so that saving again
    is a deliberate choice to overwrite."""
    current = type(obj).objects.get(pk=obj.pk)

    def readable(name: str, value: Any) -> str:
        choices = dict(getattr(current._meta.get_field(name), "flatchoices", None) or ())
        return _shown(choices.get(value, value))

    form.conflict = [
        (form.fields[name].label or name, readable(name, mine), readable(name, getattr(current, name)))
        for name, mine in {**data, **m2m}.items()
        if name in form.fields and _shown(mine) != _shown(getattr(current, name))
    ]
    form.add_error(None, f"{error.message} Check what changed below; saving again keeps your values.")
    form.data = form.data.copy()
    form.data["version"] = str(current.version)


@login_required
def record_create(request: HttpRequest, area: Area) -> HttpResponse:
    require(request.user, "add", area.model)
    if request.method == "POST":
        form = area.form(request.POST)
        created = _save_form(request, area, form, None)
        if created is not None:
            messages.success(request, f"{area.singular.capitalize()} {created} created.")
            return HttpResponseRedirect(reverse(f"{area.key}-detail", args=[created.pk]))
    else:
        form = area.form(initial=area.initial(request.user, request.GET.dict()))
    return render(request, "web/form.html", {"area": area, "form": form, "obj": None})


@login_required
def record_edit(request: HttpRequest, area: Area, pk: int) -> HttpResponse:
    obj = _load(area, request.user, pk)
    require(request.user, "change", obj)
    # The form works on its own copy: ModelForm validation writes into its instance, and the service
    # must see the record as it is in the database to audit the change.
    form_instance = area.queryset().get(pk=pk)
    if request.method == "POST":
        form = area.form(request.POST, instance=form_instance)
        saved = _save_form(request, area, form, obj)
        if saved is not None:
            messages.success(request, f"{area.singular.capitalize()} {saved} saved.")
            return HttpResponseRedirect(reverse(f"{area.key}-detail", args=[pk]))
    else:
        form = area.form(instance=form_instance, initial={"version": obj.version})
    return render(request, "web/form.html", {"area": area, "form": form, "obj": obj})


@login_required
@require_POST
def record_delete(request: HttpRequest, area: Area, pk: int) -> HttpResponse:
    obj = _load(area, request.user, pk)
    try:
        area.delete(actor=request.user, **{area.obj_kwarg: obj})
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse(f"{area.key}-detail", args=[pk]))
    messages.success(request, f"{area.singular.capitalize()} {obj} deleted.")
    return HttpResponseRedirect(reverse(f"{area.key}-list"))


@login_required
def record_history(request: HttpRequest, area: Area, pk: int) -> HttpResponse:
    obj = _load(area, request.user, pk)
    require(request.user, "view_history", obj)
    page = Paginator(audit.history_of(obj), 50).get_page(request.GET.get("page"))
    events = _readable(area, page.object_list)
    return render(request, "web/history.html", {"area": area, "obj": obj, "page": page, "events": events})


def _readable(area: Area, events: Any) -> list[dict[str, Any]]:
    return [{"event": e, "rows": audit.readable_changes(area.model, e.changes)} for e in events]


# --- pages outside the areas -------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from pmo.portfolio.models import Health, LifecycleState, Portfolio, Project

    user = request.user
    context: dict[str, Any] = {"roles": sorted(r.value for r in roles_of(user))}
    if can(user, "view", Project):
        by_state = dict(Project.objects.values_list("state").annotate(n=Count("pk")))
        context["states"] = [
            {"key": s.value, "label": s.label, "count": by_state.get(s.value, 0)} for s in LifecycleState
        ]
        context["project_total"] = sum(by_state.values())
        if can(user, "view_financials", Project):
            by_health = dict(
                Project.objects.exclude(state__in=["closed", "cancelled"]).values_list("health").annotate(n=Count("pk"))
            )
            context["health"] = [{"key": h.value, "label": h.label, "count": by_health.get(h.value, 0)} for h in Health]
        person = person_id_of(user)
        if person is not None:
            context["my_projects"] = list(
                Project.objects.filter(Q(manager_id=person) | Q(sponsor_id=person))
                .select_related("portfolio")
                .order_by("code")[:12]
            )
        context["portfolios"] = list(
            Portfolio.objects.annotate(
                n_projects=Count("projects"),
                n_red=Count("projects", filter=Q(projects__health="red")),
            ).order_by("name")
        )
    if any(r.value != "Requester" for r in roles_of(user)):
        context["recent"] = list(AuditEvent.objects.select_related("content_type")[:10])
    return render(request, "web/home.html", context)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                days = (request.POST.get("expires_in_days") or "").strip()
                if days and not days.isdigit():
                    raise ValidationFailed({"expires_in_days": "Give a number of days, or leave it empty."})
                _token, new_token = token_create(
                    user=request.user,
                    name=request.POST.get("name", ""),
                    scope=request.POST.get("scope", "read"),
                    expires_in_days=int(days) if days else None,
                )
                messages.success(request, "Token created. Copy it now: it will not be shown again.")
            elif action == "revoke":
                token_revoke(user=request.user, token_id=int(request.POST.get("token_id", "0")))
                messages.success(request, "Token revoked.")
                return HttpResponseRedirect(reverse("account"))
        except ValidationFailed as error:
            messages.error(request, " ".join(m for msgs in error.fields.values() for m in msgs))
        except ValueError:
            messages.error(request, "No such token.")  # another user's token: 404 (token_revoke)
    return render(
        request,
        "web/account.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user),
            "new_token": new_token,
            "roles": sorted(r.value for r in roles_of(request.user)),
        },
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if isinstance(exception, PermissionDenied) and str(exception) else ""
    return render(request, "web/403.html", {"message": message}, status=403)
