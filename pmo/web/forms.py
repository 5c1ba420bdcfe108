from django import forms


class VersionedForm(forms.ModelForm):
    """Carries the version the user started editing, so a concurrent change is caught, not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DateInput(forms.DateInput):
    input_type = "date"
