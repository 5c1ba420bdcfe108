"""`pmo manage run_scheduled_reports [--date YYYY-MM-DD]`: produce, archive and e-mail every scheduled report
that is due (for cron, e.g. every morning at 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pmo.reporting import services
from pmo.reporting.models import ReportArchive


class Command(BaseCommand):
    help = "Produce, archive and e-mail the scheduled reports that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="run as if today were this day (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {options['date']!r} is not a date (YYYY-MM-DD)") from error
        before = set(ReportArchive.objects.values_list("pk", flat=True))
        ids = services.subscriptions_run_due(today=today)
        produced = ReportArchive.objects.exclude(pk__in=before).filter(subscription_id__in=ids)
        for archive in produced:
            self.stdout.write(f"{archive.title} ({archive.format}) sent to {archive.emailed_to or 'nobody'}")
        failed = len(ids) - produced.count()
        self.stdout.write(f"{len(ids)} due, {produced.count()} sent, {failed} failed")
        if failed:
            raise CommandError(f"{failed} scheduled report(s) failed; see the log")
