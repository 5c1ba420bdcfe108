"""API of capacity against demand: the heat map (today and, with changes, the what-if beside it), the
over-allocated and under-used cells, and saved what-ifs."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS
from pmo.core.access import can
from pmo.engine import capacity as engine
from pmo.resources import capacity, whatifs
from pmo.resources.models import Person, SavedWhatIf

router = Router(tags=["capacity"])


class ChangesIn(Schema):
    shifts: list[tuple[str, int]] = Field(
        default_factory=list, description='projects moved: [project id, weeks], e.g. ["12", 4] (negative: earlier)'
    )
    add_proposals: list[str] = Field(default_factory=list, description='proposals counted, e.g. "proposal-3"')
    drop_proposals: list[str] = Field(default_factory=list, description="proposals left out")
    remove_people: list[str] = Field(default_factory=list, description="person ids taken out of the pool")
    add_people: list[tuple[str, float]] = Field(
        default_factory=list, description='people added: [role, hours a week], e.g. ["Developer", 40]'
    )


class ViewIn(Schema):
    by: str = Field("role", description="person, role, skill or org_unit")
    unit: str = Field("month", description="month or week")
    start: dt.date | None = Field(None, description="first period (default: this month or week)")
    count: int | None = Field(None, description="number of periods (default 6 months or 13 weeks)")
    include_proposals: bool = Field(True, description="count the role demand of undecided proposals")


class HeatMapQuery(ViewIn):
    saved: int | None = Field(None, description="replay a saved what-if (its view and changes)")
    shift: list[str] = Field(default_factory=list, description='what-if: "<project id>:<weeks>", repeatable')
    add: list[str] = Field(default_factory=list, description="what-if: count a proposal, repeatable")
    drop: list[str] = Field(default_factory=list, description="what-if: leave out a proposal, repeatable")
    remove: list[str] = Field(default_factory=list, description="what-if: without a person, repeatable")
    hire: list[str] = Field(default_factory=list, description='what-if: "<role>:<hours a week>", repeatable')


class PeriodOut(Schema):
    index: int
    label: str
    start: dt.date
    end: dt.date = Field(description="the day after the period")


class CellOut(Schema):
    period: int
    load: int | None = Field(description="demand / capacity in %; 999 where there is demand but no capacity")
    colour: str = Field(description="green, amber, red or none")
    demand: int = Field(description="hours")
    capacity: int = Field(description="hours")


class RowOut(Schema):
    key: str
    label: str
    cells: list[CellOut]


class OverOut(Schema):
    key: str
    label: str
    period: str
    load: int | None
    excess_hours: float
    projects: list[str]


class UnderOut(Schema):
    key: str
    label: str
    period: str
    free_hours: float


class HeatMapOut(Schema):
    view: dict[str, Any]
    periods: list[PeriodOut]
    today: list[RowOut]
    whatif: list[RowOut] | None
    changes: list[str] = Field(description="the what-if's changes in words")
    skipped: list[str] = Field(description="changes that no longer apply (e.g. a proposal decided since)")
    over_allocated: list[OverOut] = Field(description="of the what-if when there is one, else of today")
    under_used: list[UnderOut]


class SavedIn(Schema):
    name: str = Field(max_length=120)
    note: str = ""
    view: ViewIn = Field(default_factory=ViewIn)
    changes: ChangesIn


class SavedOut(Schema):
    id: int
    name: str
    note: str
    owner: str
    created_at: dt.datetime
    view: dict[str, Any]
    changes: dict[str, Any]


def _allowed(request: HttpRequest) -> None:
    if not can(request.user, "view", Person):
        raise PermissionDenied("You may not see the pool's capacity.")


def _changes(query: HeatMapQuery) -> capacity.WhatIf:
    shifts, hires = [], []
    for raw in query.shift:
        project, _, weeks = raw.partition(":")
        shifts.append((project, int(weeks)) if weeks.lstrip("-").isdigit() else (project, 0))
    for raw in query.hire:
        role, _, hours = raw.partition(":")
        hires.append((role, float(hours or 40)))
    return capacity.WhatIf(
        shifts=tuple(s for s in shifts if s[1]),
        add_proposals=tuple(query.add),
        drop_proposals=tuple(query.drop),
        remove_people=tuple(query.remove),
        add_people=tuple(hires),
    )


def heat_map_report(view: whatifs.CapacityView, whatif: capacity.WhatIf) -> dict[str, Any]:
    inputs, labels = capacity.capacity_inputs_kept(
        start=view.start, count=view.count, unit=view.unit, include_proposals=view.include_proposals
    )
    thresholds = engine.Thresholds()
    today = engine.compute(inputs)
    changed = None if whatif.empty else engine.compute(whatif.apply(inputs, labels))
    shown = changed or today
    today_map = engine.heat_map(today, view.by)
    return {
        "view": view.to_json(),
        "periods": [{"index": p.index, "label": p.label, "start": p.start, "end": p.end} for p in today_map.periods],
        "today": capacity.heat_map_rows(today_map, labels, thresholds),
        "whatif": None
        if changed is None
        else capacity.heat_map_rows(engine.heat_map(changed, view.by), labels, thresholds),
        "changes": whatif.describe(labels),
        "skipped": labels.skipped,
        "over_allocated": [
            {
                "key": o.key,
                "label": labels.key(view.by, o.key),
                "period": o.period.label,
                "load": round(100 * o.load) if math.isfinite(o.load) else 999,
                "excess_hours": round(o.excess_hours, 1),
                "projects": sorted({labels.projects.get(c.project_id, c.project_id) for c in o.contributions}),
            }
            for o in engine.over_allocations(shown, view.by, thresholds)
        ],
        "under_used": [
            {
                "key": u.key,
                "label": labels.key(view.by, u.key),
                "period": u.period.label,
                "free_hours": round(u.capacity - u.demand, 1),
            }
            for u in engine.under_used(shown, view.by, thresholds)
        ],
    }


@router.get(
    "/capacity",
    response={200: HeatMapOut, **ERRORS},
    summary="Capacity against demand as a heat map, with an optional what-if beside today",
    operation_id="capacity_heat_map",
)
def heat_map(request: HttpRequest, query: Query[HeatMapQuery]) -> Any:
    _allowed(request)
    if query.saved is not None:
        saved = SavedWhatIf.objects.filter(pk=query.saved).first()
        if saved is None or not can(request.user, "view", saved):
            raise Http404(f"No saved what-if {query.saved}.")
        return heat_map_report(whatifs.CapacityView.from_json(saved.view), capacity.WhatIf.from_json(saved.changes))
    view = whatifs.CapacityView.checked(
        by=query.by, unit=query.unit, start=query.start, count=query.count, include_proposals=query.include_proposals
    )
    return heat_map_report(view, _changes(query))


def saved_out(saved: SavedWhatIf) -> dict[str, Any]:
    return {
        "id": saved.pk,
        "name": saved.name,
        "note": saved.note,
        "owner": saved.owner.get_full_name() or saved.owner.get_username(),
        "created_at": saved.created_at,
        "view": saved.view,
        "changes": saved.changes,
    }


@router.get(
    "/capacity/what-ifs",
    response={200: list[SavedOut], **ERRORS},
    summary="Saved capacity what-ifs, newest first",
    operation_id="capacity_whatif_list",
)
def list_saved(request: HttpRequest) -> Any:
    _allowed(request)
    return [saved_out(s) for s in SavedWhatIf.objects.select_related("owner").order_by("-created_at", "-pk")]


@router.post(
    "/capacity/what-ifs",
    response={201: SavedOut, **ERRORS},
    summary="Save a capacity what-if under a name",
    operation_id="capacity_whatif_create",
)
def create_saved(request: HttpRequest, payload: SavedIn) -> Any:
    _allowed(request)
    view = whatifs.CapacityView.checked(**payload.view.dict())
    saved = whatifs.whatif_save(
        actor=request.user, name=payload.name, view=view, changes=payload.changes.dict(), note=payload.note
    )
    return 201, saved_out(saved)


def _saved(request: HttpRequest, pk: int) -> SavedWhatIf:
    _allowed(request)
    saved = SavedWhatIf.objects.select_related("owner").filter(pk=pk).first()
    if saved is None or not can(request.user, "view", saved):
        raise Http404(f"No saved what-if {pk}.")
    return saved


@router.get(
    "/capacity/what-ifs/{int:pk}",
    response={200: SavedOut, **ERRORS},
    summary="One saved what-if",
    operation_id="capacity_whatif_read",
)
def read_saved(request: HttpRequest, pk: int) -> Any:
    return saved_out(_saved(request, pk))


@router.delete(
    "/capacity/what-ifs/{int:pk}",
    response={204: None, **ERRORS},
    summary="Delete a saved what-if (its owner or the PMO director)",
    operation_id="capacity_whatif_delete",
)
def delete_saved(request: HttpRequest, pk: int) -> Any:
    whatifs.whatif_delete(actor=request.user, whatif=_saved(request, pk))
    return 204, None
