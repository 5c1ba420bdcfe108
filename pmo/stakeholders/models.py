"""Stakeholder register, communication plan and log, feedback surveys, benefits realisation.

A stakeholder and a communication item belong to exactly one scope: a project, a program or a portfolio.
Benefits belong to a project and stay tracked after it closes.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from pmo.core.models import BusinessModel
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.resources.models import Person

CURRENCY_VALIDATOR = RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code such as EUR.")
ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class Engagement(models.TextChoices):
    UNAWARE = "unaware", "Unaware"
    RESISTANT = "resistant", "Resistant"
    NEUTRAL = "neutral", "Neutral"
    SUPPORTIVE = "supportive", "Supportive"
    LEADING = "leading", "Leading"


ENGAGEMENT_ORDER = {value: index for index, value in enumerate(Engagement.values)}


class ScopedModel(BusinessModel):
    """A record of one project, one program or one portfolio (exactly one of the three is set)."""

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    portfolio = models.ForeignKey(Portfolio, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def scope(self) -> Project | Program | Portfolio:
        return self.project or self.program or self.portfolio  # type: ignore[return-value]

    @property
    def register_url(self) -> str:
        """The page of the register and communication plan this record belongs to."""
        from django.urls import reverse

        if self.project_id:
            return reverse("stakeholders-project", args=[self.project_id])
        if self.program_id:
            return reverse("stakeholders-program", args=[self.program_id])
        return reverse("stakeholders-portfolio", args=[self.portfolio_id])

    @property
    def owning_portfolio_id(self) -> int | None:
        if self.project_id:
            return self.project.portfolio_id
        if self.program_id:
            return self.program.portfolio_id
        return self.portfolio_id


class Stakeholder(ScopedModel):
    name = models.CharField(max_length=200)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="stakeholder_entries"
    )
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField("role", max_length=200, blank=True)
    interest = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    influence = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    current_engagement = models.CharField(max_length=12, choices=Engagement.choices, default=Engagement.NEUTRAL)
    desired_engagement = models.CharField(max_length=12, choices=Engagement.choices, default=Engagement.SUPPORTIVE)
    relationship_owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_stakeholders"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name

    @property
    def quadrant(self) -> str:
        """Power (influence) and interest of 3 or more count as high."""
        high_power, high_interest = self.influence >= 3, self.interest >= 3
        if high_power and high_interest:
            return "manage closely"
        if high_power:
            return "keep satisfied"
        if high_interest:
            return "keep informed"
        return "monitor"

    @property
    def engagement_gap(self) -> int:
        """How many steps the current engagement lies below the desired one (0 when none)."""
        return max(0, ENGAGEMENT_ORDER[self.desired_engagement] - ENGAGEMENT_ORDER[self.current_engagement])


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ONCE = "once", "Once"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    MEETING = "meeting", "Meeting"
    REPORT = "report", "Report"
    NEWSLETTER = "newsletter", "Newsletter"
    WORKSHOP = "workshop", "Workshop"
    INTRANET = "intranet", "Intranet"
    OTHER = "other", "Other"


class CommunicationItem(ScopedModel):
    what = models.CharField(max_length=200)
    stakeholders = models.ManyToManyField(Stakeholder, blank=True, related_name="communications")
    audience_groups = models.CharField(
        "audience groups", max_length=300, blank=True, help_text="Groups beyond named stakeholders, e.g. 'all staff'."
    )
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.EMAIL)
    sender = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    next_due = models.DateField(null=True, blank=True, help_text="Empty once a one-off communication is sent.")
    active = models.BooleanField(default=True)
    reminded_for = models.DateField(
        null=True, blank=True, editable=False, help_text="The due date its sender was last reminded of."
    )

    class Meta:
        ordering = ("next_due", "what", "id")

    def __str__(self) -> str:
        return self.what


class CommunicationLog(BusinessModel):
    item = models.ForeignKey(CommunicationItem, on_delete=models.CASCADE, related_name="log")
    sent_on = models.DateField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    sent_by_name = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("-sent_on", "-id")

    def __str__(self) -> str:
        return f"{self.item} sent {self.sent_on}"

    @property
    def project(self) -> Project | None:
        return self.item.project

    @property
    def owning_portfolio_id(self) -> int | None:
        return self.item.owning_portfolio_id


class Survey(BusinessModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(
        max_length=7,
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", "Use a month as YYYY-MM, e.g. 2026-10.")],
        help_text="The month the survey covers, as YYYY-MM.",
    )
    question = models.CharField(max_length=300, default="How satisfied are you with the project?")
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ("project", "period")
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="one_survey_per_project_period")]

    def __str__(self) -> str:
        return f"{self.project.code} survey {self.period}"


class SurveyResponse(BusinessModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    respondent_name = models.CharField(max_length=150, blank=True)
    score = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ("survey", "-created_at", "-id")
        constraints = [models.UniqueConstraint(fields=["survey", "respondent"], name="one_answer_per_respondent")]

    def __str__(self) -> str:
        return f"{self.survey}: {self.score}"

    @property
    def project(self) -> Project:
        return self.survey.project


class Benefit(BusinessModel):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="benefits")
    name = models.CharField(max_length=200)
    kpi = models.CharField("KPI", max_length=200)
    unit = models.CharField(max_length=40, blank=True)
    baseline_value = models.DecimalField(max_digits=16, decimal_places=4)
    target_value = models.DecimalField(max_digits=16, decimal_places=4)
    target_date = models.DateField()
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    financial_value = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(max_length=3, default="EUR", validators=[CURRENCY_VALIDATOR])
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("project", "target_date", "name", "id")

    def __str__(self) -> str:
        return f"{self.project.code}: {self.name}"


class BenefitMeasurement(BusinessModel):
    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=4)
    comment = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ("benefit", "measured_on", "id")

    def __str__(self) -> str:
        return f"{self.benefit.name} {self.measured_on}: {self.value}"

    @property
    def project(self) -> Project:
        return self.benefit.project
