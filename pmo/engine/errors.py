"""Exceptions raised by the scheduling engine.

Every engine error derives from :class:`EngineError`, so callers (the API, the importers) can catch the
whole family in one place and turn it into a user-facing message:

>>> try:
...     raise InvalidInputError("task 'A': duration_minutes must be >= 0, got -5")
... except EngineError as exc:
...     print(type(exc).__name__, "-", exc)
InvalidInputError - task 'A': duration_minutes must be >= 0, got -5
"""

from __future__ import annotations

from collections.abc import Sequence


class EngineError(Exception):
    """Base class of every error raised by :mod:`pmo.engine`.

    >>> issubclass(CyclicDependencyError, EngineError)
    True
    """


class CyclicDependencyError(EngineError):
    """The dependency network contains a cycle, so no schedule exists.

    ``task_ids`` names the tasks of one cycle in link order (the first task is not repeated at the end;
    the message closes the loop for readability).

    >>> err = CyclicDependencyError(["A", "B", "C"])
    >>> err.task_ids
    ('A', 'B', 'C')
    >>> str(err)
    'dependency cycle: A -> B -> C -> A'
    """

    def __init__(self, task_ids: Sequence[str], message: str | None = None) -> None:
        self.task_ids: tuple[str, ...] = tuple(task_ids)
        if message is None:
            loop = [*self.task_ids, self.task_ids[0]] if self.task_ids else []
            message = "dependency cycle: " + " -> ".join(loop)
        super().__init__(message)


class UnknownTaskError(EngineError):
    """A reference (predecessor, successor or parent) names a task id that does not exist.

    >>> err = UnknownTaskError("X", referenced_by="B", field="predecessor")
    >>> str(err)
    "task 'B' references unknown predecessor 'X'"
    >>> err.task_id, err.referenced_by
    ('X', 'B')
    """

    def __init__(self, task_id: str, referenced_by: str | None = None, field: str = "task") -> None:
        self.task_id = task_id
        self.referenced_by = referenced_by
        self.field = field
        if referenced_by is None:
            message = f"unknown {field} {task_id!r}"
        else:
            message = f"task {referenced_by!r} references unknown {field} {task_id!r}"
        super().__init__(message)


class InvalidInputError(EngineError, ValueError):
    """An input value is invalid; the message names the task (or calendar) and the field.

    It is also a :class:`ValueError`, so generic validation code keeps working.

    >>> isinstance(InvalidInputError("task 'A': percent_complete must be within 0..100"), ValueError)
    True
    """


class InfeasibleError(EngineError):
    """The problem has no solution under the given hard constraints (used by the optimising solvers).

    >>> str(InfeasibleError("no resource assignment satisfies the capacity limits"))
    'no resource assignment satisfies the capacity limits'
    """


class FileFormatError(EngineError):
    """A schedule file cannot be read; the message names the file and, when known, the line.

    >>> err = FileFormatError("expected 4 capacities, found 3", path="j301_1.sm", line=61)
    >>> str(err)
    'j301_1.sm, line 61: expected 4 capacities, found 3'
    >>> err.path, err.line, err.detail
    ('j301_1.sm', 61, 'expected 4 capacities, found 3')
    """

    def __init__(self, detail: str, *, path: str | None = None, line: int | None = None) -> None:
        self.detail = detail
        self.path = path
        self.line = line
        where = ", ".join(part for part in (path, None if line is None else f"line {line}") if part)
        super().__init__(f"{where}: {detail}" if where else detail)


class OptionalDependencyError(EngineError):
    """A feature needs an optional extra or a system runtime that is not installed.

    The message says what to install, e.g. reading ``.mpp`` files needs ``pip install 'pmo[mpp]'`` (the
    MPXJ library and JPype) and a Java runtime.

    >>> str(OptionalDependencyError("reading .mpp files needs MPXJ: pip install 'pmo[mpp]'"))
    "reading .mpp files needs MPXJ: pip install 'pmo[mpp]'"
    """


class ConflictingMandatoryError(InfeasibleError):
    """The must-do (mandatory) candidates of a portfolio cannot all be selected.

    ``constraint`` names what they break: a capacity row (``"budget"``, or ``"role:backend@3"`` for
    period 3 of a time-phased dimension) or an exclusion (``"excludes A / B"``); ``candidates`` lists the
    must-do candidates involved.  The message explains it in words.

    >>> err = ConflictingMandatoryError("must-dos need 120 of 'budget', capacity 100", constraint="budget",
    ...                                 candidates=("A", "B"))
    >>> isinstance(err, InfeasibleError), err.constraint, err.candidates
    (True, 'budget', ('A', 'B'))
    """

    def __init__(self, message: str, *, constraint: str, candidates: Sequence[str] = ()) -> None:
        self.constraint = constraint
        self.candidates: tuple[str, ...] = tuple(candidates)
        super().__init__(message)
