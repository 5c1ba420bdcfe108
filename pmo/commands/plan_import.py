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
    from pmo.portfolio.models import Portfolio

    project = Project.objects.filter(code=args.project).first()
    if project is None and not args.portfolio:
        print(f"pmo import: no project with code {args.project!r} (add --portfolio CODE to create it)", file=sys.stderr)
        return 2
    try:
        if project is None:
            portfolio = Portfolio.objects.filter(code=args.portfolio).first()
            if portfolio is None:
                print(f"pmo import: no portfolio with code {args.portfolio!r}", file=sys.stderr)
                return 2
            project, result = interchange.project_create_from_file(
                actor=SYSTEM,
                portfolio=portfolio,
                code=args.project,
                name=args.name or "",
                filename=path.name,
                content=path.read_bytes(),
                file_format=args.format,
            )
            print(f"Created project {project.code} {project.name} in {portfolio.name}.")
        else:
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
        description="Replace the plan of the project CODE (or create it with --portfolio) with the tasks, "
        "links, calendars, resources and assignments of FILE, all or nothing. MSPDI (.xml) always; .mpp, .xer "
        "and PMXML with the 'mpp' extra.",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--project", required=True, metavar="CODE", help="the project's code")
    parser.add_argument(
        "--portfolio", metavar="CODE", help="create the project in this portfolio when no project has the code"
    )
    parser.add_argument("--name", help="the new project's name (default: the file's project name)")
    parser.add_argument(
        "--format", choices=["mspdi", "mpp", "xer", "pmxml"], default=None, help="default: from the extension"
    )
    parser.set_defaults(handler=run_import)
