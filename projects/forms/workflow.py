from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class StepCompleteForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for completing with open activities"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Only needed when required activities are not done. The reason is recorded in the log."),
    )


class StepDatesForm(forms.Form):
    planned_start = forms.DateField(label=_("Planned start"), widget=forms.DateInput(attrs={"type": "date"}))
    planned_end = forms.DateField(label=_("Planned end"), widget=forms.DateInput(attrs={"type": "date"}))


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    required = forms.BooleanField(label=_("Required to complete the step"), required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
