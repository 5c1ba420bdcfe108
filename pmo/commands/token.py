"""`pmo token create USERNAME`: a personal API token from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def run_token_create(args: argparse.Namespace) -> int:
    from pmo.commands.server import _django_setup

    _django_setup()
    from django.contrib.auth import get_user_model

    from pmo.core.errors import ValidationFailed
    from pmo.core.services import token_create

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        print(f"pmo token create: no user named {args.username!r}", file=sys.stderr)
        return 2
    try:
        _token, plaintext = token_create(
            user=user,
            name=args.name,
            scope="read" if args.read_only else "write",
            expires_in_days=args.days,
        )
    except ValidationFailed as error:
        print(f"pmo token create: {error.message}", file=sys.stderr)
        return 2
    print(plaintext)
    return 0


def add_parsers(subparsers: Any) -> None:
    token = subparsers.add_parser("token", help="manage personal API tokens", description="Manage API tokens.")
    token_sub = token.add_subparsers(dest="token_command", required=True, metavar="COMMAND")
    create = token_sub.add_parser(
        "create",
        help="print a new API token for a user",
        description="Create a personal API token for USERNAME and print it (it is shown only this once).",
    )
    create.add_argument("username", metavar="USERNAME")
    create.add_argument("--name", default="command line", help="a label to recognise the token by")
    create.add_argument("--read-only", action="store_true", help="the token may only read (GET)")
    create.add_argument("--days", type=int, default=None, help="valid for this many days (default: until revoked)")
    create.set_defaults(handler=run_token_create)
