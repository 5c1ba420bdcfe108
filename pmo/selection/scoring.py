"""Scoring models and evaluations: writes (services) and the score table (a read)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F

from pmo.core import audit
from pmo.core.access import can, require
from pmo.core.errors import ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.services import record_create
from pmo.engine.errors import EngineError
from pmo.engine.scoring import normalise
from pmo.engine.selection import ahp_weights
from pmo.selection.models import Criterion, Evaluation, Proposal, ScoringModel
from pmo.selection.selectors import financials

RISK_POINTS = {"low": 1, "medium": 2, "high": 3, "very_high": 4}


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    kind: str = Criterion.Kind.RATED
    direction: str = Criterion.Direction.HIGHER
    weight: Decimal = Decimal("1")
    levels: tuple[str, ...] = ()


def scoring_model_save(
    *,
    actor: Any,
    name: str,
    criteria: Sequence[CriterionSpec],
    model: ScoringModel | None = None,
    description: str = "",
    evaluators: Iterable[Any] = (),
) -> ScoringModel:
    """Create or redefine a scoring model with its criteria (direct weights)."""
    errors: dict[str, str] = {}
    if not criteria:
        errors["criteria"] = "Give the model at least one criterion."
    names = [c.name.strip() for c in criteria]
    if len(set(names)) != len(names) or any(not n for n in names):
        errors["criteria"] = "Each criterion needs a name of its own."
    for c in criteria:
        if c.kind not in Criterion.Kind.values:
            errors["criteria"] = f"{c.name}: unknown kind {c.kind!r}."
        if c.direction not in Criterion.Direction.values:
            errors["criteria"] = f"{c.name}: direction must be higher or lower."
        if c.weight < 0:
            errors["criteria"] = f"{c.name}: weights cannot be negative."
    if criteria and sum(c.weight for c in criteria) <= 0:
        errors["criteria"] = "At least one criterion needs a weight above 0."
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if model is None:
            model = record_create(
                actor=actor,
                model=ScoringModel,
                fields={"name": name, "description": description},
                allowed=("name", "description"),
            )
        else:
            require(actor, "change", model)
            before = {"criteria": [f"{c.name} ({c.weight:g})" for c in model.criteria.all()]}
            model.name, model.description = name, description
            model.weighting = ScoringModel.Weighting.DIRECT
            model.ahp_matrix, model.consistency_ratio = [], None
            model.version = F("version") + 1
            model.save()
            model.refresh_from_db()
        model.criteria.all().delete()
        Criterion.objects.bulk_create(
            Criterion(
                model=model,
                position=i,
                name=c.name.strip(),
                kind=c.kind,
                direction=c.direction,
                weight=c.weight,
                levels=list(c.levels),
            )
            for i, c in enumerate(criteria)
        )
        model.evaluators.set(list(evaluators))
        if "before" in locals():
            audit.record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                obj=model,
                before=before,
                after={"criteria": [f"{c.name} ({c.weight:g})" for c in model.criteria.all()]},
            )
    return model


def scoring_model_set_ahp(*, actor: Any, model: ScoringModel, matrix: list[list[float]]) -> ScoringModel:
    """Derive the criteria weights from a pairwise comparison matrix (criteria in order). A consistency
    ratio above 0.1 is refused: the comparisons contradict each other too much to trust the weights."""
    require(actor, "change", model)
    criteria = list(model.criteria.all())
    if len(matrix) != len(criteria) or any(len(row) != len(criteria) for row in matrix):
        raise ValidationFailed(
            {"ahp_matrix": f"Compare all {len(criteria)} criteria with each other ({len(criteria)} x {len(criteria)})."}
        )
    try:
        result = ahp_weights(matrix, labels=[c.name for c in criteria])
    except EngineError as error:
        raise ValidationFailed({"ahp_matrix": str(error)}) from error
    if result.refused:
        hint = ""
        if result.most_inconsistent is not None and result.suggested_value is not None:
            i, j = result.most_inconsistent
            hint = (
                f" The comparison of {criteria[i].name} with {criteria[j].name} disagrees most; "
                f"about {result.suggested_value:.2g} would fit the others."
            )
        raise ValidationFailed(
            {
                "ahp_matrix": (
                    f"The consistency ratio is {result.consistency_ratio:.2f}, above 0.10: some comparisons "
                    "contradict others (if A beats B and B beats C, A should beat C by more)."
                    + hint
                    + " The weights were not changed."
                )
            }
        )
    with transaction.atomic():
        before = {c.name: f"{c.weight:.4f}" for c in criteria}
        for criterion, weight in zip(criteria, result.weights, strict=True):
            criterion.weight = Decimal(str(round(weight, 4)))
        Criterion.objects.bulk_update(criteria, ["weight"])
        model.weighting = ScoringModel.Weighting.AHP
        model.ahp_matrix = matrix
        model.consistency_ratio = round(result.consistency_ratio, 4)
        model.version = F("version") + 1
        model.save()
        model.refresh_from_db()
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=model,
            before=before,
            after={c.name: f"{c.weight:.4f}" for c in criteria},
            comment=f"AHP weights, consistency ratio {model.consistency_ratio:.3f}",
        )
    return model


def evaluation_record(
    *, actor: Any, proposal: Proposal, model: ScoringModel, ratings: dict[Criterion, tuple[int, str]]
) -> None:
    """An evaluator's ratings of a proposal on the model's rated criteria (replacing earlier ones)."""
    if not (model.evaluators.filter(pk=actor.pk).exists() or can(actor, "evaluate", proposal)):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("You are not an evaluator of this scoring model.")
    if proposal.state not in (Proposal.State.SUBMITTED, Proposal.State.UNDER_EVALUATION):
        raise ValidationFailed({"state": "Only submitted proposals and proposals under evaluation are scored."})
    errors = {c.name: "Rate from 1 to 5." for c, (rating, _) in ratings.items() if not 1 <= rating <= 5}
    errors |= {
        c.name: "Not a rated criterion of this model." for c in ratings if c.model_id != model.pk or c.kind != "rated"
    }
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        for criterion, (rating, comment) in ratings.items():
            Evaluation.objects.update_or_create(
                proposal=proposal,
                criterion=criterion,
                evaluator=actor,
                defaults={"rating": rating, "comment": comment[:500]},
            )
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=proposal,
            before={},
            after={f"score {c.name}": str(r) for c, (r, _) in ratings.items()},
            comment=f"Evaluated with '{model.name}'",
        )


# --- the score table --------------------------------------------------------------------------------


@dataclass
class CriterionScore:
    criterion: Criterion
    raw: float | None
    normalised: float | None  # 0..1, 1 = best among the candidates
    weighted: float
    spread: float | None = None  # standard deviation between evaluators (rated criteria)
    ratings: int = 0


@dataclass
class ScoreRow:
    proposal: Proposal
    score: float  # 0..100
    parts: list[CriterionScore] = field(default_factory=list)
    missing_evaluators: list[str] = field(default_factory=list)
    rank: int = 0


def _raw_value(kind: str, proposal: Proposal, money: Any) -> float | None:
    if kind == "npv":
        return float(money.npv) if money.npv is not None else None
    if kind == "irr":
        return money.irr
    if kind == "payback":
        return money.payback_years
    if kind == "total_cost":
        return float(money.total_cost)
    if kind == "total_benefit":
        return float(money.total_benefit)
    if kind == "strategic_fit":
        return float(sum(c.rating for c in proposal.contributions.all()))
    if kind == "risk":
        return float(RISK_POINTS.get(proposal.risk_level, 2))
    return None


def score_table(model: ScoringModel, proposals: Sequence[Proposal]) -> list[ScoreRow]:
    """Proposals scored and ranked with the model: each criterion normalised to 0..1 across the candidates
    (min-max; rated criteria on their 1-5 scale), turned by its direction, weighted; total 0..100."""
    criteria = list(model.criteria.all())
    total_weight = float(sum(c.weight for c in criteria)) or 1.0
    evaluators = list(model.evaluators.order_by("username"))
    ratings: dict[tuple[int, int], list[int]] = defaultdict(list)
    rated_by: dict[int, set[int]] = defaultdict(set)
    for e in Evaluation.objects.filter(proposal__in=proposals, criterion__model=model):
        ratings[(e.proposal_id, e.criterion_id)].append(e.rating)
        rated_by[e.proposal_id].add(e.evaluator_id)
    money = {p.pk: financials(p) for p in proposals}
    raw: dict[int, dict[int, float | None]] = {}
    for p in proposals:
        raw[p.pk] = {}
        for c in criteria:
            if c.kind == Criterion.Kind.RATED:
                values = ratings.get((p.pk, c.pk), [])
                raw[p.pk][c.pk] = statistics.fmean(values) if values else None
            else:
                raw[p.pk][c.pk] = _raw_value(c.kind, p, money[p.pk])
    normalised: dict[int, list[float | None]] = {}
    for c in criteria:
        column = [raw[p.pk][c.pk] for p in proposals]
        scale = (1.0, 5.0) if c.kind == Criterion.Kind.RATED else None
        normalised[c.pk] = normalise(column, higher_is_better=c.direction == "higher", scale=scale)
    rows = []
    for index, p in enumerate(proposals):
        parts = []
        total = 0.0
        for c in criteria:
            value = normalised[c.pk][index]
            weighted = (value or 0.0) * float(c.weight) / total_weight * 100
            total += weighted
            values = ratings.get((p.pk, c.pk), [])
            parts.append(
                CriterionScore(
                    criterion=c,
                    raw=raw[p.pk][c.pk],
                    normalised=value,
                    weighted=round(weighted, 2),
                    spread=round(statistics.pstdev(values), 2) if len(values) > 1 else (0.0 if values else None),
                    ratings=len(values),
                )
            )
        missing = [u.get_full_name() or u.get_username() for u in evaluators if u.pk not in rated_by[p.pk]]
        rows.append(ScoreRow(proposal=p, score=round(total, 2), parts=parts, missing_evaluators=missing))
    rows.sort(key=lambda r: (-r.score, r.proposal.code))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return rows
