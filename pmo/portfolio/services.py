"""Writes for strategy, portfolios, programs and projects: one function per use case."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from pmo.core.access import require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.services import record_create, record_delete, record_update
from pmo.portfolio import lifecycle
from pmo.portfolio.models import LifecycleState, Portfolio, Program, Project, StrategicObjective

OBJECTIVE_FIELDS = ("code", "name", "description", "owner", "target_year", "active")
PORTFOLIO_FIELDS = ("code", "name", "description", "manager", "active")
PROGRAM_FIELDS = ("code", "name", "description", "portfolio", "manager")
PROJECT_FIELDS = (
    "code",
    "name",
    "description",
    "charter",
    "portfolio",
    "program",
    "sponsor",
    "manager",
    "org_unit",
    "methodology",
    "planned_start",
    "planned_finish",
    "budget",
    "currency",
    "priority",
    "health",
)


def _m2m(objectives: Iterable[StrategicObjective] | None) -> dict[str, list[StrategicObjective]] | None:
    return None if objectives is None else {"objectives": list(objectives)}


# --- strategic objectives ----------------------------------------------------------------------


def objective_create(*, actor: Any, **fields: Any) -> StrategicObjective:
    return record_create(actor=actor, model=StrategicObjective, fields=fields, allowed=OBJECTIVE_FIELDS)


def objective_update(
    *, actor: Any, objective: StrategicObjective, expected_version: int | None = None, **changes: Any
) -> StrategicObjective:
    return record_update(
        actor=actor,
        obj=objective,
        changes=changes,
        allowed=OBJECTIVE_FIELDS,
        expected_version=expected_version,
    )


def objective_delete(*, actor: Any, objective: StrategicObjective) -> None:
    record_delete(actor=actor, obj=objective)


# --- portfolios ----------------------------------------------------------------------------------


def portfolio_create(*, actor: Any, objectives: Iterable[StrategicObjective] | None = None, **fields: Any) -> Portfolio:
    return record_create(actor=actor, model=Portfolio, fields=fields, allowed=PORTFOLIO_FIELDS, m2m=_m2m(objectives))


def portfolio_update(
    *,
    actor: Any,
    portfolio: Portfolio,
    expected_version: int | None = None,
    objectives: Iterable[StrategicObjective] | None = None,
    **changes: Any,
) -> Portfolio:
    return record_update(
        actor=actor,
        obj=portfolio,
        changes=changes,
        allowed=PORTFOLIO_FIELDS,
        expected_version=expected_version,
        m2m=_m2m(objectives),
    )


def portfolio_delete(*, actor: Any, portfolio: Portfolio) -> None:
    record_delete(actor=actor, obj=portfolio)


# --- programs ------------------------------------------------------------------------------------


def program_create(*, actor: Any, objectives: Iterable[StrategicObjective] | None = None, **fields: Any) -> Program:
    return record_create(actor=actor, model=Program, fields=fields, allowed=PROGRAM_FIELDS, m2m=_m2m(objectives))


def program_update(
    *,
    actor: Any,
    program: Program,
    expected_version: int | None = None,
    objectives: Iterable[StrategicObjective] | None = None,
    **changes: Any,
) -> Program:
    with transaction.atomic():
        if "portfolio" in changes and changes["portfolio"] != program.portfolio:
            if program.projects.exists():
                raise ValidationFailed(
                    {"portfolio": "Move the program's projects first: a program and its projects share a portfolio."}
                )
            require(actor, "add", Program(portfolio=changes["portfolio"]))
        return record_update(
            actor=actor,
            obj=program,
            changes=changes,
            allowed=PROGRAM_FIELDS,
            expected_version=expected_version,
            m2m=_m2m(objectives),
        )


def program_delete(*, actor: Any, program: Program) -> None:
    record_delete(actor=actor, obj=program)


# --- projects ------------------------------------------------------------------------------------


def _check_project_rules(fields: Mapping[str, Any], current: Project | None = None) -> None:
    def value(name: str) -> Any:
        return fields[name] if name in fields else getattr(current, name, None)

    errors: dict[str, str] = {}
    program, portfolio = value("program"), value("portfolio")
    if program is not None and portfolio is not None and program.portfolio_id != portfolio.pk:
        errors["program"] = f"Program {program} belongs to portfolio {program.portfolio}, not {portfolio}."
    start, finish = value("planned_start"), value("planned_finish")
    if start and finish and finish < start:
        errors["planned_finish"] = "The planned finish cannot be before the planned start."
    if errors:
        raise ValidationFailed(errors)


def project_create(
    *,
    actor: Any,
    objectives: Iterable[StrategicObjective] | None = None,
    state: str = LifecycleState.PROPOSED,
    **fields: Any,
) -> Project:
    """Register a project. A new idea starts as proposed; registering one already further along the
    lifecycle (say, moved from another tool) takes the approval right."""
    if state not in LifecycleState.values:
        raise ValidationFailed({"state": f"Unknown state {state!r}."})
    _check_project_rules(fields)
    if state != LifecycleState.PROPOSED:
        require(actor, "approve", Project(**fields))
    return record_create(
        actor=actor,
        model=Project,
        fields={**fields, "state": state},
        allowed=(*PROJECT_FIELDS, "state"),
        m2m=_m2m(objectives),
    )


def project_update(
    *,
    actor: Any,
    project: Project,
    expected_version: int | None = None,
    objectives: Iterable[StrategicObjective] | None = None,
    **changes: Any,
) -> Project:
    """Change a project's data. The lifecycle state moves only through `project_transition`."""
    if "state" in changes:
        raise ValidationFailed({"state": "Change the state through a lifecycle transition."})
    require(actor, "change", project)
    _check_project_rules(changes, current=project)
    if "portfolio" in changes and changes["portfolio"] != project.portfolio:
        # Moving a project into a portfolio is adding it there.
        require(actor, "add", Project(portfolio=changes["portfolio"], manager=project.manager))
    return record_update(
        actor=actor,
        obj=project,
        changes=changes,
        allowed=PROJECT_FIELDS,
        expected_version=expected_version,
        m2m=_m2m(objectives),
    )


def project_transition(
    *, actor: Any, project: Project, to_state: str, comment: str = "", expected_version: int | None = None
) -> Project:
    """Move a project along its lifecycle; the step must be allowed from its current state."""
    if to_state not in LifecycleState.values:
        raise ValidationFailed({"to_state": f"Unknown state {to_state!r}."})
    source = project.state
    if to_state not in lifecycle.next_states(source):
        allowed = ", ".join(lifecycle.next_states(source)) or "none (it is final)"
        raise Conflict(
            f"A project cannot go from {LifecycleState(source).label} to {LifecycleState(to_state).label}. "
            f"Allowed next states: {allowed}.",
            details={"state": source, "allowed": list(lifecycle.next_states(source))},
        )
    if to_state == LifecycleState.CANCELLED and not comment.strip():
        raise ValidationFailed({"comment": "Say why the project is cancelled."})
    if source == LifecycleState.CLOSING and to_state == LifecycleState.CLOSED:
        # The closure comes first: its report and the lessons-learned session (pmo.knowledge).
        from pmo.knowledge.selectors import closure_missing_for_project

        missing = closure_missing_for_project(project)
        if missing:
            raise Conflict(
                f"{project} cannot be closed before its closure is complete: " + "; ".join(missing) + ".",
                details={"state": source, "missing": missing},
            )
    return record_update(
        actor=actor,
        obj=project,
        changes={"state": to_state},
        allowed=("state",),
        expected_version=expected_version,
        comment=comment.strip(),
        action=lifecycle.permission_for(source, to_state),
    )


def project_delete(*, actor: Any, project: Project) -> None:
    record_delete(actor=actor, obj=project)
