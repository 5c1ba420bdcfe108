from django import forms

from pmo.portfolio.models import Portfolio, Program, Project, StrategicObjective
from pmo.resources.models import Person
from pmo.web.forms import DateInput, VersionedForm


def _active_people() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(Person.objects.filter(active=True), required=False)


class ObjectiveForm(VersionedForm):
    owner = _active_people()

    class Meta:
        model = StrategicObjective
        fields = ("code", "name", "description", "owner", "target_year", "active")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PortfolioForm(VersionedForm):
    manager = _active_people()

    class Meta:
        model = Portfolio
        fields = ("code", "name", "description", "manager", "objectives", "active")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.CheckboxSelectMultiple,
        }


class ProgramForm(VersionedForm):
    manager = _active_people()

    class Meta:
        model = Program
        fields = ("code", "name", "description", "portfolio", "manager", "objectives")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.CheckboxSelectMultiple,
        }


class ProjectForm(VersionedForm):
    sponsor = _active_people()
    manager = _active_people()

    class Meta:
        model = Project
        fields = (
            "code",
            "name",
            "description",
            "charter",
            "portfolio",
            "program",
            "sponsor",
            "manager",
            "org_unit",
            "methodology",
            "planned_start",
            "planned_finish",
            "budget",
            "currency",
            "priority",
            "health",
            "objectives",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "planned_start": DateInput,
            "planned_finish": DateInput,
            "objectives": forms.CheckboxSelectMultiple,
        }
