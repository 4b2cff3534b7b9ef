"""Forms of the action plan pages: they parse input; the rules live in services.actions."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Actor, Goal, JointCase, WorkArea
from trygga_platser.accounts.models import User
from trygga_platser.tenancy.models import Project

from ..models import Action
from ..services.actions import TITLE_REQUIRED

LEVELS = [(1, _("1 – small")), (2, _("2 – medium")), (3, _("3 – large"))]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _point_field(label, minimum: int, maximum: int) -> forms.FloatField:
    return forms.FloatField(label=label, required=False, min_value=minimum, max_value=maximum,
                            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))


class MemberField(forms.ModelChoiceField):
    """The project's members, named with their organisation where it is known."""

    def __init__(self, project: Project, **kwargs):
        self.organisations = dict(project.memberships.values_list("user_id", "organisation_name"))
        super().__init__(queryset=User.objects.filter(project_memberships__project=project)
                         .order_by("full_name", "email"), **kwargs)

    def label_from_instance(self, user) -> str:
        name = user.get_full_name() or user.email
        organisation = self.organisations.get(user.pk)
        return f"{name} ({organisation})" if organisation else name


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200, error_messages={"required": TITLE_REQUIRED},
                            help_text=_("What is to be done, e.g. “Replace the lighting in the underpass”."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("Work area"), choices=WorkArea.choices)
    lon = _point_field(_("Longitude"), -180, 180)
    lat = _point_field(_("Latitude"), -90, 90)
    responsible_organisation = forms.CharField(label=_("Responsible organisation"), max_length=200, required=False)
    responsible = forms.ModelChoiceField(queryset=User.objects.none())  # replaced per project
    other_actors = forms.ModelMultipleChoiceField(label=_("Other actors"), queryset=Actor.objects.none(),
                                                  required=False, widget=forms.CheckboxSelectMultiple)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=LEVELS, coerce=int, initial=2,
                                    help_text=_("How much the action does for the place."))
    effort = forms.TypedChoiceField(label=_("Effort"), choices=LEVELS, coerce=int, initial=2,
                                    help_text=_("How much work and money it takes."))
    horizon = forms.ChoiceField(label=_("Horizon"), choices=Action.Horizon.choices, initial=Action.Horizon.SHORT)
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE_INPUT)
    due_date = forms.DateField(label=_("Due"), required=False, widget=DATE_INPUT)
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices, initial=Action.Status.PLANNED)
    cost_estimate = forms.DecimalField(label=_("Cost estimate (SEK)"), required=False, min_value=0, decimal_places=0,
                                       max_digits=12, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    funding = forms.CharField(label=_("Funding"), max_length=200, required=False)
    joint_case = forms.ModelChoiceField(label=_("Part of the joint case"), queryset=JointCase.objects.none(),
                                        required=False, help_text=_("Leave empty if it is not part of it."))

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"] = MemberField(project, label=_("Responsible person"), required=False,
                                                 help_text=_("A member of the project. They are reminded before "
                                                             "the due date and can post progress."))
        self.fields["other_actors"].queryset = Actor.objects.filter(project=project).order_by("name")
        self.fields["goal"].queryset = Goal.objects.filter(project=project)
        self.fields["joint_case"].queryset = JointCase.objects.filter(project=project)
        # Keep the order of SPEC §7.1 after replacing a field.
        self.order_fields(list(ActionForm.base_fields))

    @staticmethod
    def initial_for(action: Action) -> dict:
        data = {name: getattr(action, name) for name in ActionForm.base_fields if name != "other_actors"}
        data["other_actors"] = list(action.other_actors.all())
        return data

    def values(self) -> dict:
        """The cleaned data in the service's terms (other actors apart)."""
        data = dict(self.cleaned_data)
        data.pop("other_actors", None)
        if data.get("responsible") and not data.get("responsible_organisation"):
            # The responsible person's organisation, as given in the project, unless one is typed in.
            data["responsible_organisation"] = self.fields["responsible"].organisations.get(data["responsible"].pk, "")
        return data


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("What has happened?"), widget=forms.Textarea(attrs={"rows": 4}),
                           required=False)  # the service says what is missing
    status = forms.ChoiceField(label=_("New status"), required=False,
                               choices=[("", _("Keep the current status"))] + list(Action.Status.choices))
    photo = forms.FileField(label=_("Photo (optional)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                            help_text=_("JPEG, PNG or WebP. The photo is re-encoded and its location data removed."))


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=Action.Status.choices)
    back = forms.ChoiceField(choices=[("board", "board"), ("mine", "mine"), ("action", "action")], required=False)


class FilterForm(forms.Form):
    """The list's filters: all GET, so they work without JavaScript and can be bookmarked."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), ("open", _("Open (planned or in progress)"))]
                               + list(Action.Status.choices))
    category = forms.ChoiceField(label=_("Work area"), required=False, choices=[("", _("All"))] + list(WorkArea.choices))
    responsible = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    horizon = forms.ChoiceField(label=_("Horizon"), required=False,
                                choices=[("", _("All"))] + list(Action.Horizon.choices))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, project: Project, with_people: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if with_people:
            self.fields["responsible"] = MemberField(project, label=_("Responsible person"), required=False,
                                                     empty_label=_("All"))
            self.order_fields(list(FilterForm.base_fields))
        else:
            # County board officers filter without names (SPEC §2).
            del self.fields["responsible"]
