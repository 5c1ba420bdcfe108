from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from pmo.core.models import BusinessModel
from pmo.resources.models import OrgUnit, Person

CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9][A-Z0-9._-]*$",
    "Use capital letters, digits, '.', '_' or '-', starting with a letter or digit.",
)
CURRENCY_VALIDATOR = RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code such as EUR.")


class StrategicObjective(BusinessModel):
    """A goal of the organisation that portfolios, programs and projects serve."""

    code = models.CharField(max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Health(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    UNKNOWN = "unknown", "Not assessed"


class Portfolio(BusinessModel):
    code = models.CharField(max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    manager = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    objectives = models.ManyToManyField(StrategicObjective, blank=True, related_name="portfolios")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Program(BusinessModel):
    code = models.CharField(max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="programs")
    manager = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    objectives = models.ManyToManyField(StrategicObjective, blank=True, related_name="programs")

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class LifecycleState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    INITIATING = "initiating", "Initiating"
    PLANNING = "planning", "Planning"
    EXECUTING = "executing", "Executing"
    ON_HOLD = "on_hold", "On hold"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class Methodology(models.TextChoices):
    WATERFALL = "waterfall", "Waterfall"
    AGILE = "agile", "Agile"
    HYBRID = "hybrid", "Hybrid"


class Priority(models.IntegerChoices):
    CRITICAL = 1, "Critical"
    HIGH = 2, "High"
    MEDIUM = 3, "Medium"
    LOW = 4, "Low"


class Project(BusinessModel):
    code = models.CharField(max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="projects")
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.PROTECT, related_name="projects")
    sponsor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="managed_projects"
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="projects", verbose_name="unit"
    )
    methodology = models.CharField(max_length=20, choices=Methodology.choices, default=Methodology.WATERFALL)
    state = models.CharField(
        max_length=20, choices=LifecycleState.choices, default=LifecycleState.PROPOSED, db_index=True
    )
    planned_start = models.DateField(null=True, blank=True)
    planned_finish = models.DateField(null=True, blank=True)
    budget = models.DecimalField(
        max_digits=16, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(max_length=3, default="EUR", validators=[CURRENCY_VALIDATOR])
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    health = models.CharField(max_length=10, choices=Health.choices, default=Health.UNKNOWN)
    objectives = models.ManyToManyField(StrategicObjective, blank=True, related_name="projects")
    charter = models.TextField(
        blank=True, help_text="Purpose, scope, business case, people and decision; drafted when a proposal is approved."
    )

    class Meta:
        ordering = ("code",)
        indexes = [models.Index(fields=["portfolio", "state"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
