"""`pmo backup FILE` and `pmo restore FILE [--replace]`: a consistent, versioned archive of all data and
uploaded files, and loading it into an empty database (SQLite or PostgreSQL, either way)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def run_backup(args: argparse.Namespace) -> int:
    from pmo.commands.server import _django_setup

    _django_setup()
    from pmo.core.backup import BackupError, backup_write

    try:
        summary = backup_write(args.file)
    except (BackupError, OSError) as error:
        print(f"pmo backup: {error}", file=sys.stderr)
        return 2
    print(f"{summary.path}: {summary.rows} rows of {summary.models} kinds, {summary.files} uploaded files")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from pmo.commands.server import _django_setup

    _django_setup()
    from django.core.management import call_command

    from pmo.core.backup import BackupError, backup_restore

    call_command("migrate", verbosity=0, interactive=False)
    try:
        summary = backup_restore(args.file, replace=args.replace)
    except (BackupError, OSError) as error:
        print(f"pmo restore: {error}", file=sys.stderr)
        return 2
    print(f"restored {summary.rows} rows of {summary.models} kinds and {summary.files} files from {summary.path}")
    return 0


def add_parsers(subparsers: Any) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="write all data and uploaded files to an archive",
        description="Write a consistent archive of every table and the uploaded files (a zip with a manifest). "
        "It can be restored into SQLite or PostgreSQL.",
    )
    backup.add_argument("file", metavar="FILE", help="the archive to write, e.g. pmo-2026-12-03.zip")
    backup.set_defaults(handler=run_backup)
    restore = subparsers.add_parser(
        "restore",
        help="load an archive into an empty database",
        description="Migrate the database, then load the archive in one transaction. Refuses a database that "
        "already holds data unless --replace.",
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--replace", action="store_true", help="empty a database that holds data first")
    restore.set_defaults(handler=run_restore)
