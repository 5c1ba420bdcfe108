"""`pmo risk`: quantitative risk analysis.  One subcommand so far, `pmo risk simulate FILE.json`.

Usage::

    pmo risk simulate FILE.json [--iterations N] [--seed S] [--json]

FILE is one JSON object::

    {"tasks": [{"id": str, "min": number, "most_likely": number, "max": number,
                "distribution": "triangular"|"pert", "predecessors": [str]}],
     "risks": [{"id": str, "probability": number,
                "impacts": [{"task": str, "min": number, "most_likely": number, "max": number}]}]}

Durations are working days (``min <= most_likely <= max``, all ``>= 0``; ``min == max`` is a fixed
duration); links are finish-to-start; ``distribution`` defaults to ``"triangular"``; ``predecessors``
and ``risks`` are optional.  A risk occurs in an iteration with its ``probability`` (0..1) and then adds
extra working days, drawn from each impact's three-point estimate, to the impacted tasks.  Task ids and
risk ids must all differ (they share the ``sensitivity`` object).

``--iterations`` (default 10000, at most 1000000) and ``--seed`` (default 0): the same file and seed give
the same figures.  ``--json`` prints exactly::

    {"iterations": int,
     "duration": {"mean": number, "p10": number, "p50": number, "p80": number, "p90": number},
     "criticality": {task_id: number},      (share of iterations on a critical path, 0..1)
     "sensitivity": {id: number}}           (Spearman rank correlation with the project duration,
                                              task ids in file order, then risk ids)

Without ``--json`` a readable summary: the percentiles, the plan without risks, the top drivers and
the most critical tasks.  The simulation is :func:`pmo.engine.risk.simulate`.

Exit codes: 0 done; 1 the links form a cycle (the message names its tasks); 2 unreadable or invalid
input (the message names the field or the item, e.g. ``tasks[2] "B": min 5 > max 3`` or
``risks[0].impacts[1].task: unknown task "Z"``).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from pmo.commands.jsonfile import InputError, UnreadableFile, read_json

_PROG = "pmo risk simulate"
_TOP_LEVEL_FIELDS = ("tasks", "risks")
_TASK_FIELDS = ("id", "min", "most_likely", "max", "distribution", "predecessors")
_RISK_FIELDS = ("id", "probability", "impacts")
_IMPACT_FIELDS = ("task", "min", "most_likely", "max")
_ESTIMATE = ("min", "most_likely", "max")
MAX_ITERATIONS = 1_000_000
_TOP = 5


def add_parser(subparsers: Any) -> None:
    """Register the ``risk`` command group and its ``simulate`` subcommand."""
    group = subparsers.add_parser(
        "risk",
        help="quantitative risk analysis (Monte Carlo simulation of a schedule)",
        description="Quantitative risk analysis of a project schedule.",
    )
    commands = group.add_subparsers(dest="risk_command", required=True, metavar="SUBCOMMAND")
    parser = commands.add_parser(
        "simulate",
        help="Monte Carlo simulation of a task network with three-point estimates and risk events",
        description=(
            "Simulate the project duration: three-point task durations (triangular or PERT), "
            "finish-to-start links and risk events that add days to tasks; print the percentiles, "
            "the criticality of each task and the drivers (rank correlations with the duration)."
        ),
    )
    parser.add_argument("file", help="the network and the risks, a JSON file")
    parser.add_argument(
        "--iterations", type=int, default=10_000, metavar="N", help="number of iterations (default 10000)"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    parser.set_defaults(handler=run)
    group.set_defaults(handler=run)


def _fail(message: str) -> int:
    print(f"{_PROG}: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Run ``pmo risk simulate`` for parsed arguments; returns the exit code."""
    from pmo.engine.errors import CyclicDependencyError, EngineError
    from pmo.engine.risk import simulate

    path = Path(args.file)
    if not 1 <= args.iterations <= MAX_ITERATIONS:
        return _fail(f"--iterations must be an integer within 1..{MAX_ITERATIONS}, got {args.iterations}")
    if args.seed < 0:
        return _fail(f"--seed must be an integer >= 0, got {args.seed}")
    try:
        model, warnings = model_from_json(read_json(path))
    except UnreadableFile as error:
        return _fail(str(error))
    except InputError as error:
        return _fail(f"{path}: {error}")
    for warning in warnings:
        print(f"{_PROG}: {path}: warning: {warning}", file=sys.stderr)
    try:
        result = simulate(model, iterations=args.iterations, seed=args.seed, keep_samples=True)
    except CyclicDependencyError as error:
        print(f"{_PROG}: {path}: {error}", file=sys.stderr)
        return 1
    except EngineError as error:  # validated above; kept so that no traceback ever escapes
        return _fail(f"{path}: {error}")

    if args.json:
        s = result.duration.summary
        out = {
            "iterations": result.iterations,
            "duration": {"mean": s.mean, "p10": s.p10, "p50": s.p50, "p80": s.p80, "p90": s.p90},
            "criticality": dict(result.criticality),
            "sensitivity": {**result.task_sensitivity, **result.risk_sensitivity},
        }
        print(json.dumps(out))
    else:
        print(summary(path, model, result))
    return 0


# ------------------------------------------------------------------------------------------- JSON input


def _show(value: object) -> str:
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def _number(value: object, where: str) -> float:
    # bool is an int in Python but never a number in the contract
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{where}: expected a number, got {_show(value)}")
    return float(value)


def _estimate(raw: dict[str, Any], path: str, label: str, distribution: str) -> Any:
    """The three-point estimate of an object with min, most_likely and max (path names its fields)."""
    from pmo.engine.risk import ThreePoint

    values = []
    for key in _ESTIMATE:
        if key not in raw:
            raise InputError(f"{path}: missing field {key!r}")
        value = _number(raw[key], f"{path}.{key}")
        if value < 0:
            raise InputError(f"{path}.{key}: must be >= 0, got {_show(raw[key])}")
        values.append(value)
    a, m, b = values
    shown = {key: _show(raw[key]) for key in _ESTIMATE}
    if a > b:
        raise InputError(f"{label}: min {shown['min']} > max {shown['max']}")
    if a > m:
        raise InputError(f"{label}: min {shown['min']} > most_likely {shown['most_likely']}")
    if m > b:
        raise InputError(f"{label}: most_likely {shown['most_likely']} > max {shown['max']}")
    return ThreePoint(a, m, b, distribution)


def _id(raw: dict[str, Any], where: str) -> str:
    if "id" not in raw:
        raise InputError(f"{where}: missing field 'id'")
    value = raw["id"]
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}.id: expected a non-empty string, got {_show(value)}")
    return value


def model_from_json(document: object) -> tuple[Any, list[str]]:
    """The engine's :class:`~pmo.engine.risk.RiskModel` for a decoded JSON document, and warnings about
    the fields that are ignored.

    Raises :class:`InputError` naming the field (``tasks[2].min``) or the item (``tasks[2] "B": min 5 >
    max 3``) when the document does not follow the contract.
    """
    from pmo.engine.risk import Link, RiskEvent, RiskImpact, RiskModel, RiskTask

    warnings: list[str] = []
    if not isinstance(document, dict):
        raise InputError("expected a JSON object with tasks (and risks)")
    warnings += [f"ignoring unknown field {key!r}" for key in document if key not in _TOP_LEVEL_FIELDS]
    if "tasks" not in document:
        raise InputError("missing field 'tasks'")
    raw_tasks = document["tasks"]
    if not isinstance(raw_tasks, list) or not raw_tasks:
        raise InputError("tasks: expected a non-empty list of task objects")
    tasks = []
    positions: dict[str, int] = {}
    for i, raw in enumerate(raw_tasks):
        where = f"tasks[{i}]"
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected an object with id, min, most_likely and max")
        warnings += [f"{where}: ignoring unknown field {key!r}" for key in raw if key not in _TASK_FIELDS]
        task_id = _id(raw, where)
        if task_id in positions:
            raise InputError(f"{where}.id: duplicate task id {_show(task_id)} (also tasks[{positions[task_id]}])")
        positions[task_id] = i
        distribution = raw.get("distribution", "triangular")
        if distribution not in ("triangular", "pert"):
            raise InputError(f'{where}.distribution: expected "triangular" or "pert", got {_show(distribution)}')
        estimate = _estimate(raw, where, f"{where} {_show(task_id)}", distribution)
        tasks.append(RiskTask(task_id, estimate))
    links = []
    for i, raw in enumerate(raw_tasks):
        where = f"tasks[{i}].predecessors"
        predecessors = raw.get("predecessors", [])
        if not isinstance(predecessors, list):
            raise InputError(f"{where}: expected a list of task ids")
        seen: set[str] = set()
        for j, pred in enumerate(predecessors):
            if not isinstance(pred, str):
                raise InputError(f"{where}[{j}]: expected a task id, got {_show(pred)}")
            if pred not in positions:
                raise InputError(f"{where}[{j}]: unknown task {_show(pred)}")
            if pred == raw["id"]:
                raise InputError(f"{where}[{j}]: {_show(pred)} cannot precede itself")
            if pred not in seen:
                seen.add(pred)
                links.append(Link(pred, raw["id"]))

    raw_risks = document.get("risks", [])
    if raw_risks is None:
        raw_risks = []
    if not isinstance(raw_risks, list):
        raise InputError("risks: expected a list of risk objects")
    risks = []
    risk_positions: dict[str, int] = {}
    for i, raw in enumerate(raw_risks):
        where = f"risks[{i}]"
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected an object with id, probability and impacts")
        warnings += [f"{where}: ignoring unknown field {key!r}" for key in raw if key not in _RISK_FIELDS]
        risk_id = _id(raw, where)
        if risk_id in risk_positions:
            raise InputError(f"{where}.id: duplicate risk id {_show(risk_id)} (also risks[{risk_positions[risk_id]}])")
        if risk_id in positions:
            raise InputError(f"{where}.id: {_show(risk_id)} is also a task id (tasks[{positions[risk_id]}])")
        risk_positions[risk_id] = i
        if "probability" not in raw:
            raise InputError(f"{where}: missing field 'probability'")
        probability = _number(raw["probability"], f"{where}.probability")
        if not 0 <= probability <= 1:
            raise InputError(f"{where}.probability: must be within 0..1, got {_show(raw['probability'])}")
        raw_impacts = raw.get("impacts", [])
        if not isinstance(raw_impacts, list):
            raise InputError(f"{where}.impacts: expected a list of impact objects")
        impacts = []
        for j, impact in enumerate(raw_impacts):
            at = f"{where}.impacts[{j}]"
            if not isinstance(impact, dict):
                raise InputError(f"{at}: expected an object with task, min, most_likely and max")
            warnings += [f"{at}: ignoring unknown field {key!r}" for key in impact if key not in _IMPACT_FIELDS]
            if "task" not in impact:
                raise InputError(f"{at}: missing field 'task'")
            task_id = impact["task"]
            if not isinstance(task_id, str):
                raise InputError(f"{at}.task: expected a task id, got {_show(task_id)}")
            if task_id not in positions:
                raise InputError(f"{at}.task: unknown task {_show(task_id)}")
            impacts.append(RiskImpact(task_id, _estimate(impact, at, at, "triangular")))
        risks.append(RiskEvent(risk_id, probability, tuple(impacts)))
    return RiskModel(tuple(tasks), tuple(links), tuple(risks)), warnings


# ------------------------------------------------------------------------------------------- output


def summary(path: Path, model: Any, result: Any) -> str:
    """The readable report: percentiles, the plan without risk, top drivers, most critical tasks."""
    s = result.duration.summary
    lines = [
        f"{path}: {len(model.tasks)} task(s), {len(model.risks)} risk(s), "
        f"{result.iterations:,} iterations (seed {result.seed})",
        "",
        "Project duration (working days)",
        f"  mean {s.mean:.2f}   P10 {s.p10:.2f}   P50 {s.p50:.2f}   P80 {s.p80:.2f}   P90 {s.p90:.2f}"
        f"   (min {s.min:.2f}, max {s.max:.2f})",
    ]
    plan = result.deterministic_duration
    on_time = result.samples.duration <= plan + 1e-9 * max(1.0, plan)
    lines.append(
        f"  plan (most likely durations, no risk): {plan:.2f}; {100 * float(on_time.mean()):.1f} % of iterations "
        "finish by then"
    )
    drivers = result.drivers(_TOP)
    lines += ["", "Top drivers (Spearman rank correlation with the duration)"]
    if drivers:
        width = max(len(d.id) for d in drivers)
        lines += [f"  {d.kind:<4}  {d.id:<{width}}  {d.correlation:+.3f}" for d in drivers]
    else:
        lines.append("  none: the duration does not vary")
    critical = sorted(result.criticality.items(), key=lambda item: -item[1])[:_TOP]
    lines += ["", "Most critical tasks (share of iterations on a critical path)"]
    width = max(len(task_id) for task_id, _ in critical)
    lines += [f"  {task_id:<{width}}  {100 * share:5.1f} %" for task_id, share in critical]
    return "\n".join(lines)
