"""Risk scales, scores, ratings, expected exposure and the heat-map grid: plain Python, no database.

A portfolio rates its risks on its own scales: a probability scale and an impact scale of n levels each
(5 by default). A risk's score is its probability level times its impact level (1 to 25 on 5x5). Its
rating follows from the portfolio's escalation score: critical from it, high from two thirds of it,
medium from a third, low below.

>>> scales = default_scales()
>>> [scales.rating(s) for s in (4, 5, 9, 10, 14, 15, 25)]
['low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']
>>> scales.exposure(probability=4, impact=3)
(Decimal('90000.00'), Decimal('12.0'))
>>> scales.exposure(probability=4, impact=3, cost=Decimal("50000"), days=10)
(Decimal('30000.00'), Decimal('6.0'))
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

RATINGS = ("low", "medium", "high", "critical")
MIN_LEVELS, MAX_LEVELS = 3, 10
DEFAULT_ESCALATION_SCORE = 15


@dataclass(frozen=True)
class ProbabilityLevel:
    level: int
    label: str
    percent: Decimal  # the chance the level stands for (the middle of its band); used for exposure


@dataclass(frozen=True)
class ImpactLevel:
    level: int
    label: str
    money: Decimal  # an impact up to this cost ...
    days: int  # ... or up to this delay (calendar days) falls in this level; used for exposure


DEFAULT_PROBABILITY = (
    ProbabilityLevel(1, "Very low (under 10 %)", Decimal("5")),
    ProbabilityLevel(2, "Low (10-30 %)", Decimal("20")),
    ProbabilityLevel(3, "Medium (30-50 %)", Decimal("40")),
    ProbabilityLevel(4, "High (50-70 %)", Decimal("60")),
    ProbabilityLevel(5, "Very high (over 70 %)", Decimal("85")),
)
DEFAULT_IMPACT = (
    ImpactLevel(1, "Very low", Decimal("10000"), 5),
    ImpactLevel(2, "Low", Decimal("50000"), 10),
    ImpactLevel(3, "Medium", Decimal("150000"), 20),
    ImpactLevel(4, "High", Decimal("500000"), 40),
    ImpactLevel(5, "Very high", Decimal("1000000"), 60),
)


@dataclass(frozen=True)
class Scales:
    probability: tuple[ProbabilityLevel, ...]
    impact: tuple[ImpactLevel, ...]
    escalation_score: int = DEFAULT_ESCALATION_SCORE

    @property
    def max_score(self) -> int:
        return len(self.probability) * len(self.impact)

    def probability_of(self, level: int) -> ProbabilityLevel:
        return self.probability[level - 1]

    def impact_of(self, level: int) -> ImpactLevel:
        return self.impact[level - 1]

    def rating(self, score: int | None) -> str:
        """ "low", "medium", "high" or "critical" ("" without a score)."""
        if not score:
            return ""
        if score >= self.escalation_score:
            return "critical"
        if score >= math.ceil(self.escalation_score * 2 / 3):
            return "high"
        if score >= math.ceil(self.escalation_score / 3):
            return "medium"
        return "low"

    def exposure(
        self, *, probability: int, impact: int, cost: Decimal | None = None, days: int | None = None
    ) -> tuple[Decimal, Decimal]:
        """Expected cost and delay: the probability level's percentage times the cost and days if it happens
        (the risk's own estimate, or else the impact level's threshold)."""
        share = self.probability_of(probability).percent / 100
        level = self.impact_of(impact)
        money = share * (cost if cost is not None else level.money)
        delay = share * Decimal(days if days is not None else level.days)
        return money.quantize(Decimal("0.01")), delay.quantize(Decimal("0.1"))

    def check_levels(self, probability: int | None, impact: int | None) -> dict[str, str]:
        """Errors (by field) for levels outside the scales; {} when both are on them (or not given)."""
        errors = {}
        if probability is not None and not 1 <= probability <= len(self.probability):
            errors["probability"] = f"Choose a probability level from 1 to {len(self.probability)}."
        if impact is not None and not 1 <= impact <= len(self.impact):
            errors["impact"] = f"Choose an impact level from 1 to {len(self.impact)}."
        return errors


def default_scales() -> Scales:
    return Scales(DEFAULT_PROBABILITY, DEFAULT_IMPACT, DEFAULT_ESCALATION_SCORE)


def validate_scales(scales: Scales) -> dict[str, str]:
    """What is wrong with a portfolio's scales, by field ({} when they are fine).

    >>> validate_scales(default_scales())
    {}
    >>> bad = Scales(DEFAULT_PROBABILITY[:2], DEFAULT_IMPACT, 30)
    >>> sorted(validate_scales(bad).items())  # doctest: +NORMALIZE_WHITESPACE
    [('escalation_score', 'Give a score from 1 to 10 (probability levels x impact levels).'),
     ('probability', 'Give 3 to 10 levels.')]
    """
    errors: dict[str, str] = {}
    for name, levels in (("probability", scales.probability), ("impact", scales.impact)):
        if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
            errors[name] = f"Give {MIN_LEVELS} to {MAX_LEVELS} levels."
        elif [lv.level for lv in levels] != list(range(1, len(levels) + 1)):
            errors[name] = "Number the levels 1, 2, 3 ... from the lowest."
        elif any(not lv.label.strip() for lv in levels):
            errors[name] = "Give every level a label."
    percents = [p.percent for p in scales.probability]
    if "probability" not in errors and (
        any(not 0 < p <= 100 for p in percents) or any(b <= a for a, b in itertools.pairwise(percents))
    ):
        errors["probability"] = "Each level's percentage is above the level before it, up to 100."
    if "impact" not in errors:
        money = [i.money for i in scales.impact]
        days = [i.days for i in scales.impact]
        if any(m < 0 for m in money) or any(d < 0 for d in days):
            errors["impact"] = "Costs and days are zero or more."
        elif any(b < a for a, b in itertools.pairwise(money)) or any(b < a for a, b in itertools.pairwise(days)):
            errors["impact"] = "Each level's cost and days are at least those of the level before it."
    if not 1 <= scales.escalation_score <= scales.max_score:
        errors["escalation_score"] = f"Give a score from 1 to {scales.max_score} (probability levels x impact levels)."
    return errors


@dataclass(frozen=True)
class Cell:
    probability: int
    impact: int
    score: int
    rating: str
    count: int


def heat_map(scales: Scales, points: Iterable[tuple[int, int]]) -> list[list[Cell]]:
    """The probability x impact grid with the number of risks in each cell: one row per probability level,
    the highest first (the way the grid is drawn), one cell per impact level from the lowest.

    >>> grid = heat_map(default_scales(), [(4, 5), (4, 5), (1, 1)])
    >>> [(c.probability, c.impact, c.score, c.rating, c.count) for c in grid[1] if c.count]
    [(4, 5, 20, 'critical', 2)]
    >>> grid[-1][0].count, grid[-1][0].rating
    (1, 'low')
    """
    counts: dict[tuple[int, int], int] = {}
    for point in points:
        counts[point] = counts.get(point, 0) + 1
    return [
        [
            Cell(
                p.level, i.level, p.level * i.level, scales.rating(p.level * i.level), counts.get((p.level, i.level), 0)
            )
            for i in scales.impact
        ]
        for p in reversed(scales.probability)
    ]


def trend(scores: Sequence[int]) -> str:
    """How the score moved at the last re-rating: "up", "down", "steady", or "new" (rated once).

    >>> trend([6]), trend([6, 12]), trend([12, 6]), trend([6, 12, 12])
    ('new', 'up', 'down', 'steady')
    """
    if len(scores) < 2:
        return "new"
    if scores[-1] > scores[-2]:
        return "up"
    if scores[-1] < scores[-2]:
        return "down"
    return "steady"
