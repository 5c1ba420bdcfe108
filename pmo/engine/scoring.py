"""Normalising criterion values for scoring when some candidates are not scored yet.

(Weights by AHP and complete panel scoring live in :mod:`pmo.engine.selection`.)

>>> normalise([10.0, 20.0, None, 30.0], higher_is_better=False)
[1.0, 0.5, None, 0.0]
"""

from __future__ import annotations

from collections.abc import Sequence


def normalise(
    values: Sequence[float | None], *, higher_is_better: bool = True, scale: tuple[float, float] | None = None
) -> list[float | None]:
    """Map values to 0..1 where 1 is best: min-max over the values given, or over a fixed `scale` (e.g. 1..5
    ratings); None stays None (not scored yet). All equal values score 1.

    >>> normalise([1.0, 3.0, 5.0], scale=(1.0, 5.0))
    [0.0, 0.5, 1.0]
    >>> normalise([4.0, 4.0])
    [1.0, 1.0]
    """
    known = [v for v in values if v is not None]
    if not known:
        return [None for _ in values]
    low, high = scale if scale is not None else (min(known), max(known))
    span = high - low
    result: list[float | None] = []
    for v in values:
        if v is None:
            result.append(None)
            continue
        share = 1.0 if span == 0 else min(1.0, max(0.0, (v - low) / span))
        result.append(round(share if higher_is_better else 1.0 - share, 6))
    return result
