"""Saved capacity what-ifs: a named view of the heat map and the changes tried on it, kept so that a
resource manager can come back to it, show it to a portfolio board, or compare it again next week (it is
replayed on that day's plans). Saving or deleting one never touches a plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from pmo.core.access import require
from pmo.core.errors import ValidationFailed
from pmo.core.services import record_create, record_delete
from pmo.resources.capacity import GROUPS, WhatIf
from pmo.resources.models import SavedWhatIf

MAX_MONTHS = 36
MAX_WEEKS = 104


@dataclass(frozen=True)
class CapacityView:
    """What the heat map shows: grouping, period unit, first period (None: this month or week), how many
    periods, and whether undecided proposals count."""

    by: str = "role"
    unit: str = "month"
    start: dt.date | None = None
    count: int = 6
    include_proposals: bool = True

    @classmethod
    def checked(
        cls,
        *,
        by: str = "role",
        unit: str = "month",
        start: dt.date | str | None = None,
        count: int | None = None,
        include_proposals: bool = True,
    ) -> CapacityView:
        """The view, or ValidationFailed naming each wrong field."""
        errors = {}
        if by not in GROUPS:
            errors["by"] = f"Group by one of {', '.join(GROUPS)}."
        if unit not in ("month", "week"):
            errors["unit"] = "Use month or week."
        first = None
        if isinstance(start, str) and start:
            try:
                first = dt.date.fromisoformat(start if len(start) > 7 else f"{start}-01")
            except ValueError:
                errors["start"] = "Give the first period as YYYY-MM or YYYY-MM-DD."
        elif isinstance(start, dt.date):
            first = start
        limit = MAX_MONTHS if unit == "month" else MAX_WEEKS
        periods = count if count is not None else (6 if unit == "month" else 13)
        if not 1 <= periods <= limit:
            errors["count"] = f"Show between 1 and {limit} {unit}s."
        if errors:
            raise ValidationFailed(errors)
        return cls(by, unit, first, periods, include_proposals)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CapacityView:
        return cls.checked(
            by=str(data.get("by", "role")),
            unit=str(data.get("unit", "month")),
            start=data.get("start") or None,
            count=int(data["count"]) if data.get("count") is not None else None,
            include_proposals=bool(data.get("include_proposals", True)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "unit": self.unit,
            "start": self.start.isoformat() if self.start else None,
            "count": self.count,
            "include_proposals": self.include_proposals,
        }


def _checked_changes(changes: Mapping[str, Any]) -> WhatIf:
    try:
        whatif = WhatIf.from_json(changes)
    except (TypeError, ValueError) as error:
        raise ValidationFailed({"changes": f"Not a what-if: {error}."}) from error
    errors = {}
    if whatif.empty:
        errors["changes"] = "Try at least one change before saving the what-if."
    if any(not -52 <= weeks <= 52 for _, weeks in whatif.shifts):
        errors["changes"] = "Move a project by at most 52 weeks either way."
    if any(not 0 < hours <= 80 for _, hours in whatif.add_people):
        errors["changes"] = "A person added works between 1 and 80 hours a week."
    if errors:
        raise ValidationFailed(errors)
    return whatif


@transaction.atomic
def whatif_save(
    *, actor: Any, name: str, view: CapacityView, changes: Mapping[str, Any], note: str = ""
) -> SavedWhatIf:
    """Keep a what-if under a name (unique among the actor's own what-ifs)."""
    require(actor, "add", SavedWhatIf(owner_id=getattr(actor, "pk", None)))
    name = name.strip()
    if not name:
        raise ValidationFailed({"name": "Give the what-if a name."})
    whatif = _checked_changes(changes)
    if SavedWhatIf.objects.filter(owner_id=actor.pk, name__iexact=name).exists():
        raise ValidationFailed({"name": f"You already have a what-if called {name!r}."})
    return record_create(
        actor=actor,
        model=SavedWhatIf,
        fields={
            "name": name,
            "owner": actor,
            "view": view.to_json(),
            "changes": whatif.to_json(),
            "note": note.strip(),
        },
        allowed=("name", "owner", "view", "changes", "note"),
    )


def whatif_delete(*, actor: Any, whatif: SavedWhatIf) -> None:
    record_delete(actor=actor, obj=whatif)


def whatif_query(saved: SavedWhatIf) -> str:
    """The capacity page's address parameters that show the saved what-if again."""
    from urllib.parse import urlencode

    view = CapacityView.from_json(saved.view)
    whatif = WhatIf.from_json(saved.changes)
    params: list[tuple[str, str]] = [("by", view.by), ("unit", view.unit), ("count", str(view.count))]
    if view.start:
        params.append(("start", view.start.strftime("%Y-%m")))
    params.append(("proposals", "on" if view.include_proposals else "off"))
    params += [("shift", f"{p}:{w}") for p, w in whatif.shifts]
    params += [("add", p) for p in whatif.add_proposals] + [("drop", p) for p in whatif.drop_proposals]
    params += [("remove", p) for p in whatif.remove_people]
    params += [("hire", f"{r}:{h:g}") for r, h in whatif.add_people]
    params.append(("saved", str(saved.pk)))
    return urlencode(params)
