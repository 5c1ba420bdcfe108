"""Progress settings, cost rates, timesheets, actual costs and earned value snapshots of projects.

Task progress (percent complete, remaining duration, actual dates) lives on `planning.Task` and the
project's status date on `planning.Plan`; this app adds what a plan does not hold."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pmo.core.models import BusinessModel
from pmo.planning.models import Task
from pmo.portfolio.models import Project
from pmo.resources.models import Person


class ProgressMethod(models.TextChoices):
    PERCENT = "percent", "Percent complete"
    PHYSICAL = "physical", "Physical % complete"
    MILESTONES = "milestones", "Milestone weights"


class ControlSettings(BusinessModel):
    """How a project measures progress (earned value)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="control_settings")
    progress_method = models.CharField(max_length=12, choices=ProgressMethod.choices, default=ProgressMethod.PERCENT)

    class Meta:
        verbose_name = "control settings"
        verbose_name_plural = "control settings"

    def __str__(self) -> str:
        return f"Control settings of {self.project}"


class TaskBudget(BusinessModel):
    """A task's budget (its planned cost), physical % complete and milestone weight."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="budget")
    budget = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    physical_percent = models.DecimalField(
        "physical % complete",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    weight = models.DecimalField(
        "milestone weight", max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = "task budget"

    def __str__(self) -> str:
        return f"Budget of {self.task}"


class CostRate(BusinessModel):
    """What an hour of a person's work costs the project."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="cost_rate")
    rate_per_hour = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ("person__name",)
        verbose_name = "cost rate"

    def __str__(self) -> str:
        return f"{self.person}: {self.rate_per_hour}/h"


class Timesheet(BusinessModel):
    """One person's hours on one project's tasks in one week (Monday first), approved by its manager."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="timesheets")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="timesheets")
    week_start = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ("-week_start", "person__name", "project__code")
        constraints = [
            models.UniqueConstraint(fields=["person", "project", "week_start"], name="one_timesheet_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.project.code} · week of {self.week_start:%d %b %Y}"


class TimeEntry(models.Model):
    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="entries")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="time_entries")
    day = models.DateField()
    hours = models.DecimalField(
        max_digits=4, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(24)]
    )

    class Meta:
        ordering = ("day", "task__position")
        constraints = [models.UniqueConstraint(fields=["timesheet", "task", "day"], name="one_entry_per_task_day")]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.task} {self.day}"


class CostCategory(models.TextChoices):
    LABOUR = "labour", "Labour"
    MATERIAL = "material", "Material"
    SERVICES = "services", "Services"
    TRAVEL = "travel", "Travel"
    OTHER = "other", "Other"


class CostEntry(BusinessModel):
    """An actual cost of a project on a day: an expense, or labour from an approved timesheet."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered"
        IMPORT = "import", "Imported"
        TIMESHEET = "timesheet", "Timesheet"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cost_entries")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="cost_entries")
    date = models.DateField()
    category = models.CharField(max_length=10, choices=CostCategory.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    description = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    timesheet = models.ForeignKey(
        Timesheet, null=True, blank=True, on_delete=models.CASCADE, related_name="cost_entries"
    )
    hours = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ("project", "-date", "-id")
        indexes = [models.Index(fields=["project", "date"])]
        verbose_name = "cost entry"
        verbose_name_plural = "cost entries"

    def __str__(self) -> str:
        return f"{self.project.code} {self.date} {self.get_category_display()} {self.amount}"


class EvmSnapshot(models.Model):
    """A project's earned value and earned schedule figures at a status date (one per date)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evm_snapshots")
    status_date = models.DateField()
    baseline_name = models.CharField(max_length=100)
    bac = models.DecimalField(max_digits=14, decimal_places=2)
    pv = models.DecimalField(max_digits=14, decimal_places=2)
    ev = models.DecimalField(max_digits=14, decimal_places=2)
    ac = models.DecimalField(max_digits=14, decimal_places=2)
    spi = models.FloatField(null=True, blank=True)
    cpi = models.FloatField(null=True, blank=True)
    spi_t = models.FloatField(null=True, blank=True)
    sv_t_days = models.FloatField(default=0)
    es_date = models.DateTimeField(null=True, blank=True)
    eac = models.DecimalField("EAC (recommended)", max_digits=14, decimal_places=2, null=True, blank=True)
    eac_low = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    eac_high = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    forecast_finish = models.DateTimeField(null=True, blank=True)
    finish_low = models.DateTimeField(null=True, blank=True)
    finish_high = models.DateTimeField(null=True, blank=True)
    planned_finish = models.DateTimeField(null=True, blank=True)
    metrics = models.JSONField(default=dict, help_text="Every figure the engine computed, by name.")
    taken_at = models.DateTimeField(auto_now=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ("project", "status_date")
        constraints = [models.UniqueConstraint(fields=["project", "status_date"], name="one_snapshot_per_date")]
        verbose_name = "EVM snapshot"

    def __str__(self) -> str:
        return f"{self.project.code} at {self.status_date:%d %b %Y}"
