"""Variants are data (SPEC §3): a template of steps and activities instantiated into a project."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Bilingual(models.Model):
    """Swedish text with an English translation, kept as data; shown in the active language."""

    title = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        abstract = True

    @property
    def display_title(self) -> str:
        return self.title_en if (get_language() or "sv").startswith("en") and self.title_en else self.title

    @property
    def display_description(self) -> str:
        if (get_language() or "sv").startswith("en") and self.description_en:
            return self.description_en
        return self.description

    def __str__(self) -> str:
        return self.display_title


class WorkArea(models.TextChoices):
    """The model's five work areas (SPEC §1), also the action and observation categories."""

    SAFETY = "sakerhet", _("Safety")
    OFFERING = "utbud", _("Offering")
    ATTRACTIVENESS = "attraktivitet", _("Attractiveness")
    CLEANLINESS = "renhallning", _("Cleanliness")
    ACTIVITIES = "aktiviteter", _("Activities")


class EvidenceKind(models.TextChoices):
    """What in the product shows that an activity was carried out."""

    NONE = "", _("No linked evidence")
    MAPPING_SURVEY = "mapping_survey", _("Mapping survey")
    SAFETY_SURVEY = "safety_survey", _("Safety survey")
    FOLLOWUP_SURVEY = "followup_survey", _("Follow-up survey")
    PARTNERSHIP_SURVEY = "partnership_survey", _("Partnership survey")
    INSPECTION = "inspection", _("Safety inspection")
    WORKSHOP = "workshop", _("Workshop")
    SITE_WALK = "site_walk", _("Site walk")
    TRAINING = "training", _("Training")
    ACTION_PLAN = "action_plan", _("Action plan")
    PARTNERSHIP = "partnership", _("Partnership organisation")
    GOALS = "goals", _("Goals")
    JOINT_CASE = "joint_case", _("Joint case")
    COACHING = "coaching", _("Coaching log")
    CURRENT_STATE = "current_state", _("Current-state analysis")
    FINAL_REPORT = "final_report", _("Final report")


class Variant(Bilingual):
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    duration_months = models.PositiveSmallIntegerField(_("duration in months"), validators=[MinValueValidator(1)])
    is_active = models.BooleanField(_("can be chosen for new projects"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("model variant")
        verbose_name_plural = _("model variants")
        ordering = ["order", "slug"]


class VariantStep(Bilingual):
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step number"), validators=[MinValueValidator(1), MaxValueValidator(9)])
    share = models.DecimalField(
        _("share of the timeline"), max_digits=4, decimal_places=3,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("The step's part of the project's duration; a variant's shares add up to 1."),
    )

    class Meta:
        verbose_name = _("variant step")
        verbose_name_plural = _("variant steps")
        ordering = ["variant", "number"]
        constraints = [models.UniqueConstraint(fields=["variant", "number"], name="variant_step_unique_number")]


class VariantActivity(Bilingual):
    step = models.ForeignKey(VariantStep, on_delete=models.CASCADE, related_name="activities")
    key = models.SlugField(_("key"), max_length=60)
    required = models.BooleanField(_("required"), default=True)
    evidence_kind = models.CharField(_("evidence"), max_length=30, choices=EvidenceKind.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("variant activity")
        verbose_name_plural = _("variant activities")
        ordering = ["step", "order", "pk"]


class Step(Bilingual):
    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step number"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the step was completed with required activities still open (SPEC §3).
    override_reason = models.TextField(_("reason for completing with open activities"), blank=True)
    open_required_at_completion = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="step_unique_number"),
            models.CheckConstraint(condition=models.Q(planned_end__gte=models.F("planned_start")),
                                   name="step_end_after_start"),
        ]

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    def is_behind(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_complete and today > self.planned_end


class Activity(Bilingual):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="activities")
    key = models.SlugField(_("key"), max_length=60, blank=True)
    required = models.BooleanField(_("required"), default=True)
    evidence_kind = models.CharField(_("evidence"), max_length=30, choices=EvidenceKind.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    # The meeting that carried the activity out, when it is a meeting (workshop, site walk, training).
    meeting = models.ForeignKey("projects.Meeting", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="activities", verbose_name=_("meeting"))

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["step__number", "order", "pk"]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
