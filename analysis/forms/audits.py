"""The point-audit form (SPEC §6.2): eight parameters and the overall feeling, each 0–3 with a
plain-language label per level, so a member on a pavement can answer without a manual."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import PointAudit, TimeOfDay
from .inspections import DATE_INPUT, PHOTO_INPUT, point_field

# parameter → (question, [label of level 0, 1, 2, 3])
LEVELS: dict[str, tuple] = {
    "lighting": (_("Lighting: can you see well?"), [
        _("No light – it is dark"), _("Poor – hard to see faces"), _("Enough to see the way"),
        _("Good – bright and even")]),
    "openness": (_("Openness: can you see what is ahead and around you?"), [
        _("Closed in – I cannot see ahead"), _("Partly blocked"), _("Mostly open"), _("Open – I can see all around")]),
    "visibility": (_("Visibility: can others see you from homes, shops or windows?"), [
        _("Nobody could see me"), _("A few windows or doors"), _("Some homes or shops look out here"),
        _("Many windows, shops and entrances")]),
    "people": (_("People: are there people around?"), [
        _("Empty – nobody around"), _("A few people"), _("Some people"), _("Many people")]),
    "security": (_("Security: are there guards, police or staff nearby?"), [
        _("Nobody who could help"), _("Someone, but far away"), _("Staff or security nearby"),
        _("Visible guards, police or staff")]),
    "walk_path": (_("Walk path: is it easy and safe to walk here?"), [
        _("No path, or a very bad one"), _("Path in poor condition"), _("Path is fine"),
        _("Good, wide and well kept")]),
    "public_transport": (_("Public transport: how close is the nearest stop?"), [
        _("None within reach"), _("More than 10 minutes away"), _("A few minutes away"),
        _("Right here, with frequent departures")]),
    "gender_usage": (_("Gender usage: are women and girls here too?"), [
        _("No women or girls at all"), _("Very few women or girls"), _("Some women and girls"),
        _("Many women, girls and families")]),
}
FEELING = (_("Overall: how safe does this place feel?"), [
    _("Very unsafe"), _("Unsafe"), _("Fairly safe"), _("Safe")])


def level_choices(labels) -> list[tuple[int, str]]:
    return [(value, label) for value, label in enumerate(labels)]


class LevelField(forms.TypedChoiceField):
    def __init__(self, question, labels, **kwargs):
        super().__init__(label=question, choices=level_choices(labels), coerce=int, widget=forms.RadioSelect,
                         **kwargs)


class AuditForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    time_of_day = forms.ChoiceField(label=_("Time of day"), choices=TimeOfDay.choices)
    lat = point_field(_("Latitude"), -90, 90)
    lon = point_field(_("Longitude"), -180, 180)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What makes the place feel the way it does? Do not write names."))
    photo = forms.FileField(label=_("Photo of the place"), required=False, widget=PHOTO_INPUT,
                            help_text=_("Location data and other metadata are removed from the photo. "
                                        "Avoid faces."))
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)

    def __init__(self, *args, has_photo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (question, labels) in LEVELS.items():
            self.fields[key] = LevelField(question, labels)
        self.fields["feeling"] = LevelField(*FEELING)
        if not has_photo:
            del self.fields["remove_photo"]

    def level_fields(self):
        return [self[key] for key in LEVELS]

    def values(self) -> dict:
        names = (*PointAudit.PARAMETERS, "feeling", "date", "time_of_day", "lat", "lon", "note")
        return {name: self.cleaned_data[name] for name in names}

    @staticmethod
    def initial_for(audit: PointAudit) -> dict:
        names = (*PointAudit.PARAMETERS, "feeling", "date", "time_of_day", "lat", "lon", "note")
        return {name: getattr(audit, name) for name in names}
