"""Forms of the inspection pages: they parse input; the rules live in services.inspections."""
from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import SCORE_MAX, SCORE_MIN, Aspect, Factor, Inspection, TimeOfDay

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHOTO_INPUT = forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"})
SCORE_PREFIX = "score_"


def point_field(label, minimum: int, maximum: int, help_text="") -> forms.FloatField:
    return forms.FloatField(label=label, min_value=minimum, max_value=maximum, help_text=help_text,
                            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))


class InspectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    time_of_day = forms.ChoiceField(label=_("Time of day"), choices=TimeOfDay.choices)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Inspection.Purpose.choices,
                                help_text=_("A follow-up is compared with the baseline, aspect by aspect."))
    inspectors = forms.CharField(label=_("Inspectors"), max_length=500, required=False,
                                 help_text=_("Names and organisations of those who inspected."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_for(inspection: Inspection) -> dict:
        return {name: getattr(inspection, name) for name in InspectionForm.base_fields}


class PointForm(forms.Form):
    """A point with one 0–20 field per factor of the organisation's set, grouped by aspect
    (`score_groups`). Factors already scored on the point but since retired stay editable."""

    name = forms.CharField(label=_("Place"), max_length=200,
                           help_text=_("A short name people recognise, e.g. “The underpass by the station”."))
    lat = point_field(_("Latitude"), -90, 90)
    lon = point_field(_("Longitude"), -180, 180)
    note = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    finding = forms.CharField(label=_("Finding"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What should be done here, if anything. It stays an open finding until "
                                          "it becomes an action."))
    # Checked, re-encoded and stripped by the service (uploads.photos.photo_clean), not here.
    photo = forms.FileField(label=_("Photo"), required=False, widget=PHOTO_INPUT,
                            help_text=_("Location data and other metadata are removed from the photo."))
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)

    def __init__(self, *args, aspects: list[Aspect], extra_factors: list[Factor] = (), has_photo: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if not has_photo:
            del self.fields["remove_photo"]
        self.score_groups: list[tuple[Aspect, list]] = []
        self.factor_ids: list[int] = []
        seen = set()
        groups: list[tuple[Aspect, list[Factor]]] = [(a, list(a.factor_list)) for a in aspects]
        for factor in extra_factors:
            if factor.pk in {f.pk for _a, fs in groups for f in fs}:
                continue
            target = next((fs for a, fs in groups if a.key == factor.aspect.key), None)
            if target is None:
                groups.append((factor.aspect, [factor]))
            else:
                target.append(factor)
        for aspect, factors in groups:
            names = []
            for factor in factors:
                if factor.pk in seen:
                    continue
                seen.add(factor.pk)
                name = f"{SCORE_PREFIX}{factor.pk}"
                self.fields[name] = forms.IntegerField(
                    label=factor.localized_name(), required=False, min_value=SCORE_MIN, max_value=SCORE_MAX,
                    help_text=(factor.guidance_en if _is_english() and factor.guidance_en else factor.guidance),
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": SCORE_MIN, "max": SCORE_MAX,
                                                    "step": 1, "class": "score-input"}))
                names.append(name)
                self.factor_ids.append(factor.pk)
            if names:
                self.score_groups.append((aspect, names))

    def bound_groups(self):
        """[(aspect, [bound field, …]), …] for the template."""
        return [(aspect, [self[name] for name in names]) for aspect, names in self.score_groups]

    def scores(self) -> dict[int, int | None]:
        return {fid: self.cleaned_data.get(f"{SCORE_PREFIX}{fid}") for fid in self.factor_ids}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "lat", "lon", "note", "finding")}

    @staticmethod
    def initial_for(point, scores: dict[int, int]) -> dict:
        initial = {name: getattr(point, name) for name in ("name", "lat", "lon", "note", "finding")}
        initial.update({f"{SCORE_PREFIX}{fid}": value for fid, value in scores.items()})
        return initial


def _is_english() -> bool:
    return get_language() == "en"


class _ListEntryForm(forms.Form):
    """An entry of the organisation's aspect list (an aspect or a factor): its fields are the model's;
    an empty order keeps the entry where it is."""

    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "position"] + ["position"])  # order last

    @classmethod
    def initial_for(cls, obj) -> dict:
        return {name: getattr(obj, name) for name in cls.base_fields}

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("position") is None:
            data.pop("position", None)
        return data


class AspectForm(_ListEntryForm):
    name = forms.CharField(label=_("Aspect"), max_length=120)
    name_en = forms.CharField(label=_("Aspect in English"), max_length=120, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    description_en = forms.CharField(label=_("Description in English"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))


class FactorForm(_ListEntryForm):
    name = forms.CharField(label=_("Factor"), max_length=200)
    name_en = forms.CharField(label=_("Factor in English"), max_length=200, required=False)
    guidance = forms.CharField(label=_("What to look for"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    guidance_en = forms.CharField(label=_("What to look for, in English"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ThresholdsForm(forms.Form):
    red_below = forms.IntegerField(label=_("Red below"), min_value=1, max_value=SCORE_MAX,
                                   help_text=_("Scores under this value are red."),
                                   widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    green_from = forms.IntegerField(label=_("Green from"), min_value=1, max_value=SCORE_MAX,
                                    help_text=_("Scores from this value are green; those between are yellow."),
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
