"""`pmo manage tasks_recover --stale-minutes N`: fail (with the reason) background tasks whose worker is
gone, and what they were working on, so that nothing waits forever (run it from cron)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pmo.core.tasks import recover_stale


class Command(BaseCommand):
    help = "Mark background tasks running for longer than --stale-minutes as failed, with the reason."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stale-minutes", type=int, default=60)

    def handle(self, *args: Any, stale_minutes: int, **options: Any) -> None:
        recovered = recover_stale(older_than=dt.timedelta(minutes=stale_minutes))
        self.stdout.write(f"{recovered.failed} stale task(s) marked failed.")
