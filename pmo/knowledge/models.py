"""Closure and archive, the lessons learned register, full-text search and PMO maturity."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pmo.core.models import BusinessModel
from pmo.portfolio.models import Portfolio, Project
from pmo.resources.models import Person


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class Closure(BusinessModel):
    """The closure of one project: its report, its lessons-learned session and the closing itself.

    A normal closure runs while the project is "closing" and ends by moving it to "closed"; a project killed at
    a gate (cancelled) goes through the same closure with `killed` set. Figures are computed from the product's
    data while the closure is open and frozen into the record when it is closed."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="closure")
    reason = models.TextField(blank=True, help_text="Why the project closes: delivered, or why it was stopped.")
    killed = models.BooleanField(default=False, help_text="Stopped by governance (a kill decision at a gate).")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS, db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The closure report
    objectives_met = models.CharField("objectives met (overall)", max_length=6, choices=Answer.choices, blank=True)
    objectives_comment = models.TextField("comment on the objectives", blank=True)
    final_cost = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Leave empty to use the actual cost recorded on the project.",
    )
    actual_finish = models.DateField(
        null=True, blank=True, help_text="Leave empty to use the latest actual finish of the project's tasks."
    )
    benefits_handed_over = models.TextField(
        blank=True, help_text="Which benefits are handed over, to whom, and who measures them from now on."
    )
    recommendations = models.TextField(blank=True)
    report_completed_at = models.DateTimeField(null=True, blank=True)
    # The lessons-learned session
    session_date = models.DateField("session held on", null=True, blank=True)
    session_participants = models.TextField("participants", blank=True, help_text="One name (and role) a line.")
    session_notes = models.TextField("session notes", blank=True)
    # Frozen when closed
    budget_at_close = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    actual_cost_at_close = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    baseline_finish_at_close = models.DateField(null=True, blank=True)
    actual_finish_at_close = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("status", "-created_at")

    def __str__(self) -> str:
        return f"Closure of {self.project}"


class ClosureObjective(models.Model):
    """One objective of the project and whether it was met (the report's per-objective answer)."""

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="objectives")
    objective = models.CharField(max_length=300)
    met = models.CharField(max_length=6, choices=Answer.choices, blank=True)
    comment = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("closure", "position", "id")

    def __str__(self) -> str:
        return self.objective


class LessonCategory(BusinessModel):
    """A category of lessons, from the list the PMO maintains."""

    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "lesson categories"

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    INITIATING = "initiating", "Initiating"
    PLANNING = "planning", "Planning"
    EXECUTING = "executing", "Executing"
    CLOSING = "closing", "Closing"
    WHOLE = "whole", "Whole project"


class Lesson(BusinessModel):
    """A lesson learned or a best practice: what happened, its impact and what to do next time."""

    class Kind(models.TextChoices):
        LESSON = "lesson", "Lesson learned"
        BEST_PRACTICE = "best_practice", "Best practice"

    code = models.CharField(max_length=20, unique=True, editable=False)
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.LESSON, db_index=True)
    title = models.CharField(max_length=200)
    what_happened = models.TextField()
    impact = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)
    category = models.ForeignKey(
        LessonCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="lessons"
    )
    phase = models.CharField(max_length=12, choices=Phase.choices, blank=True)
    tags = models.CharField(max_length=300, blank=True, help_text="Comma-separated, e.g. supplier, data migration")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="lessons")
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.SET_NULL, related_name="lessons")
    relevant = models.BooleanField(
        default=False, db_index=True, help_text="Shown to new proposals and at gate reviews of similar projects."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["relevant", "category"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class SearchEntry(models.Model):
    """One searchable text: a lesson or best practice, a template or policy, a closed project's document.

    Kept in step by pmo.knowledge.search; on SQLite an FTS5 table (knowledge_search_fts) mirrors title and
    body by rowid, on PostgreSQL a GIN index on the text's tsvector serves the search."""

    class Type(models.TextChoices):
        LESSON = "lesson", "Lessons learned"
        BEST_PRACTICE = "best_practice", "Best practices"
        TEMPLATE = "template", "Templates and policies"
        DOCUMENT = "document", "Closed projects' documents"

    key = models.CharField(max_length=60, unique=True, help_text='"lesson:12", "template:3", "document:40"')
    type = models.CharField(max_length=14, choices=Type.choices, db_index=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=80, blank=True)
    methodology = models.CharField(max_length=80, blank=True)
    digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ("type", "title")
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.key} {self.title}"


class SearchState(models.Model):
    """Bookkeeping of the search index, such as the fingerprint of the external texts last brought in step."""

    key = models.CharField(max_length=60, unique=True)
    value = models.CharField(max_length=128, blank=True)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class Dimension(models.TextChoices):
    GOVERNANCE = "governance", "Governance"
    METHOD = "method", "Method"
    RESOURCES = "resources", "Resources"
    BENEFITS = "benefits", "Benefits"
    RISK = "risk", "Risk"
    REPORTING = "reporting", "Reporting"


class MaturityAssessment(BusinessModel):
    """A self-assessment of the PMO's maturity on one day: a level from 1 to 5 on each dimension."""

    assessed_on = models.DateField()
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-assessed_on", "-id")

    def __str__(self) -> str:
        return f"{self.title} ({self.assessed_on:%d %b %Y})"


class MaturityScore(models.Model):
    assessment = models.ForeignKey(MaturityAssessment, on_delete=models.CASCADE, related_name="scores")
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ("assessment", "dimension")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="maturity_score_unique_dimension")
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.level}"


class ImprovementAction(BusinessModel):
    """A process improvement the PMO committed to, tracked to closure."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    assessment = models.ForeignKey(
        MaturityAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("status", "due", "id")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)
