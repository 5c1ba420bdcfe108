"""Scoring arithmetic: AHP weights from pairwise comparisons, and normalising criterion values.

>>> result = ahp_weights([[1, 3], [1 / 3, 1]])
>>> [round(w, 2) for w in result.weights], result.consistency_ratio
([0.75, 0.25], 0.0)
>>> normalise([10.0, 20.0, None, 30.0], higher_is_better=False)
[1.0, 0.5, None, 0.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pmo.engine.errors import InvalidInputError

# Saaty's random consistency index by matrix size (n = 1..15).
RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)


@dataclass(frozen=True)
class AhpResult:
    weights: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        """Saaty's rule: a consistency ratio up to 0.10 is acceptable."""
        return self.consistency_ratio <= 0.1


def ahp_weights(matrix: Sequence[Sequence[float]]) -> AhpResult:
    """Weights (summing to 1) from a reciprocal pairwise comparison matrix, by the principal eigenvector,
    with Saaty's consistency ratio. Errors name the offending cell.

    Saaty's textbook example (The Analytic Hierarchy Process, 1980; three criteria, 1-3-5 / 1/3-1-3 /
    1/5-1/3-1) gives weights 0.637, 0.258, 0.105 and a consistency ratio of 0.033:

    >>> r = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    >>> [round(w, 3) for w in r.weights], round(r.consistency_ratio, 3), r.consistent
    ([0.637, 0.258, 0.105], 0.033, True)
    """
    n = len(matrix)
    if n == 0 or any(len(row) != n for row in matrix):
        raise InvalidInputError("the comparison matrix must be square")
    if n > len(RANDOM_INDEX) - 1:
        raise InvalidInputError(f"at most {len(RANDOM_INDEX) - 1} criteria can be compared")
    a = np.array(matrix, dtype=float)
    for i in range(n):
        for j in range(n):
            if not a[i, j] > 0:
                raise InvalidInputError(f"cell ({i + 1}, {j + 1}) must be a positive number")
            if abs(a[i, j] * a[j, i] - 1) > 1e-6:
                raise InvalidInputError(f"cell ({j + 1}, {i + 1}) must be the reciprocal of cell ({i + 1}, {j + 1})")
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)
    weights = vector / vector.sum()
    lambda_max = float(values[k].real)
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n] if n > 2 else 0.0
    return AhpResult(tuple(float(w) for w in weights), lambda_max, max(ci, 0.0), round(max(cr, 0.0), 10))


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
