"""Proposals: the ideas a requester brings, with the business case the PMO selects projects on."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pmo.core.models import BusinessModel
from pmo.portfolio.models import Portfolio, Project, StrategicObjective
from pmo.resources.models import Person


class Proposal(BusinessModel):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        UNDER_EVALUATION = "under_evaluation", "Under evaluation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        DEFERRED = "deferred", "Deferred"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Risk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        VERY_HIGH = "very_high", "Very high"

    code = models.CharField(max_length=20, unique=True, editable=False)
    title = models.CharField(max_length=200)
    problem = models.TextField("problem and objectives", blank=True)
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals")
    sponsor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    risk_level = models.CharField(max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    earliest_start = models.DateField(null=True, blank=True)
    latest_start = models.DateField(null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    discount_rate = models.DecimalField(
        "discount rate (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("8"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    non_financial_benefits = models.TextField(blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    project = models.OneToOneField(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal", editable=False
    )
    requires = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="required_by")
    excludes = models.ManyToManyField("self", blank=True, help_text="Proposals that cannot both be chosen.")
    depends_on_projects = models.ManyToManyField(Project, blank=True, related_name="needed_by_proposals")

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ObjectiveContribution(models.Model):
    """How much the proposal serves a strategic objective, from 1 (a little) to 5 (decisively)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contributions")
    objective = models.ForeignKey(StrategicObjective, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "objective"], name="one_rating_per_objective")]

    def __str__(self) -> str:
        return f"{self.objective.code}: {self.rating}"


class CashFlow(models.Model):
    """Money per year of the business case; year 0 is the year the project starts."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cash_flows")
    year = models.PositiveSmallIntegerField()
    capex = models.DecimalField(max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    opex = models.DecimalField(max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    benefit = models.DecimalField(max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ("year",)
        constraints = [models.UniqueConstraint(fields=["proposal", "year"], name="one_cash_flow_per_year")]

    def __str__(self) -> str:
        return f"year {self.year}"

    @property
    def net(self) -> Decimal:
        return self.benefit - self.capex - self.opex


class ResourceDemand(models.Model):
    """People the proposal needs: e.g. 2 FTE backend developer for 6 months from month 0."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="demands")
    role = models.CharField(max_length=100)
    fte = models.DecimalField(max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    start_month = models.PositiveSmallIntegerField(default=0, help_text="Months after the project starts.")
    months = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ("start_month", "role")

    def __str__(self) -> str:
        return f"{self.fte} FTE {self.role} for {self.months} months"
