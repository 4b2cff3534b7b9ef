"""The partnership organisation (SPEC §3.7)."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygga_platser.tenancy.models import StakeholderCategory


def document_path(instance: "PartnershipDocument", filename: str) -> str:
    return f"projects/{instance.project_id}/documents/{uuid.uuid4().hex}.pdf"


class Actor(models.Model):
    """An organisation in the partnership: a property owner, a business, the police…"""

    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="actors")
    name = models.CharField(_("organisation"), max_length=200)
    category = models.CharField(_("stakeholder category"), max_length=30, choices=StakeholderCategory.choices)
    description = models.TextField(_("role in the partnership"), blank=True)

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActorContact(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title or role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipGroup(models.Model):
    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering group")
        WORKING = "working", _("Working group")
        OTHER = "other", _("Other group")

    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    meeting_cadence = models.CharField(_("meeting cadence"), max_length=200, blank=True,
                                       help_text=_("E.g. once a month, or four times a year."))

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")
        CONVENER = "convener", _("Convener")

    group = models.ForeignKey(PartnershipGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    contact = models.ForeignKey(ActorContact, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.CheckConstraint(condition=models.Q(user__isnull=False) | models.Q(contact__isnull=False),
                                   name="group_member_person"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() if self.user_id else self.contact.name


class PartnershipDocument(models.Model):
    """The signed partnership agreement and other governing documents (PDF)."""

    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file (PDF)"), upload_to=document_path, max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title
