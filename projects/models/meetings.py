"""Meetings and site walks (SPEC §3.6)."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygga_platser.tenancy.models import StakeholderCategory

from .workflow import WorkArea


def observation_photo_path(instance: "Observation", filename: str) -> str:
    return f"projects/{instance.meeting.project_id}/observations/{uuid.uuid4().hex}.jpg"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        SITE_WALK = "site_walk", _("Site walk")
        TRAINING = "training", _("Training")
        STEERING_GROUP = "steering_group", _("Steering group meeting")
        WORKING_GROUP = "working_group", _("Working group meeting")
        OTHER = "other", _("Other meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # Incremented when the time or place changes, so attendees' calendars update (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")), name="meeting_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_site_walk(self) -> bool:
        return self.kind == self.Kind.SITE_WALK


class MeetingParticipant(models.Model):
    """A project member or an external guest invited to a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="meeting_participations")
    guest_name = models.CharField(_("name"), max_length=200, blank=True)
    guest_email = models.EmailField(_("e-mail address"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    category = models.CharField(_("stakeholder category"), max_length=30, choices=StakeholderCategory.choices,
                                default=StakeholderCategory.OTHER)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["guest_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], condition=models.Q(user__isnull=False),
                                    name="participant_unique_user"),
            models.CheckConstraint(condition=models.Q(user__isnull=False) | ~models.Q(guest_name=""),
                                   name="participant_user_or_guest"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() if self.user_id else self.guest_name

    @property
    def email(self) -> str:
        return self.user.email if self.user_id else self.guest_email


class SiteWalkStop(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name of the stop"), max_length=200)
    lon = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    lat = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    """Something seen at a site walk: kept as a finding for the current-state analysis, or turned
    into an action once the action plan exists."""

    class FindingStatus(models.TextChoices):
        NOTED = "noted", _("Noted")
        FINDING = "finding", _("Kept as a finding")
        ACTION = "action", _("Turned into an action")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="observations")
    stop = models.ForeignKey(SiteWalkStop, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="observations", verbose_name=_("stop"))
    text = models.TextField(_("observation"))
    category = models.CharField(_("work area"), max_length=20, choices=WorkArea.choices)
    photo = models.ImageField(_("photo"), upload_to=observation_photo_path, blank=True, max_length=300)
    lon = models.FloatField(_("longitude"), null=True, blank=True,
                            validators=[MinValueValidator(-180), MaxValueValidator(180)])
    lat = models.FloatField(_("latitude"), null=True, blank=True,
                            validators=[MinValueValidator(-90), MaxValueValidator(90)])
    finding_status = models.CharField(_("follow-up"), max_length=10, choices=FindingStatus.choices,
                                      default=FindingStatus.NOTED)
    # Set by the action plan when an action is created from this observation.
    action_ref = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["meeting", "stop__order", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
