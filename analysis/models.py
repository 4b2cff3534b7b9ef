"""Current-state analysis (SPEC §6): safety inspections with their aspect/factor scores, point
audits, crime statistics and the coordinator's written analysis.

The aspects and factors of an inspection are data (SPEC §6.1): a shipped set (organisation empty,
from a data migration) that an organisation can copy and edit as its own. Scores point at the
factor rows, so editing a set later never rewrites an old inspection; a factor is retired
(`active=False`), not deleted, once scored.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SCORE_MIN, SCORE_MAX = 0, 20  # 0 alarming … 20 good (SPEC §6.1)
AUDIT_MIN, AUDIT_MAX = 0, 3  # point audit parameters (SPEC §6.2)


def inspection_photo_path(instance: "InspectionPoint", filename: str) -> str:
    return f"projects/{instance.inspection.project_id}/inspections/{uuid.uuid4().hex}.jpg"


def audit_photo_path(instance: "PointAudit", filename: str) -> str:
    return f"projects/{instance.project_id}/audits/{uuid.uuid4().hex}.jpg"


class TimeOfDay(models.TextChoices):
    DAYLIGHT = "daylight", _("Daylight")  # dagsljus
    DUSK = "dusk", _("Dusk")  # skymning
    DARK = "dark", _("Dark")  # mörker


class Aspect(models.Model):
    """An aspect of the physical environment (gestaltning, belysning…). `organisation` empty = shipped."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="inspection_aspects")
    key = models.SlugField(max_length=60)
    name = models.CharField(_("aspect"), max_length=120)
    name_en = models.CharField(_("aspect in English"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("inspection aspect")
        verbose_name_plural = _("inspection aspects")
        ordering = ["organisation", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="aspect_unique_key",
                                               nulls_distinct=False)]

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class Factor(models.Model):
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="factors")
    name = models.CharField(_("factor"), max_length=200)
    name_en = models.CharField(_("factor in English"), max_length=200, blank=True)
    guidance = models.TextField(_("what to look for"), blank=True)
    guidance_en = models.TextField(_("what to look for, in English"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("factor")
        verbose_name_plural = _("factors")
        ordering = ["aspect", "position", "pk"]

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class ScoreThresholds(models.Model):
    """Where red ends and green begins on the 0–20 scale. `organisation` empty = the shipped default
    (red 0–7, yellow 8–13, green 14–20); an organisation may keep its own."""

    organisation = models.OneToOneField("tenancy.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                        related_name="score_thresholds")
    red_below = models.PositiveSmallIntegerField(
        _("red below"), default=8, validators=[MinValueValidator(1), MaxValueValidator(SCORE_MAX)])
    green_from = models.PositiveSmallIntegerField(
        _("green from"), default=14, validators=[MinValueValidator(1), MaxValueValidator(SCORE_MAX)])

    class Meta:
        verbose_name = _("score thresholds")
        verbose_name_plural = _("score thresholds")
        constraints = [
            models.CheckConstraint(condition=models.Q(green_from__gt=models.F("red_below")),
                                   name="thresholds_green_above_red"),
            models.UniqueConstraint(fields=["organisation"], name="thresholds_one_per_organisation",
                                    nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"<{self.red_below} red, ≥{self.green_from} green"


class Inspection(models.Model):
    """A trygghetsbesiktning (SPEC §6.1)."""

    class Purpose(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        FOLLOWUP = "followup", _("Follow-up")

    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="inspections")
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), default=timezone.localdate)
    time_of_day = models.CharField(_("time of day"), max_length=10, choices=TimeOfDay.choices,
                                   default=TimeOfDay.DAYLIGHT)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.BASELINE)
    inspectors = models.CharField(_("inspectors"), max_length=500, blank=True,
                                  help_text=_("Names and organisations of those who inspected."))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("safety inspection")
        verbose_name_plural = _("safety inspections")
        ordering = ["project", "-date", "-pk"]

    def __str__(self) -> str:
        return self.title


class InspectionPoint(models.Model):
    """A point of an inspection on the map, with its factor scores, note, photo and finding. A point
    with a finding and no action yet is an open finding; the action plan links it as
    `ActionFinding(kind="inspection_point", ref=str(point.pk))`."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("place"), max_length=200)
    lon = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    lat = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    note = models.TextField(_("notes"), blank=True)
    finding = models.TextField(_("finding"), blank=True,
                               help_text=_("What should be done here, if anything. It stays an open finding "
                                           "until it becomes an action."))
    photo = models.ImageField(_("photo"), upload_to=inspection_photo_path, blank=True, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection point")
        verbose_name_plural = _("inspection points")
        ordering = ["inspection", "number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="inspection_point_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class FactorScore(models.Model):
    point = models.ForeignKey(InspectionPoint, on_delete=models.CASCADE, related_name="scores")
    factor = models.ForeignKey(Factor, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"),
                                             validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])

    class Meta:
        verbose_name = _("factor score")
        verbose_name_plural = _("factor scores")
        constraints = [
            models.UniqueConstraint(fields=["point", "factor"], name="factor_score_unique"),
            models.CheckConstraint(condition=models.Q(score__lte=SCORE_MAX), name="factor_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.factor_id}: {self.score}"


class PointAudit(models.Model):
    """A quick walk audit by a member (SPEC §6.2): eight parameters 0–3 and the overall feeling."""

    PARAMETERS = ("lighting", "openness", "visibility", "people", "security", "walk_path", "public_transport",
                  "gender_usage")

    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="point_audits")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    date = models.DateField(_("date"), default=timezone.localdate)
    time_of_day = models.CharField(_("time of day"), max_length=10, choices=TimeOfDay.choices,
                                   default=TimeOfDay.DAYLIGHT)
    lon = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    lat = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lighting = models.PositiveSmallIntegerField(_("lighting"), validators=[MaxValueValidator(AUDIT_MAX)])
    openness = models.PositiveSmallIntegerField(_("openness"), validators=[MaxValueValidator(AUDIT_MAX)])
    visibility = models.PositiveSmallIntegerField(_("visibility"), validators=[MaxValueValidator(AUDIT_MAX)])
    people = models.PositiveSmallIntegerField(_("people"), validators=[MaxValueValidator(AUDIT_MAX)])
    security = models.PositiveSmallIntegerField(_("security"), validators=[MaxValueValidator(AUDIT_MAX)])
    walk_path = models.PositiveSmallIntegerField(_("walk path"), validators=[MaxValueValidator(AUDIT_MAX)])
    public_transport = models.PositiveSmallIntegerField(_("public transport"),
                                                        validators=[MaxValueValidator(AUDIT_MAX)])
    gender_usage = models.PositiveSmallIntegerField(_("gender usage"), validators=[MaxValueValidator(AUDIT_MAX)])
    feeling = models.PositiveSmallIntegerField(_("overall feeling"), validators=[MaxValueValidator(AUDIT_MAX)],
                                               help_text=_("0 very unsafe … 3 safe"))
    note = models.TextField(_("note"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=audit_photo_path, blank=True, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("point audit")
        verbose_name_plural = _("point audits")
        ordering = ["project", "-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date} ({self.lat:.5f}, {self.lon:.5f})"


class CrimeStatistic(models.Model):
    """Police-reported crimes per category and year (SPEC §6.3), optionally for a sub-area."""

    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="crime_statistics")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1975), MaxValueValidator(2100)])
    category = models.CharField(_("crime category"), max_length=120)
    area = models.CharField(_("area"), max_length=120, blank=True)
    count = models.PositiveIntegerField(_("reported crimes"))
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("crime statistic")
        verbose_name_plural = _("crime statistics")
        ordering = ["project", "category", "area", "year"]
        constraints = [models.UniqueConstraint(fields=["project", "year", "category", "area"],
                                               name="crime_statistic_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.category}: {self.count}"


class CurrentStateAnalysis(models.Model):
    """The coordinator's written summary and conclusions of the nulägesanalys (SPEC §6.4)."""

    project = models.OneToOneField("tenancy.Project", on_delete=models.CASCADE, related_name="current_state")
    summary = models.TextField(_("summary"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("current-state analysis")
        verbose_name_plural = _("current-state analyses")

    def __str__(self) -> str:
        return str(self.project)
