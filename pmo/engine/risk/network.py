"""The critical path method vectorised over iterations: one forward and one backward pass for a whole
block of sampled durations.

Semantics are those of :mod:`pmo.engine.schedule` in continuous working days from the project start
(``0``): ``FS`` ``ES_v >= EF_u + lag``, ``SS`` ``ES_v >= ES_u + lag``, ``FF`` ``EF_v >= EF_u + lag``, ``SF``
``EF_v >= ES_u + lag``; no task starts before 0; the project finish is the latest early finish; in the
backward pass no late finish is after the project finish; total float is ``LF - EF`` and a task is
critical when its float is at most ``1e-9 x max(1, project finish)``.

How it is vectorised
    Both passes are the same longest-path pass ``S_v = max(0, max over links of (S_u or F_u) + lag -
    (d_v if the link constrains v's finish))``, ``F_v = S_v + d_v``: the forward pass on the network gives
    ``ES``/``EF``; the backward pass is that pass on the *reversed* network, with SS and FF swapped, whose
    ``S`` is each task's tail ``T = project finish - LF`` (so ``LF = finish - T``).  Tasks are renumbered
    by level (1 + the highest level of their predecessors), so a level is one slice of the
    ``(tasks, iterations)`` arrays; within a level they are sorted by decreasing number of links in, so
    the tasks with a ``j``-th link are a prefix, and link ``j`` of every task is one gather of rows
    followed by one ``maximum`` over the prefix.  The Python loop runs over levels and link ranks, never
    over iterations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pmo.engine.schedule import DependencyType

__all__ = ["FLOAT_TOLERANCE", "CpmBlock", "LevelledNetwork"]

_FROM_START = {DependencyType.SS, DependencyType.SF}
_TO_FINISH = {DependencyType.FF, DependencyType.SF}
FLOAT_TOLERANCE = 1e-9

# (predecessor, successor, measured from the predecessor's start, constrains the successor's finish, lag)
_Arc = tuple[int, int, bool, bool, float]


@dataclass(frozen=True, slots=True)
class _Rank:
    """The ``j``-th link into each of the first ``count`` tasks of a level."""

    count: int
    rows: NDArray[np.intp]  # the predecessor's row in the stacked [S; F]
    lag: NDArray[np.float64] | None
    finish_links: NDArray[np.intp] | None  # which of the ``count`` links constrain the successor's finish
    finish_tasks: NDArray[np.intp] | None  # the positions of those successors


@dataclass(frozen=True, slots=True)
class _Level:
    start: int
    stop: int
    ranks: tuple[_Rank, ...]


class _LongestPath:
    """One longest-path pass over ``n`` tasks and ``arcs``; ``position[i]`` is the row of task ``i``."""

    def __init__(self, n: int, arcs: Sequence[_Arc], level: Sequence[int]) -> None:
        self.n = n
        into: list[list[_Arc]] = [[] for _ in range(n)]
        for arc in arcs:
            into[arc[1]].append(arc)
        order = sorted(range(n), key=lambda i: (level[i], -len(into[i]), i))
        position = [0] * n
        for p, i in enumerate(order):
            position[i] = p
        self.order = np.asarray(order, dtype=np.intp)
        self.position = np.asarray(position, dtype=np.intp)
        levels: list[_Level] = []
        widest = 0
        s = 0
        while s < n:
            e = s
            while e < n and level[order[e]] == level[order[s]]:
                e += 1
            tasks = order[s:e]
            ranks: list[_Rank] = []
            for j in range(len(into[tasks[0]])):
                links = [into[i][j] for i in tasks if len(into[i]) > j]
                rows = np.asarray([position[u] + (0 if start else n) for u, _, start, _, _ in links], dtype=np.intp)
                lag = np.asarray([x for _, _, _, _, x in links], dtype=np.float64)
                fin = [k for k, arc in enumerate(links) if arc[3]]
                ranks.append(
                    _Rank(
                        count=len(links),
                        rows=rows,
                        lag=lag if np.any(lag) else None,
                        finish_links=np.asarray(fin, dtype=np.intp) if fin else None,
                        finish_tasks=np.asarray([s + k for k in fin], dtype=np.intp) if fin else None,
                    )
                )
                widest = max(widest, len(links))
            levels.append(_Level(s, e, tuple(ranks)))
            s = e
        self.levels = tuple(levels)
        self.widest = widest

    def run(self, d: NDArray[np.float64]) -> NDArray[np.float64]:
        """``[S; F]`` (shape ``(2n, iterations)``) for durations ``d`` in position order."""
        n = self.n
        times = np.empty((2 * n, d.shape[1]))
        start, finish = times[:n], times[n:]
        spare = np.empty((self.widest, d.shape[1]))
        for lv in self.levels:
            s, e = lv.start, lv.stop
            level = start[s:e]
            if not lv.ranks:
                level.fill(0.0)
            for j, rank in enumerate(lv.ranks):
                c = rank.count
                into = level[:c] if j == 0 else spare[:c]
                np.take(times, rank.rows, axis=0, out=into, mode="clip")
                if rank.lag is not None:
                    into += rank.lag[:, None]
                if rank.finish_links is not None and rank.finish_tasks is not None:
                    into[rank.finish_links] -= d[rank.finish_tasks]
                if j:
                    np.maximum(level[:c], into, out=level[:c])
            if lv.ranks:
                np.maximum(level, 0.0, out=level)
            np.add(level, d[s:e], out=finish[s:e])
        return times


@dataclass(frozen=True, slots=True)
class CpmBlock:
    """The result of :meth:`LevelledNetwork.passes` for a block of iterations (rows in *position* order).

    ``early_finish`` has one row per task position and one column per iteration; ``finish`` is the
    project finish per iteration; ``critical`` tells, per position and iteration, whether the total
    float is zero (within the tolerance).
    """

    early_finish: NDArray[np.float64]
    finish: NDArray[np.float64]
    critical: NDArray[np.bool_]


class LevelledNetwork:
    """A network prepared for vectorised CPM passes.

    ``n`` tasks ``0..n-1`` (any numbering), ``links`` as ``(predecessor, successor, type, lag_days)``
    (acyclic) and the ``level`` of each task (from :func:`~pmo.engine.risk.model.validate`).
    ``position[i]`` is the row of task ``i`` in the arrays the passes take and return, ``order`` the
    task at each row.

    >>> from pmo.engine.schedule import DependencyType as T
    >>> net = LevelledNetwork(3, [(0, 1, T.FS, 0.0), (0, 2, T.SS, 1.0)], [0, 1, 1])
    >>> d = np.array([[2.0], [3.0], [1.0]])[net.order]   # durations in position order
    >>> block = net.passes(d)
    >>> block.finish.tolist(), block.early_finish[net.position, 0].tolist()
    ([5.0], [2.0, 5.0, 2.0])
    >>> block.critical[net.position, 0].tolist()
    [True, True, False]
    """

    def __init__(self, n: int, links: Sequence[tuple[int, int, DependencyType, float]], level: Sequence[int]) -> None:
        self.n = n
        arcs = [(u, v, t in _FROM_START, t in _TO_FINISH, float(lag)) for u, v, t, lag in links]
        self._forward = _LongestPath(n, arcs, level)
        # levels of the reversed network: 1 + the highest of the successors'
        tail = [0] * n
        succ: list[list[int]] = [[] for _ in range(n)]
        for u, v, _, _, _ in arcs:
            succ[u].append(v)
        for u in sorted(range(n), key=lambda i: -level[i]):
            if succ[u]:
                tail[u] = 1 + max(tail[v] for v in succ[u])
        # reversed: SS <-> FF (from the start of the predecessor <-> to the finish of the successor)
        self._backward = _LongestPath(n, [(v, u, fin, sta, lag) for u, v, sta, fin, lag in arcs], tail)
        self.position: NDArray[np.intp] = self._forward.position
        self.order: NDArray[np.intp] = self._forward.order
        self._to_backward = self._forward.position[self._backward.order]  # forward row of each backward row
        self._to_forward = self._backward.position[self._forward.order]
        self.depth = len(self._forward.levels)

    def passes(self, durations: NDArray[np.float64]) -> CpmBlock:
        """Forward and backward passes for ``durations`` of shape ``(n, iterations)`` in position order.

        >>> from pmo.engine.schedule import DependencyType as T
        >>> net = LevelledNetwork(2, [(0, 1, T.FF, 0.0)], [0, 1])
        >>> block = net.passes(np.array([[4.0, 1.0], [2.0, 2.0]])[net.order])   # B finishes after A
        >>> block.early_finish[net.position].tolist(), block.finish.tolist()
        ([[4.0, 1.0], [4.0, 2.0]], [4.0, 2.0])
        """
        n = self.n
        ef = self._forward.run(durations)[n:]
        finish = ef.max(axis=0)
        tail = self._backward.run(durations[self._to_backward])[:n]
        # total float = LF - EF = (finish - tail) - EF, in backward row order
        slack = finish - tail
        slack -= ef[self._to_backward]
        critical = slack <= FLOAT_TOLERANCE * np.maximum(1.0, np.abs(finish))
        return CpmBlock(ef, finish, critical[self._to_forward])
