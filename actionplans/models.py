"""The action plan (SPEC §7): actions with responsibility, priority, dates, status and progress."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import WorkArea


def update_photo_path(instance: "ActionUpdate", filename: str) -> str:
    return f"projects/{instance.action.project_id}/actions/{uuid.uuid4().hex}.jpg"


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    # Typed open/closed (SPEC §7.1): open actions can be overdue and are reminded.
    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)
    CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)

    class Horizon(models.TextChoices):
        SHORT = "short", _("Short term")
        LONG = "long", _("Long term")

    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveIntegerField(_("number"), help_text=_("Runs within the project: A1, A2, …"))
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("work area"), max_length=20, choices=WorkArea.choices)
    lon = models.FloatField(_("longitude"), null=True, blank=True,
                            validators=[MinValueValidator(-180), MaxValueValidator(180)])
    lat = models.FloatField(_("latitude"), null=True, blank=True,
                            validators=[MinValueValidator(-90), MaxValueValidator(90)])
    responsible_organisation = models.CharField(_("responsible organisation"), max_length=200, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="responsible_actions",
        verbose_name=_("responsible person"), help_text=_("A member of the project."),
    )
    other_actors = models.ManyToManyField("projects.Actor", blank=True, related_name="actions",
                                          verbose_name=_("other actors"))
    impact = models.PositiveSmallIntegerField(_("impact"), validators=[MinValueValidator(1), MaxValueValidator(3)],
                                              default=2, help_text=_("1 small, 2 medium, 3 large"))
    effort = models.PositiveSmallIntegerField(_("effort"), validators=[MinValueValidator(1), MaxValueValidator(3)],
                                              default=2, help_text=_("1 small, 2 medium, 3 large"))
    horizon = models.CharField(_("horizon"), max_length=5, choices=Horizon.choices, default=Horizon.SHORT)
    goal = models.ForeignKey("projects.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions",
                             verbose_name=_("goal"))
    start_date = models.DateField(_("start"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    cost_estimate = models.DecimalField(_("cost estimate (SEK)"), max_digits=12, decimal_places=0, null=True,
                                        blank=True, validators=[MinValueValidator(0)])
    funding = models.CharField(_("funding"), max_length=200, blank=True)
    joint_case = models.ForeignKey("projects.JointCase", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="actions", verbose_name=_("part of the joint case"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="action_unique_number"),
            models.CheckConstraint(
                condition=models.Q(due_date__isnull=True) | models.Q(start_date__isnull=True)
                | models.Q(due_date__gte=models.F("start_date")),
                name="action_due_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "status"], name="action_project_status"),
            models.Index(fields=["responsible", "status", "due_date"], name="action_responsible_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"A{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def priority(self) -> int:
        """Impact against effort: 1 (do first: large impact, small effort) … 5 (reconsider)."""
        return 3 - self.impact + self.effort

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today


class ActionFinding(models.Model):
    """What an action answers: an observation, an inspection point, a map answer, a survey question.

    Kept as a kind and a reference (with the label at the time of linking) so that the action plan
    does not depend on the surveys and analysis apps' tables; each kind's owner resolves its link.
    """

    class Kind(models.TextChoices):
        OBSERVATION = "observation", _("Site-walk observation")
        INSPECTION_POINT = "inspection_point", _("Inspection point")
        MAP_ANSWER = "map_answer", _("Map answer")
        SURVEY_QUESTION = "survey_question", _("Survey question")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    ref = models.CharField(max_length=40)
    label = models.CharField(_("finding"), max_length=300)

    class Meta:
        verbose_name = _("linked finding")
        verbose_name_plural = _("linked findings")
        constraints = [models.UniqueConstraint(fields=["action", "kind", "ref"], name="action_finding_unique")]

    def __str__(self) -> str:
        return self.label


class ActionUpdate(models.Model):
    """A dated progress note, optionally with a photo and a change of status."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("what has happened"))
    photo = models.ImageField(_("photo"), upload_to=update_photo_path, blank=True, max_length=300)
    status_before = models.CharField(max_length=12, choices=Action.Status.choices, blank=True)
    status_after = models.CharField(max_length=12, choices=Action.Status.choices, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return self.note[:60]
