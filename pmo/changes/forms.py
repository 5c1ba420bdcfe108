from django import forms

from pmo.changes.models import ChangeRequest, Issue
from pmo.resources.models import Person
from pmo.web.forms import DateInput, VersionedForm


class IssueForm(VersionedForm):
    owner = forms.ModelChoiceField(Person.objects.filter(active=True), required=False)

    class Meta:
        model = Issue
        fields = ("title", "owner", "priority", "due_date", "status", "description", "resolution")
        widgets = {
            "due_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 2}),
        }


class NewIssueForm(IssueForm):
    class Meta(IssueForm.Meta):
        fields = ("title", "owner", "priority", "due_date", "description")


class ChangeRequestForm(VersionedForm):
    requested_by = forms.ModelChoiceField(Person.objects.filter(active=True), required=False)

    class Meta:
        model = ChangeRequest
        fields = (
            "title",
            "requested_by",
            "cost_impact",
            "schedule_impact_days",
            "description",
            "reason",
            "scope_impact",
            "benefits_impact",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 2}),
            "scope_impact": forms.Textarea(attrs={"rows": 2}),
            "benefits_impact": forms.Textarea(attrs={"rows": 2}),
        }
