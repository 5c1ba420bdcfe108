"""The neutral JSON problem format (a contract shared with the command line and the API).

.. code-block:: json

    {
      "resources": [{"id": "crane", "capacity": 1}],
      "projects": [{"id": "P1", "release": 0, "priority": 2}],
      "tasks": [
        {"id": "A", "project": "P1", "duration": 3, "demands": {"crane": 1},
         "predecessors": [{"task": "B", "type": "FS", "lag": 0}]}
      ]
    }

``projects``, ``release``, ``priority``, ``project``, ``demands``, ``predecessors``,
``type`` (default ``"FS"``) and ``lag`` (default 0) are optional.  Two optional extensions
are read as well: a resource's ``capacity_profile`` (a list of ``[start, end, capacity]``)
and a project's ``due`` period.  A predecessor may also be written as a bare task id
(finish-to-start, no lag).

Structural problems (bad JSON, a missing or mistyped field) raise
:class:`~pmo.engine.errors.FileFormatError` naming the file, the task and the field (and
the line for JSON syntax errors).  Graph problems (unknown predecessors, cycles) are
detected by :func:`pmo.engine.leveling.validate_problem` and the solvers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pmo.engine.errors import FileFormatError
from pmo.engine.leveling import LevelingProblem, LevelProject, LevelTask, Precedence, Resource

__all__ = ["read_neutral", "to_neutral"]

_TYPES = ("FS", "SS", "FF", "SF")


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, detail: str) -> FileFormatError:
        return FileFormatError(detail, path=self.name)

    def obj(self, value: object, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(f"{where} must be a JSON object")
        return value

    def text(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(f"{where} must be a non-empty string")
        return value

    def integer(self, value: object, where: str, minimum: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"{where} must be an integer, got {json.dumps(value)}")
        if minimum is not None and value < minimum:
            raise self.fail(f"{where} must be >= {minimum}, got {value}")
        return value

    def items(self, doc: Mapping[str, Any], key: str, where: str, required: bool = False) -> list[Any]:
        if key not in doc:
            if required:
                raise self.fail(f"{where}: field {key!r} is missing")
            return []
        value = doc[key]
        if not isinstance(value, list):
            raise self.fail(f"{where}: field {key!r} must be a list")
        return value

    def resource(self, raw: object, pos: int) -> Resource:
        doc = self.obj(raw, f"resource #{pos}")
        rid = self.text(doc.get("id"), f"resource #{pos}: field 'id'")
        where = f"resource {rid!r}"
        if "capacity" not in doc:
            raise self.fail(f"{where}: field 'capacity' is missing")
        capacity = self.integer(doc["capacity"], f"{where}: field 'capacity'", 0)
        profile: list[tuple[int, int, int]] = []
        for k, seg in enumerate(self.items(doc, "capacity_profile", where), start=1):
            if not isinstance(seg, list) or len(seg) != 3:
                raise self.fail(f"{where}: capacity_profile entry #{k} must be [start, end, capacity]")
            s, e, c = (self.integer(v, f"{where}: capacity_profile entry #{k}", 0) for v in seg)
            if e <= s:
                raise self.fail(f"{where}: capacity_profile entry #{k} ends before it starts")
            profile.append((s, e, c))
        return Resource(rid, capacity, tuple(profile))

    def project(self, raw: object, pos: int) -> LevelProject:
        doc = self.obj(raw, f"project #{pos}")
        pid = self.text(doc.get("id"), f"project #{pos}: field 'id'")
        where = f"project {pid!r}"
        release = self.integer(doc.get("release", 0), f"{where}: field 'release'", 0)
        priority = doc.get("priority", 1)
        if isinstance(priority, bool) or not isinstance(priority, int | float) or not priority >= 0:
            raise self.fail(f"{where}: field 'priority' must be a number >= 0")
        due_raw = doc.get("due")
        due = None if due_raw is None else self.integer(due_raw, f"{where}: field 'due'", 0)
        return LevelProject(pid, release=release, priority=float(priority), due=due)

    def task(self, raw: object, pos: int) -> LevelTask:
        doc = self.obj(raw, f"task #{pos}")
        tid = self.text(doc.get("id"), f"task #{pos}: field 'id'")
        where = f"task {tid!r}"
        if "duration" not in doc:
            raise self.fail(f"{where}: field 'duration' is missing")
        duration = self.integer(doc["duration"], f"{where}: field 'duration'", 0)
        project = doc.get("project", "")
        if not isinstance(project, str):
            raise self.fail(f"{where}: field 'project' must be a string")
        demands_raw = doc.get("demands", {})
        if not isinstance(demands_raw, Mapping):
            raise self.fail(f"{where}: field 'demands' must be an object {{resource id: units}}")
        demands = {str(rid): self.integer(q, f"{where}: demand for {rid!r}", 0) for rid, q in demands_raw.items()}
        preds: list[Precedence] = []
        for k, item in enumerate(self.items(doc, "predecessors", where), start=1):
            if isinstance(item, str):
                preds.append(Precedence(self.text(item, f"{where}: predecessor #{k}")))
                continue
            link = self.obj(item, f"{where}: predecessor #{k}")
            other = self.text(link.get("task"), f"{where}: predecessor #{k}: field 'task'")
            kind = link.get("type", "FS")
            if kind not in _TYPES:
                raise self.fail(f"{where}: predecessor {other!r}: field 'type' must be one of FS, SS, FF, SF")
            lag = self.integer(link.get("lag", 0), f"{where}: predecessor {other!r}: field 'lag'")
            preds.append(Precedence(other, kind, lag))
        return LevelTask(tid, duration, demands, tuple(preds), project)


def read_neutral(source: str | Path | Mapping[str, Any], *, name: str | None = None) -> LevelingProblem:
    """Read a problem in the neutral JSON format from a path, JSON text or parsed object.

    >>> doc = {
    ...     "resources": [{"id": "crane", "capacity": 1}],
    ...     "projects": [{"id": "P", "release": 2}],
    ...     "tasks": [
    ...         {"id": "A", "project": "P", "duration": 3, "demands": {"crane": 1}},
    ...         {"id": "B", "project": "P", "duration": 2, "predecessors": [{"task": "A", "lag": 1}]},
    ...     ],
    ... }
    >>> p = read_neutral(doc)
    >>> p.tasks[1].predecessors, p.projects[0].release
    ((Precedence(task='A', type='FS', lag=1),), 2)
    >>> read_neutral('{"tasks": [{"id": "A", "duration": -1}]}', name="plan.json")
    Traceback (most recent call last):
    ...
    pmo.engine.errors.FileFormatError: plan.json: task 'A': field 'duration' must be >= 0, got -1
    """
    label = name or "<json>"
    if isinstance(source, Mapping):
        doc: object = source
    else:
        if isinstance(source, Path) or not source.lstrip().startswith(("{", "[")):
            path = Path(source)
            label = name or str(path)
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise FileFormatError("no such file", path=label) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise FileFormatError(f"cannot read file: {exc}", path=label) from None
        else:
            text = str(source)
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileFormatError(
                f"invalid JSON: {exc.msg} (column {exc.colno})", path=label, line=exc.lineno
            ) from None
    reader = _Reader(label)
    top = reader.obj(doc, "the document")
    unknown = sorted(set(top) - {"resources", "projects", "tasks"})
    if unknown:
        raise reader.fail(f"unknown top-level field(s): {', '.join(unknown)}")
    resources = tuple(reader.resource(r, k) for k, r in enumerate(reader.items(top, "resources", "document"), 1))
    projects = tuple(reader.project(p, k) for k, p in enumerate(reader.items(top, "projects", "document"), 1))
    tasks = tuple(reader.task(t, k) for k, t in enumerate(reader.items(top, "tasks", "document", True), 1))
    return LevelingProblem(tasks=tasks, resources=resources, projects=projects)


def to_neutral(problem: LevelingProblem) -> dict[str, Any]:
    """The neutral JSON document of a problem (inverse of :func:`read_neutral`).

    >>> p = LevelingProblem(
    ...     tasks=(LevelTask("A", 2, {"crew": 1}), LevelTask("B", 1, predecessors=(Precedence("A", "SS", 1),))),
    ...     resources=(Resource("crew", 2),),
    ... )
    >>> doc = to_neutral(p)
    >>> doc["tasks"][1]
    {'id': 'B', 'project': '', 'duration': 1, 'demands': {}, 'predecessors': [{'task': 'A', 'type': 'SS', 'lag': 1}]}
    >>> read_neutral(doc) == p
    True
    """
    resources: list[dict[str, Any]] = []
    for r in problem.resources:
        entry: dict[str, Any] = {"id": r.id, "capacity": r.capacity}
        if r.capacity_profile:
            entry["capacity_profile"] = [list(seg) for seg in r.capacity_profile]
        resources.append(entry)
    projects: list[dict[str, Any]] = []
    for p in problem.projects:
        proj: dict[str, Any] = {"id": p.id, "release": p.release, "priority": p.priority}
        if p.due is not None:
            proj["due"] = p.due
        projects.append(proj)
    tasks = [
        {
            "id": t.id,
            "project": t.project,
            "duration": t.duration,
            "demands": dict(t.demands),
            "predecessors": [{"task": x.task, "type": x.type, "lag": x.lag} for x in t.predecessors],
        }
        for t in problem.tasks
    ]
    doc: dict[str, Any] = {"resources": resources, "tasks": tasks}
    if projects:
        doc["projects"] = projects
    return doc
