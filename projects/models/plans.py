"""Goals (SPEC §3.8), the joint case (SPEC §3.9) and the coaching log (step 4)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Goal(models.Model):
    class Horizon(models.TextChoices):
        SHORT = "short", _("Short term (within 12 months)")
        LONG = "long", _("Long term")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Followed up by hand")
        SURVEY = "survey", _("Survey indicator")
        ACTION_PLAN = "action_plan", _("Action plan (share of actions done or started)")

    class Comparison(models.TextChoices):
        AT_LEAST = "gte", "≥"
        AT_MOST = "lte", "≤"

    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="goals")
    horizon = models.CharField(_("horizon"), max_length=5, choices=Horizon.choices)
    title = models.CharField(_("goal"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300,
                                 help_text=_("What is measured, e.g. the share who feel safe in the area in the evening."))
    source = models.CharField(_("measured by"), max_length=12, choices=Source.choices, default=Source.MANUAL)
    # For survey indicators: the survey app's indicator key (e.g. "safe_evening"), resolved by that app.
    indicator_key = models.CharField(max_length=60, blank=True)
    comparison = models.CharField(_("target is"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST)
    target_value = models.DecimalField(_("target"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, default="%")
    baseline_value = models.DecimalField(_("baseline"), max_digits=8, decimal_places=2, null=True, blank=True)
    outcome_value = models.DecimalField(_("outcome"), max_digits=8, decimal_places=2, null=True, blank=True,
                                        help_text=_("For goals followed up by hand."))
    due_date = models.DateField(_("to be reached by"), null=True, blank=True)
    note = models.TextField(_("follow-up note"), blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["horizon", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class JointCase(models.Model):
    """The initiative the place's actors carry out together in step 4 (SPEC §3.9)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")

    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    actors = models.ManyToManyField("projects.Actor", blank=True, related_name="cases", verbose_name=_("participating actors"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        verbose_name = _("joint case")
        verbose_name_plural = _("joint cases")
        ordering = ["start_date", "pk"]

    def __str__(self) -> str:
        return self.title


class CoachingEntry(models.Model):
    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="coaching_entries")
    date = models.DateField(_("date"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"))
    next_steps = models.TextField(_("next steps"), blank=True)

    class Meta:
        verbose_name = _("coaching entry")
        verbose_name_plural = _("coaching log")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.topic
