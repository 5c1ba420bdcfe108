"""Reader for PSPLIB single-mode RCPSP files (``.sm``).

A file has a header (number of jobs including the dummy source and sink, horizon, number
of renewable resources), ``PROJECT INFORMATION`` (whose last column is the critical-path
length, the ``MPM-Time``), ``PRECEDENCE RELATIONS`` (``jobnr #modes #successors
successors...``), ``REQUESTS/DURATIONS`` (``jobnr mode duration R1 .. Rk``) and
``RESOURCEAVAILABILITIES`` (one line of capacities).  Jobs are numbered 1 .. n+2; job 1
and job n+2 are the dummy source and sink (duration 0).

Tasks of the :class:`PsplibProblem` are the job numbers as strings (``"1"`` .. ``"n+2"``),
resources are ``"R1"`` .. ``"Rk"`` and every precedence is finish-to-start without lag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pmo.engine.errors import FileFormatError
from pmo.engine.leveling import LevelingProblem, LevelTask, Precedence, Resource

__all__ = ["PsplibProblem", "read_psplib"]


@dataclass(frozen=True)
class PsplibProblem(LevelingProblem):
    """A :class:`LevelingProblem` plus what the file says about itself.

    ``horizon`` is the file's upper bound on the makespan (sum of durations),
    ``mpm_time`` its critical-path length (a lower bound) and ``name`` the file name.
    """

    horizon: int = 0
    mpm_time: int = 0
    name: str = ""


class _Lines:
    """Non-blank lines with their 1-based numbers, for error messages."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.items = [(no, line.strip()) for no, line in enumerate(text.splitlines(), start=1)]
        self.pos = 0
        self.last_no = len(self.items)

    def error(self, detail: str, line: int | None = None) -> FileFormatError:
        return FileFormatError(detail, path=self.name, line=line)

    def next(self, what: str) -> tuple[int, str]:
        """The next non-blank, non-separator line."""
        while self.pos < len(self.items):
            no, line = self.items[self.pos]
            self.pos += 1
            if line and not set(line) <= set("*-"):
                return no, line
        raise self.error(f"unexpected end of file, expected {what}", self.last_no)

    def seek(self, marker: str) -> int:
        """Move past the line starting with ``marker``; returns its number."""
        while self.pos < len(self.items):
            no, line = self.items[self.pos]
            self.pos += 1
            if line.upper().startswith(marker):
                return no
        raise self.error(f"section {marker!r} not found (not a PSPLIB .sm file?)", self.last_no)

    def header_value(self, pattern: str, what: str) -> int:
        regex = re.compile(pattern, re.IGNORECASE)
        for no, line in self.items:
            m = regex.match(line)
            if m:
                try:
                    return int(m.group(1))
                except ValueError:
                    raise self.error(f"{what} is not an integer: {m.group(1)!r}", no) from None
        raise self.error(f"header line {what!r} not found (not a PSPLIB .sm file?)", 1)


def _ints(lines: _Lines, no: int, line: str, what: str) -> list[int]:
    try:
        return [int(tok) for tok in line.split()]
    except ValueError:
        raise lines.error(f"expected integers in {what}, got {line!r}", no) from None


def _load(path_or_text: str | Path, name: str | None) -> tuple[str, str]:
    if isinstance(path_or_text, Path) or ("\n" not in path_or_text and Path(path_or_text).is_file()):
        path = Path(path_or_text)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise FileFormatError(f"cannot read file: {exc.strerror}", path=str(path)) from None
        try:
            return raw.decode("utf-8"), name or str(path)
        except UnicodeDecodeError:
            return raw.decode("latin-1"), name or str(path)
    if "\n" not in path_or_text:
        raise FileFormatError("no such file", path=str(path_or_text))
    return path_or_text, name or "<text>"


def read_psplib(path_or_text: str | Path, *, name: str | None = None) -> PsplibProblem:
    """Read a PSPLIB single-mode file (a path, or the file's text itself).

    Errors (truncated file, wrong format, inconsistent counts or job numbers) raise
    :class:`~pmo.engine.errors.FileFormatError` naming the file and the line.

    >>> text = '''
    ... jobs (incl. supersource/sink ):  4
    ... horizon                       :  5
    ...   - renewable                 :  1   R
    ... PROJECT INFORMATION:
    ... pronr.  #jobs rel.date duedate tardcost  MPM-Time
    ...     1      2      0        3       0         3
    ... PRECEDENCE RELATIONS:
    ... jobnr.    #modes  #successors   successors
    ...    1        1          2           2   3
    ...    2        1          1           4
    ...    3        1          1           4
    ...    4        1          0
    ... REQUESTS/DURATIONS:
    ... jobnr. mode duration  R 1
    ... ------------------------------------------------------------------------
    ...   1      1     0       0
    ...   2      1     3       1
    ...   3      1     2       1
    ...   4      1     0       0
    ... RESOURCEAVAILABILITIES:
    ...   R 1
    ...     1
    ... '''
    >>> p = read_psplib(text, name="tiny.sm")
    >>> [t.id for t in p.tasks], p.horizon, p.mpm_time, p.resources[0]
    (['1', '2', '3', '4'], 5, 3, Resource(id='R1', capacity=1, capacity_profile=()))
    >>> p.tasks[3].predecessors
    (Precedence(task='2', type='FS', lag=0), Precedence(task='3', type='FS', lag=0))
    >>> read_psplib(text.rsplit("\\n", 2)[0], name="cut.sm")  # capacity line missing
    Traceback (most recent call last):
    ...
    pmo.engine.errors.FileFormatError: cut.sm, line 22: unexpected end of file, expected the capacity line
    """
    text, label = _load(path_or_text, name)
    lines = _Lines(text, label)
    if not any(line for _, line in lines.items):
        raise lines.error("empty file", 1)
    n_jobs = lines.header_value(r"jobs \(incl\. supersource/sink \)\s*:\s*(\S+)", "jobs (incl. supersource/sink )")
    horizon = lines.header_value(r"horizon\s*:\s*(\S+)", "horizon")
    n_res = lines.header_value(r"-\s*renewable\s*:\s*(\S+)", "renewable")
    if n_jobs < 2:
        raise lines.error(f"at least 2 jobs (source and sink) expected, got {n_jobs}", 1)
    if n_res < 0:
        raise lines.error(f"negative number of resources {n_res}", 1)

    lines.seek("PROJECT INFORMATION")
    lines.next("the project information header")
    no, line = lines.next("the project information line")
    info = _ints(lines, no, line, "the project information")
    if len(info) < 6:
        raise lines.error(f"project information needs 6 numbers, got {len(info)}", no)
    mpm_time = info[5]
    if info[1] != n_jobs - 2:
        raise lines.error(
            f"project information says {info[1]} jobs but the header says {n_jobs} (incl. source and sink)",
            no,
        )

    lines.seek("PRECEDENCE RELATIONS")
    lines.next("the precedence header")
    successors: dict[int, list[int]] = {}
    succ_line: dict[int, int] = {}
    for expected in range(1, n_jobs + 1):
        no, line = lines.next(f"the precedence line of job {expected}")
        nums = _ints(lines, no, line, f"the precedence line of job {expected}")
        if len(nums) < 3 or nums[0] != expected:
            raise lines.error(f"expected the precedence line of job {expected}, got {line!r}", no)
        count = nums[2]
        succ = nums[3:]
        if count != len(succ):
            raise lines.error(f"job {expected} announces {count} successors but lists {len(succ)}", no)
        for s in succ:
            if not 1 <= s <= n_jobs:
                raise lines.error(f"job {expected} has successor {s}, outside 1..{n_jobs}", no)
        successors[expected] = succ
        succ_line[expected] = no

    lines.seek("REQUESTS/DURATIONS")
    no, header = lines.next("the requests header")
    cols = len(re.findall(r"[RND]\s*\d+", header))
    if cols and cols != n_res:
        raise lines.error(f"requests header lists {cols} resources but the header says {n_res}", no)
    durations: dict[int, int] = {}
    demands: dict[int, list[int]] = {}
    for expected in range(1, n_jobs + 1):
        no, line = lines.next(f"the request line of job {expected}")
        nums = _ints(lines, no, line, f"the request line of job {expected}")
        if not nums or nums[0] != expected:
            raise lines.error(f"expected the request line of job {expected}, got {line!r}", no)
        if len(nums) != 3 + n_res:
            raise lines.error(
                f"job {expected}: expected mode, duration and {n_res} requests, got {len(nums) - 1} numbers",
                no,
            )
        if nums[1] != 1:
            raise lines.error(f"job {expected}: only single-mode files are supported (mode {nums[1]})", no)
        if nums[2] < 0 or any(q < 0 for q in nums[3:]):
            raise lines.error(f"job {expected}: negative duration or request", no)
        durations[expected] = nums[2]
        demands[expected] = nums[3:]

    lines.seek("RESOURCEAVAILABILITIES")
    lines.next("the capacity header")
    no, line = lines.next("the capacity line")
    caps = _ints(lines, no, line, "the capacity line")
    if len(caps) != n_res:
        raise lines.error(f"expected {n_res} capacities, found {len(caps)}", no)

    preds: dict[int, list[int]] = {j: [] for j in range(1, n_jobs + 1)}
    for j, succ in successors.items():
        for s in succ:
            if s <= j:
                raise lines.error(f"job {j} has successor {s}: jobs must be numbered topologically", succ_line[j])
            preds[s].append(j)
    res_ids = [f"R{k + 1}" for k in range(n_res)]
    tasks = tuple(
        LevelTask(
            id=str(j),
            duration=durations[j],
            demands={res_ids[k]: q for k, q in enumerate(demands[j]) if q},
            predecessors=tuple(Precedence(str(i)) for i in preds[j]),
        )
        for j in range(1, n_jobs + 1)
    )
    resources = tuple(Resource(rid, cap) for rid, cap in zip(res_ids, caps, strict=True))
    for j in range(1, n_jobs + 1):
        for k, q in enumerate(demands[j]):
            if q > caps[k] and durations[j] > 0:
                raise lines.error(f"job {j} requests {q} of R{k + 1} whose capacity is {caps[k]}", no)
    return PsplibProblem(
        tasks=tasks,
        resources=resources,
        horizon=horizon,
        mpm_time=mpm_time,
        name=Path(label).name,
    )
