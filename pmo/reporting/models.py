"""Scheduled reports: a user's subscription to the consolidated portfolio report, and the archive of every
report produced (on demand or on schedule), kept as a stored file."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pmo.core.models import BusinessModel
from pmo.portfolio.models import Portfolio


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"
    CSV = "csv", "CSV"


class ReportSubscription(BusinessModel):
    """Someone receives the consolidated status report of a portfolio (or of all) every week or month."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly (Mondays)"
        MONTHLY = "monthly", "Monthly (the 1st)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions")
    portfolio = models.ForeignKey(
        Portfolio, null=True, blank=True, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    format = models.CharField(max_length=5, choices=ReportFormat.choices, default=ReportFormat.PDF)
    active = models.BooleanField(default=True)
    next_run = models.DateField(help_text="The day the next report is due.")
    last_run = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("user__username", "next_run", "id")

    def __str__(self) -> str:
        scope = self.portfolio.code if self.portfolio_id else "all portfolios"
        return f"{self.get_frequency_display()} {self.get_format_display()} report of {scope}"


class ReportArchive(models.Model):
    """One produced report: its file, what it covers and who asked for it (or which subscription)."""

    class Kind(models.TextChoices):
        PORTFOLIO = "portfolio", "Portfolio status report"
        PROJECT = "project", "Project status report"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PORTFOLIO)
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    project = models.ForeignKey("portfolio.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    format = models.CharField(max_length=5, choices=ReportFormat.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="reports/%Y/%m/", max_length=255)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subscription = models.ForeignKey(
        ReportSubscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="archives"
    )
    emailed_to = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_format_display()})"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
