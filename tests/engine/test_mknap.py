"""OR-Library multidimensional knapsack reader, plus the known optima of mknap1 when the data set is present."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pmo.engine.errors import EngineError, FileFormatError
from pmo.engine.formats.mknap import MknapInstance, read_mknap
from pmo.engine.selection import optimise_portfolio

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mknap_orlib"

# Two problems; rows wrap freely (line numbers on the right are used by the error tests).
#   Problem 1: 4 items, 2 constraints, optimum unknown (0).  Profits 10 7 9 4; constraint 1 weights
#     3 2 2 1 (capacity 5), constraint 2 weights 1 1 1 1 (capacity 2: at most two items).  The pairs
#     within 5 on constraint 1: {1,2} 17, {1,3} 19, {1,4} 14, {2,3} 16, {2,4} 11, {3,4} 13 -> 19.
#   Problem 2: 3 items, 1 constraint, stated optimum 13: profits 5 6 7, weights 2 2 2, capacity 4:
#     two items, the two best -> 6 + 7 = 13.
SMALL = (
    "2\n"  # 1
    " 4 2 0\n"  # 2
    " 10 7 9\n"  # 3  profits, wrapped
    " 4\n"  # 4
    " 3 2 2 1 1 1\n"  # 5  constraint 1 and the start of constraint 2
    " 1 1\n"  # 6
    " 5 2\n"  # 7  capacities
    " 3 1 13\n"  # 8
    " 5 6 7 2 2 2\n"  # 9  profits and weights on one line
    " 4\n"  # 10
)


def write(tmp_path: Path, text: str, name: str = "small.txt") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_reads_every_problem_of_a_wrapped_file(tmp_path: Path) -> None:
    first, second = read_mknap(write(tmp_path, SMALL))
    assert (first.name, first.index, first.n, first.m, first.optimum) == ("small-1", 0, 4, 2, None)
    assert first.profits == (10.0, 7.0, 9.0, 4.0)
    assert first.weights == ((3.0, 2.0, 2.0, 1.0), (1.0, 1.0, 1.0, 1.0))
    assert first.capacities == (5.0, 2.0)
    assert (second.name, second.index, second.n, second.m, second.optimum) == ("small-2", 1, 3, 1, 13.0)
    assert (second.profits, second.weights, second.capacities) == ((5.0, 6.0, 7.0), ((2.0, 2.0, 2.0),), (4.0,))


def test_path_as_string_or_text(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL)
    assert [i.name for i in read_mknap(str(path))] == ["small-1", "small-2"]
    assert read_mknap(str(path)) == read_mknap(path)
    # the text itself: names from the name given, else "mknap"
    assert [i.name for i in read_mknap(SMALL, name="data/orlib.txt")] == ["orlib-1", "orlib-2"]
    from_text = read_mknap(SMALL)
    assert [i.name for i in from_text] == ["mknap-1", "mknap-2"]
    assert [(i.profits, i.weights, i.capacities, i.optimum) for i in from_text] == [
        (i.profits, i.weights, i.capacities, i.optimum) for i in read_mknap(path)
    ]


def test_decimal_numbers_are_kept(tmp_path: Path) -> None:
    (inst,) = read_mknap(write(tmp_path, "1\n 2 1 8706.1\n 600.1 310.5\n 20 5\n 24.5\n"))
    assert (inst.profits, inst.weights, inst.capacities, inst.optimum) == (
        (600.1, 310.5),
        ((20.0, 5.0),),
        (24.5,),
        8706.1,
    )


def test_to_problem_names_items_and_dimensions() -> None:
    inst = MknapInstance("x-1", 0, (1.0, 2.0, 3.0), ((1.0, 0.0, 2.0), (0.0, 0.0, 5.0)), (3.0, 4.0))
    p = inst.to_problem()
    assert [c.id for c in p.candidates] == ["1", "2", "3"]
    assert [c.value for c in p.candidates] == [1.0, 2.0, 3.0]
    assert dict(p.capacities) == {"c1": 3.0, "c2": 4.0}
    # zero weights are left out
    assert [dict(c.costs) for c in p.candidates] == [{"c1": 1.0}, {}, {"c1": 2.0, "c2": 5.0}]
    assert all(not c.mandatory and not c.requires and not c.excludes for c in p.candidates)
    assert dict(p.period_capacities) == {}


def test_small_problems_solve_to_their_optimum(tmp_path: Path) -> None:
    first, second = read_mknap(write(tmp_path, SMALL))
    r1 = optimise_portfolio(first.to_problem(), time_limit_s=2, workers=1, explain=0)
    assert (r1.status, r1.objective, r1.selected) == ("optimal", 19.0, ("1", "3"))
    assert dict(r1.usage) == {"c1": 5.0, "c2": 2.0}
    r2 = optimise_portfolio(second.to_problem(), time_limit_s=2, workers=1, explain=0)
    assert (r2.status, r2.objective, r2.selected) == ("optimal", second.optimum, ("2", "3"))


@pytest.mark.parametrize(
    ("text", "line", "detail"),
    [
        # truncated: the last capacity is missing; the error points at the end of the file
        (SMALL.removesuffix(" 4\n"), 9, "unexpected end of file, expected capacity 1 of problem 2"),
        (SMALL.replace(" 5 6 7", " 5 six 7"), 9, "expected a number for profit 2 of problem 2, got 'six'"),
        (SMALL.replace("2\n", "2.5\n", 1), 1, "the number of problems must be an integer >= 1, got '2.5'"),
        (
            SMALL.replace(" 4 2 0", " 4 0 0"),
            2,
            "the number of constraints of problem 1 must be an integer >= 1, got '0'",
        ),
        (SMALL.replace(" 3 1 13", " 0 1 13"), 8, "the number of items of problem 2 must be an integer >= 1, got '0'"),
        (SMALL.replace("\n 1 1\n", "\n 1 -1\n"), 6, "weight 4 of constraint 2 of problem 1 is negative (-1)"),
        (SMALL.replace(" 10 7", " 10 -7"), 3, "profit 2 of problem 1 is negative (-7)"),
        (SMALL.replace(" 5 2\n", " 5 -2\n"), 7, "capacity 2 of problem 1 is negative (-2)"),
        (SMALL.replace(" 5 2\n", " 5 nan\n"), 7, "capacity 2 of problem 1 is not finite: 'nan'"),
        (SMALL + " 99\n", 11, "unexpected '99' after the 2 problem(s) the file announces"),
        ("", 1, "empty file"),
        ("\n\n", 1, "empty file"),
    ],
)
def test_format_errors_name_the_file_and_line(tmp_path: Path, text: str, line: int, detail: str) -> None:
    path = write(tmp_path, text, "bad.txt")
    with pytest.raises(FileFormatError) as info:
        read_mknap(path)
    err = info.value
    assert (err.path, err.line, err.detail) == (str(path), line, detail)
    assert str(err) == f"{path}, line {line}: {detail}"
    assert isinstance(err, EngineError)


def test_truncated_file_is_reported_at_its_last_line(tmp_path: Path) -> None:
    # the file stops after the profits of problem 2 (line 9 holds only them)
    text = SMALL.replace(" 5 6 7 2 2 2\n 4\n", " 5 6 7\n")
    with pytest.raises(FileFormatError) as info:
        read_mknap(text, name="cut.txt")
    assert (info.value.path, info.value.line) == ("cut.txt", 9)
    assert str(info.value) == "cut.txt, line 9: unexpected end of file, expected weight 1 of constraint 1 of problem 2"


def test_missing_files(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(FileFormatError) as info:
        read_mknap(missing)
    assert (info.value.path, info.value.line) == (str(missing), None)
    assert str(info.value) == f"{missing}: cannot read file: No such file or directory"
    with pytest.raises(FileFormatError) as info2:
        read_mknap(str(missing))  # a one-line string that is not a file
    assert str(info2.value) == f"{missing}: no such file"


# --- OR-Library mknap1 (skipped when the data set is absent) ---------------------------------


@pytest.mark.skipif(not (DATA / "mknap1.txt").is_file(), reason=f"OR-Library data set not found: {DATA / 'mknap1.txt'}")
def test_mknap1_matches_reference_and_first_two_optima() -> None:
    instances = read_mknap(DATA / "mknap1.txt")
    with (DATA / "reference_mknap1.csv").open(newline="") as fh:
        reference = list(csv.DictReader(fh))
    assert len(instances) == len(reference) == 7
    for inst, ref in zip(instances, reference, strict=True):
        assert (inst.name, inst.n, inst.m, inst.optimum) == (
            ref["instance"],
            int(ref["n_items"]),
            int(ref["m_constraints"]),
            float(ref["optimum_in_file"]),
        )
        assert all(len(row) == inst.n for row in inst.weights)
    assert [i.optimum for i in instances] == [3800, 8706.1, 4015, 6120, 12400, 10618, 16537]
    for inst in instances[:2]:
        r = optimise_portfolio(inst.to_problem(), time_limit_s=2, workers=1, explain=0)
        assert (r.status, r.objective) == ("optimal", inst.optimum), inst.name
        assert all(r.usage[f"c{i + 1}"] <= cap for i, cap in enumerate(inst.capacities))
        assert r.objective == sum(inst.profits[int(j) - 1] for j in r.selected)
