"""`pmo manage risk_actions_check [--date YYYY-MM-DD]`: tell the owners of overdue risk response actions (run it
nightly, for example from cron). Each overdue action is notified once; running it again tells nobody twice."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pmo.core.access import SYSTEM
from pmo.risks.services import risk_actions_check


class Command(BaseCommand):
    help = "Notify the owners of overdue risk response actions (once per action and due date)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Judge as of this day (YYYY-MM-DD); default: today.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        counts = risk_actions_check(actor=SYSTEM, today=today)
        self.stdout.write(f"{counts['overdue']} overdue actions, {counts['notified']} owners notified")
