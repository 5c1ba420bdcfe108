"""The demo's reporting: the PMO director's monthly PDF of every portfolio (first due on the 1st of next
month) and an executive's weekly Excel of the Digital portfolio, with last week's report already produced
and archived. (The roadmap's late dependency is the planning demo's: DIG-006 waits for DIG-007's second
build increment.)"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from pmo.portfolio.models import Portfolio
from pmo.reporting import reports, services
from pmo.reporting.models import ReportSubscription


def _subscribe(
    username: str, portfolio_code: str | None, frequency: str, fmt: str, today: dt.date, *, produced: bool
) -> None:
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.email:
        return
    portfolio = Portfolio.objects.filter(code=portfolio_code).first() if portfolio_code else None
    subscription = services.subscription_create(
        actor=user, portfolio=portfolio, frequency=frequency, fmt=fmt, today=today
    )
    if not produced:
        return
    # The last report it produced (archived, not e-mailed again by the demo).
    if frequency == ReportSubscription.Frequency.WEEKLY:
        start, end = today - dt.timedelta(days=7 + today.weekday()), today - dt.timedelta(days=1 + today.weekday())
    else:
        start, end = reports.default_period(today)
    services.report_generate(
        actor=user, portfolio=portfolio, fmt=fmt, period_start=start, period_end=end, subscription=subscription
    )
    ReportSubscription.objects.filter(pk=subscription.pk).update(last_run=timezone.now())


def load_demo_reporting(*, today: dt.date) -> None:
    # Only the Excel one is produced while the demo loads: a PDF would add seconds to every demo load.
    _subscribe("director", None, ReportSubscription.Frequency.MONTHLY, "pdf", today, produced=False)
    _subscribe("exec", "DIG", ReportSubscription.Frequency.WEEKLY, "xlsx", today, produced=True)
