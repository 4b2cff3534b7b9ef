"""Forms of meetings and site walks: they parse input; the rules live in services.meetings."""
from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygga_platser.tenancy.models import StakeholderCategory

from ..models import Meeting, WorkArea


def _point_field(label, minimum: int, maximum: int) -> forms.FloatField:
    # type=number with step="any" gives phones a numeric keyboard and keeps decimals.
    return forms.FloatField(label=label, required=False, min_value=minimum, max_value=maximum,
                            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))


class MeetingForm(forms.Form):
    """Date and times as separate native inputs, which phones show as their own pickers."""

    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    location = forms.CharField(label=_("Place"), max_length=200, required=False,
                               help_text=_("Where to meet, e.g. “Outside the library, Kyrkogatan 3”."))
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    # Errors the service reports on the model's fields, shown next to the inputs that set them.
    SERVICE_FIELDS = {"starts_at": "start_time", "ends_at": "end_time"}

    @staticmethod
    def initial_for(meeting: Meeting) -> dict:
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {"kind": meeting.kind, "title": meeting.title, "date": start.date(), "start_time": start.time(),
                "end_time": end.time(), "location": meeting.location, "agenda": meeting.agenda}

    def values(self) -> dict:
        """The cleaned data in the service's terms: aware start and end in the local time zone."""
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        return {
            "kind": data["kind"], "title": data["title"], "location": data["location"], "agenda": data["agenda"],
            "starts_at": timezone.make_aware(datetime.combine(data["date"], data["start_time"]), tz),
            "ends_at": timezone.make_aware(datetime.combine(data["date"], data["end_time"]), tz),
        }


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
                              help_text=_("What was said and seen. Members and the project's viewers can read it."))
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                help_text=_("One decision a line, with who does what and by when."))


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, membership) -> str:
        extra = ", ".join(filter(None, [membership.organisation_name, membership.get_stakeholder_category_display()]))
        return f"{membership.user.get_full_name()} ({extra})"


class MembersForm(forms.Form):
    members = MemberChoiceField(label=_("Project members"), queryset=None, widget=forms.CheckboxSelectMultiple,
                                error_messages={"required": _("Choose at least one member.")})

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = choices


class GuestForm(forms.Form):
    guest_name = forms.CharField(label=_("Name"), max_length=200)
    guest_email = forms.EmailField(label=_("E-mail address"), required=False,
                                   help_text=_("Needed for the invitation and the reminder."))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Stakeholder category"), choices=StakeholderCategory.choices,
                                 initial=StakeholderCategory.OTHER)


ATTENDANCE_CHOICES = {"yes": True, "no": False, "unknown": None}


class AttendanceForm(forms.Form):
    attended = forms.ChoiceField(choices=[(k, k) for k in ATTENDANCE_CHOICES])

    @property
    def value(self) -> bool | None:
        return ATTENDANCE_CHOICES[self.cleaned_data["attended"]]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Meeting.Status.choices)


class StopForm(forms.Form):
    name = forms.CharField(label=_("Name of the stop"), max_length=200,
                           help_text=_("E.g. “The underpass by the station”."))
    lon = _point_field(_("Longitude (east)"), -180, 180)
    lat = _point_field(_("Latitude (north)"), -90, 90)
    note = forms.CharField(label=_("What to look at here"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lon", "lat"):
            self.fields[name].required = True
        self.fields["lon"].help_text = _("Decimal degrees in WGS84, e.g. 16.1684.")
        self.fields["lat"].help_text = _("Decimal degrees in WGS84, e.g. 60.1449.")


class StopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, stop) -> str:
        return f"{stop.order}. {stop.name}"


class ObservationForm(forms.Form):
    stop = StopChoiceField(label=_("Stop"), queryset=None, required=False, empty_label=_("Between stops / none"))
    text = forms.CharField(label=_("What did you see?"), widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": _("Describe what you saw.")})
    category = forms.ChoiceField(label=_("Work area"), choices=WorkArea.choices, widget=forms.RadioSelect,
                                 error_messages={"required": _("Choose a work area.")})
    photo = forms.FileField(
        label=_("Photo"), required=False,
        help_text=_("Optional. Location data and other metadata are removed from the photo."),
        # The photo is never offered back as a link here (no ClearableFileInput): it is shown on
        # the meeting page, served through an access-checked view.
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    lon = _point_field(_("Longitude (east)"), -180, 180)
    lat = _point_field(_("Latitude (north)"), -90, 90)

    def __init__(self, *args, stops, has_photo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stop"].queryset = stops
        if has_photo:
            self.fields["remove_photo"] = forms.BooleanField(label=_("Remove the photo"), required=False)
            self.fields["photo"].label = _("Replace the photo")

    def values(self) -> dict:
        data = self.cleaned_data
        return {"text": data["text"], "category": data["category"], "stop": data["stop"], "lon": data["lon"],
                "lat": data["lat"], "photo": data.get("photo") or None}


class FindingForm(forms.Form):
    keep = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")

