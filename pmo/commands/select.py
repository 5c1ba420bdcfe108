"""`pmo select FILE.json`: choose the best portfolio of candidates under capacity limits.

Usage::

    pmo select FILE.json [--time-limit SECONDS] [--frontier N] [--json]

FILE is one JSON object::

    {"capacities": {name: number},
     "candidates": [{"id": str, "value": number, "costs": {name: number},
                     "mandatory": bool, "requires": [id], "excludes": [id]}]}

(``mandatory``, ``requires`` and ``excludes`` optional).  ``--json`` prints::

    {"status": "optimal"|"feasible"|"infeasible", "objective": number, "bound": number,
     "selected": [id], "usage": {name: number}}

and with ``--frontier N`` also ``"frontier": [{"budget_fraction": number, "objective": number,
"selected": [id]}]``: the best portfolio with every capacity at 1/N, 2/N ... N/N of its value.

Exit codes: 0 a portfolio was chosen; 1 the must-do candidates cannot all be selected (the message
names the capacity or the exclusion they break; with ``--json`` the object has ``"status": "infeasible"``,
``"constraint"`` and ``"message"``); 2 unreadable or invalid input (the message names the field).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from pmo.commands.jsonfile import InputError, UnreadableFile, read_json

_PROG = "pmo select"
_TOP_LEVEL_FIELDS = ("capacities", "candidates")
_CANDIDATE_FIELDS = ("id", "value", "costs", "mandatory", "requires", "excludes")
# Rejected candidates explained in the readable summary (each costs one re-solve).
_EXPLAINED = 5


def add_parser(subparsers: Any) -> None:
    """Register the ``select`` subcommand on an argparse subparsers object."""
    parser = subparsers.add_parser(
        "select",
        help="choose the best portfolio of candidates under budget and capacity limits",
        description=(
            "Choose the candidates that maximise the total value within the capacities, with every "
            "must-do candidate, every requirement and no excluded pair (OR-Tools CP-SAT)."
        ),
    )
    parser.add_argument("file", help="the problem, a JSON file")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="time limit of each solve (default 10; the frontier solves each level within it too)",
    )
    parser.add_argument(
        "--frontier", type=int, metavar="N", help="also compute the efficient frontier at N capacity levels"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    parser.set_defaults(handler=run)


def _fail(message: str) -> int:
    print(f"{_PROG}: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Run ``pmo select`` for parsed arguments; returns the exit code."""
    from pmo.engine.errors import ConflictingMandatoryError, EngineError
    from pmo.engine.selection import efficient_frontier, optimise_portfolio

    path = Path(args.file)
    time_limit = float(args.time_limit)
    if not (math.isfinite(time_limit) and time_limit > 0):
        return _fail("--time-limit must be a number > 0")
    if args.frontier is not None and args.frontier < 1:
        return _fail("--frontier must be an integer >= 1")
    try:
        problem, warnings = problem_from_json(read_json(path))
    except UnreadableFile as error:
        return _fail(str(error))
    except InputError as error:
        return _fail(f"{path}: {error}")
    for warning in warnings:
        print(f"{_PROG}: {path}: warning: {warning}", file=sys.stderr)

    try:
        result = optimise_portfolio(problem, time_limit_s=time_limit, explain=0 if args.json else _EXPLAINED)
        frontier = efficient_frontier(problem, args.frontier, time_limit_s=time_limit) if args.frontier else None
    except ConflictingMandatoryError as error:
        print(f"{_PROG}: {path}: infeasible: {error} (constraint: {error.constraint})", file=sys.stderr)
        if args.json:
            out = {
                "status": "infeasible",
                "objective": None,
                "bound": None,
                "selected": [],
                "usage": {},
                "constraint": error.constraint,
                "message": str(error),
            }
            print(json.dumps(out))
        return 1
    except EngineError as error:
        return _fail(f"{path}: {error}")

    if args.json:
        out = {
            "status": result.status,
            "objective": _number(result.objective),
            "bound": _number(result.bound),
            "selected": list(result.selected),
            "usage": {name: _number(used) for name, used in result.usage.items()},
        }
        if frontier is not None:
            out["frontier"] = [
                {
                    "budget_fraction": point.budget_fraction,
                    "objective": None if point.objective is None else _number(point.objective),
                    "selected": list(point.selected),
                }
                for point in frontier
            ]
        print(json.dumps(out))
    else:
        print(summary(path, result, frontier))
    return 0


def problem_from_json(document: object) -> tuple[Any, list[str]]:
    """The engine problem for a decoded JSON document, and warnings about fields that are ignored.

    Raises :class:`InputError` naming the field (``candidates[2].costs.budget``) when the shape is wrong.
    """
    from pmo.engine.selection import PortfolioCandidate, PortfolioProblem

    warnings: list[str] = []
    if not isinstance(document, dict):
        raise InputError(f"expected a JSON object with {' and '.join(_TOP_LEVEL_FIELDS)}")
    warnings += [f"ignoring unknown field {key!r}" for key in document if key not in _TOP_LEVEL_FIELDS]
    for key in _TOP_LEVEL_FIELDS:
        if key not in document:
            raise InputError(f"missing field {key!r}")
    capacities = _number_map(document["capacities"], "capacities")
    raw_candidates = document["candidates"]
    if not isinstance(raw_candidates, list):
        raise InputError("candidates: expected a list of objects")
    candidates = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_candidates):
        where = f"candidates[{position}]"
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected an object")
        warnings += [f"{where}: ignoring unknown field {key!r}" for key in raw if key not in _CANDIDATE_FIELDS]
        for key in ("id", "value"):
            if key not in raw:
                raise InputError(f"{where}: missing field {key!r}")
        cid = raw["id"]
        if not isinstance(cid, str) or not cid:
            raise InputError(f"{where}.id: expected a non-empty string, got {json.dumps(cid)}")
        if cid in seen:
            raise InputError(f"{where}.id: duplicate id {cid!r}")
        seen.add(cid)
        value = _number_field(raw["value"], f"{where}.value")
        costs = _number_map(raw.get("costs", {}), f"{where}.costs")
        for name, cost in costs.items():
            if name not in capacities:
                raise InputError(f"{where}.costs: cost {name!r} is not in capacities")
            if cost < 0:
                raise InputError(f"{where}.costs.{name}: must be >= 0, got {_number(cost)}")
        mandatory = raw.get("mandatory", False)
        if not isinstance(mandatory, bool):
            raise InputError(f"{where}.mandatory: expected true or false, got {json.dumps(mandatory)}")
        requires = _id_list(raw.get("requires", []), f"{where}.requires")
        excludes = _id_list(raw.get("excludes", []), f"{where}.excludes")
        candidates.append(PortfolioCandidate(cid, value, costs, mandatory, tuple(requires), tuple(excludes)))
    for name, capacity in capacities.items():
        if capacity < 0:
            raise InputError(f"capacities.{name}: must be >= 0, got {_number(capacity)}")
    for position, cand in enumerate(candidates):
        for field, others in (("requires", cand.requires), ("excludes", cand.excludes)):
            for other in others:
                if other not in seen:
                    raise InputError(f"candidates[{position}].{field}: unknown candidate {other!r}")
                if other == cand.id:
                    raise InputError(f"candidates[{position}].{field}: {cand.id!r} names itself")
    return PortfolioProblem(candidates=tuple(candidates), capacities=capacities), warnings


def _number_field(value: object, where: str) -> float:
    # bool is an int in Python but never a number in the contract
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{where}: expected a number, got {json.dumps(value)}")
    return float(value)


def _number_map(value: object, where: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected an object of name: number")
    return {str(name): _number_field(amount, f"{where}.{name}") for name, amount in value.items()}


def _id_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InputError(f"{where}: expected a list of candidate ids")
    return list(value)


def _number(value: float) -> int | float:
    """Whole numbers print without a trailing .0; others keep at most nine decimals."""
    if float(value).is_integer() and abs(value) < 2**53:
        return int(value)
    return round(float(value), 9)


def summary(path: Path, result: Any, frontier: Any) -> str:
    """The readable report: selection, capacity use, what binds and what it would take."""
    lines = [f"{path}: {result.status}, total value {_fmt(result.objective)} (proven bound {_fmt(result.bound)}"]
    lines[0] += ")" if result.status == "optimal" else f", gap {100 * result.gap:.2f} %)"
    lines.append(f"selected {len(result.selected)}: {', '.join(result.selected) or '(none)'}")
    lines.append("")
    width = max([len("capacity"), *(len(name) for name in result.capacities)])
    lines.append(f"{'capacity':<{width}}  {'used':>14}  {'limit':>14}  {'use':>6}")
    for name, limit in result.capacities.items():
        used = result.usage[name]
        share = f"{100 * used / limit:5.1f}%" if limit else "     -"
        lines.append(f"{name:<{width}}  {_fmt(used):>14}  {_fmt(limit):>14}  {share}")
    if result.binding:
        lines.append("")
        lines.append("binding: " + "; ".join(f"{b.dimension} keeps out {', '.join(b.blocked)}" for b in result.binding))
    if result.rejected:
        lines.append("")
        lines.append("left out:")
        for rejected in result.rejected:
            lines.append(f"  {rejected.id}: {rejected.reason}")
    if frontier is not None:
        lines.append("")
        lines.append("efficient frontier (all capacities scaled):")
        for point in frontier:
            shown = "infeasible" if point.objective is None else _fmt(point.objective)
            lines.append(f"  {100 * point.budget_fraction:5.1f} %  {shown:>14}  {', '.join(point.selected)}")
    for note in result.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def _fmt(value: float) -> str:
    number = _number(value)
    return f"{number:,}" if isinstance(number, int) else f"{number:,.6g}"
