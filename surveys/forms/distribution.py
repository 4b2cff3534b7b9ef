"""Forms of the distribution page (SPEC §5.2): they parse input; the rules live in
services.distribution and services.invitations."""
from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import MAX_REMINDERS
from ..services.invitations import MAX_BYTES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_OPEN_DAYS = 28

REMINDER_DAYS_INVALID = _("Write whole numbers of days separated by commas, e.g. “14, 28”.")
LIST_REQUIRED = _("Paste the addresses or choose a file.")
FILE_TOO_LARGE = _("The file is too large (at most 1 MB).")


class PublishForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens"), widget=DATE_INPUT,
                               help_text=_("The first day the survey can be answered."))
    closes_on = forms.DateField(label=_("Closes"), widget=DATE_INPUT,
                                help_text=_("The last day the survey can be answered."))

    @classmethod
    def for_survey(cls, survey, data=None) -> PublishForm:
        today = timezone.localdate()
        opens = survey.opens_on if survey.opens_on and survey.opens_on >= today else today
        closes = survey.closes_on if survey.closes_on and survey.closes_on >= opens else opens + timedelta(
            days=DEFAULT_OPEN_DAYS)
        return cls(data, initial={"opens_on": opens, "closes_on": closes}, prefix="publish")


class ReminderDaysField(forms.CharField):
    """"14, 28" → [14, 28]; the range and order are checked by the service."""

    def to_python(self, value) -> list[int]:
        text = (super().to_python(value) or "").strip()
        if not text:
            return []
        parts = [p for p in re.split(r"[,;\s]+", text) if p]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(REMINDER_DAYS_INVALID)
        return [int(p) for p in parts]


class ScheduleForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens"), widget=DATE_INPUT, required=False)
    closes_on = forms.DateField(label=_("Closes"), widget=DATE_INPUT, required=False)
    public_link_enabled = forms.BooleanField(
        label=_("Public link and QR code"), required=False,
        help_text=_("Anyone with the link can answer. Turn it off to take answers only through personal invitations."))
    reminder_days = ReminderDaysField(
        label=_("Reminders (days after the invitation)"), required=False,
        help_text=_("E.g. “14, 28” for reminders after two and four weeks; at most %(max)s, each 1–90 days. "
                    "Empty: no reminders. Only those who have not answered are reminded.") % {"max": MAX_REMINDERS})

    @classmethod
    def for_survey(cls, survey, data=None) -> ScheduleForm:
        return cls(data, prefix="schedule", initial={
            "opens_on": survey.opens_on, "closes_on": survey.closes_on,
            "public_link_enabled": survey.public_link_enabled,
            "reminder_days": ", ".join(str(d) for d in survey.reminder_days or []),
        })


class MembersForm(forms.Form):
    members = forms.MultipleChoiceField(label=_("Project members"), widget=forms.CheckboxSelectMultiple,
                                        help_text=_("Members not yet invited, with their stakeholder category."))

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, prefix="members", **kwargs)
        self.memberships = {str(m.pk): m for m in memberships}
        self.fields["members"].choices = [
            (str(m.pk), f"{m.user.get_full_name()} ({m.user.email}) – {m.get_stakeholder_category_display()}")
            for m in memberships
        ]

    def chosen(self) -> list:
        return [self.memberships[pk] for pk in self.cleaned_data["members"]]


class InvitationListForm(forms.Form):
    text = forms.CharField(
        label=_("Paste addresses"), required=False, widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("One person a line: e-mail address; stakeholder category (the code or the name, e.g. "
                    "“polis” or “Fastighetsägare”); optionally the language, sv or en. Semicolons or commas."))
    file = forms.FileField(label=_("Or upload a CSV file"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
                           help_text=_("The same columns, e.g. saved from Excel as “CSV UTF-8”. A header row is allowed."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="list", **kwargs)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError(FILE_TOO_LARGE)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text") or "").strip() and not cleaned.get("file") and not self.errors:
            raise forms.ValidationError(LIST_REQUIRED)
        return cleaned

    def data_to_read(self) -> bytes | str:
        upload = self.cleaned_data.get("file")
        return upload.read() if upload else self.cleaned_data["text"]
