from django import forms

from pmo.resources.models import Person
from pmo.selection.models import Proposal
from pmo.web.forms import DateInput, VersionedForm


class ProposalForm(VersionedForm):
    sponsor = forms.ModelChoiceField(Person.objects.filter(active=True), required=False)

    class Meta:
        model = Proposal
        fields = (
            "title",
            "problem",
            "portfolio",
            "sponsor",
            "risk_level",
            "earliest_start",
            "latest_start",
            "duration_months",
            "discount_rate",
            "currency",
            "non_financial_benefits",
            "requires",
            "excludes",
        )
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "non_financial_benefits": forms.Textarea(attrs={"rows": 3}),
            "earliest_start": DateInput,
            "latest_start": DateInput,
            "requires": forms.CheckboxSelectMultiple,
            "excludes": forms.CheckboxSelectMultiple,
        }
        help_texts = {"requires": "Proposals this one needs.", "excludes": "Proposals that cannot both be chosen."}
