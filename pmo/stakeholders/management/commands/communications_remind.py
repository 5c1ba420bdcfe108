"""`pmo manage communications_remind [--date YYYY-MM-DD]`: tell the senders of overdue communications (run it
daily, for example from cron). Each overdue item is reminded once per due date; running it again tells nobody
twice."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pmo.core.access import SYSTEM
from pmo.stakeholders.services import communications_remind


class Command(BaseCommand):
    help = "Remind the senders of overdue communications (once per item and due date)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Judge as of this day (YYYY-MM-DD); default: today.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        counts = communications_remind(actor=SYSTEM, today=today)
        self.stdout.write(f"{counts['overdue']} overdue communications, {counts['notified']} reminders sent")
