"""The RAG rules: thresholds are strict (a CPI of exactly 0.95 is still green), the worst metric decides a
dimension, the worst dimension decides the overall RAG, and an unmeasured dimension is not judged."""

import doctest
from decimal import Decimal

import pmo.changes.rag
from pmo.changes.rag import Rule, default_thresholds, rate, reasons, suggest_rag


def test_doctests_run() -> None:
    assert doctest.testmod(pmo.changes.rag).failed == 0


def test_lower_is_worse_boundaries() -> None:
    rules = default_thresholds()
    assert rate("cpi", 0.95, rules) == ("green", None)
    assert rate("cpi", 0.9499, rules) == ("amber", Decimal("0.950"))
    assert rate("cpi", 0.90, rules) == ("amber", Decimal("0.950"))
    assert rate("cpi", 0.8999, rules) == ("red", Decimal("0.900"))
    assert rate("spi_t", 1.2, rules) == ("green", None)


def test_higher_is_worse_boundaries() -> None:
    rules = default_thresholds()
    assert rate("milestone_slip_days", 5, rules) == ("green", None)
    assert rate("milestone_slip_days", 5.5, rules) == ("amber", Decimal("5.000"))
    assert rate("milestone_slip_days", 10, rules) == ("amber", Decimal("5.000"))
    assert rate("milestone_slip_days", 10.01, rules) == ("red", Decimal("10.000"))
    assert rate("open_high_issues", 1, rules) == ("amber", Decimal("0.000"))
    assert rate("open_high_issues", 3, rules) == ("red", Decimal("2.000"))


def test_suggestion_takes_the_worst() -> None:
    rules = {**default_thresholds(), "cpi": Rule(Decimal("0.98"), Decimal("0.95"))}
    metrics = {
        "spi": 0.97,
        "spi_t": 0.93,
        "cpi": 0.96,
        "milestone_slip_days": 0,
        "open_high_issues": 3,
        "pending_changes": 0,
    }
    assert suggest_rag(metrics, rules) == {
        "schedule": "amber",
        "cost": "amber",
        "scope": "green",
        "risk": "red",
        "overall": "red",
    }
    assert reasons(metrics, rules) == {
        "schedule": ["SPI(t) 0.93 < 0.95 (amber)"],
        "cost": ["CPI 0.96 < 0.98 (amber)"],
        "risk": ["Open critical/high issues 3 > 2 (red)"],
    }


def test_nothing_measured_suggests_nothing() -> None:
    assert suggest_rag({}, default_thresholds()) == {
        "schedule": None,
        "cost": None,
        "scope": None,
        "risk": None,
        "overall": None,
    }
