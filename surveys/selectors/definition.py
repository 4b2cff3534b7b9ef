"""An immutable snapshot of a survey for respondents: its questions, options, pages and conditions.

The respondent's pages and the submit path read the survey through `survey_definition(...)`: one
small query (itself cached for a few seconds for public tokens) resolves the token to the survey's
id and `updated_at`, and the rest comes from Django's cache under a key that contains `updated_at`.
Any change to the survey (the builder saves the survey on every question or option change, which
bumps `updated_at`) makes a new key, so a stale snapshot is never read and nothing has to be
invalidated by hand; old keys expire on their own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from ..models import Invitation, Question, Survey

CACHE_PREFIX = "survey-def:v1"
# A safety net as well as housekeeping: a change that did not bump `updated_at` (a question edited
# without saving its survey) reaches respondents within this time at the latest.
CACHE_TIMEOUT = 5 * 60
# How long a public token keeps pointing at the same survey version (see survey_definition).
TOKEN_TTL = 10
TOKEN_MAX_LENGTH = 64  # Survey.public_token and Invitation.token are at most this long
# Where maps open when neither the project nor its municipality knows better: the middle of Sweden.
DEFAULT_MAP_CENTER = (62.0, 16.0)


def _localized(sv: str, en: str) -> str:
    return en if get_language() == "en" and en else sv


@dataclass(frozen=True)
class OptionDef:
    id: int
    value: str
    label: str
    label_en: str
    is_missing: bool

    def localized_label(self) -> str:
        return _localized(self.label, self.label_en)


@dataclass(frozen=True)
class QuestionDef:
    id: int
    key: str
    kind: str
    page: int
    position: int
    text: str
    text_en: str
    help_text: str
    help_text_en: str
    required: bool
    config: dict[str, Any]
    condition_key: str | None
    condition_values: tuple[str, ...]
    options: tuple[OptionDef, ...] = ()

    @property
    def field_name(self) -> str:
        return f"q{self.id}"

    @property
    def is_choice(self) -> bool:
        return self.kind in Question.CHOICE_KINDS

    @property
    def is_multiple(self) -> bool:
        return self.kind == Question.Kind.MULTIPLE

    def option(self, value: str) -> OptionDef | None:
        for option in self.options:
            if option.value == value:
                return option
        return None

    def localized_text(self) -> str:
        return _localized(self.text, self.text_en)

    def localized_help(self) -> str:
        return _localized(self.help_text, self.help_text_en)


@dataclass(frozen=True)
class SurveyDefinition:
    id: int
    project_id: int
    kind: str
    title: str
    title_en: str
    intro: str
    intro_en: str
    published: bool
    opens_on: date | None
    closes_on: date | None
    public_link_enabled: bool
    public_token: str
    updated_at: datetime
    map_center: tuple[float, float]
    questions: tuple[QuestionDef, ...] = ()
    _by_key: dict[str, QuestionDef] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_key.update({q.key: q for q in self.questions})

    # Same rules as Survey.state(), on the snapshot.
    def state(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if not self.published:
            return Survey.State.DRAFT
        if self.opens_on and today < self.opens_on:
            return Survey.State.SCHEDULED
        if self.closes_on and today > self.closes_on:
            return Survey.State.CLOSED
        return Survey.State.OPEN

    def is_open(self, today: date | None = None) -> bool:
        return self.state(today) == Survey.State.OPEN

    def localized_title(self) -> str:
        return _localized(self.title, self.title_en)

    def localized_intro(self) -> str:
        return _localized(self.intro, self.intro_en)

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({q.page for q in self.questions}))

    def question(self, key: str) -> QuestionDef | None:
        return self._by_key.get(key)

    def questions_on(self, page: int) -> tuple[QuestionDef, ...]:
        return tuple(q for q in self.questions if q.page == page)


def _cache_key(survey_id: int, updated_at: datetime) -> str:
    return f"{CACHE_PREFIX}:{survey_id}:{updated_at.timestamp():.6f}"


def _map_center(survey: Survey) -> tuple[float, float]:
    project = survey.project
    area = project.area or {}
    if area:
        from shapely.errors import ShapelyError
        from shapely.geometry import shape

        try:
            centre = shape(area).centroid
            if not centre.is_empty:
                return (round(centre.y, 6), round(centre.x, 6))
        except (ShapelyError, ValueError, TypeError, KeyError, AttributeError):
            pass  # a broken stored area only moves the map's starting point
    municipality = project.municipality
    if municipality.map_center_lat is not None and municipality.map_center_lon is not None:
        return (municipality.map_center_lat, municipality.map_center_lon)
    return DEFAULT_MAP_CENTER


def _build(survey_id: int) -> SurveyDefinition:
    survey = Survey.objects.select_related("project__municipality").get(pk=survey_id)
    questions = list(survey.questions.select_related("condition_question").prefetch_related("options")
                     .order_by("page", "position", "pk"))
    return SurveyDefinition(
        id=survey.pk,
        project_id=survey.project_id,
        kind=survey.kind,
        title=survey.title,
        title_en=survey.title_en,
        intro=survey.intro,
        intro_en=survey.intro_en,
        published=survey.published_at is not None,
        opens_on=survey.opens_on,
        closes_on=survey.closes_on,
        public_link_enabled=survey.public_link_enabled,
        public_token=survey.public_token,
        updated_at=survey.updated_at,
        map_center=_map_center(survey),
        questions=tuple(
            QuestionDef(
                id=q.pk, key=q.key, kind=q.kind, page=q.page, position=q.position,
                text=q.text, text_en=q.text_en, help_text=q.help_text, help_text_en=q.help_text_en,
                required=q.required, config=dict(q.config or {}),
                condition_key=q.condition_question.key if q.condition_question_id else None,
                condition_values=tuple(str(v) for v in (q.condition_values or [])),
                options=tuple(
                    OptionDef(id=o.pk, value=o.value, label=o.label, label_en=o.label_en, is_missing=o.is_missing)
                    for o in q.options.all()
                ),
            )
            for q in questions
        ),
    )


def survey_definition_for(*, survey_id: int, updated_at: datetime) -> SurveyDefinition:
    """The snapshot of a survey whose id and `updated_at` the caller already has (no query on a hit)."""
    key = _cache_key(survey_id, updated_at)
    definition = cache.get(key)
    if definition is None:
        definition = _build(survey_id)
        # Built from the row as it is now: store it under the key of *that* version.
        cache.set(_cache_key(survey_id, definition.updated_at), definition, CACHE_TIMEOUT)
    return definition


def survey_definition(*, survey_id: int | None = None, token: str | None = None) -> SurveyDefinition:
    """The snapshot by survey id or public token; Http404 when there is no such survey.

    By token (the respondents' hot path) the token's current version is itself cached for
    TOKEN_TTL seconds, so a burst of submits reads no survey row at all; a change reaches
    respondents within those seconds. By id it is always looked up."""
    if token is not None and len(token) > TOKEN_MAX_LENGTH:
        raise Http404("No such survey.")
    pointer_key = f"{CACHE_PREFIX}:token:{token}" if token and survey_id is None else None
    found = cache.get(pointer_key) if pointer_key else None
    if found is None:
        rows = Survey.objects.all()
        if survey_id is not None:
            rows = rows.filter(pk=survey_id)
        elif token:
            rows = rows.filter(public_token=token)
        else:
            raise Http404("No survey.")
        found = rows.values_list("pk", "updated_at").first()
        if found is None:
            raise Http404("No such survey.")
        if pointer_key:
            cache.set(pointer_key, tuple(found), TOKEN_TTL)
    return survey_definition_for(survey_id=found[0], updated_at=found[1])


@dataclass(frozen=True)
class InvitationView:
    """What the respondent's pages need of a personal invitation: its token and whether it was used."""

    token: str
    used: bool
    language: str


def invitation_definition(*, token: str) -> tuple[InvitationView, SurveyDefinition]:
    """An invitation by its personal token with its survey's snapshot (one query on a cache hit)."""
    if len(token) > TOKEN_MAX_LENGTH:
        raise Http404("No such invitation.")
    found = (Invitation.objects.filter(token=token)
             .values_list("token", "used_on", "language", "survey_id", "survey__updated_at").first())
    if found is None:
        raise Http404("No such invitation.")
    invitation = InvitationView(token=found[0], used=found[1] is not None, language=found[2])
    return invitation, survey_definition_for(survey_id=found[3], updated_at=found[4])
