"""Plans: working calendars, tasks in a WBS, dependencies, assignments of people, and baselines.

Dates are stored timezone-aware; the scheduler works in the organisation's local time (settings.TIME_ZONE)
on the project's working calendar."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pmo.core.models import BusinessModel
from pmo.portfolio.models import Project
from pmo.resources.models import Person

STANDARD_WEEK = [[[480, 720], [780, 1020]]] * 5 + [[], []]


def standard_week() -> list[list[list[int]]]:
    return [list(day) for day in STANDARD_WEEK]


class WorkCalendar(BusinessModel):
    """A weekly working pattern (seven days, Monday first, each a list of [from, to] minutes after
    midnight) with dated exceptions; a resource calendar names the calendar it is based on."""

    name = models.CharField(max_length=100, unique=True)
    week = models.JSONField(default=standard_week)
    minutes_per_day = models.PositiveIntegerField(default=480)
    base = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="derived")

    class Meta:
        ordering = ("name",)
        verbose_name = "working calendar"

    def __str__(self) -> str:
        return self.name


class CalendarException(models.Model):
    """Days off (no intervals) or days with their own working hours."""

    calendar = models.ForeignKey(WorkCalendar, on_delete=models.CASCADE, related_name="exceptions")
    name = models.CharField(max_length=100, blank=True)
    start = models.DateField()
    finish = models.DateField()
    intervals = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("start",)

    def __str__(self) -> str:
        return f"{self.name or 'Exception'} {self.start}"


class Plan(BusinessModel):
    """The scheduling settings of one project and the outcome of its last calculation."""

    class Direction(models.TextChoices):
        FORWARD = "forward", "From the start date"
        BACKWARD = "backward", "Back from the finish date"

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="plan")
    calendar = models.ForeignKey(WorkCalendar, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.FORWARD)
    start = models.DateTimeField(null=True, blank=True)
    finish = models.DateTimeField(null=True, blank=True)
    status_date = models.DateTimeField(null=True, blank=True)
    next_uid = models.PositiveIntegerField(default=1)
    # The outcome of the last calculation
    scheduled_start = models.DateTimeField(null=True, blank=True)
    scheduled_finish = models.DateTimeField(null=True, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    schedule_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Plan of {self.project}"


class Task(BusinessModel):
    class ConstraintType(models.TextChoices):
        ASAP = "ASAP", "As soon as possible"
        ALAP = "ALAP", "As late as possible"
        SNET = "SNET", "Start no earlier than"
        SNLT = "SNLT", "Start no later than"
        FNET = "FNET", "Finish no earlier than"
        FNLT = "FNLT", "Finish no later than"
        MSO = "MSO", "Must start on"
        MFO = "MFO", "Must finish on"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    uid = models.PositiveIntegerField(help_text="Stable number within the project (Microsoft Project's UID).")
    position = models.PositiveIntegerField(help_text="Row order in the plan (outline order).")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(max_length=255)
    duration_minutes = models.PositiveIntegerField(default=480)
    constraint_type = models.CharField(max_length=4, choices=ConstraintType.choices, default=ConstraintType.ASAP)
    constraint_date = models.DateTimeField(null=True, blank=True)
    calendar = models.ForeignKey(WorkCalendar, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_finish = models.DateTimeField(null=True, blank=True)
    percent_complete = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    remaining_minutes = models.PositiveIntegerField(null=True, blank=True)
    # Three-point estimate for schedule risk analysis: the duration is the most likely value.
    optimistic_minutes = models.PositiveIntegerField("optimistic duration", null=True, blank=True)
    pessimistic_minutes = models.PositiveIntegerField("pessimistic duration", null=True, blank=True)
    notes = models.TextField(blank=True)
    # Results of the last calculation (derived, never edited by hand)
    start = models.DateTimeField(null=True, blank=True)
    finish = models.DateTimeField(null=True, blank=True)
    early_start = models.DateTimeField(null=True, blank=True)
    early_finish = models.DateTimeField(null=True, blank=True)
    late_start = models.DateTimeField(null=True, blank=True)
    late_finish = models.DateTimeField(null=True, blank=True)
    total_float_minutes = models.IntegerField(null=True, blank=True)
    free_float_minutes = models.IntegerField(null=True, blank=True)
    is_critical = models.BooleanField(default=False)
    is_summary = models.BooleanField(default=False)

    AUDIT_EXCLUDE = BusinessModel.AUDIT_EXCLUDE | {
        "start",
        "finish",
        "early_start",
        "early_finish",
        "late_start",
        "late_finish",
        "total_float_minutes",
        "free_float_minutes",
        "is_critical",
        "is_summary",
        "position",
    }

    class Meta:
        ordering = ("project", "position")
        constraints = [models.UniqueConstraint(fields=["project", "uid"], name="task_uid_unique_in_project")]
        indexes = [models.Index(fields=["project", "position"])]

    def __str__(self) -> str:
        return f"{self.uid} {self.name}"

    @property
    def is_milestone(self) -> bool:
        return self.duration_minutes == 0 and not self.is_summary


class Dependency(models.Model):
    class Type(models.TextChoices):
        FS = "FS", "Finish-to-start"
        SS = "SS", "Start-to-start"
        FF = "FF", "Finish-to-finish"
        SF = "SF", "Start-to-finish"

    predecessor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="predecessor_links")
    type = models.CharField(max_length=2, choices=Type.choices, default=Type.FS)
    lag_minutes = models.IntegerField(default=0)
    lag_elapsed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="one_link_per_task_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} {self.type} {self.successor_id}"


class CrossProjectLink(BusinessModel):
    """A task of one project that waits for a deliverable (a task or milestone) of another project:
    finish-to-start, with the date the consumer needs it by."""

    provider = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="consumer_links")
    consumer = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="provider_links")
    date_needed = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)
    # Kept by pmo.planning.links each time either project is re-scheduled (derived, not audited).
    forecast_date = models.DateField(null=True, blank=True, help_text="The provider's forecast finish.")
    late_days = models.PositiveIntegerField(default=0, help_text="Days the forecast is after the date needed.")
    impact_days = models.DecimalField(
        max_digits=7, decimal_places=1, default=0, help_text="Working days the consumer project's finish moves."
    )
    late_since = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("consumer__project__code", "consumer__position")
        constraints = [models.UniqueConstraint(fields=["provider", "consumer"], name="one_cross_link_per_pair")]

    def __str__(self) -> str:
        return f"{self.provider} -> {self.consumer}"


class Assignment(models.Model):
    """A person working on a task at some units (1.00 = full time)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignments")
    units = models.DecimalField(max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "person"], name="one_assignment_per_person")]

    def __str__(self) -> str:
        return f"{self.person} on {self.task}"


class Baseline(models.Model):
    """A named snapshot of the plan's dates and durations, to measure variance against."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baselines")
    name = models.CharField(max_length=100)
    captured_at = models.DateTimeField(auto_now_add=True)
    captured_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    start = models.DateTimeField(null=True, blank=True)
    finish = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("project", "-captured_at", "-id")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="baseline_name_unique")]

    def __str__(self) -> str:
        return self.name


class BaselineTask(models.Model):
    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="tasks")
    task_uid = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    start = models.DateTimeField(null=True, blank=True)
    finish = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["baseline", "task_uid"], name="baseline_task_unique")]

    def __str__(self) -> str:
        return f"{self.task_uid} {self.name}"


class LevelingRun(models.Model):
    """One request to level a set of projects over the people they share, and its outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready to review"
        FAILED = "failed", "Failed"
        ACCEPTED = "accepted", "Accepted"
        DISCARDED = "discarded", "Discarded"

    class Mode(models.TextChoices):
        FAST = "fast", "Fast (heuristic, seconds)"
        EXACT = "exact", "Exact (CP-SAT solver, up to the time limit)"

    projects = models.ManyToManyField(Project, related_name="leveling_runs")
    portfolio = models.ForeignKey(
        "portfolio.Portfolio", null=True, blank=True, on_delete=models.SET_NULL, related_name="leveling_runs"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.FAST)
    time_limit_s = models.FloatField(default=10)
    within_float = models.BooleanField(
        "keep every project's finish",
        default=False,
        help_text="Level within float only: tasks move, but no project finishes later than unlevelled.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Levelling run {self.pk}"
