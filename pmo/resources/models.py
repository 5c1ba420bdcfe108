from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pmo.core.models import BusinessModel


class OrgUnit(BusinessModel):
    """An organisational unit (department, team); units nest."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ("name",)
        verbose_name = "organisational unit"

    def __str__(self) -> str:
        return self.name


class Person(BusinessModel):
    """Someone the PMO plans with; optionally linked to a user account that signs in."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name="unit"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


# --- the resource pool: roles, skills, capacity, leave, cost rates, generic resources, requests, training ------

LEVELS = [MinValueValidator(1), MaxValueValidator(5)]


class SkillLevel(models.IntegerChoices):
    AWARENESS = 1, "1 · Awareness"
    WORKING = 2, "2 · Working knowledge"
    PRACTITIONER = 3, "3 · Practitioner"
    ADVANCED = 4, "4 · Advanced"
    EXPERT = 5, "5 · Expert"


DEFAULT_HOURS_PER_WEEK = Decimal("40")


class JobRole(BusinessModel):
    """A role of the pool (developer, business analyst, ...) with the standard hours a week of its people."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    standard_hours_per_week = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_HOURS_PER_WEEK,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
        help_text="A full-time week of this role; an FTE share of 1.0 means these hours.",
    )

    class Meta:
        ordering = ("name",)
        verbose_name = "role"

    def __str__(self) -> str:
        return self.name


class Skill(BusinessModel):
    """A skill of the catalogue, in a category (technical, method, domain, ...)."""

    name = models.CharField(max_length=100, unique=True)
    category = models.CharField(max_length=100, default="General")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("category", "name")

    def __str__(self) -> str:
        return self.name


class PersonProfile(BusinessModel):
    """What the pool knows of a person beyond the address book: roles, working calendar, non-project share."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="profile")
    primary_role = models.ForeignKey(
        JobRole, null=True, blank=True, on_delete=models.PROTECT, related_name="primary_people"
    )
    other_roles = models.ManyToManyField(JobRole, blank=True, related_name="secondary_people")
    calendar = models.ForeignKey(
        "planning.WorkCalendar",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="working calendar",
        help_text="Holidays and working days; empty means the standard calendar.",
    )
    non_project_percent = models.DecimalField(
        "non-project share (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Share of the capacity that goes to operations and other non-project work.",
    )

    class Meta:
        ordering = ("person__name",)
        verbose_name = "resource profile"

    def __str__(self) -> str:
        return f"Profile of {self.person}"


class PersonSkill(BusinessModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="holders")
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices, validators=LEVELS)

    class Meta:
        ordering = ("person__name", "skill__name")
        verbose_name = "skill of a person"
        constraints = [models.UniqueConstraint(fields=["person", "skill"], name="one_level_per_person_skill")]

    def __str__(self) -> str:
        return f"{self.person}: {self.skill} {self.level}"


class CapacityPeriod(BusinessModel):
    """From `start` on (until the next period) the person works `hours_per_week`, or an FTE share of their
    primary role's standard week. Without any period a person works 40 hours a week."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="capacity_periods")
    start = models.DateField("from")
    hours_per_week = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(168)]
    )
    fte = models.DecimalField(
        "FTE",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(2)],
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("person__name", "start")
        verbose_name = "capacity period"
        constraints = [models.UniqueConstraint(fields=["person", "start"], name="one_capacity_period_per_day")]

    def __str__(self) -> str:
        amount = f"{self.hours_per_week} h/week" if self.hours_per_week is not None else f"{self.fte} FTE"
        return f"{self.person} from {self.start}: {amount}"


class Absence(BusinessModel):
    """Leave or another absence of a person, both days included."""

    class Reason(models.TextChoices):
        VACATION = "vacation", "Vacation"
        SICK = "sick", "Sick leave"
        TRAINING = "training", "Training"
        PARENTAL = "parental", "Parental leave"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="absences")
    start = models.DateField()
    finish = models.DateField()
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.VACATION)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("person__name", "start")
        verbose_name = "leave or absence"
        verbose_name_plural = "leave and absences"

    def __str__(self) -> str:
        return f"{self.person}: {self.get_reason_display()} {self.start}–{self.finish}"


class CostRateHistory(BusinessModel):
    """A person's hourly cost from a date on (pmo.control's CostRate holds one current rate, no history)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="cost_rate_history")
    effective_from = models.DateField()
    rate_per_hour = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ("person__name", "effective_from")
        verbose_name = "cost rate from a date"
        verbose_name_plural = "cost rate history"
        constraints = [models.UniqueConstraint(fields=["person", "effective_from"], name="one_cost_rate_per_day")]

    def __str__(self) -> str:
        return f"{self.person} from {self.effective_from}: {self.rate_per_hour}/h"


class GenericResource(BusinessModel):
    """Planning before names are known: a headcount of a role (in a unit), optionally for a period."""

    role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="generic_resources")
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="generic_resources", verbose_name="unit"
    )
    headcount = models.DecimalField(max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)])
    start = models.DateField(null=True, blank=True)
    finish = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("role__name",)
        verbose_name = "generic resource"

    def __str__(self) -> str:
        unit = f" ({self.org_unit.code})" if self.org_unit_id else ""
        return f"{self.headcount.normalize():f} × {self.role}{unit}"


class ResourceRequest(BusinessModel):
    """A project manager asks for a role (and a skill level) for a period; a resource manager assigns a named
    person or declines with a reason."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        ASSIGNED = "assigned", "Assigned"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="resource_requests")
    role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="requests")
    skill = models.ForeignKey(Skill, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    min_level = models.PositiveSmallIntegerField(
        "at least level", choices=SkillLevel.choices, null=True, blank=True, validators=LEVELS
    )
    hours_per_week = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(168)]
    )
    fte = models.DecimalField(
        "FTE share",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(2)],
    )
    start = models.DateField()
    finish = models.DateField()
    note = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUBMITTED, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="resource_requests_assigned"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ("start", "id")
        verbose_name = "resource request"

    def __str__(self) -> str:
        return f"RR-{self.pk or 0:04d} {self.role} for {self.project.code if self.project_id else '?'}"

    @property
    def code(self) -> str:
        return f"RR-{self.pk or 0:04d}"


class RoleSkillRequirement(BusinessModel):
    role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="required_by")
    required_level = models.PositiveSmallIntegerField(choices=SkillLevel.choices, validators=LEVELS)

    class Meta:
        ordering = ("role__name", "skill__name")
        verbose_name = "role requirement"
        constraints = [models.UniqueConstraint(fields=["role", "skill"], name="one_requirement_per_role_skill")]

    def __str__(self) -> str:
        return f"{self.role} needs {self.skill} {self.required_level}"


class TrainingRecord(BusinessModel):
    """A course completed or a certificate held; a certificate may expire."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course"
        CERTIFICATION = "certification", "Certification"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="training_records")
    kind = models.CharField(max_length=13, choices=Kind.choices, default=Kind.COURSE)
    title = models.CharField("course or certificate", max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    skill = models.ForeignKey(Skill, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("person__name", "-completed_on")
        verbose_name = "training record"

    def __str__(self) -> str:
        return f"{self.person}: {self.title}"


class TrainingPlan(BusinessModel):
    """Training that should bring a person's skill to a target level by a date."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="training_plans")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="training_plans")
    target_level = models.PositiveSmallIntegerField(choices=SkillLevel.choices, validators=LEVELS)
    course = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=11, choices=Status.choices, default=Status.PLANNED, db_index=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("due_date", "id")
        verbose_name = "training plan"

    def __str__(self) -> str:
        return f"{self.person}: {self.skill} to {self.target_level}"


class SavedWhatIf(BusinessModel):
    """A capacity what-if kept under a name: the view (grouping, periods, proposals switch) and the
    changes tried (projects moved, proposals counted or left out, people removed or added). Replayed on
    today's data when opened; the plans are never touched."""

    name = models.CharField(max_length=120)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="capacity_whatifs")
    view = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "saved what-if"

    def __str__(self) -> str:
        return self.name
