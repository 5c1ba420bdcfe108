"""PSPLIB single-mode reader, plus the exact optimum of j301_1 when the data set is present."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo.engine.errors import FileFormatError
from pmo.engine.formats.psplib import PsplibProblem, read_psplib
from pmo.engine.leveling import LevelingProblem, level_exact, level_fast, schedule_unconstrained

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "psplib_rcpsp"

# Four jobs (dummy source 1, sink 4); jobs 2 (3 periods) and 3 (2 periods) both need the
# single unit of R1, so they run one after the other: optimum 5, critical path 3.
TINY = """\
************************************************************************
file with basedata            : tiny.bas
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  4
horizon                       :  5
RESOURCES
  - renewable                 :  1   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PROJECT INFORMATION:
pronr.  #jobs rel.date duedate tardcost  MPM-Time
    1      2      0        3       0         3
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1
------------------------------------------------------------------------
  1      1     0       0
  2      1     3       1
  3      1     2       1
  4      1     0       0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1
    1
************************************************************************
"""


def test_reads_the_tiny_file() -> None:
    p = read_psplib(TINY, name="tiny.sm")
    assert isinstance(p, PsplibProblem) and isinstance(p, LevelingProblem)
    assert [t.id for t in p.tasks] == ["1", "2", "3", "4"]
    assert (p.horizon, p.mpm_time, p.name) == (5, 3, "tiny.sm")
    assert [(r.id, r.capacity) for r in p.resources] == [("R1", 1)]
    assert dict(p.tasks[1].demands) == {"R1": 1} and p.tasks[0].demands == {}
    assert [x.task for x in p.tasks[3].predecessors] == ["2", "3"]
    assert schedule_unconstrained(p).makespan == p.mpm_time == 3
    assert level_exact(p, time_limit_s=5).makespan == 5
    assert level_fast(p).makespan == 5


def test_reads_from_a_path(tmp_path: Path) -> None:
    f = tmp_path / "tiny.sm"
    f.write_text(TINY)
    assert read_psplib(f).name == "tiny.sm"
    assert read_psplib(str(f)).tasks == read_psplib(TINY).tasks


def _line_of(text: str, fragment: str) -> int:
    return next(no for no, line in enumerate(text.splitlines(), 1) if fragment in line)


@pytest.mark.parametrize(
    ("mutate", "message", "line_fragment"),
    [
        # Truncated in the middle of the requests: reported at the last line of the file.
        (
            lambda t: t[: t.index("  3      1     2")],
            "unexpected end of file, expected the request line of job 3",
            None,
        ),
        # A successor count that disagrees with the list.
        (
            lambda t: t.replace("   2        1          1           4", "   2        1          2           4"),
            "job 2 announces 2 successors but lists 1",
            "   2        1          2",
        ),
        # The header says 5 jobs but only 4 precedence lines follow (job 5 missing).
        (lambda t: t.replace("):  4", "):  5"), "project information says 2 jobs", "    1      2      0"),
        # A capacity line with too few numbers.
        (lambda t: t.replace("  R 1\n    1\n", "  R 1\n   \n"), "unexpected end of file", None),
        # A non-numeric duration.
        (
            lambda t: t.replace("  2      1     3       1", "  2      1     x       1"),
            "expected integers in the request line of job 2",
            "  2      1     x",
        ),
        # A request above the capacity.
        (
            lambda t: t.replace("  2      1     3       1", "  2      1     3       2"),
            "job 2 requests 2 of R1 whose capacity is 1",
            "    1\n",
        ),
    ],
)
def test_bad_files_name_file_and_line(mutate, message: str, line_fragment: str | None) -> None:  # type: ignore[no-untyped-def]
    text = mutate(TINY)
    with pytest.raises(FileFormatError) as info:
        read_psplib(text, name="bad.sm")
    err = info.value
    assert message in str(err)
    assert str(err).startswith("bad.sm, line ")
    assert err.path == "bad.sm"
    if line_fragment == "    1\n":
        assert err.line == _line_of(text, "RESOURCEAVAILABILITIES") + 2
    elif line_fragment is not None:
        assert err.line == _line_of(text, line_fragment)
    else:
        assert err.line == len(text.splitlines())


def test_not_a_psplib_file() -> None:
    with pytest.raises(FileFormatError, match=r"notes.txt, line 1: header line .*jobs"):
        read_psplib("just some\ntext\n", name="notes.txt")
    with pytest.raises(FileFormatError, match=r"missing\.sm: no such file"):
        read_psplib("missing.sm")


@pytest.mark.skipif(not (DATA / "j30" / "j301_1.sm").is_file(), reason=f"PSPLIB data not found at {DATA}")
def test_j301_1_reaches_its_known_optimum() -> None:
    p = read_psplib(DATA / "j30" / "j301_1.sm")
    assert len(p.tasks) == 32 and p.mpm_time == 38 and p.horizon == 158
    assert [r.capacity for r in p.resources] == [12, 13, 4, 12]
    r = level_exact(p, time_limit_s=5)
    assert (r.makespan, r.lower_bound, r.status) == (43, 43, "optimal")
    assert level_fast(p).makespan >= 43
