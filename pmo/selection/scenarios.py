"""Scenarios: save a selection's assumptions, run the optimiser as a background task, copy, compare, approve."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django_tasks import task as background_task

from pmo.core import audit
from pmo.core.access import require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.services import record_create
from pmo.engine.errors import EngineError
from pmo.selection import optimisation
from pmo.selection.models import Proposal, Scenario

SCENARIO_FIELDS = (
    "name",
    "portfolio",
    "scoring_model",
    "objective",
    "budget_per_year",
    "capacity_per_role",
    "time_limit_s",
    "frontier_points",
    "include_running",
    "spread_starts",
)


def _clean_numbers(mapping: Any, field: str) -> dict[str, float]:
    if not isinstance(mapping, dict):
        raise ValidationFailed({field: "Give name: amount pairs."})
    cleaned = {}
    for key, value in mapping.items():
        try:
            number = float(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            raise ValidationFailed({field: f"{key}: {value!r} is not a number."}) from None
        if number < 0:
            raise ValidationFailed({field: f"{key}: cannot be negative."})
        cleaned[str(key).strip()] = number
    return cleaned


def scenario_save(
    *,
    actor: Any,
    scenario: Scenario | None = None,
    forced_in: list[Proposal] | None = None,
    forced_out: list[Proposal] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Scenario:
    """Create or change a scenario's assumptions; a changed scenario has to be run again."""
    unknown = sorted(set(fields) - set(SCENARIO_FIELDS))
    if unknown:
        raise ValidationFailed({name: "This field cannot be set here." for name in unknown})
    if "budget_per_year" in fields:
        fields["budget_per_year"] = _clean_numbers(fields["budget_per_year"], "budget_per_year")
        if any(not key.isdigit() for key in fields["budget_per_year"]):
            raise ValidationFailed({"budget_per_year": "Years are written as four digits, e.g. 2027."})
    if "capacity_per_role" in fields:
        fields["capacity_per_role"] = _clean_numbers(fields["capacity_per_role"], "capacity_per_role")
    both = {p.pk for p in forced_in or []} & {p.pk for p in forced_out or []}
    if both:
        raise ValidationFailed({"forced_in": "A proposal cannot be both forced in and forced out."})
    m2m = {k: v for k, v in (("forced_in", forced_in), ("forced_out", forced_out)) if v is not None}
    with transaction.atomic():
        if scenario is None:
            scenario = record_create(
                actor=actor,
                model=Scenario,
                fields={**fields, "created_by": actor if getattr(actor, "pk", None) else None},
                allowed=(*SCENARIO_FIELDS, "created_by"),
                m2m=m2m or None,
            )
        else:
            from pmo.core.services import record_update

            if scenario.status == Scenario.Status.APPROVED:
                raise Conflict("An approved scenario is a decision on record; copy it to try other assumptions.")
            scenario = record_update(
                actor=actor,
                obj=scenario,
                changes=fields,
                allowed=SCENARIO_FIELDS,
                m2m=m2m or None,
                expected_version=expected_version,
            )
            Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.DRAFT, result={}, message="")
            scenario.refresh_from_db()
    return scenario


def scenario_delete(*, actor: Any, scenario: Scenario) -> None:
    """Delete a scenario that is not the record of a decision."""
    from pmo.core.services import record_delete

    if scenario.status == Scenario.Status.APPROVED:
        raise Conflict("An approved scenario is a decision on record and is kept.")
    record_delete(actor=actor, obj=scenario)


def scenario_copy(*, actor: Any, scenario: Scenario, name: str) -> Scenario:
    return scenario_save(
        actor=actor,
        name=name,
        portfolio=scenario.portfolio,
        scoring_model=scenario.scoring_model,
        objective=scenario.objective,
        budget_per_year=dict(scenario.budget_per_year),
        capacity_per_role=dict(scenario.capacity_per_role),
        time_limit_s=scenario.time_limit_s,
        frontier_points=scenario.frontier_points,
        include_running=scenario.include_running,
        spread_starts=scenario.spread_starts,
        forced_in=list(scenario.forced_in.all()),
        forced_out=list(scenario.forced_out.all()),
    )


def scenario_run(*, actor: Any, scenario: Scenario) -> Scenario:
    """Queue the optimisation (a background task; the page shows its progress)."""
    require(actor, "change", scenario)
    if scenario.status == Scenario.Status.APPROVED:
        raise Conflict("This scenario is approved; copy it to run it again.")
    Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.RUNNING, progress=5, message="Queued…")
    transaction.on_commit(lambda: run_scenario.enqueue(scenario.pk))
    scenario.refresh_from_db()
    return scenario


@background_task()
def run_scenario(scenario_id: int) -> None:
    scenario = Scenario.objects.get(pk=scenario_id)
    Scenario.objects.filter(pk=scenario_id).update(progress=20, message="Optimising…")
    try:
        problem = optimisation.build_problem(scenario)
        result = optimisation.solve(
            problem, time_limit_s=scenario.time_limit_s, frontier_points=scenario.frontier_points
        )
    except (EngineError, ValidationFailed) as error:
        Scenario.objects.filter(pk=scenario_id).update(
            status=Scenario.Status.FAILED, progress=100, message=str(getattr(error, "message", error))[:255]
        )
        return
    Scenario.objects.filter(pk=scenario_id).update(
        status=Scenario.Status.DONE,
        progress=100,
        result={**result, "problem": problem},
        message=f"{len(result.get('selected', []))} proposals selected.",
    )


def _month_start(label: str | None) -> dt.date | None:
    if not label:
        return None
    year, month = label.split("-")
    return dt.date(int(year), int(month), 1)


def scenario_approve(*, actor: Any, scenario: Scenario, project_codes: dict[str, str], comment: str = "") -> list[Any]:
    """Approve a solved scenario: each selected proposal becomes a project (codes given per proposal code,
    starting in the month the scenario chose), each other proposal is rejected with the scenario named, and
    each running project left out gets a note in its history asking for a stop review; all in one
    transaction, audited."""
    from pmo.selection import services

    require(actor, "approve_selection", scenario)
    if scenario.status != Scenario.Status.DONE:
        raise Conflict("Run the scenario and review its result before approving it.")
    selected = set(scenario.result.get("selected", []))
    starts = scenario.result.get("starts", {})
    candidates = {c.id: c for c in optimisation.scenario_candidates(scenario)}
    new = {cid: c for cid, c in candidates.items() if c.project_code is None}
    missing = sorted(code for code in selected & set(new) if not project_codes.get(code, "").strip())
    if missing:
        raise ValidationFailed({"project_codes": f"Give a project code for {', '.join(missing)}."})
    projects = []
    with transaction.atomic():
        for code, cand in sorted(candidates.items()):
            proposal = cand.proposal
            if cand.project_code is not None:
                if code not in selected and proposal.project is not None:
                    audit.record(
                        actor=actor,
                        action=AuditEvent.Action.UPDATE,
                        obj=proposal.project,
                        before=None,
                        after=None,
                        comment=f"Not selected in scenario '{scenario.name}': review whether to stop it.",
                    )
                continue
            if proposal.state == Proposal.State.SUBMITTED:
                services.proposal_transition(actor=actor, proposal=proposal, to_state="under_evaluation")
            if code in selected:
                projects.append(
                    services.proposal_approve_into_project(
                        actor=actor,
                        proposal=proposal,
                        code=project_codes[code].strip(),
                        comment=comment or f"Selected in scenario '{scenario.name}'.",
                        start=_month_start(starts.get(code)),
                    )
                )
            else:
                services.proposal_transition(
                    actor=actor,
                    proposal=proposal,
                    to_state="rejected",
                    comment=f"Not selected in scenario '{scenario.name}'.",
                )
        before = audit.snapshot(scenario)
        scenario.status = Scenario.Status.APPROVED
        scenario.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=scenario,
            before=before,
            after=audit.snapshot(scenario),
            comment=comment,
        )
    return projects
