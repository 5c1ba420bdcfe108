"""Methodology library (versioned lifecycles: phases, gates, required deliverables, gate criteria), the
methodology each project follows, gate reviews and their decisions and conditions, and quality audits
(checklist templates, scored audits, findings, corrective actions)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from pmo.core.models import BusinessModel
from pmo.portfolio.models import Methodology as Kind
from pmo.portfolio.models import Project
from pmo.resources.models import Person

# --- the methodology library ------------------------------------------------------------------------------


class Methodology(BusinessModel):
    """A lifecycle the PMO maintains (waterfall, agile or hybrid); its content lives in versions."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WATERFALL, db_index=True)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True, help_text="Retired methodologies are no longer offered.")

    class Meta:
        ordering = ("kind", "name")
        verbose_name_plural = "methodologies"

    def __str__(self) -> str:
        return self.name


class MethodologyVersion(BusinessModel):
    """One version of a methodology. A draft is edited; once published it never changes again."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    methodology = models.ForeignKey(Methodology, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    notes = models.TextField(blank=True, help_text="What changed in this version.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("methodology", "-number")
        constraints = [
            models.UniqueConstraint(fields=["methodology", "number"], name="governance_version_unique"),
            models.UniqueConstraint(
                fields=["methodology"], condition=Q(state="draft"), name="governance_one_draft_per_methodology"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.methodology} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class Phase(BusinessModel):
    """A phase of a methodology version, ended by its gate."""

    methodology_version = models.ForeignKey(MethodologyVersion, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    gate_name = models.CharField(max_length=120, help_text="The gate at the end of the phase, e.g. 'Business case'.")
    typical_weeks = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(260)], help_text="Plans the gate's date."
    )

    class Meta:
        ordering = ("methodology_version", "order")
        constraints = [
            models.UniqueConstraint(fields=["methodology_version", "order"], name="governance_phase_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Requirement(BusinessModel):
    """A deliverable or document a phase requires before its gate (by name; optionally from a template)."""

    class Type(models.TextChoices):
        DELIVERABLE = "deliverable", "Deliverable"
        DOCUMENT = "document", "Document"

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="requirements")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=12, choices=Type.choices, default=Type.DOCUMENT)
    template_name = models.CharField(max_length=200, blank=True, help_text="A template of the documents library.")

    class Meta:
        ordering = ("phase", "pk")

    def __str__(self) -> str:
        return self.name


class Criterion(BusinessModel):
    """A question of a gate's checklist."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ("phase", "order", "pk")
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.text


# --- the methodology a project follows ------------------------------------------------------------------


class ProjectMethodology(BusinessModel):
    """The methodology version a project follows (kept for life) and where it stands in it."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="governance")
    methodology_version = models.ForeignKey(MethodologyVersion, on_delete=models.PROTECT, related_name="projects")
    current_phase = models.ForeignKey(
        Phase, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Empty once all passed."
    )
    phase_started = models.DateField()
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "project methodology"
        verbose_name_plural = "project methodologies"

    def __str__(self) -> str:
        return f"{self.project.code}: {self.methodology_version}"


# --- gate reviews -----------------------------------------------------------------------------------------


class Decision(models.TextChoices):
    GO = "go", "Go"
    GO_CONDITIONS = "go_conditions", "Go with conditions"
    HOLD = "hold", "Hold"
    RECYCLE = "recycle", "Recycle"
    KILL = "kill", "Kill"


class GateReview(BusinessModel):
    """The review of a project at the gate ending one of its phases."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="gate_reviews")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="reviews")
    planned_date = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    decision = models.CharField(max_length=15, choices=Decision.choices, blank=True)
    decision_comment = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("project", "planned_date", "pk")
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=Q(state="open"), name="governance_one_open_review")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.phase.gate_name}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class CriterionAnswer(BusinessModel):
    class Answer(models.TextChoices):
        UNANSWERED = "", "Not yet answered"
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"
        NA = "na", "N/A"

    review = models.ForeignKey(GateReview, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=8, choices=Answer.choices, blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("review", "criterion__order", "criterion_id")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="governance_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_answer_display()}"


class Reviewer(BusinessModel):
    """Someone who reviews a gate in a role (sponsor, portfolio manager, PMO...), with a vote and comment."""

    review = models.ForeignKey(GateReview, on_delete=models.CASCADE, related_name="reviewers")
    role = models.CharField(max_length=60)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(max_length=15, choices=Decision.choices, blank=True)
    comment = models.TextField(blank=True)
    voted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("review", "pk")
        constraints = [models.UniqueConstraint(fields=["review", "person"], name="governance_reviewer_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


class GateCondition(BusinessModel):
    """A condition of a "go with conditions" decision, tracked to closure."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    review = models.ForeignKey(GateReview, on_delete=models.CASCADE, related_name="conditions")
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_on = models.DateField(null=True, blank=True)
    closing_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("status", "due_date", "pk")

    def __str__(self) -> str:
        return self.text


# --- quality assurance ------------------------------------------------------------------------------------


class Area(models.TextChoices):
    METHOD = "method", "Method compliance"
    DOCUMENTATION = "documentation", "Documentation"
    GOVERNANCE = "governance", "Governance"


class AuditTemplate(BusinessModel):
    """A health-check or audit checklist."""

    class Type(models.TextChoices):
        HEALTH_CHECK = "health_check", "Health check"
        AUDIT = "audit", "Audit"

    name = models.CharField(max_length=120, unique=True)
    type = models.CharField(max_length=15, choices=Type.choices, default=Type.AUDIT)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class AuditQuestion(BusinessModel):
    template = models.ForeignKey(AuditTemplate, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1)
    area = models.CharField(max_length=15, choices=Area.choices, default=Area.METHOD)
    text = models.CharField(max_length=300)
    weight = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ("template", "order", "pk")

    def __str__(self) -> str:
        return self.text


class Audit(BusinessModel):
    """A health check or audit of one project, planned or ad hoc; scored when completed."""

    class State(models.TextChoices):
        PLANNED = "planned", "Planned"
        COMPLETED = "completed", "Completed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="audits")
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="audits")
    scheduled = models.BooleanField(default=True, help_text="Planned in advance (otherwise ad hoc).")
    planned_date = models.DateField()
    auditor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED, db_index=True)
    completed_on = models.DateField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ("-planned_date", "-pk")

    def __str__(self) -> str:
        return f"{self.template} · {self.project.code} · {self.planned_date:%d %b %Y}"


class AuditAnswer(BusinessModel):
    class Rating(models.TextChoices):
        UNANSWERED = "", "Not yet answered"
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"
        NA = "na", "N/A"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=6, choices=Rating.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("audit", "question__order", "question_id")
        constraints = [models.UniqueConstraint(fields=["audit", "question"], name="governance_audit_answer_unique")]

    def __str__(self) -> str:
        return f"{self.question}: {self.get_rating_display()}"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class Finding(BusinessModel):
    """Something an audit found; it closes when its corrective actions are done."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="audit_findings")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    area = models.CharField(max_length=15, choices=Area.choices, default=Area.METHOD)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("status", "due_date", "pk")

    def __str__(self) -> str:
        return self.title


class CorrectiveAction(BusinessModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN, db_index=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("finding", "due_date", "pk")

    def __str__(self) -> str:
        return self.description
