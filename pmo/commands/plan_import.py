"""`pmo import FILE --project CODE`: load a Microsoft Project or Primavera file into a project's plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def run_import(args: argparse.Namespace) -> int:
    from pmo.commands.server import _django_setup

    _django_setup()
    from pmo.core.access import SYSTEM
    from pmo.core.errors import DomainError
    from pmo.planning import interchange
    from pmo.portfolio.models import Project

    path = Path(args.file)
    if not path.is_file():
        print(f"pmo import: {path}: no such file", file=sys.stderr)
        return 2
    project = Project.objects.filter(code=args.project).first()
    if project is None:
        print(f"pmo import: no project with code {args.project!r}", file=sys.stderr)
        return 2
    try:
        result = interchange.plan_import(
            actor=SYSTEM, project=project, filename=path.name, content=path.read_bytes(), file_format=args.format
        )
    except DomainError as error:
        print(f"pmo import: {path}: {error.message} Nothing was imported.", file=sys.stderr)
        return 2
    print(
        f"Imported {result.tasks} tasks, {result.links} links and {result.assignments} assignments "
        f"from {path.name} into {project.code}."
    )
    return 0


def add_parsers(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import a Microsoft Project or Primavera file into a project's plan",
        description="Replace the plan of the project CODE with the tasks, links, calendars, resources and "
        "assignments of FILE, all or nothing. MSPDI (.xml) always; .mpp, .xer and PMXML with the 'mpp' extra.",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--project", required=True, metavar="CODE", help="the project's code")
    parser.add_argument(
        "--format", choices=["mspdi", "mpp", "xer", "pmxml"], default=None, help="default: from the extension"
    )
    parser.set_defaults(handler=run_import)
