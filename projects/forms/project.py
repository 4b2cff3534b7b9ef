from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygga_platser.tenancy.models import Organisation, Programme, Project, ProjectMembership, StakeholderCategory

from ..geo import area_parse
from ..models import Variant


class ProjectForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Project name"), max_length=200)
    place_name = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("The bounded place, e.g. the bus square or the town centre.")
    )
    variant = forms.ModelChoiceField(
        label=_("Model variant"), queryset=Variant.objects.filter(is_active=True), to_field_name="slug",
        empty_label=None, help_text=_("The variant decides the steps, their activities and the timeline."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices, initial=Project.Status.PLANNED)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    area = forms.CharField(
        label=_("The area as text (GeoJSON or coordinates, WGS84)"),
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        required=False,
        help_text=_("For example, one corner per line: 60.1440, 16.1650"),
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"),
        queryset=Programme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("County board programmes the project takes part in. Their county boards can follow it."),
    )

    def __init__(self, *args, municipalities=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # The variant is the project's plan, fixed at creation.
            del self.fields["municipality"]
            del self.fields["variant"]
        else:
            self.fields["municipality"].queryset = municipalities if municipalities is not None else Organisation.objects.none()
            del self.fields["status"]

    def clean_area(self):
        return area_parse(self.cleaned_data.get("area"))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    organisation_name = forms.CharField(
        label=_("Organisation"), max_length=200, required=False, help_text=_("E.g. the company, authority or association.")
    )
    project_role = forms.ChoiceField(label=_("Role in the project"), choices=ProjectMembership.Role.choices,
                                     initial=ProjectMembership.Role.MEMBER)
    stakeholder_category = forms.ChoiceField(label=_("Stakeholder category"), choices=StakeholderCategory.choices)
