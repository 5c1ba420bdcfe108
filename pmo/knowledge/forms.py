"""The forms of the knowledge pages (services do the validation that matters; these shape the input)."""

from typing import Any

from django import forms

from pmo.knowledge.models import Answer, Dimension, ImprovementAction, Lesson, LessonCategory, Phase
from pmo.portfolio.models import Project
from pmo.resources.models import Person
from pmo.web.forms import DateInput as BaseDateInput


class DateInput(BaseDateInput):
    """A date picker that shows its initial value (the browser wants YYYY-MM-DD)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


ANSWERS = [("", "—"), *Answer.choices]


class LessonForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Lesson.Kind.choices, initial=Lesson.Kind.LESSON)
    what_happened = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What happened")
    impact = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    recommendation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="What to do (or avoid) next time."
    )
    category = forms.ModelChoiceField(LessonCategory.objects.filter(active=True), required=False)
    phase = forms.ChoiceField(choices=[("", "—"), *Phase.choices], required=False)
    tags = forms.CharField(max_length=300, required=False, help_text="Comma-separated, e.g. supplier, data migration")
    project = forms.ModelChoiceField(Project.objects.select_related("portfolio").order_by("code"), required=False)
    relevant = forms.BooleanField(
        required=False, label="Relevant for similar projects", help_text="Shown to new proposals and at gate reviews."
    )

    def __init__(self, *args: Any, fixed_project: Project | None = None, may_mark: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if fixed_project is not None:
            del self.fields["project"]
        if not may_mark:
            del self.fields["relevant"]


class ReportForm(forms.Form):
    objectives_met = forms.ChoiceField(choices=ANSWERS, required=False, label="Objectives met (overall)")
    objectives_comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Comment")
    final_cost = forms.DecimalField(
        required=False, min_value=0, decimal_places=2, help_text="Leave empty to use the actual costs recorded."
    )
    actual_finish = forms.DateField(
        required=False, widget=DateInput, help_text="Leave empty to use the tasks' latest actual finish."
    )
    benefits_handed_over = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Which benefits, handed to whom, who measures them from now on.",
    )
    recommendations = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SessionForm(forms.Form):
    session_date = forms.DateField(widget=DateInput, label="Session held on", required=False)
    participants = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One name (and role) a line."
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CategoryForm(forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(max_length=300, required=False)


class AssessmentForm(forms.Form):
    title = forms.CharField(max_length=200)
    assessed_on = forms.DateField(widget=DateInput, label="Assessed on")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for dimension, label in Dimension.choices:
            self.fields[f"level_{dimension}"] = forms.TypedChoiceField(
                coerce=int, choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]], label=label, required=False
            )
            self.fields[f"comment_{dimension}"] = forms.CharField(max_length=500, required=False, label="Evidence")

    def dimension_rows(self) -> list[tuple[str, str, Any, Any]]:
        return [(d, label, self[f"level_{d}"], self[f"comment_{d}"]) for d, label in Dimension.choices]


class ImprovementForm(forms.Form):
    title = forms.CharField(max_length=200)
    dimension = forms.ChoiceField(choices=Dimension.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = forms.ModelChoiceField(Person.objects.filter(active=True).order_by("name"), required=False)
    due = forms.DateField(widget=DateInput, required=False)
    status = forms.ChoiceField(
        choices=ImprovementAction.Status.choices, initial=ImprovementAction.Status.OPEN, required=False
    )
