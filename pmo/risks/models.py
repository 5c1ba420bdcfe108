"""Risk registers: threats and opportunities of a project, program or portfolio, rated on the portfolio's
scales, with their response actions, their rating history, and the tasks they would delay."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from pmo.core.models import BusinessModel
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.resources.models import Person
from pmo.risks.scales import DEFAULT_ESCALATION_SCORE, MAX_LEVELS

LEVEL = [MinValueValidator(1), MaxValueValidator(MAX_LEVELS)]


class RiskScale(BusinessModel):
    """A portfolio's probability and impact scales and the score from which a project risk escalates.
    A portfolio without one uses the default 5x5 scales (see pmo.risks.scales)."""

    portfolio = models.OneToOneField(Portfolio, on_delete=models.CASCADE, related_name="risk_scale")
    escalation_score = models.PositiveSmallIntegerField(
        default=DEFAULT_ESCALATION_SCORE,
        validators=[MinValueValidator(1)],
        help_text="A project risk with this score or more shows on its program and portfolio.",
    )
    probability_levels = models.JSONField(
        default=list, help_text='[{"level": 1, "label": "Very low (under 10 %)", "percent": "5"}, ...]'
    )
    impact_levels = models.JSONField(
        default=list, help_text='[{"level": 1, "label": "Very low", "money": "10000", "days": 5}, ...]'
    )

    def __str__(self) -> str:
        return f"Risk scales of {self.portfolio}"


class Category(models.TextChoices):
    TECHNICAL = "technical", "Technical"
    SCHEDULE = "schedule", "Schedule"
    COST = "cost", "Cost and funding"
    RESOURCES = "resources", "People and resources"
    SUPPLIER = "supplier", "Supplier and contract"
    REGULATORY = "regulatory", "Legal and regulatory"
    SECURITY = "security", "Security and data"
    ORGANISATION = "organisation", "Organisation and change"
    EXTERNAL = "external", "External and market"


class Strategy(models.TextChoices):
    AVOID = "avoid", "Avoid"
    MITIGATE = "mitigate", "Mitigate"
    TRANSFER = "transfer", "Transfer"
    EXPLOIT = "exploit", "Exploit"
    ENHANCE = "enhance", "Enhance"
    SHARE = "share", "Share"
    ACCEPT = "accept", "Accept"


class Risk(BusinessModel):
    """A threat or an opportunity: because of a cause, an event may happen, with an effect on objectives.
    Exactly one of project, program or portfolio owns it; its scales are those of the owner's portfolio."""

    class Kind(models.TextChoices):
        THREAT = "threat", "Threat"
        OPPORTUNITY = "opportunity", "Opportunity"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        OCCURRED = "occurred", "Occurred"
        CLOSED = "closed", "Closed"

    class Proximity(models.TextChoices):
        NONE = "", "Not set"
        NEAR = "near", "Near (within a month)"
        MEDIUM = "medium", "Medium (1-3 months)"
        FAR = "far", "Far (later)"

    code = models.CharField(max_length=20, unique=True, editable=False)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="risks")
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.CASCADE, related_name="risks")
    portfolio = models.ForeignKey(
        Portfolio,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="risks",
        help_text="Portfolio risks only.",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.THREAT)
    title = models.CharField(max_length=200)
    cause = models.TextField(blank=True, help_text="Because of ... (the fact or condition behind it)")
    event = models.TextField(blank=True, help_text="... this may happen ...")
    effect = models.TextField(blank=True, help_text="... which would ... (the effect on the objectives)")
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.TECHNICAL)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    probability = models.PositiveSmallIntegerField(validators=LEVEL)
    impact = models.PositiveSmallIntegerField(validators=LEVEL)
    score = models.PositiveSmallIntegerField(editable=False, db_index=True)
    cost_impact = models.DecimalField(
        "cost if it happens",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Leave empty to use the impact level's cost.",
    )
    schedule_impact_days = models.PositiveIntegerField(
        "delay if it happens (days)", null=True, blank=True, help_text="Leave empty to use the impact level's days."
    )
    proximity = models.CharField(max_length=10, choices=Proximity.choices, blank=True)
    proximity_date = models.DateField("expected by", null=True, blank=True)
    trigger = models.TextField(blank=True, help_text="The early warning sign that it is about to happen.")
    strategy = models.CharField("response strategy", max_length=10, choices=Strategy.choices, blank=True)
    response = models.TextField("response plan", blank=True)
    residual_probability = models.PositiveSmallIntegerField(null=True, blank=True, validators=LEVEL)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True, validators=LEVEL)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    shared = models.BooleanField(
        "shared with the program and portfolio",
        default=False,
        help_text="Show it on the program and portfolio whatever its score.",
    )
    affected_projects = models.ManyToManyField(
        Project, blank=True, related_name="shared_risks", help_text="Other projects the risk would hit."
    )
    issue = models.OneToOneField(
        "changes.Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="risk", editable=False
    )
    occurred_on = models.DateField(null=True, blank=True, editable=False)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    closure_note = models.TextField(blank=True)

    class Meta:
        ordering = ("-score", "code")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(project__isnull=False, program__isnull=True, portfolio__isnull=True)
                    | Q(project__isnull=True, program__isnull=False, portfolio__isnull=True)
                    | Q(project__isnull=True, program__isnull=True, portfolio__isnull=False)
                ),
                name="risk_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def level(self) -> str:
        """Whose register it is in: "project", "program" or "portfolio"."""
        if self.project_id:
            return "project"
        return "program" if self.program_id else "portfolio"

    @property
    def owning_portfolio_id(self) -> int | None:
        if self.project_id:
            return self.project.portfolio_id
        if self.program_id:
            return self.program.portfolio_id
        return self.portfolio_id

    @property
    def scope(self) -> Project | Program | Portfolio | None:
        return self.project or self.program or self.portfolio


class RiskAssessment(models.Model):
    """One rating of a risk (on creation and on every re-rating): the risk's trend is read from these."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    probability = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    residual_probability = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("assessed_on", "id")

    def __str__(self) -> str:
        return f"{self.risk.code} {self.assessed_on}: {self.score}"


class RiskAction(BusinessModel):
    """A response action: who does what by when."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="risk_actions")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    completed_on = models.DateField(null=True, blank=True, editable=False)
    overdue_notified_on = models.DateField(
        null=True, blank=True, editable=False, help_text="When its owner was told it is overdue (once per due date)."
    )

    AUDIT_EXCLUDE = BusinessModel.AUDIT_EXCLUDE | {"overdue_notified_on"}

    class Meta:
        ordering = ("due_date", "id")

    def __str__(self) -> str:
        return f"{self.risk.code}: {self.description}"


OPEN_ACTION_STATUSES = (RiskAction.Status.PLANNED, RiskAction.Status.IN_PROGRESS)


class RiskTaskImpact(BusinessModel):
    """What the risk would do to one task if it happened, as three-point estimates (minimum, most likely,
    maximum) of the extra duration and the extra cost: the input of the Monte Carlo schedule and cost
    analysis."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="task_impacts")
    task = models.ForeignKey("planning.Task", on_delete=models.CASCADE, related_name="risk_impacts")
    min_days = models.DecimalField("extra days (minimum)", max_digits=7, decimal_places=1, default=0)
    likely_days = models.DecimalField("extra days (most likely)", max_digits=7, decimal_places=1, default=0)
    max_days = models.DecimalField("extra days (maximum)", max_digits=7, decimal_places=1, default=0)
    min_cost = models.DecimalField("extra cost (minimum)", max_digits=16, decimal_places=2, default=0)
    likely_cost = models.DecimalField("extra cost (most likely)", max_digits=16, decimal_places=2, default=0)
    max_cost = models.DecimalField("extra cost (maximum)", max_digits=16, decimal_places=2, default=0)

    class Meta:
        ordering = ("risk", "task__position")
        constraints = [models.UniqueConstraint(fields=["risk", "task"], name="one_impact_per_risk_task")]

    def __str__(self) -> str:
        return f"{self.risk.code} on {self.task.name}"


class SimulationRun(models.Model):
    """One schedule and cost risk analysis (Monte Carlo) of a project, or of the key milestones of a
    portfolio's running projects: its settings, the model it simulated and its results."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Distribution(models.TextChoices):
        TRIANGULAR = "triangular", "Triangular"
        PERT = "pert", "PERT (beta)"

    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="simulation_runs"
    )
    portfolio = models.ForeignKey(
        Portfolio, null=True, blank=True, on_delete=models.CASCADE, related_name="simulation_runs"
    )
    iterations = models.PositiveIntegerField(default=5000)
    seed = models.PositiveIntegerField(default=0)
    distribution = models.CharField(max_length=12, choices=Distribution.choices, default=Distribution.TRIANGULAR)
    optimistic_pct = models.PositiveSmallIntegerField(
        default=90, help_text="Optimistic duration of tasks without an estimate, % of the most likely."
    )
    pessimistic_pct = models.PositiveSmallIntegerField(
        default=130, help_text="Pessimistic duration of tasks without an estimate, % of the most likely."
    )
    include_risks = models.BooleanField(default=True, help_text="Let the register's threats with task impacts happen.")
    phase_correlation = models.FloatField(
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="How much the tasks of one phase (summary task) slip together: 0 independent, 1 in step.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    inputs = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project__isnull=False, portfolio__isnull=True)
                | models.Q(project__isnull=True, portfolio__isnull=False),
                name="simulation_of_a_project_or_a_portfolio",
            )
        ]

    def __str__(self) -> str:
        return f"Risk analysis {self.pk}"
