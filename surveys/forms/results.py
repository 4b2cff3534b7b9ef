"""The results filters (respondent category, date range): GET, so they work without JavaScript and
can be bookmarked. The category choices carry no counts (a small group's size is not shown)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..selectors.results import NO_FILTER, ResultFilter

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATES_REVERSED = _("The end date is before the start date.")


class ResultFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Respondent category"), required=False)
    date_from = forms.DateField(label=_("Answered from"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("Answered until"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, categories: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All respondents"))] + list(categories)
        if not categories:
            # The survey does not ask for a category: nothing to filter by.
            del self.fields["category"]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", DATES_REVERSED)
        return data

    def result_filter(self) -> ResultFilter:
        if not self.is_bound or not self.is_valid():
            return NO_FILTER
        data = self.cleaned_data
        return ResultFilter(category=data.get("category") or "", date_from=data.get("date_from"),
                            date_to=data.get("date_to"))
