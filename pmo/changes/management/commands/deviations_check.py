"""`pmo manage deviations_check [--project CODE ...]`: judge running projects against their portfolio's
thresholds, raising, updating and closing deviations (run it nightly, for example from cron)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pmo.changes.services import deviations_check
from pmo.core.access import SYSTEM
from pmo.portfolio.models import Project


class Command(BaseCommand):
    help = "Raise, update and close deviations of running projects against their portfolio's thresholds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", action="append", default=[], help="Only this project code (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = options["project"]
        projects = None
        if codes:
            projects = list(Project.objects.filter(code__in=codes).select_related("portfolio", "manager"))
            missing = sorted(set(codes) - {p.code for p in projects})
            if missing:
                raise CommandError(f"No project with code {', '.join(missing)}.")
        counts = deviations_check(actor=SYSTEM, projects=projects)
        self.stdout.write(f"{counts['raised']} raised, {counts['updated']} updated, {counts['closed']} closed")
