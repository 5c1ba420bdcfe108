"""The columns of the stakeholders pages' CSV/Excel exports (pmo.reporting.exports.list_exports): one list per
table of the page, its rows as the page shows them, money only where the page shows money."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pmo.stakeholders import selectors

Columns = list[tuple[str, Callable[[Any], Any]]]


def _pct(progress: float | None) -> int | None:
    """A 0..1 progress as the page's whole percent."""
    return None if progress is None else round(progress * 100)


def _due_status(today: dt.date) -> Callable[[Any], str]:
    return lambda i: "overdue" if selectors.is_overdue(i, today) else "due"


# --- the overview -----------------------------------------------------------------------------------------

REGISTERS: Columns = [
    ("Code", lambda r: r["obj"].code),
    ("Name", lambda r: r["obj"].name),
    ("Kind", lambda r: str(r["kind"])),
    ("Stakeholders", lambda r: r["stakeholders"]),
    ("Due (14 days)", lambda r: r["due"]),
    ("Overdue", lambda r: r["overdue"]),
]


def my_due(today: dt.date) -> Columns:
    return [
        ("Due", lambda i: i.next_due),
        ("Status", _due_status(today)),
        ("What", lambda i: i.what),
        ("Register", lambda i: i.scope.code),
        ("Channel", lambda i: i.get_channel_display()),
    ]


def all_due(today: dt.date) -> Columns:
    return [
        ("Due", lambda i: i.next_due),
        ("Status", _due_status(today)),
        ("What", lambda i: i.what),
        ("Register", lambda i: i.scope.code),
        ("Sender", lambda i: str(i.sender or "")),
    ]


# --- a register and its communication plan ----------------------------------------------------------------


def register(kind: str) -> Columns:
    """The register's stakeholders, as (number, stakeholder): the number is their dot on the grid."""
    columns: Columns = [("#", lambda p: p[0]), ("Name", lambda p: p[1].name)]
    if kind == "program":  # the programme's page lists its projects' stakeholders too
        columns.append(("Project", lambda p: p[1].project.code if p[1].project_id else ""))
    return [
        *columns,
        ("Organisation", lambda p: p[1].organisation),
        ("Role", lambda p: p[1].role),
        ("Interest", lambda p: p[1].interest),
        ("Influence", lambda p: p[1].influence),
        ("Approach", lambda p: p[1].quadrant.capitalize()),
        ("Engagement now", lambda p: p[1].get_current_engagement_display()),
        ("Engagement wanted", lambda p: p[1].get_desired_engagement_display()),
        ("Gap", lambda p: p[1].engagement_gap),
        ("Relationship owner", lambda p: str(p[1].relationship_owner or "")),
    ]


def plan(kind: str) -> Columns:
    columns: Columns = [("What", lambda r: r["item"].what)]
    if kind != "project":
        columns.append(("Project", lambda r: r["item"].project.code if r["item"].project_id else ""))

    def audience(r: dict[str, Any]) -> str:
        names = ", ".join(s.name for s in r["item"].stakeholders.all())
        groups = r["item"].audience_groups
        return "; ".join(part for part in (names, groups) if part)

    def next_due(r: dict[str, Any]) -> Any:
        item = r["item"]
        return item.next_due or ("done" if not item.active else None)

    return [
        *columns,
        ("Audience", audience),
        ("Channel", lambda r: r["item"].get_channel_display()),
        ("Frequency", lambda r: r["item"].get_frequency_display()),
        ("Sender", lambda r: str(r["item"].sender or "")),
        ("Next due", next_due),
        ("Overdue", lambda r: r["overdue"]),
        ("Active", lambda r: r["item"].active),
        ("Last sent", lambda r: r["log"][0].sent_on if r["log"] else "never"),
    ]


def due(today: dt.date) -> Columns:
    return [
        ("Due", lambda i: i.next_due),
        ("Status", _due_status(today)),
        ("What", lambda i: i.what),
        ("Channel", lambda i: i.get_channel_display()),
        ("Sender", lambda i: str(i.sender or "")),
    ]


LOG: Columns = [
    ("Sent on", lambda e: e.sent_on),
    ("What", lambda e: e.item.what),
    ("By", lambda e: e.sent_by_name),
    ("Note", lambda e: e.note),
]

SURVEYS: Columns = [
    ("Period", lambda r: r.survey.period),
    ("Answers", lambda r: r.count),
    ("Average", lambda r: r.average),
    ("Status", lambda r: "open" if r.survey.is_open else "closed"),
]


# --- benefits ---------------------------------------------------------------------------------------------


def benefits(financial: bool) -> Columns:
    """A project's benefits (its Benefits page): value and realised value only for those who see money."""
    columns: Columns = [
        ("Benefit", lambda r: r.benefit.name),
        ("KPI", lambda r: r.benefit.kpi),
        ("Unit", lambda r: r.benefit.unit),
        ("Baseline", lambda r: r.benefit.baseline_value),
        ("Target", lambda r: r.benefit.target_value),
        ("Target date", lambda r: r.benefit.target_date),
        ("Behind", lambda r: r.overdue),
        ("Latest", lambda r: r.latest_value),
        ("Latest on", lambda r: r.latest_on),
        ("Progress (%)", lambda r: r.progress_pct),
    ]
    if financial:
        columns += [("Value", lambda r: r.benefit.financial_value), ("Realised", lambda r: r.realised_value)]
    return [*columns, ("Owner", lambda r: str(r.benefit.owner or ""))]


def rollup(head: str) -> Columns:
    """A roll-up table of the benefits realisation page (by portfolio, programme or objective)."""
    return [
        (head, lambda g: g.key.code),
        ("Name", lambda g: g.key.name),
        ("Projects", lambda g: len(g.lines)),
        ("Closed", lambda g: g.closed_count),
        ("Currency", lambda g: g.currency),
        ("Planned", lambda g: g.planned_value),
        ("Realised", lambda g: g.realised_value),
        ("Realised of planned (%)", lambda g: g.progress_pct),
    ]


PROJECTS: Columns = [
    ("Code", lambda ln: ln.code),
    ("Project", lambda ln: ln.name),
    ("State", lambda ln: ln.state_label),
    ("Benefits", lambda ln: ln.benefit_count),
    ("Measured", lambda ln: ln.measured_count),
    ("Currency", lambda ln: ln.currency),
    ("Planned", lambda ln: ln.planned_value),
    ("Realised", lambda ln: ln.realised_value),
    ("Realised of planned (%)", lambda ln: _pct(ln.progress)),
]

PROGRAMME_KPIS: Columns = [  # (programme group, benefit row)
    ("Programme", lambda k: k[0].key.code),
    ("Project", lambda k: k[1].benefit.project.code),
    ("Benefit", lambda k: k[1].benefit.name),
    ("KPI", lambda k: k[1].benefit.kpi),
    ("Unit", lambda k: k[1].benefit.unit),
    ("Baseline", lambda k: k[1].benefit.baseline_value),
    ("Target", lambda k: k[1].benefit.target_value),
    ("Target date", lambda k: k[1].benefit.target_date),
    ("Latest", lambda k: k[1].latest_value),
    ("Latest on", lambda k: k[1].latest_on),
    ("Progress (%)", lambda k: k[1].progress_pct),
]
