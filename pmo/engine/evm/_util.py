"""Small helpers of the earned-value engine: safe ratios and input checks."""

from __future__ import annotations

import math
from datetime import datetime

from pmo.engine.errors import InvalidInputError


def _ratio(numerator: float, denominator: float | None) -> float | None:
    """``numerator / denominator``, or None when the denominator is None or zero.

    >>> _ratio(1.0, 4.0), _ratio(1.0, 0.0), _ratio(1.0, None)
    (0.25, None, None)
    """
    if denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _finite(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidInputError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def _naive(value: datetime, what: str) -> None:
    if not isinstance(value, datetime):
        raise InvalidInputError(f"{what} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is not None:
        raise InvalidInputError(f"{what} must be a naive datetime (the caller handles time zones)")
