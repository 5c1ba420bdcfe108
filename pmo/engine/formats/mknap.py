"""Reader for OR-Library multidimensional knapsack files (``mknap1.txt``, ``mknapcb1.txt`` ... ``mknapcb9.txt``).

The 0-1 multidimensional knapsack problem is portfolio selection in its barest form: choose items (projects)
maximising the total profit (value) subject to ``m`` capacity limits (budgets, resources).  OR-Library
(J. E. Beasley) distributes its instances as whitespace-separated numbers::

    K                      number of problems in the file
    n m opt                per problem: items, constraints, known optimum (0 when unknown)
    p_1 .. p_n             profits
    r_11 .. r_1n           m rows of n weights
    ...
    r_m1 .. r_mn
    b_1 .. b_m             capacities

Line breaks carry no meaning (rows wrap freely).  :func:`read_mknap` returns one :class:`MknapInstance` per
problem; :meth:`MknapInstance.to_problem` turns it into a
:class:`~pmo.engine.selection.PortfolioProblem` (items ``"1"`` .. ``"n"``, dimensions ``"c1"`` .. ``"cm"``).
Errors raise :class:`~pmo.engine.errors.FileFormatError` naming the file and the line of the offending
token (or of the end of the file).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from pmo.engine.errors import FileFormatError
from pmo.engine.selection import PortfolioCandidate, PortfolioProblem

__all__ = ["MknapInstance", "read_mknap"]


@dataclass(frozen=True)
class MknapInstance:
    """One problem of an OR-Library mknap file.

    ``name`` is ``"<file stem>-<k>"`` (``k`` counted from 1, as in ``mknap1-1``), ``index`` the position in
    the file counted from 0, ``weights[i][j]`` the weight of item ``j`` in constraint ``i`` and ``optimum``
    the optimum the file states (``None`` when the file says 0, i.e. unknown).
    """

    name: str
    index: int
    profits: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]
    capacities: tuple[float, ...]
    optimum: float | None = None

    @property
    def n(self) -> int:
        """Number of items."""
        return len(self.profits)

    @property
    def m(self) -> int:
        """Number of constraints."""
        return len(self.capacities)

    def to_problem(self) -> PortfolioProblem:
        """The instance as a portfolio problem: candidates ``"1"`` .. ``"n"``, capacities ``"c1"`` .. ``"cm"``.

        >>> inst = MknapInstance("t-1", 0, (10.0, 7.0), ((3.0, 2.0),), (4.0,))
        >>> p = inst.to_problem()
        >>> [c.id for c in p.candidates], dict(p.capacities), dict(p.candidates[1].costs)
        (['1', '2'], {'c1': 4.0}, {'c1': 2.0})
        """
        dims = [f"c{i + 1}" for i in range(self.m)]
        candidates = tuple(
            PortfolioCandidate(
                id=str(j + 1),
                value=self.profits[j],
                costs={dims[i]: self.weights[i][j] for i in range(self.m) if self.weights[i][j]},
            )
            for j in range(self.n)
        )
        return PortfolioProblem(candidates=candidates, capacities=dict(zip(dims, self.capacities, strict=True)))


class _Tokens:
    """Whitespace-separated numbers with the line each came from."""

    def __init__(self, text: str, label: str) -> None:
        self.label = label
        self.items: list[tuple[str, int]] = []
        last = 1
        for no, line in enumerate(text.splitlines(), start=1):
            for tok in line.split():
                self.items.append((tok, no))
            last = no
        self.last_line = last
        self.pos = 0

    def error(self, detail: str, line: int) -> FileFormatError:
        return FileFormatError(detail, path=self.label, line=line)

    def number(self, what: str) -> tuple[float, int]:
        if self.pos >= len(self.items):
            raise self.error(f"unexpected end of file, expected {what}", self.last_line)
        tok, no = self.items[self.pos]
        self.pos += 1
        try:
            value = float(tok)
        except ValueError:
            raise self.error(f"expected a number for {what}, got {tok!r}", no) from None
        if not math.isfinite(value):
            raise self.error(f"{what} is not finite: {tok!r}", no)
        return value, no

    def integer(self, what: str, minimum: int) -> int:
        value, no = self.number(what)
        if value != int(value) or value < minimum:
            raise self.error(f"{what} must be an integer >= {minimum}, got {self.items[self.pos - 1][0]!r}", no)
        return int(value)


def _load(path_or_text: str | Path, name: str | None) -> tuple[str, str]:
    if isinstance(path_or_text, Path) or ("\n" not in path_or_text and Path(path_or_text).is_file()):
        path = Path(path_or_text)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise FileFormatError(f"cannot read file: {exc.strerror}", path=str(path)) from None
        return raw.decode("utf-8", errors="replace"), name or str(path)
    if "\n" not in path_or_text:
        raise FileFormatError("no such file", path=str(path_or_text))
    return path_or_text, name or "<text>"


def read_mknap(path_or_text: str | Path, *, name: str | None = None) -> list[MknapInstance]:
    """Read every problem of an OR-Library mknap file (a path, or the file's text itself).

    Weights and profits must be non-negative; a truncated file, a count that is not a whole number or a
    stray word raise :class:`~pmo.engine.errors.FileFormatError` naming the file and the line.

    >>> text = '''2
    ...  3 1 16
    ...  10 7 9
    ...  3 2 2
    ...  4
    ...  2 2 0
    ...  5 6
    ...  1 1
    ...  1 1
    ...  1 1
    ... '''
    >>> first, second = read_mknap(text, name="tiny.txt")
    >>> first.name, first.profits, first.weights, first.capacities, first.optimum
    ('tiny-1', (10.0, 7.0, 9.0), ((3.0, 2.0, 2.0),), (4.0,), 16.0)
    >>> second.m, second.n, second.optimum
    (2, 2, None)
    >>> read_mknap(text.replace("5 6", "5 x"), name="bad.txt")
    Traceback (most recent call last):
    ...
    pmo.engine.errors.FileFormatError: bad.txt, line 7: expected a number for profit 2 of problem 2, got 'x'
    """
    text, label = _load(path_or_text, name)
    tokens = _Tokens(text, label)
    if not tokens.items:
        raise tokens.error("empty file", 1)
    stem = Path(label).stem if label != "<text>" else "mknap"
    count = tokens.integer("the number of problems", 1)
    instances: list[MknapInstance] = []
    for k in range(1, count + 1):
        where = f"of problem {k}"
        n = tokens.integer(f"the number of items {where}", 1)
        m = tokens.integer(f"the number of constraints {where}", 1)
        opt, _ = tokens.number(f"the optimum {where}")
        profits: list[float] = []
        for j in range(1, n + 1):
            value, no = tokens.number(f"profit {j} {where}")
            if value < 0:
                raise tokens.error(f"profit {j} {where} is negative ({value:g})", no)
            profits.append(value)
        weights: list[tuple[float, ...]] = []
        for i in range(1, m + 1):
            row: list[float] = []
            for j in range(1, n + 1):
                value, no = tokens.number(f"weight {j} of constraint {i} {where}")
                if value < 0:
                    raise tokens.error(f"weight {j} of constraint {i} {where} is negative ({value:g})", no)
                row.append(value)
            weights.append(tuple(row))
        capacities: list[float] = []
        for i in range(1, m + 1):
            value, no = tokens.number(f"capacity {i} {where}")
            if value < 0:
                raise tokens.error(f"capacity {i} {where} is negative ({value:g})", no)
            capacities.append(value)
        instances.append(
            MknapInstance(
                name=f"{stem}-{k}",
                index=k - 1,
                profits=tuple(profits),
                weights=tuple(weights),
                capacities=tuple(capacities),
                optimum=opt if opt else None,
            )
        )
    if tokens.pos < len(tokens.items):
        tok, no = tokens.items[tokens.pos]
        raise tokens.error(f"unexpected {tok!r} after the {count} problem(s) the file announces", no)
    return instances
