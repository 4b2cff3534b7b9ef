"""Surveys (SPEC §5): a survey of a project, its questions and options, invitations, and the anonymous
responses.

Anonymity by construction (SPEC §5.4): `Response` and `Answer` hold no link to an invitation, a user,
an IP address, a user agent or a time finer than the day; their primary key is a random UUID so that
not even the insertion order can be lined up with the day an invitation was used. An invitation
records only *that* it was used (`used_on`, a day). tests/surveys/test_anonymity.py walks the fields
and relations of the response models to keep it so.
"""
from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from trygga_platser.tenancy.models import StakeholderCategory

# Breakdowns of fewer respondents than this are never shown (SPEC §5.4): pages, exports, PDFs.
MIN_GROUP_SIZE = 5

# Reminders to non-respondents, in days after the invitation was sent (police practice, SPEC §5.2).
DEFAULT_REMINDER_DAYS = [14, 28]
MAX_REMINDERS = 3


def new_token() -> str:
    """An unguessable URL token: 32 bytes from the OS CSPRNG (256 bits)."""
    return secrets.token_urlsafe(32)


def default_reminder_days() -> list[int]:
    return list(DEFAULT_REMINDER_DAYS)


class Survey(models.Model):
    class Kind(models.TextChoices):
        MAPPING = "mapping", _("Mapping survey")  # kartläggning, step 1
        SAFETY = "safety", _("Safety survey")  # trygghetsenkät, step 2
        FOLLOWUP = "followup", _("Follow-up survey")  # uppföljning, step 5
        PARTNERSHIP = "partnership", _("Partnership survey")  # samverkansenkät, among members

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Not yet open")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey("tenancy.Project", on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True,
                             help_text=_("Shown to respondents on the first page: who asks, why and what happens "
                                         "with the answers."))
    intro_en = models.TextField(_("introduction in English"), blank=True)
    baseline = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="followups",
                                 verbose_name=_("baseline survey"),
                                 help_text=_("The earlier survey this one follows up and is compared with."))
    # Draft until published; then open between the dates (both inclusive, local time).
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    public_link_enabled = models.BooleanField(_("public link and QR code"), default=True)
    public_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    reminder_days = models.JSONField(
        _("reminders (days after the invitation)"), default=default_reminder_days, blank=True,
        help_text=format_lazy(_("Reminders go only to those who have not answered; at most {max}."), max=MAX_REMINDERS),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["project", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True) | models.Q(opens_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def state(self, today=None) -> str:
        today = today or timezone.localdate()
        if self.published_at is None:
            return self.State.DRAFT
        if self.opens_on and today < self.opens_on:
            return self.State.SCHEDULED
        if self.closes_on and today > self.closes_on:
            return self.State.CLOSED
        return self.State.OPEN

    def is_open(self, today=None) -> bool:
        return self.state(today) == self.State.OPEN

    def localized_title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title

    def localized_intro(self) -> str:
        return self.intro_en if get_language() == "en" and self.intro_en else self.intro


class Question(models.Model):
    """One question. Choice-like kinds (single, multiple, scale, category, age, gender) keep their
    answer alternatives as `Option` rows, so results, exports and comparisons treat them alike."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale 1–5 with “don't know”")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Free text")
        MAP = "map", _("Map")
        CATEGORY = "category", _("Respondent category")
        AGE = "age", _("Age band")
        GENDER = "gender", _("Gender")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE, Kind.CATEGORY, Kind.AGE, Kind.GENDER)
    # Kinds whose options the product defines (the builder does not edit them).
    FIXED_OPTION_KINDS = (Kind.SCALE, Kind.CATEGORY, Kind.AGE, Kind.GENDER)

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    page = models.PositiveSmallIntegerField(_("page"), default=1, validators=[MinValueValidator(1)])
    kind = models.CharField(_("question type"), max_length=20, choices=Kind.choices)
    # A stable key from the question bank ("safe_evening"…): what follow-ups are matched on, and the
    # column name in exports. Unique within a survey.
    key = models.SlugField(_("key"), max_length=60)
    text = models.CharField(_("question"), max_length=500)
    text_en = models.CharField(_("question in English"), max_length=500, blank=True)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    help_text_en = models.CharField(_("help text in English"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Per kind: number {"min", "max", "unit"}; multiple {"max_choices"}; scale {"low", "high", "low_en",
    # "high_en"}; map {"geometries": ["point", "line", "area"], "categories": [{"value", "label",
    # "label_en"}], "ask_time": true, "max_features": 5}; text {"max_length"}.
    config = models.JSONField(default=dict, blank=True)
    # Display condition (SPEC §5.1): show this question only when `condition_question` was answered
    # with one of `condition_values` (option values). Only earlier questions can be conditions.
    condition_question = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="dependants", verbose_name=_("show only when"))
    condition_values = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="question_unique_key")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    def localized_text(self) -> str:
        return self.text_en if get_language() == "en" and self.text_en else self.text

    def localized_help(self) -> str:
        return self.help_text_en if get_language() == "en" and self.help_text_en else self.help_text


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(default=0)
    # Stable within the question ("very_unsafe", "3", "dk"…): what conditions, exports and
    # comparisons refer to.
    value = models.SlugField(_("value"), max_length=60)
    label = models.CharField(_("answer option"), max_length=300)
    label_en = models.CharField(_("answer option in English"), max_length=300, blank=True)
    # "Don't know" / "prefer not to say": shown, counted, but left out of shares where the question
    # says so (the scale mean and the safety indicator leave out "don't know").
    is_missing = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="option_unique_value")]

    def __str__(self) -> str:
        return self.label

    def localized_label(self) -> str:
        return self.label_en if get_language() == "en" and self.label_en else self.label


class Invitation(models.Model):
    """A personal invitation (SPEC §5.2). Records only *that* it was used, never which response."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    category = models.CharField(_("stakeholder category"), max_length=30, choices=StakeholderCategory.choices,
                                default=StakeholderCategory.OTHER)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", help_text=_("Set when a project member was invited."))
    language = models.CharField(max_length=5, default="sv")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    used_on = models.DateField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["survey", "email"]
        constraints = [models.UniqueConstraint(fields=["survey", "email"], name="invitation_unique_email")]
        indexes = [models.Index(fields=["survey", "used_on"], name="invitation_survey_used")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_used(self) -> bool:
        return self.used_on is not None


class Response(models.Model):
    """One anonymous response. No invitation, user, IP, user agent or time of day (SPEC §5.4)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(_("date"), default=timezone.localdate)
    # Copied from the respondent-category question at submit, so results can be filtered without a
    # join over the answers. Blank when the survey does not ask.
    respondent_category = models.CharField(_("respondent category"), max_length=30, blank=True)
    language = models.CharField(max_length=5, default="sv")

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["survey", "submitted_on"], name="response_survey_day"),
            models.Index(fields=["survey", "respondent_category"], name="response_survey_category"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.submitted_on}"


class Answer(models.Model):
    """One answer value: one row per chosen option (a multiple choice gives several), per number,
    per text, per map feature."""

    class TimeOfDay(models.TextChoices):
        DAY = "day", _("Daytime")
        EVENING = "evening", _("Evening")
        NIGHT = "night", _("Night")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    # Map answers: a GeoJSON geometry (Point, LineString or Polygon, WGS84), its category (a value of
    # the question's config categories), when, and in `text` the respondent's short "why".
    geometry = models.JSONField(null=True, blank=True)
    map_category = models.CharField(max_length=60, blank=True)
    time_of_day = models.CharField(max_length=10, choices=TimeOfDay.choices, blank=True)
    # A point for every map answer (the point itself, or the centroid of a line or an area): what the
    # heat layer, the nulägesanalys map and the action plan use.
    lon = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)])
    lat = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)])

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["question", "option"], name="answer_question_option"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}"
