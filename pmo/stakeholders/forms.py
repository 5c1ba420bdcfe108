"""The page forms of stakeholders; the services do the checking that matters, these only parse the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from pmo.resources.models import Person
from pmo.stakeholders.models import Channel, Engagement, Frequency, Stakeholder

DATE = forms.DateInput(attrs={"type": "date"})
ONE_TO_FIVE = [(n, str(n)) for n in range(1, 6)]


class StakeholderForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, help_text="Leave empty to use the person's name.")
    person = forms.ModelChoiceField(
        Person.objects.filter(active=True), required=False, help_text="Someone in the organisation"
    )
    organisation = forms.CharField(max_length=200, required=False)
    role = forms.CharField(max_length=200, required=False, label="Role")
    interest = forms.TypedChoiceField(choices=ONE_TO_FIVE, coerce=int, initial=3, help_text="1 low – 5 high")
    influence = forms.TypedChoiceField(choices=ONE_TO_FIVE, coerce=int, initial=3, help_text="Power: 1 low – 5 high")
    current_engagement = forms.ChoiceField(choices=Engagement.choices, initial=Engagement.NEUTRAL)
    desired_engagement = forms.ChoiceField(choices=Engagement.choices, initial=Engagement.SUPPORTIVE)
    relationship_owner = forms.ModelChoiceField(Person.objects.filter(active=True), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("name") and not data.get("person"):
            self.add_error("name", "Give a name or pick a person.")
        return data


class ItemForm(forms.Form):
    what = forms.CharField(max_length=200, label="What")
    stakeholders = forms.ModelMultipleChoiceField(
        Stakeholder.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label="Audience"
    )
    audience_groups = forms.CharField(max_length=300, required=False, label="Groups", help_text="e.g. all branch staff")
    frequency = forms.ChoiceField(choices=Frequency.choices, initial=Frequency.MONTHLY)
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.EMAIL)
    sender = forms.ModelChoiceField(Person.objects.filter(active=True), required=False, label="Who sends")
    next_due = forms.DateField(widget=DATE, label="Next due")

    def __init__(self, *args: Any, audience: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if audience is not None:
            self.fields["stakeholders"].queryset = audience


class SentForm(forms.Form):
    sent_on = forms.DateField(widget=DATE, required=False, label="Sent on")
    note = forms.CharField(max_length=500, required=False)

    def clean_sent_on(self) -> Any:
        return self.cleaned_data.get("sent_on") or timezone.localdate()


class BenefitForm(forms.Form):
    name = forms.CharField(max_length=200)
    kpi = forms.CharField(max_length=200, label="KPI")
    unit = forms.CharField(max_length=40, required=False)
    baseline_value = forms.DecimalField(max_digits=16, decimal_places=4, label="Baseline")
    target_value = forms.DecimalField(max_digits=16, decimal_places=4, label="Target")
    target_date = forms.DateField(widget=DATE)
    owner = forms.ModelChoiceField(Person.objects.filter(active=True), required=False)
    financial_value = forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, initial=0, label="Financial value"
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MeasurementForm(forms.Form):
    benefit = forms.IntegerField(widget=forms.HiddenInput)
    measured_on = forms.DateField(widget=DATE, label="Measured on")
    value = forms.DecimalField(max_digits=16, decimal_places=4)
    comment = forms.CharField(max_length=500, required=False)


class SurveyForm(forms.Form):
    period = forms.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        max_length=7,
        help_text="YYYY-MM",
        error_messages={"invalid": "Use a month as YYYY-MM, e.g. 2026-10."},
    )
    question = forms.CharField(max_length=300, required=False, initial="How satisfied are you with the project?")


class AnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=ONE_TO_FIVE, coerce=int, widget=forms.RadioSelect, label="Score (1 very unhappy – 5 very happy)"
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ItemEditForm(ItemForm):
    next_due = forms.DateField(widget=DATE, label="Next due", required=False)
    active = forms.BooleanField(required=False, initial=True, help_text="Untick to stop planning it")


class BenefitEditForm(BenefitForm):
    pass
