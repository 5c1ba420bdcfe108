"""The forms of the resource pool pages."""

from typing import Any

from django import forms

from pmo.planning.models import WorkCalendar
from pmo.portfolio.models import Project
from pmo.resources.models import (
    Absence,
    JobRole,
    OrgUnit,
    Person,
    ResourceRequest,
    Skill,
    SkillLevel,
    TrainingRecord,
)
from pmo.web.forms import DateInput

LEVEL_CHOICES = [("", "Choose…"), *SkillLevel.choices]


class ProfileForm(forms.Form):
    primary_role = forms.ModelChoiceField(JobRole.objects.all(), required=False, empty_label="— none —")
    other_roles = forms.ModelMultipleChoiceField(
        JobRole.objects.all(), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    calendar = forms.ModelChoiceField(
        WorkCalendar.objects.all(), required=False, empty_label="Standard", label="Working calendar"
    )
    non_project_percent = forms.DecimalField(
        label="Non-project share (%)", min_value=0, max_value=100, decimal_places=2, initial=0
    )


class SkillLevelForm(forms.Form):
    skill = forms.ModelChoiceField(Skill.objects.all(), empty_label="Choose…")
    level = forms.TypedChoiceField(choices=LEVEL_CHOICES, coerce=int)


class CapacityForm(forms.Form):
    start = forms.DateField(label="From", widget=DateInput)
    hours_per_week = forms.DecimalField(label="Hours a week", required=False, min_value=0, max_value=168)
    fte = forms.DecimalField(label="or FTE", required=False, min_value=0, max_value=2, decimal_places=2)
    note = forms.CharField(required=False, max_length=200)


class AbsenceForm(forms.Form):
    start = forms.DateField(widget=DateInput)
    finish = forms.DateField(widget=DateInput)
    reason = forms.ChoiceField(choices=Absence.Reason.choices)
    note = forms.CharField(required=False, max_length=200)


class TrainingRecordForm(forms.Form):
    kind = forms.ChoiceField(choices=TrainingRecord.Kind.choices)
    title = forms.CharField(label="Course or certificate", max_length=200)
    provider = forms.CharField(required=False, max_length=200)
    skill = forms.ModelChoiceField(Skill.objects.all(), required=False, empty_label="— none —")
    completed_on = forms.DateField(widget=DateInput)
    expires_on = forms.DateField(required=False, widget=DateInput)


class TrainingPlanForm(forms.Form):
    person = forms.ModelChoiceField(Person.objects.filter(active=True), empty_label="Choose…")
    skill = forms.ModelChoiceField(Skill.objects.all(), empty_label="Choose…")
    target_level = forms.TypedChoiceField(choices=LEVEL_CHOICES, coerce=int, label="Target level")
    course = forms.CharField(required=False, max_length=200)
    due_date = forms.DateField(required=False, widget=DateInput, label="Due")


class RequestForm(forms.Form):
    project = forms.ModelChoiceField(Project.objects.none(), empty_label="Choose…")
    role = forms.ModelChoiceField(JobRole.objects.all(), empty_label="Choose…")
    skill = forms.ModelChoiceField(Skill.objects.all(), required=False, empty_label="— any —")
    min_level = forms.TypedChoiceField(
        choices=[("", "— any —"), *SkillLevel.choices], coerce=int, required=False, empty_value=None, label="At least"
    )
    hours_per_week = forms.DecimalField(label="Hours a week", required=False, min_value=0, max_value=168)
    fte = forms.DecimalField(label="or FTE share", required=False, min_value=0, max_value=2, decimal_places=2)
    start = forms.DateField(widget=DateInput)
    finish = forms.DateField(widget=DateInput)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, projects: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["project"].queryset = projects


class AssignForm(forms.Form):
    person = forms.ModelChoiceField(Person.objects.filter(active=True), empty_label="Choose…")
    note = forms.CharField(required=False, max_length=500)


class DeclineForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


STATES = ResourceRequest.State.choices


class GenericResourceForm(forms.Form):
    role = forms.ModelChoiceField(JobRole.objects.all(), empty_label="Choose…")
    org_unit = forms.ModelChoiceField(OrgUnit.objects.all(), required=False, empty_label="— any —", label="Unit")
    headcount = forms.DecimalField(min_value=0, decimal_places=2, initial=1)
    start = forms.DateField(required=False, widget=DateInput)
    finish = forms.DateField(required=False, widget=DateInput)
    note = forms.CharField(required=False, max_length=200)


class RequirementForm(forms.Form):
    role = forms.ModelChoiceField(JobRole.objects.all(), empty_label="Choose…")
    skill = forms.ModelChoiceField(Skill.objects.all(), empty_label="Choose…")
    required_level = forms.TypedChoiceField(choices=LEVEL_CHOICES, coerce=int, label="Required level")
