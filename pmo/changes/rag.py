"""Red, amber, green: how a metric compares with its thresholds, and the RAG a status report suggests.

Pure functions (no database) so that the rules are easy to read and to test:

>>> rules = default_thresholds()
>>> rate("cpi", 0.93, rules)
('amber', Decimal('0.950'))
>>> suggest_rag({"spi": 0.97, "cpi": 0.88, "milestone_slip_days": 12}, rules)["overall"]
'red'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Metrics where a LOWER value is worse (indices); the others are worse when HIGHER (days, counts).
LOWER_IS_WORSE = frozenset({"spi", "cpi", "spi_t"})

# Which metrics judge which dimension of a status report.
DIMENSION_METRICS: dict[str, tuple[str, ...]] = {
    "schedule": ("spi", "spi_t", "milestone_slip_days", "dependency_slip_days"),
    "cost": ("cpi",),
    "scope": ("pending_changes",),
    "risk": ("open_high_issues",),
}
ORDER = {"green": 0, "amber": 1, "red": 2}


@dataclass(frozen=True)
class Rule:
    amber: Decimal
    red: Decimal

    def describe(self, metric: str) -> tuple[str, str]:
        sign = "<" if metric in LOWER_IS_WORSE else ">"
        return f"{sign} {self.amber.normalize():f}", f"{sign} {self.red.normalize():f}"


DEFAULTS: dict[str, tuple[str, str]] = {
    "spi": ("0.95", "0.90"),
    "cpi": ("0.95", "0.90"),
    "spi_t": ("0.95", "0.90"),
    "milestone_slip_days": ("5", "10"),
    "open_high_issues": ("0", "2"),
    "pending_changes": ("1", "3"),
    "dependency_slip_days": ("0", "10"),
}


def default_thresholds() -> dict[str, Rule]:
    """CPI, SPI and SPI(t) below 0.95 amber, below 0.90 red; milestones more than 5 working days late amber,
    more than 10 red; any open critical or high issue amber, more than 2 red; more than 1 change request
    awaiting a decision amber, more than 3 red; a deliverable of another project forecast later than the
    date this project needs it amber, more than 10 days later red."""
    return {
        metric: Rule(Decimal(a).quantize(Decimal("0.001")), Decimal(r).quantize(Decimal("0.001")))
        for metric, (a, r) in DEFAULTS.items()
    }


def rate(metric: str, value: Any, thresholds: Mapping[str, Rule]) -> tuple[str, Decimal | None]:
    """The colour of one metric value and the threshold it crossed (None when green or not judged).

    >>> rate("milestone_slip_days", 10, default_thresholds())
    ('amber', Decimal('5.000'))
    >>> rate("milestone_slip_days", 11, default_thresholds())
    ('red', Decimal('10.000'))
    >>> rate("spi", None, default_thresholds())
    ('green', None)
    """
    rule = thresholds.get(metric)
    if rule is None or value is None:
        return "green", None
    number = Decimal(str(value))
    if metric in LOWER_IS_WORSE:
        if number < rule.red:
            return "red", rule.red
        if number < rule.amber:
            return "amber", rule.amber
    else:
        if number > rule.red:
            return "red", rule.red
        if number > rule.amber:
            return "amber", rule.amber
    return "green", None


def worst(colours: list[str | None]) -> str | None:
    known = [c for c in colours if c]
    return max(known, key=ORDER.__getitem__) if known else None


def suggest_rag(metrics: Mapping[str, Any], thresholds: Mapping[str, Rule]) -> dict[str, str | None]:
    """The RAG per dimension (schedule, cost, scope, risk) and overall (the worst of them) that the metrics
    suggest; a dimension none of whose metrics is known is None (the project manager judges it alone).

    >>> suggest_rag({"spi": 0.93, "cpi": 1.02, "open_high_issues": 0}, default_thresholds())
    {'schedule': 'amber', 'cost': 'green', 'scope': None, 'risk': 'green', 'overall': 'amber'}
    """
    result: dict[str, str | None] = {}
    for dimension, names in DIMENSION_METRICS.items():
        known = [name for name in names if metrics.get(name) is not None]
        result[dimension] = worst([rate(name, metrics[name], thresholds)[0] for name in known]) if known else None
    result["overall"] = worst([result[d] for d in DIMENSION_METRICS])
    return result


def reasons(metrics: Mapping[str, Any], thresholds: Mapping[str, Rule]) -> dict[str, list[str]]:
    """Why each dimension is not green, in words: {"cost": ["CPI 0.88 < 0.9"]}."""
    labels = {
        "spi": "SPI",
        "cpi": "CPI",
        "spi_t": "SPI(t)",
        "milestone_slip_days": "Milestone slip",
        "open_high_issues": "Open critical/high issues",
        "pending_changes": "Changes awaiting decision",
        "dependency_slip_days": "Late deliverable of another project (days)",
    }
    out: dict[str, list[str]] = {}
    for dimension, names in DIMENSION_METRICS.items():
        for name in names:
            colour, threshold = rate(name, metrics.get(name), thresholds)
            if threshold is not None:
                sign = "<" if name in LOWER_IS_WORSE else ">"
                value = Decimal(str(metrics[name])).normalize()
                out.setdefault(dimension, []).append(
                    f"{labels[name]} {value:f} {sign} {threshold.normalize():f} ({colour})"
                )
    return out
