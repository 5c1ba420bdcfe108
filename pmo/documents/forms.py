"""The forms of the documents pages: they parse and show fields; the services hold every rule."""

from __future__ import annotations

from typing import Any

from django import forms

from pmo.documents.models import DocumentTemplate, Kind
from pmo.documents.services import ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES
from pmo.resources.models import Person

PROJECT_KINDS = [(k, label) for k, label in Kind.choices if k not in (Kind.POLICY, Kind.CHARTER)]
UPLOAD_HELP = f"At most {MAX_UPLOAD_BYTES // 1048576} MB: {', '.join(e.lstrip('.') for e in ALLOWED_EXTENSIONS)}."


def _people() -> Any:
    """People who can sign in (an approver decides on the page)."""
    return Person.objects.filter(active=True, user__isnull=False).order_by("name")


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=PROJECT_KINDS, initial=Kind.DELIVERABLE)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    template = forms.ModelChoiceField(
        queryset=DocumentTemplate.objects.none(),
        required=False,
        empty_label="— none —",
        help_text="Start from a template of the library, filled with the project's data.",
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Or write the first version here (Markdown is fine)…",
    )
    file = forms.FileField(required=False, help_text="…or upload it. " + UPLOAD_HELP)
    approvers = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text="Who approves its versions (Ctrl/⌘-click for several).",
    )
    note = forms.CharField(required=False, max_length=300, label="What this version is")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = DocumentTemplate.objects.filter(active=True).exclude(
            kind__in=(Kind.POLICY, Kind.CHARTER)
        )
        self.fields["approvers"].queryset = _people()


class TextVersionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 18, "class": "doc-editor"}), strip=False)
    note = forms.CharField(required=False, max_length=300, label="What changed")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UploadVersionForm(forms.Form):
    file = forms.FileField(help_text=UPLOAD_HELP)
    note = forms.CharField(required=False, max_length=300, label="What changed")


class SubmitForm(forms.Form):
    approvers = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text="Each one approves or rejects the version (Ctrl/⌘-click for several).",
    )
    comment = forms.CharField(required=False, max_length=500, label="Message to the approvers")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approvers"].queryset = _people()


class DecisionForm(forms.Form):
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Required when you reject it."
    )


class BaselineForm(forms.Form):
    label = forms.CharField(max_length=200, help_text="The gate or milestone, e.g. “Gate 2: planning approved”.")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Kind.choices)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16, "class": "doc-editor"}),
        strip=False,
        help_text="Fields such as {{ project.name }} fill from the project (list on the right).",
    )
    note = forms.CharField(required=False, max_length=300, label="What changed")
    active = forms.BooleanField(required=False, initial=True, help_text="Offered to projects.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
