"""`pmo report portfolio`: the consolidated portfolio status report from the command line.

Usage::

    pmo report portfolio [--portfolio CODE] [--format pdf|xlsx|csv] --output FILE
                         [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--user USERNAME]

Without ``--portfolio`` the report covers every portfolio; the period is the last full month unless
``--from``/``--to`` are given; the format is taken from the output's extension unless ``--format`` is given
(PDF by default). ``--user`` produces it as that user sees it (the default: everything). ``--output -``
writes to standard output.

Exit codes: 0 written; 2 bad arguments (unknown portfolio or user, bad date or format).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

FORMATS = ("pdf", "xlsx", "csv")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from error


def _fail(message: str) -> int:
    print(f"pmo report portfolio: {message}", file=sys.stderr)
    return 2


def run_portfolio(args: argparse.Namespace) -> int:
    from pmo.commands.server import _django_setup

    _django_setup()
    from django.contrib.auth import get_user_model

    from pmo.core.access import SYSTEM
    from pmo.portfolio.models import Portfolio
    from pmo.reporting import reports

    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        fmt = suffix if suffix in FORMATS else "pdf"
    portfolio = None
    if args.portfolio:
        portfolio = Portfolio.objects.filter(code__iexact=args.portfolio).first()
        if portfolio is None:
            codes = ", ".join(Portfolio.objects.order_by("code").values_list("code", flat=True))
            return _fail(f"no portfolio {args.portfolio!r} (there are: {codes or 'none'})")
    actor: Any = SYSTEM
    if args.user:
        actor = get_user_model().objects.filter(username=args.user).first()
        if actor is None:
            return _fail(f"no user named {args.user!r}")
    if args.period_start and args.period_end and args.period_end < args.period_start:
        return _fail("--to is before --from")
    built = reports.build(actor, portfolio=portfolio, period_start=args.period_start, period_end=args.period_end)
    content = reports.render(built, fmt)
    if args.output == "-":
        sys.stdout.buffer.write(content)
    else:
        Path(args.output).write_bytes(content)
        print(
            f"{built.title}, {built.period_start} to {built.period_end}: {len(built.board.rows)} projects, "
            f"{fmt} written to {args.output} ({len(content)} bytes)"
        )
    return 0


def add_parsers(subparsers: Any) -> None:
    report = subparsers.add_parser("report", help="produce reports", description="Produce pmo reports.")
    sub = report.add_subparsers(dest="report_command", required=True, metavar="REPORT")
    portfolio = sub.add_parser(
        "portfolio",
        help="the consolidated portfolio status report (PDF, Excel or CSV)",
        description="Write the consolidated status report of a portfolio (or of all) for a period.",
    )
    portfolio.add_argument("--portfolio", metavar="CODE", help="the portfolio's code (default: all portfolios)")
    portfolio.add_argument("--format", choices=FORMATS, help="default: from the output's extension, else pdf")
    portfolio.add_argument("--output", "-o", required=True, metavar="FILE", help="where to write it ('-': stdout)")
    portfolio.add_argument("--from", dest="period_start", type=_date, help="period start (default: last month)")
    portfolio.add_argument("--to", dest="period_end", type=_date, help="period end")
    portfolio.add_argument("--user", metavar="USERNAME", help="produce it as this user sees it")
    portfolio.set_defaults(handler=run_portfolio)
