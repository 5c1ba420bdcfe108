"""Business-case arithmetic: net present value, internal rate of return and payback, from yearly cash flows.

Cash flows are per year, year 0 first (usually the investment, negative). Rates are fractions (0.08 = 8 %).

>>> flows = [-1000.0, 300.0, 400.0, 500.0, 200.0]
>>> round(npv(0.08, flows), 2), round(irr(flows) or 0, 4), payback_years(flows)
(164.64, 0.1532, 2.6)
"""

from __future__ import annotations

from collections.abc import Sequence

from pmo.engine.errors import InvalidInputError


def npv(rate: float, cash_flows: Sequence[float]) -> float:
    """Net present value of yearly cash flows at `rate`, year 0 undiscounted.

    >>> npv(0.1, [-100.0, 110.0])
    0.0
    """
    if rate <= -1:
        raise InvalidInputError(f"discount rate must be above -100 %, got {rate:.2%}")
    return round(sum(flow / (1 + rate) ** year for year, flow in enumerate(cash_flows)), 10) + 0.0  # no -0.0


def irr(
    cash_flows: Sequence[float], *, low: float = -0.99, high: float = 10.0, tolerance: float = 1e-10
) -> float | None:
    """The rate at which the NPV is zero, or None when the flows never change sign (no IRR exists) or the
    NPV has no root in [low, high]. Bisection: slower than Newton but never diverges.

    >>> round(irr([-100.0, 60.0, 60.0]) or 0, 6)
    0.130662
    >>> irr([100.0, 50.0]) is None
    True
    """
    if not (any(f < 0 for f in cash_flows) and any(f > 0 for f in cash_flows)):
        return None
    f_low, f_high = npv(low, cash_flows), npv(high, cash_flows)
    if f_low * f_high > 0:
        return None
    for _ in range(300):
        middle = (low + high) / 2
        f_middle = npv(middle, cash_flows)
        if abs(f_middle) < tolerance or high - low < tolerance:
            return middle
        if f_low * f_middle < 0:
            high = middle
        else:
            low, f_low = middle, f_middle
    return (low + high) / 2


def payback_years(cash_flows: Sequence[float]) -> float | None:
    """Years until the cumulative cash flow turns non-negative, interpolated within the year (one decimal);
    None when it never does.

    >>> payback_years([-100.0, 40.0, 40.0, 40.0])
    2.5
    >>> payback_years([-100.0, 10.0]) is None
    True
    """
    cumulative = 0.0
    for year, flow in enumerate(cash_flows):
        before = cumulative
        cumulative += flow
        if cumulative >= 0 and (year > 0 or flow >= 0):
            if year == 0 or flow == 0:
                return float(year)
            return round(year - 1 + (-before / flow), 1)
    return None
