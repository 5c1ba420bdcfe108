"""Writes: a portfolio's risk scales, risks and their re-rating, response actions and the overdue check, a risk
that occurs becoming an issue, and the tasks a risk would hit. Every function checks the caller first, so a
refused call changes nothing, and audits what it writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pmo.changes.models import Issue
from pmo.changes.services import notify
from pmo.core.access import SystemActor, require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.services import record_create, record_delete, record_update
from pmo.portfolio.models import Portfolio, Priority, Program, Project
from pmo.risks import selectors
from pmo.risks.models import Risk, RiskAction, RiskAssessment, RiskScale, RiskTaskImpact, Strategy
from pmo.risks.scales import ImpactLevel, ProbabilityLevel, Scales, validate_scales

THREAT_STRATEGIES = (Strategy.AVOID, Strategy.MITIGATE, Strategy.TRANSFER, Strategy.ACCEPT)
OPPORTUNITY_STRATEGIES = (Strategy.EXPLOIT, Strategy.ENHANCE, Strategy.SHARE, Strategy.ACCEPT)
RISK_FIELDS = (
    "kind",
    "title",
    "cause",
    "event",
    "effect",
    "category",
    "owner",
    "cost_impact",
    "schedule_impact_days",
    "proximity",
    "proximity_date",
    "trigger",
    "strategy",
    "response",
    "shared",
)
RATING_FIELDS = ("probability", "impact", "residual_probability", "residual_impact")
PRIORITY_OF_RATING = {
    "critical": Priority.CRITICAL,
    "high": Priority.HIGH,
    "medium": Priority.MEDIUM,
    "low": Priority.LOW,
}


def _user(actor: Any) -> Any:
    return None if isinstance(actor, SystemActor) or getattr(actor, "pk", None) is None else actor


def _person_user(person: Any) -> Any:
    return person.user if person is not None and person.user_id else None


# --- scales ----------------------------------------------------------------------------------------------


def risk_scales_set(
    *,
    actor: Any,
    portfolio: Portfolio,
    probability: Sequence[Mapping[str, Any]],
    impact: Sequence[Mapping[str, Any]],
    escalation_score: int,
) -> RiskScale:
    """Set a portfolio's probability and impact scales and its escalation score, audited. Refused while an open
    risk of the portfolio is rated on a level the new scales no longer have."""
    current = RiskScale.objects.filter(portfolio=portfolio).first()
    require(actor, "change" if current else "add", current or RiskScale(portfolio=portfolio))
    errors: dict[str, str] = {}
    try:
        scales = Scales(
            tuple(
                ProbabilityLevel(int(p["level"]), str(p.get("label") or "").strip(), Decimal(str(p["percent"])))
                for p in probability
            ),
            tuple(
                ImpactLevel(
                    int(i["level"]), str(i.get("label") or "").strip(), Decimal(str(i["money"])), int(i["days"])
                )
                for i in impact
            ),
            int(escalation_score),
        )
    except (KeyError, ValueError, ArithmeticError, TypeError) as error:
        raise ValidationFailed({"general": f"Give each level a number, a label and its values ({error})."}) from error
    errors.update(validate_scales(scales))
    if errors:
        raise ValidationFailed(errors)
    n_p, n_i = len(scales.probability), len(scales.impact)
    off_scale = selectors.in_portfolio(portfolio).filter(
        Q(probability__gt=n_p) | Q(impact__gt=n_i) | Q(residual_probability__gt=n_p) | Q(residual_impact__gt=n_i),
        status=Risk.Status.OPEN,
    )
    codes = sorted(off_scale.values_list("code", flat=True))
    if codes:
        raise ValidationFailed(
            {"general": f"Re-rate {', '.join(codes[:5])} first: rated on levels the new scales do not have."}
        )
    fields = {
        "escalation_score": scales.escalation_score,
        "probability_levels": [
            {"level": p.level, "label": p.label, "percent": f"{p.percent.normalize():f}"} for p in scales.probability
        ],
        "impact_levels": [
            {"level": i.level, "label": i.label, "money": f"{i.money.normalize():f}", "days": i.days}
            for i in scales.impact
        ],
    }
    with transaction.atomic():
        if current is None:
            return record_create(
                actor=actor, model=RiskScale, fields={"portfolio": portfolio, **fields}, allowed=("portfolio", *fields)
            )
        return record_update(actor=actor, obj=current, changes=fields, allowed=fields.keys())


# --- risks -----------------------------------------------------------------------------------------------


def _next_code() -> str:
    last = Risk.objects.order_by("-id").values_list("code", flat=True).first()
    number = int(last.split("-")[1]) + 1 if last and last.split("-")[-1].isdigit() else 1
    return f"RSK-{number:04d}"


def _check_risk(values: Mapping[str, Any], scales: Scales) -> None:
    """The rules a risk's fields must meet together (raises ValidationFailed naming each field)."""
    errors: dict[str, str] = {}
    kind = values.get("kind") or Risk.Kind.THREAT
    strategy = values.get("strategy") or ""
    if strategy:
        allowed = THREAT_STRATEGIES if kind == Risk.Kind.THREAT else OPPORTUNITY_STRATEGIES
        if strategy not in allowed:
            names = ", ".join(Strategy(s).label.lower() for s in allowed)
            errors["strategy"] = f"For {'a threat' if kind == Risk.Kind.THREAT else 'an opportunity'}: {names}."
    errors.update(scales.check_levels(values.get("probability"), values.get("impact")))
    residual = scales.check_levels(values.get("residual_probability"), values.get("residual_impact"))
    errors.update({f"residual_{name}": msg for name, msg in residual.items()})
    if (values.get("residual_probability") is None) != (values.get("residual_impact") is None):
        errors["residual_impact" if values.get("residual_impact") is None else "residual_probability"] = (
            "Give both the residual probability and the residual impact, or neither."
        )
    if not (values.get("title") or "").strip():
        errors["title"] = "Name the risk."
    if errors:
        raise ValidationFailed(errors)


def _scores(values: Mapping[str, Any]) -> dict[str, Any]:
    rp, ri = values.get("residual_probability"), values.get("residual_impact")
    return {
        "score": values["probability"] * values["impact"],
        "residual_score": rp * ri if rp and ri else None,
    }


def _assess(risk: Risk, *, actor: Any, on: dt.date, note: str) -> RiskAssessment:
    return RiskAssessment.objects.create(
        risk=risk,
        assessed_on=on,
        probability=risk.probability,
        impact=risk.impact,
        score=risk.score,
        residual_probability=risk.residual_probability,
        residual_impact=risk.residual_impact,
        residual_score=risk.residual_score,
        note=note,
        assessed_by=_user(actor),
    )


def _assessed_on(day: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if day is not None and day > today:
        raise ValidationFailed({"assessed_on": "A rating cannot be dated in the future."})
    return day or today


def _notify_escalation(risk: Risk, scales: Scales, was_escalated: bool) -> None:
    """Tell the portfolio manager (and the program manager) when a project risk starts to show at their level."""
    if was_escalated or not selectors.is_escalated(risk, scales):
        return
    project = risk.project
    assert project is not None
    why = "shared" if risk.shared and risk.score < scales.escalation_score else f"score {risk.score}"
    users = [_person_user(project.portfolio.manager)]
    if project.program_id:
        users.append(_person_user(project.program.manager))
    notify(
        users=users,
        message=f"{project.code}: risk {risk.code} escalated ({why}): {risk.title}",
        url=reverse("risk-detail", args=[risk.pk]),
        kind="deviation",
    )


def _owner_of(project: Project | None, program: Program | None, portfolio: Portfolio | None) -> dict[str, Any]:
    given = [o for o in (project, program, portfolio) if o is not None]
    if len(given) != 1:
        raise ValidationFailed({"register": "A risk belongs to exactly one project, program or portfolio."})
    return {"project": project, "program": program, "portfolio": portfolio}


def risk_create(
    *,
    actor: Any,
    project: Project | None = None,
    program: Program | None = None,
    portfolio: Portfolio | None = None,
    probability: int,
    impact: int,
    residual_probability: int | None = None,
    residual_impact: int | None = None,
    affected_projects: Iterable[Project] = (),
    assessed_on: dt.date | None = None,
    note: str = "",
    **fields: Any,
) -> Risk:
    """Add a threat or an opportunity to the register of a project, program or portfolio, rated on the
    portfolio's scales; its first rating starts its history. A project risk at or above the escalation score (or
    shared) notifies the portfolio and program managers."""
    owner = _owner_of(project, program, portfolio)
    ratings = {
        "probability": probability,
        "impact": impact,
        "residual_probability": residual_probability,
        "residual_impact": residual_impact,
    }
    draft = Risk(**owner)
    require(actor, "add", draft)
    scales = selectors.scales_for(draft.owning_portfolio_id)
    _check_risk({**fields, **ratings}, scales)
    day = _assessed_on(assessed_on)
    affected = [p for p in affected_projects if p != project]
    with transaction.atomic():
        risk = record_create(
            actor=actor,
            model=Risk,
            fields={**fields, **owner, **ratings, **_scores(ratings), "code": _next_code()},
            allowed=(
                *RISK_FIELDS,
                *RATING_FIELDS,
                "project",
                "program",
                "portfolio",
                "code",
                "score",
                "residual_score",
            ),
            m2m={"affected_projects": affected} if affected else None,
            comment=note.strip(),
        )
        _assess(risk, actor=actor, on=day, note=note.strip() or "First rating.")
        _notify_escalation(risk, scales, was_escalated=False)
    return risk


def risk_update(
    *,
    actor: Any,
    risk: Risk,
    expected_version: int | None = None,
    affected_projects: Iterable[Project] | None = None,
    **changes: Any,
) -> Risk:
    """Edit a risk's description, owner, estimates, proximity and response, or close or reopen it (a closure
    note says why). The rating changes only through `risk_rate`, so that each one is in the history."""
    status = changes.pop("status", None)
    require(actor, "change", risk)
    unknown = set(changes) - set(RISK_FIELDS) - {"closure_note"}
    if unknown:
        raise ValidationFailed({name: "This field cannot be set here." for name in sorted(unknown)})
    scales = selectors.scales_for(risk.owning_portfolio_id)
    _check_risk({**{f: getattr(risk, f) for f in (*RISK_FIELDS, *RATING_FIELDS)}, **changes}, scales)
    if status is not None and status != risk.status:
        if status == Risk.Status.OCCURRED:
            raise ValidationFailed({"status": "Mark it as occurred: pmo then logs the issue it has become."})
        if status not in Risk.Status.values:
            raise ValidationFailed({"status": "Open or closed."})
        if risk.status == Risk.Status.OCCURRED:
            raise Conflict(f"{risk.code} has occurred: it is followed up as issue #{risk.issue_id}.")
        changes["status"] = status
        changes["closed_on"] = timezone.localdate() if status == Risk.Status.CLOSED else None
    affected = None
    if affected_projects is not None:
        affected = [p for p in affected_projects if p != risk.project]
    was = selectors.is_escalated(risk, scales)
    with transaction.atomic():
        risk = record_update(
            actor=actor,
            obj=risk,
            changes=changes,
            allowed=(*RISK_FIELDS, "closure_note", "status", "closed_on"),
            expected_version=expected_version,
            m2m={"affected_projects": affected} if affected is not None else None,
        )
        _notify_escalation(risk, scales, was_escalated=was)
    return risk


def risk_rate(
    *,
    actor: Any,
    risk: Risk,
    probability: int,
    impact: int,
    residual_probability: int | None = None,
    residual_impact: int | None = None,
    note: str = "",
    assessed_on: dt.date | None = None,
) -> Risk:
    """Re-rate an open risk: its new probability, impact and residual rating become its current rating and a
    new row of its history (the trend). Crossing the escalation score notifies the portfolio and program."""
    require(actor, "rate", risk)
    if risk.status != Risk.Status.OPEN:
        raise Conflict(f"{risk.code} is {risk.get_status_display().lower()}: only open risks are re-rated.")
    ratings = {
        "probability": probability,
        "impact": impact,
        "residual_probability": residual_probability,
        "residual_impact": residual_impact,
    }
    scales = selectors.scales_for(risk.owning_portfolio_id)
    _check_risk({"kind": risk.kind, "strategy": risk.strategy, "title": risk.title, **ratings}, scales)
    day = _assessed_on(assessed_on)
    was = selectors.is_escalated(risk, scales)
    with transaction.atomic():
        risk = record_update(
            actor=actor,
            obj=risk,
            changes={**ratings, **_scores(ratings)},
            allowed=(*RATING_FIELDS, "score", "residual_score"),
            comment=note.strip(),
            action="rate",
        )
        _assess(risk, actor=actor, on=day, note=note.strip())
        _notify_escalation(risk, scales, was_escalated=was)
    return risk


def risk_occur(
    *,
    actor: Any,
    risk: Risk,
    project: Project | None = None,
    note: str = "",
    due_date: dt.date | None = None,
) -> Issue:
    """The threat has happened: log it as an issue of its project (for a program or portfolio risk, of the
    affected project given), priority from its rating, owned by the risk's owner; the risk is marked occurred
    and keeps the link to the issue."""
    from pmo.changes import services as changes

    require(actor, "occur", risk)
    if risk.kind != Risk.Kind.THREAT:
        raise Conflict(f"{risk.code} is an opportunity: close it when it is realised.")
    if risk.status != Risk.Status.OPEN:
        raise Conflict(f"{risk.code} is {risk.get_status_display().lower()}, not open.")
    target = risk.project or project
    if target is None:
        raise ValidationFailed({"project": "Choose the project where it happened."})
    in_scope = target.portfolio_id == risk.owning_portfolio_id and (
        risk.program_id is None or target.program_id == risk.program_id
    )
    if risk.project_id is None and not (in_scope or risk.affected_projects.filter(pk=target.pk).exists()):
        raise ValidationFailed({"project": f"{target.code} is not among the projects this risk affects."})
    scales = selectors.scales_for(risk.owning_portfolio_id)
    description = "\n\n".join(
        part
        for part in (
            f"Risk {risk.code} occurred.",
            f"Cause: {risk.cause}" if risk.cause else "",
            f"Effect: {risk.effect}" if risk.effect else "",
            f"Planned response: {risk.response}" if risk.response else "",
            note.strip(),
        )
        if part
    )
    with transaction.atomic():
        issue = changes.issue_create(
            actor=actor,
            project=target,
            title=risk.title,
            description=description,
            owner=risk.owner,
            priority=PRIORITY_OF_RATING.get(scales.rating(risk.score), Priority.MEDIUM),
            due_date=due_date,
        )
        record_update(
            actor=actor,
            obj=risk,
            changes={"status": Risk.Status.OCCURRED, "occurred_on": timezone.localdate(), "issue": issue},
            allowed=("status", "occurred_on", "issue"),
            comment=note.strip() or f"Occurred: logged as issue #{issue.pk}.",
            action="occur",
        )
    return issue


# --- actions ---------------------------------------------------------------------------------------------

ACTION_FIELDS = ("description", "owner", "due_date", "status")


def _action_status_fields(status: str | None, current: RiskAction | None) -> dict[str, Any]:
    if status is None or (current is not None and current.status == status):
        return {}
    return {"completed_on": timezone.localdate() if status == RiskAction.Status.DONE else None}


def risk_action_create(*, actor: Any, risk: Risk, **fields: Any) -> RiskAction:
    """A response action on a risk: what, who, by when."""
    require(actor, "add", RiskAction(risk=risk))
    if not (fields.get("description") or "").strip():
        raise ValidationFailed({"description": "Say what is to be done."})
    if risk.status != Risk.Status.OPEN:
        raise Conflict(f"{risk.code} is {risk.get_status_display().lower()}: it takes no new actions.")
    extra = _action_status_fields(fields.get("status"), None)
    with transaction.atomic():
        return record_create(
            actor=actor,
            model=RiskAction,
            fields={**fields, **extra, "risk": risk},
            allowed=(*ACTION_FIELDS, "risk", "completed_on"),
        )


def risk_action_update(
    *, actor: Any, action: RiskAction, expected_version: int | None = None, **changes: Any
) -> RiskAction:
    """Edit an action (the risk's leads), or move it along (its owner may change its status only). A new due
    date means its owner will be told again should it pass."""
    from pmo.core.access import can

    if not can(actor, "change", action):
        require(actor, "progress", action)
        if set(changes) - {"status"}:
            raise PermissionDenied("You may change only the status of your own action.")
    extra = _action_status_fields(changes.get("status"), action)
    if "due_date" in changes and changes["due_date"] != action.due_date:
        extra["overdue_notified_on"] = None
    if "description" in changes and not (changes["description"] or "").strip():
        raise ValidationFailed({"description": "Say what is to be done."})
    with transaction.atomic():
        return record_update(
            actor=actor,
            obj=action,
            changes={**changes, **extra},
            allowed=(*ACTION_FIELDS, "completed_on", "overdue_notified_on"),
            expected_version=expected_version,
            action="progress",
        )


def risk_actions_check(*, actor: Any, today: dt.date | None = None) -> dict[str, int]:
    """Tell the owner of each overdue response action (an open action of an open risk, past its due date) once:
    the action's owner, or the project's manager when the owner has no sign-in. Running it again the same day,
    or any later day, tells nobody twice; a new due date re-arms it. Returns {"overdue", "notified"}."""
    require(actor, "check", RiskAction())
    today = today or timezone.localdate()
    overdue = selectors.overdue_actions(today)
    notified = 0
    with transaction.atomic():
        pending = list(overdue.filter(overdue_notified_on__isnull=True).select_for_update(of=("self",)))
        for action in pending:
            risk = action.risk
            user = _person_user(action.owner)
            if user is None and risk.project_id:
                user = _person_user(risk.project.manager)
            where = risk.project.code if risk.project_id else risk.code
            notified += notify(
                users=[user],
                message=f"{where}: your action on risk {risk.code} was due {action.due_date:%d %b %Y}: "
                f"{action.description}",
                url=reverse("risk-detail", args=[risk.pk]),
                kind="action",
            )
        RiskAction.objects.filter(pk__in=[a.pk for a in pending]).update(overdue_notified_on=today)
    return {"overdue": overdue.count(), "notified": notified}


# --- task impacts (the input of the Monte Carlo analysis) ---------------------------------------------------


def risk_task_impact_set(*, actor: Any, risk: Risk, task: Any, **values: Any) -> RiskTaskImpact:
    """What the risk would do to one task if it happened: three-point extra days and extra cost (minimum, most
    likely, maximum). The task is in the risk's project or one it affects. Setting it again replaces it."""
    current = RiskTaskImpact.objects.filter(risk=risk, task=task).first()
    require(actor, "change" if current else "add", current or RiskTaskImpact(risk=risk, task=task))
    names = ("min_days", "likely_days", "max_days", "min_cost", "likely_cost", "max_cost")
    unknown = set(values) - set(names)
    if unknown:
        raise ValidationFailed({name: "This field cannot be set here." for name in sorted(unknown)})
    fields = {name: Decimal(str(values.get(name) or 0)) for name in names}
    errors = {}
    projects = {risk.project_id, *risk.affected_projects.values_list("pk", flat=True)} - {None}
    if task.project_id not in projects:
        errors["task"] = "Choose a task of the risk's project or of a project it affects."
    for what in ("days", "cost"):
        low, likely, high = fields[f"min_{what}"], fields[f"likely_{what}"], fields[f"max_{what}"]
        if low < 0:
            errors[f"min_{what}"] = "Zero or more."
        elif not low <= likely <= high:
            errors[f"likely_{what}"] = "Minimum ≤ most likely ≤ maximum."
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if current is None:
            return record_create(
                actor=actor,
                model=RiskTaskImpact,
                fields={**fields, "risk": risk, "task": task},
                allowed=(*names, "risk", "task"),
            )
        return record_update(actor=actor, obj=current, changes=fields, allowed=names)


def risk_task_impact_delete(*, actor: Any, impact: RiskTaskImpact) -> None:
    record_delete(actor=actor, obj=impact)
