"""Forms of the partnership organisation (SPEC §3.7). They parse input; the rules live in
projects/services/partnership.py."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygga_platser.tenancy.models import StakeholderCategory

from ..models import ActorContact, GroupMember, PartnershipGroup
from ..selectors.partnership import group_member_choices
from ..services.partnership import document_max_bytes


class ActorForm(forms.Form):
    name = forms.CharField(label=_("Organisation"), max_length=200,
                           help_text=_("E.g. the property company, the shop, the police area or the association."))
    category = forms.ChoiceField(label=_("Stakeholder category"), choices=StakeholderCategory.choices)
    description = forms.CharField(label=_("Role in the partnership"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("What the actor contributes or is responsible for."))


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Title or role"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of group"), choices=PartnershipGroup.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("E.g. Styrgrupp Trygga Platser centrum."))
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What the group decides or does."))
    meeting_cadence = forms.CharField(label=_("Meeting cadence"), max_length=200, required=False,
                                      help_text=_("E.g. once a month, or four times a year."))


class GroupMemberForm(forms.Form):
    """A person for a group: one select with the project's members and the actors' contact persons."""

    person = forms.ChoiceField(label=_("Person"), help_text=_(
        "A member of the project, or a contact person of one of the actors."))
    role = forms.ChoiceField(label=_("Role in the group"), choices=GroupMember.Role.choices,
                             initial=GroupMember.Role.MEMBER)

    def __init__(self, *args, project, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["person"].choices = [("", _("Choose a person"))] + group_member_choices(project=project, group=group)

    def clean_person(self) -> dict:
        """{"person": user} or {"contact": contact}; the service checks they belong to the project."""
        kind, _sep, pk = (self.cleaned_data.get("person") or "").partition(":")
        if not pk.isdigit():
            kind = ""
        if kind == "user":
            membership = self.project.memberships.select_related("user").filter(user_id=pk).first()
            if membership:
                return {"person": membership.user}
        elif kind == "contact":
            contact = ActorContact.objects.select_related("actor").filter(actor__project=self.project, pk=pk).first()
            if contact:
                return {"contact": contact}
        raise forms.ValidationError(_("Choose a person from the list."))


class GroupMemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the group"), choices=GroupMember.Role.choices)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Partnership agreement"))
    file = forms.FileField(
        label=_("File (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The signed agreement or another governing document, as a PDF of at most %(mb)s MB."
        ) % {"mb": document_max_bytes() // (1024 * 1024)}
