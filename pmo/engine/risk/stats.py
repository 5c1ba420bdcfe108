"""Summaries of simulated samples: percentiles, histogram, S-curve and Spearman rank correlation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Histogram", "Summary", "histogram", "midranks", "s_curve", "spearman", "spearman_rows", "summarise"]


@dataclass(frozen=True, slots=True)
class Summary:
    """Mean, standard deviation, extremes and percentiles of a sample.

    Percentiles interpolate linearly between order statistics (numpy's default method); ``std`` is the
    population standard deviation of the sample.

    >>> summarise([1, 2, 3, 4])
    Summary(mean=2.5, std=1.118033988749895, min=1.0, max=4.0, p10=1.3, p50=2.5, p80=3.4000000000000004, p90=3.7)
    """

    mean: float
    std: float
    min: float
    max: float
    p10: float
    p50: float
    p80: float
    p90: float


def summarise(samples: ArrayLike) -> Summary:
    """The :class:`Summary` of a one-dimensional sample.

    >>> summarise([5.0, 5.0]).p80
    5.0
    """
    x = np.asarray(samples, dtype=np.float64)
    p10, p50, p80, p90 = np.percentile(x, [10, 50, 80, 90])
    return Summary(
        float(x.mean()), float(x.std()), float(x.min()), float(x.max()), float(p10), float(p50), float(p80), float(p90)
    )


@dataclass(frozen=True, slots=True)
class Histogram:
    """Counts of a sample in ``len(counts)`` equal bins; ``edges`` has one more value than ``counts``.

    Every bin is half-open ``[lo, hi)`` except the last, which includes its upper edge.

    >>> histogram([1, 2, 2, 3], bins=2)
    Histogram(edges=(1.0, 2.0, 3.0), counts=(1, 3))
    """

    edges: tuple[float, ...]
    counts: tuple[int, ...]


def histogram(samples: ArrayLike, bins: int = 40) -> Histogram:
    """The :class:`Histogram` of a sample over its range (a constant sample gets ``[v - 0.5, v + 0.5]``).

    >>> histogram([7.0, 7.0], bins=1)
    Histogram(edges=(6.5, 7.5), counts=(2,))
    """
    counts, edges = np.histogram(np.asarray(samples, dtype=np.float64), bins=bins)
    return Histogram(tuple(float(e) for e in edges), tuple(int(c) for c in counts))


def s_curve(samples: ArrayLike, points: int = 200) -> tuple[tuple[float, float], ...]:
    """The cumulative distribution of a sample as at most ``points`` points ``(value, P(X <= value))``.

    Values are order statistics evenly spaced in rank, always including the smallest and the largest;
    the probability is the empirical CDF at the value (ties counted), and repeated values appear once.

    >>> s_curve([3.0, 1.0, 2.0, 2.0], points=10)
    ((1.0, 0.25), (2.0, 0.75), (3.0, 1.0))
    >>> len(s_curve(range(1000), points=101)), s_curve(range(1000), points=101)[50]
    (101, (500.0, 0.501))
    """
    x = np.sort(np.asarray(samples, dtype=np.float64))
    n = x.size
    k = max(2, min(points, n))
    idx = np.unique(np.rint(np.linspace(0, n - 1, k)).astype(np.intp))
    values = np.unique(x[idx])
    probs = np.searchsorted(x, values, side="right") / n
    return tuple((float(v), float(p)) for v, p in zip(values, probs, strict=True))


def midranks(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ranks ``1..N`` along the last axis, tied values sharing the mean of their ranks.

    >>> midranks(np.array([[10.0, 30.0, 20.0, 30.0], [1.0, 1.0, 1.0, 1.0]])).tolist()
    [[1.0, 3.5, 2.0, 3.5], [2.5, 2.5, 2.5, 2.5]]
    """
    x = np.atleast_2d(values)
    n = x.shape[-1]
    order = np.argsort(x, axis=-1)
    ordered = np.take_along_axis(x, order, axis=-1)
    ranks_sorted = np.broadcast_to(np.arange(1.0, n + 1.0), x.shape)
    ties = ordered[:, 1:] == ordered[:, :-1]
    if ties.any():
        idx = np.broadcast_to(np.arange(n), x.shape)
        new_run = np.concatenate((np.ones((x.shape[0], 1), dtype=bool), ~ties), axis=1)
        first = np.maximum.accumulate(np.where(new_run, idx, 0), axis=1)
        run_ends = np.concatenate((~ties, np.ones((x.shape[0], 1), dtype=bool)), axis=1)
        last = np.minimum.accumulate(np.where(run_ends, idx, n - 1)[:, ::-1], axis=1)[:, ::-1]
        ranks_sorted = (first + last) / 2.0 + 1.0
    ranks = np.empty(x.shape)
    np.put_along_axis(ranks, order, ranks_sorted, axis=-1)
    out: NDArray[np.float64] = ranks.reshape(np.shape(values))
    return out


def spearman_rows(x: NDArray[np.float64], ranked_y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Spearman correlation of each row of ``x`` (shape ``(k, N)``) with each row of ``ranked_y`` (the
    mid-ranks of the targets, shape ``(m, N)``); shape ``(k, m)``, 0 where either side is constant.

    >>> y = midranks(np.array([[1.0, 2.0, 3.0, 4.0]]))
    >>> spearman_rows(np.array([[1.0, 2.0, 4.0, 3.0], [5.0, 5.0, 5.0, 5.0]]), y).tolist()
    [[0.8], [0.0]]
    """
    rx = midranks(x)
    rx -= rx.mean(axis=1, keepdims=True)
    ry = ranked_y - ranked_y.mean(axis=1, keepdims=True)
    num = np.einsum("ij,kj->ik", rx, ry)  # not BLAS: the same sums in the same order on every machine
    den = np.sqrt(np.einsum("ij,ij->i", rx, rx)[:, None] * np.einsum("ij,ij->i", ry, ry)[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    out: NDArray[np.float64] = np.clip(rho, -1.0, 1.0)
    return out


def spearman(x: ArrayLike, y: ArrayLike) -> float:
    """Spearman's rank correlation of two samples (Pearson's correlation of their mid-ranks); 0 when
    either is constant.

    >>> spearman([1, 2, 3, 4, 5], [2, 4, 6, 8, 100]), spearman([1, 2, 3], [3, 2, 1]), spearman([1, 1], [1, 2])
    (1.0, -1.0, 0.0)
    """
    a = np.asarray(x, dtype=np.float64)[None, :]
    b = midranks(np.asarray(y, dtype=np.float64)[None, :])
    return float(spearman_rows(a, b)[0, 0])
