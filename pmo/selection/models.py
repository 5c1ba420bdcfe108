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


class ScoringModel(BusinessModel):
    """How the PMO scores proposals: weighted criteria, the weights given directly or derived by AHP."""

    class Weighting(models.TextChoices):
        DIRECT = "direct", "Weights given directly"
        AHP = "ahp", "Weights derived by AHP pairwise comparison"

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    weighting = models.CharField(max_length=10, choices=Weighting.choices, default=Weighting.DIRECT)
    ahp_matrix = models.JSONField(default=list, blank=True, help_text="Pairwise comparisons, criteria in order.")
    consistency_ratio = models.FloatField(null=True, blank=True, editable=False)
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="scoring_models")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    class Kind(models.TextChoices):
        RATED = "rated", "Rated by evaluators (1–5)"
        NPV = "npv", "Net present value"
        IRR = "irr", "Internal rate of return"
        PAYBACK = "payback", "Payback period (years)"
        COST = "total_cost", "Total cost"
        BENEFIT = "total_benefit", "Total benefit"
        STRATEGIC_FIT = "strategic_fit", "Strategic fit (objective ratings)"
        RISK = "risk", "Risk level"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    model = models.ForeignKey(ScoringModel, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RATED)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    weight = models.DecimalField(
        max_digits=7, decimal_places=4, default=Decimal("1"), validators=[MinValueValidator(0)]
    )
    levels = models.JSONField(default=list, blank=True, help_text="What each rating 1–5 means.")

    class Meta:
        ordering = ("model", "position", "pk")
        constraints = [models.UniqueConstraint(fields=["model", "name"], name="criterion_name_unique")]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    """One evaluator's rating of one proposal on one rated criterion."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evaluations")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluations")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "criterion", "evaluator"], name="one_rating_per_evaluator")
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} rates {self.proposal.code} {self.criterion}: {self.rating}"


class Scenario(BusinessModel):
    """A named selection of proposals under stated assumptions (budget per year, people per role), with the
    optimiser's answer; scenarios are copied, edited, re-run, compared and finally approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not run yet"
        RUNNING = "running", "Running"
        DONE = "done", "Solved"
        FAILED = "failed", "Failed"
        APPROVED = "approved", "Approved"

    class Objective(models.TextChoices):
        SCORE = "score", "Total score"
        NPV = "npv", "Total NPV"
        BENEFIT = "total_benefit", "Total benefit"
        STRATEGIC_FIT = "strategic_fit", "Strategic fit (objective ratings)"

    name = models.CharField(max_length=100, unique=True)
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.PROTECT, related_name="scenarios")
    scoring_model = models.ForeignKey(ScoringModel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    objective = models.CharField(max_length=20, choices=Objective.choices, default=Objective.SCORE)
    budget_per_year = models.JSONField(default=dict, blank=True, help_text='e.g. {"2027": 2000000, "2028": 1500000}')
    capacity_per_role = models.JSONField(
        default=dict, blank=True, help_text='FTE available each month, e.g. {"Backend developer": 4}'
    )
    include_running = models.BooleanField(
        "running projects compete too",
        default=False,
        help_text="Running projects may be stopped to free money and people.",
    )
    spread_starts = models.BooleanField(
        "choose start months",
        default=False,
        help_text="Start each proposal in the month of its window that spreads the load.",
    )
    forced_in = models.ManyToManyField(Proposal, blank=True, related_name="+")
    forced_out = models.ManyToManyField(Proposal, blank=True, related_name="+")
    time_limit_s = models.FloatField(default=10)
    frontier_points = models.PositiveSmallIntegerField(default=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.name
