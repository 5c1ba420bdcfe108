"""Status reports, thresholds and the deviations they raise, the issue log, change requests and the
notifications that tell people about them."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from pmo.core.models import BusinessModel
from pmo.portfolio.models import Portfolio, Priority, Project
from pmo.resources.models import Person


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


DIMENSIONS = ("schedule", "cost", "scope", "risk", "overall")


class Metric(models.TextChoices):
    SPI = "spi", "Schedule performance index (SPI)"
    CPI = "cpi", "Cost performance index (CPI)"
    SPI_T = "spi_t", "Time-based schedule performance index (SPI(t))"
    MILESTONE_SLIP = "milestone_slip_days", "Milestone slip (working days)"
    OPEN_HIGH_ISSUES = "open_high_issues", "Open critical or high issues"
    PENDING_CHANGES = "pending_changes", "Change requests awaiting a decision"
    DEPENDENCY_SLIP = "dependency_slip_days", "Late deliverables of other projects (days)"


class StatusReport(BusinessModel):
    """A project manager's report for one reporting period (a calendar month)."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_reports")
    period = models.DateField(help_text="First day of the reporting month.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    schedule_rag = models.CharField("schedule", max_length=5, choices=Rag.choices, blank=True)
    cost_rag = models.CharField("cost", max_length=5, choices=Rag.choices, blank=True)
    scope_rag = models.CharField("scope", max_length=5, choices=Rag.choices, blank=True)
    risk_rag = models.CharField("risk", max_length=5, choices=Rag.choices, blank=True)
    overall_rag = models.CharField("overall", max_length=5, choices=Rag.choices, blank=True)
    suggested = models.JSONField(default=dict, blank=True, help_text="The RAG pmo suggested per dimension.")
    override_comments = models.JSONField(default=dict, blank=True, help_text="Why a suggested RAG was changed.")
    metrics = models.JSONField(default=dict, blank=True, help_text="The metrics the suggestion was made from.")
    narrative = models.TextField("summary", blank=True)
    achievements = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    decisions_needed = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-period", "project__code")
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="one_status_report_per_period")]

    def __str__(self) -> str:
        return f"{self.project.code} status {self.period:%B %Y}"


class Threshold(BusinessModel):
    """When a metric turns a project amber or red, for the projects of one portfolio."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="thresholds")
    metric = models.CharField(max_length=30, choices=Metric.choices)
    amber = models.DecimalField(max_digits=10, decimal_places=3)
    red = models.DecimalField(max_digits=10, decimal_places=3)

    class Meta:
        ordering = ("portfolio__name", "metric")
        constraints = [models.UniqueConstraint(fields=["portfolio", "metric"], name="one_threshold_per_metric")]

    def __str__(self) -> str:
        return f"{self.portfolio.code} {self.get_metric_display()}"


class Deviation(BusinessModel):
    """A metric of a project past its portfolio's threshold; closed by the check once it is back."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        CLOSED = "closed", "Closed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deviations")
    metric = models.CharField(max_length=30, choices=Metric.choices)
    value = models.DecimalField(max_digits=12, decimal_places=3)
    threshold = models.DecimalField(max_digits=10, decimal_places=3)
    severity = models.CharField(max_length=5, choices=Rag.choices)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN, db_index=True)
    raised_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("-raised_at", "-id")

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_metric_display()}"

    @property
    def comparison(self) -> str:
        """ "<" when a lower value is worse (indices), ">" when a higher one is (days, counts)."""
        from pmo.changes.rag import LOWER_IS_WORSE

        return "<" if self.metric in LOWER_IS_WORSE else ">"


class Issue(BusinessModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    class Escalation(models.TextChoices):
        NONE = "", "Not escalated"
        PROGRAM = "program", "Program"
        PORTFOLIO = "portfolio", "Portfolio"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN, db_index=True)
    escalation = models.CharField("escalated to", max_length=10, choices=Escalation.choices, blank=True)
    escalation_reason = models.TextField(blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ("priority", "due_date", "id")

    def __str__(self) -> str:
        return f"{self.project.code} #{self.pk} {self.title}"


OPEN_ISSUE_STATUSES = (Issue.Status.OPEN, Issue.Status.IN_PROGRESS)


class ChangeRequest(BusinessModel):
    class State(models.TextChoices):
        DRAFT = "draft", "Raised"
        ASSESSED = "assessed", "Awaiting the change board"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        DEFERRED = "deferred", "Deferred"

    code = models.CharField(max_length=20, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    cost_impact = models.DecimalField(
        "cost impact", max_digits=16, decimal_places=2, default=0, help_text="Added to the budget (negative saves)."
    )
    schedule_impact_days = models.IntegerField(
        "schedule impact (days)", default=0, help_text="Calendar days the planned finish moves (negative: earlier)."
    )
    scope_impact = models.TextField("impact on scope", blank=True)
    benefits_impact = models.TextField("impact on benefits", blank=True)
    requested_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    assessment = models.TextField("project manager's assessment", blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    budget_before = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    budget_after = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    finish_before = models.DateField("planned finish before", null=True, blank=True)
    finish_after = models.DateField("planned finish after", null=True, blank=True)
    baseline = models.ForeignKey(
        "planning.Baseline", null=True, blank=True, on_delete=models.SET_NULL, related_name="change_requests"
    )
    previous_baseline = models.ForeignKey(
        "planning.Baseline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class NotificationKind(models.TextChoices):
    """What a notification is about; each user chooses which kinds also come by e-mail."""

    APPROVAL = "approval", "Approvals waiting for me and their decisions"
    GATE = "gate", "Gate reviews and their conditions"
    DEVIATION = "deviation", "Deviations and escalated issues on my projects"
    DEPENDENCY = "dependency", "Late deliverables between projects"
    ASSIGNMENT = "assignment", "Assignments and resource requests"
    ACTION = "action", "Overdue actions (risks, audits, improvements)"
    REPORT = "report", "Reports produced for me"
    OTHER = "other", "Everything else"


# Kinds sent by e-mail unless the user turns them off (the others only when turned on).
EMAIL_BY_DEFAULT = frozenset(
    {NotificationKind.APPROVAL, NotificationKind.GATE, NotificationKind.DEVIATION, NotificationKind.REPORT}
)


class Notification(models.Model):
    """A message for one user (a deviation on their project, a change request for their board)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices, default=NotificationKind.OTHER)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message


class NotificationPreference(models.Model):
    """Whether a user gets one kind of notification by e-mail too (the inbox always has it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    email = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {'e-mail' if self.email else 'inbox only'}"
