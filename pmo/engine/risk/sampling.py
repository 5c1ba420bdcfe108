"""Inverse CDFs of the three-point distributions and the normal CDF of the Gaussian copula (numpy only).

Sampling is by inversion: the simulation draws uniforms ``u`` and maps them through the inverse CDF of
each estimate, so correlated uniforms (from the copula) give correlated durations with exactly the
intended marginals, and a task's duration is a monotone function of its uniform.

* triangular: closed form, vectorised with per-row parameters;
* PERT-beta (``alpha = 1 + 4 (m - a) / (b - a)``, ``beta = 1 + 4 (b - m) / (b - a)``): the beta CDF is
  integrated numerically on a grid of 8193 points clustered at both ends (``x = (1 - cos(pi t)) / 2``,
  trapezoid rule in ``t``, normalised so the last point is exactly 1) and inverted by linear
  interpolation; a simulation builds one table per distinct shape.  The CDF is within 5e-8 of the exact one and a
  quantile within 5e-7 of ``b - a`` (except in the extreme tails, beyond probability 1e-9 from 0 or
  1); the mean and variance of the sampled distribution are within 3e-7 (relative) of the exact ones;
* the standard normal CDF: Abramowitz & Stegun 7.1.26 for ``erfc`` (absolute error below 1.5e-7 in
  probability), computed from the tail so that small probabilities keep their relative accuracy.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["normal_cdf", "pert_cdf", "pert_ppf", "pert_table", "triangular_cdf", "triangular_ppf"]

_GRID = 8193
_T = np.linspace(0.0, 1.0, _GRID)
_X = 0.5 * (1.0 - np.cos(np.pi * _T))
_X[0], _X[-1] = 0.0, 1.0
_DXDT = 0.5 * np.pi * np.sin(np.pi * _T)


def triangular_ppf(u: ArrayLike, a: ArrayLike, m: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """Inverse CDF of the triangular distribution on ``[a, b]`` with mode ``m`` (broadcasting).

    >>> triangular_ppf([0.0, 0.5, 1.0], 0.0, 1.0, 2.0).tolist()
    [0.0, 1.0, 2.0]
    >>> triangular_ppf([[0.25], [0.25]], [[0.0], [3.0]], [[0.0], [3.0]], [[2.0], [3.0]]).tolist()
    [[0.2679491924311228], [3.0]]
    """
    q = np.asarray(u, dtype=np.float64)
    lo = np.asarray(a, dtype=np.float64)
    mode = np.asarray(m, dtype=np.float64)
    hi = np.asarray(b, dtype=np.float64)
    width = hi - lo
    safe = np.where(width > 0, width, 1.0)
    split = np.where(width > 0, (mode - lo) / safe, 0.0)
    left = lo + np.sqrt(q * (width * (mode - lo)))
    right = hi - np.sqrt((1.0 - q) * (width * (hi - mode)))
    out: NDArray[np.float64] = np.where(q < split, left, right)
    return out


def triangular_cdf(x: ArrayLike, a: float, m: float, b: float) -> NDArray[np.float64]:
    """CDF of the triangular distribution on ``[a, b]`` with mode ``m``.

    >>> triangular_cdf([-1.0, 0.5, 1.0, 1.5, 3.0], 0.0, 1.0, 2.0).tolist()
    [0.0, 0.125, 0.5, 0.875, 1.0]
    """
    q = np.asarray(x, dtype=np.float64)
    if b <= a:
        return np.where(q >= a, 1.0, 0.0)
    width = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        left = (q - a) ** 2 / (width * (m - a)) if m > a else np.zeros_like(q)
        right = 1.0 - (b - q) ** 2 / (width * (b - m)) if b > m else np.ones_like(q)
    out = np.where(q <= m, left, right)
    out = np.where(q <= a, 0.0, out)
    result: NDArray[np.float64] = np.where(q >= b, 1.0, out)
    return result


def pert_table(shape: float) -> NDArray[np.float64]:
    """The PERT-beta CDF on a fixed grid of ``[0, 1]`` for a mode at ``shape = (m - a) / (b - a)`` (8193
    increasing values from 0 to 1, 64 KiB); pass it to :func:`pert_ppf` to sample many times.

    >>> table = pert_table(0.5)
    >>> table.shape, float(table[0]), float(table[-1]), round(float(table[4096]), 9)
    ((8193,), 0.0, 1.0, 0.5)
    """
    alpha = 1.0 + 4.0 * shape
    beta = 1.0 + 4.0 * (1.0 - shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.power(_X, alpha - 1.0) * np.power(1.0 - _X, beta - 1.0) * _DXDT
    density = np.nan_to_num(density, nan=0.0, posinf=0.0)
    cumulative = np.concatenate(([0.0], np.cumsum(0.5 * (density[1:] + density[:-1]))))
    cumulative /= cumulative[-1]
    cumulative[-1] = 1.0
    cumulative.setflags(write=False)
    return cumulative


_cached_table = lru_cache(maxsize=64)(pert_table)


def pert_ppf(
    u: ArrayLike, a: float, m: float, b: float, table: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """Inverse CDF of the PERT-beta distribution (``lambda = 4``) on ``[a, b]`` with mode ``m``; ``table``
    is :func:`pert_table` of the shape (computed, or taken from a small cache, when not given).

    >>> [round(v, 6) for v in pert_ppf([0.0, 0.5, 1.0], 0.0, 5.0, 10.0).tolist()]
    [0.0, 5.0, 10.0]
    >>> pert_ppf([0.3], 2.0, 2.0, 2.0).tolist()
    [2.0]
    """
    q = np.asarray(u, dtype=np.float64)
    if b <= a:
        return np.full(q.shape, float(a))
    if table is None:
        table = _cached_table((m - a) / (b - a))
    t = np.interp(q, table, _T)
    out: NDArray[np.float64] = a + (b - a) * (0.5 * (1.0 - np.cos(np.pi * t)))
    return out


def pert_cdf(x: ArrayLike, a: float, m: float, b: float) -> NDArray[np.float64]:
    """CDF of the PERT-beta distribution (``lambda = 4``) on ``[a, b]`` with mode ``m``.

    >>> [round(v, 6) for v in pert_cdf([0.0, 5.0, 10.0, 11.0], 0.0, 5.0, 10.0).tolist()]
    [0.0, 0.5, 1.0, 1.0]
    """
    q = np.asarray(x, dtype=np.float64)
    if b <= a:
        return np.where(q >= a, 1.0, 0.0)
    z = np.clip((q - a) / (b - a), 0.0, 1.0)
    t = np.arccos(1.0 - 2.0 * z) / np.pi
    out: NDArray[np.float64] = np.interp(t, _T, _cached_table((m - a) / (b - a)))
    return out


_P = 0.3275911
_A1, _A2, _A3, _A4, _A5 = 0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429


def normal_cdf(z: ArrayLike) -> NDArray[np.float64]:
    """The standard normal CDF (absolute error below 1.5e-7), vectorised; equal inputs give equal outputs.

    >>> [round(v, 6) for v in normal_cdf([-1.959964, 0.0, 1.0]).tolist()]
    [0.025, 0.5, 0.841345]
    """
    q = np.asarray(z, dtype=np.float64)
    x = np.abs(q) * (1.0 / np.sqrt(2.0))
    t = 1.0 / (1.0 + _P * x)
    poly = t * (_A1 + t * (_A2 + t * (_A3 + t * (_A4 + t * _A5))))
    tail = 0.5 * poly * np.exp(-x * x)  # P(Z > |z|)
    out: NDArray[np.float64] = np.where(q < 0, tail, 1.0 - tail)
    return out
