"""The `pmo` command."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

import pmo

# Subcommand modules; each exposes add_parsers(subparsers) (several commands) or add_parser (one).
COMMAND_MODULES = (
    "pmo.commands.server",
    "pmo.commands.token",
    "pmo.commands.schedule",
    "pmo.commands.plan_import",
    "pmo.commands.select",
    "pmo.commands.evm",
    "pmo.commands.risk",
    "pmo.commands.backup",
    "pmo.commands.worker",
    "pmo.reporting.cli",
)


def run_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pmo manage", *args.args])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pmo", description="pmo: the platform a Project Management Office runs on.")
    parser.add_argument("--version", action="version", version=f"pmo {pmo.__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "add_parsers"):
            module.add_parsers(subparsers)
        else:
            module.add_parser(subparsers)
            if not subparsers.choices[list(subparsers.choices)[-1]].get_default("handler"):
                subparsers.choices[list(subparsers.choices)[-1]].set_defaults(handler=module.run)
    manage = subparsers.add_parser(
        "manage",
        help="run any Django management command",
        description="Run a Django management command against pmo, e.g. 'pmo manage migrate'.",
        add_help=False,
    )
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=run_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except ImproperlyConfigured as error:
        # A setting from the environment that cannot work (e.g. OIDC_ISSUER unreachable): one clear line.
        print(f"pmo: configuration error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
