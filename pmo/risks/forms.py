from typing import Any

from django import forms

from pmo.portfolio.models import Project
from pmo.resources.models import Person
from pmo.risks.models import Risk, RiskAction
from pmo.risks.scales import Scales
from pmo.web.forms import DateInput, VersionedForm


def probability_choices(scales: Scales, blank: str | None = None) -> list[tuple[Any, str]]:
    choices: list[tuple[Any, str]] = [(p.level, f"{p.level} · {p.label}") for p in scales.probability]
    return [("", blank), *choices] if blank is not None else choices


def impact_choices(scales: Scales, blank: str | None = None, currency: str = "") -> list[tuple[Any, str]]:
    choices: list[tuple[Any, str]] = [
        (i.level, f"{i.level} · {i.label} (up to {i.money:,.0f}{' ' + currency if currency else ''} or {i.days} days)")
        for i in scales.impact
    ]
    return [("", blank), *choices] if blank is not None else choices


class RatingFields(forms.Form):
    """Probability, impact and the residual rating on the portfolio's scales."""

    probability = forms.TypedChoiceField(coerce=int)
    impact = forms.TypedChoiceField(coerce=int)
    residual_probability = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Residual probability"
    )
    residual_impact = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Residual impact")

    def set_scales(self, scales: Scales, currency: str = "") -> None:
        self.fields["probability"].choices = probability_choices(scales, "Choose…")
        self.fields["impact"].choices = impact_choices(scales, "Choose…", currency)
        self.fields["residual_probability"].choices = probability_choices(scales, "— after the response —")
        self.fields["residual_impact"].choices = impact_choices(scales, "— after the response —", currency)


GROUPS = (  # (legend, layout, fields)
    ("The risk", "layout-2", ("title", "kind", "category", "owner")),
    ("Rating", "layout-2", ("probability", "impact")),
    ("Cause, event and effect", "layout-3", ("cause", "event", "effect")),
    ("If it happens", "layout-4", ("cost_impact", "schedule_impact_days", "proximity", "proximity_date")),
    ("Response", "layout-3", ("strategy", "response", "trigger")),
    ("Residual rating: where the response should bring it", "layout-2", ("residual_probability", "residual_impact")),
    ("Beyond this register", "layout-2", ("shared", "affected_projects")),
)


class RiskEditForm(VersionedForm):
    owner = forms.ModelChoiceField(Person.objects.filter(active=True), required=False)
    affected_projects = forms.ModelMultipleChoiceField(
        Project.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text="Other projects it would hit (Ctrl-click to choose several).",
    )

    class Meta:
        model = Risk
        fields = (
            "title",
            "kind",
            "category",
            "owner",
            "cause",
            "event",
            "effect",
            "cost_impact",
            "schedule_impact_days",
            "proximity",
            "proximity_date",
            "trigger",
            "strategy",
            "response",
            "shared",
            "affected_projects",
        )
        widgets = {
            "cause": forms.Textarea(attrs={"rows": 2}),
            "event": forms.Textarea(attrs={"rows": 2}),
            "effect": forms.Textarea(attrs={"rows": 2}),
            "trigger": forms.Textarea(attrs={"rows": 2}),
            "response": forms.Textarea(attrs={"rows": 2}),
            "proximity_date": DateInput,
        }

    def __init__(self, *args: Any, portfolio_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = Project.objects.exclude(state__in=("closed", "cancelled")).order_by("code")
        if portfolio_id is not None:
            projects = projects.filter(portfolio_id=portfolio_id)
        if self.instance.project_id:
            projects = projects.exclude(pk=self.instance.project_id)
        self.fields["affected_projects"].queryset = projects
        self.fields[
            "strategy"
        ].help_text = "Threats: avoid, mitigate, transfer or accept. Opportunities: exploit, enhance, share or accept."

    def groups(self) -> list[tuple[str, str, list[Any]]]:
        """The fields in the groups the form shows them in, with each group's layout."""
        return [(title, layout, [self[n] for n in names if n in self.fields]) for title, layout, names in GROUPS]


class RiskCreateForm(RiskEditForm, RatingFields):
    """A new risk: its description and its first rating."""

    field_order = (
        "title",
        "kind",
        "category",
        "owner",
        "probability",
        "impact",
        "cause",
        "event",
        "effect",
        "cost_impact",
        "schedule_impact_days",
        "proximity",
        "proximity_date",
        "trigger",
        "strategy",
        "response",
        "residual_probability",
        "residual_impact",
        "shared",
        "affected_projects",
    )

    def __init__(self, *args: Any, scales: Scales, currency: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_scales(scales, currency)
        self.order_fields(self.field_order)


class RateForm(RatingFields):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Why it changed")
    assessed_on = forms.DateField(required=False, widget=DateInput, label="Rated on", help_text="Default: today.")

    def __init__(self, *args: Any, scales: Scales, currency: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_scales(scales, currency)


class ActionForm(VersionedForm):
    owner = forms.ModelChoiceField(Person.objects.filter(active=True), required=False)

    class Meta:
        model = RiskAction
        fields = ("description", "owner", "due_date", "status")
        widgets = {"due_date": DateInput}


class OccurForm(forms.Form):
    project = forms.ModelChoiceField(
        Project.objects.none(), required=False, help_text="For a program or portfolio risk: where it happened."
    )
    due_date = forms.DateField(required=False, widget=DateInput, label="Issue due by")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="What happened")

    def __init__(self, *args: Any, risk: Risk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if risk.project_id:
            del self.fields["project"]
        else:
            portfolio_id = risk.owning_portfolio_id
            qs = Project.objects.filter(portfolio_id=portfolio_id)
            if risk.program_id:
                qs = qs.filter(program_id=risk.program_id)
            self.fields["project"].queryset = (qs | risk.affected_projects.all()).distinct().order_by("code")
            self.fields["project"].required = True


class TaskImpactForm(forms.Form):
    task = forms.ModelChoiceField(queryset=None)  # type: ignore[arg-type]
    min_days = forms.DecimalField(min_value=0, decimal_places=1, initial=0, label="Extra days: min")
    likely_days = forms.DecimalField(min_value=0, decimal_places=1, initial=0, label="most likely")
    max_days = forms.DecimalField(min_value=0, decimal_places=1, initial=0, label="max")
    min_cost = forms.DecimalField(min_value=0, decimal_places=2, initial=0, label="Extra cost: min")
    likely_cost = forms.DecimalField(min_value=0, decimal_places=2, initial=0, label="most likely")
    max_cost = forms.DecimalField(min_value=0, decimal_places=2, initial=0, label="max")

    def __init__(self, *args: Any, risk: Risk, **kwargs: Any) -> None:
        from pmo.planning.models import Task

        super().__init__(*args, **kwargs)
        projects = {risk.project_id, *risk.affected_projects.values_list("pk", flat=True)} - {None}
        self.fields["task"].queryset = (
            Task.objects.filter(project_id__in=projects, is_summary=False)
            .select_related("project")
            .order_by("project__code", "position")
        )
        self.fields["task"].label_from_instance = lambda t: f"{t.project.code} · {t.name}"
