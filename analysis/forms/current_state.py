"""Form: the coordinator's summary and conclusions of the current-state analysis (SPEC §6.4)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.current_state import TEXT_MAX


class CurrentStateForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the mapping, surveys, inspection, audits, site walk and crime statistics show, in "
                    "your own words. It opens the report."),
    )
    conclusions = forms.CharField(
        label=_("Conclusions"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The problems to work on and where: the basis for the goals and the action plan."),
    )
