"""The respondent's pages without JavaScript: read one page of a POST into plain answers, carry the
earlier pages in a signed hidden field, and describe each question for the template.

Nothing is written anywhere before the final submit: the answers so far travel in the page itself,
signed (django.core.signing, salted per survey) so they cannot be altered on the way.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Answer, Question
from ..selectors.definition import QuestionDef, SurveyDefinition
from ..services import responding as r

STATE_FIELD = "state"
STATE_MAX_AGE = 2 * 24 * 60 * 60  # a respondent may leave the tab open overnight
STATE_MAX_CHARS = 400_000
MAX_UI_SLOTS = 10
# "60.1488, 16.1687", "60,1488 16,1687", "60.1488 16.1687": latitude first, as people say it.
_NUMBER = r"[-+]?\d{1,3}(?:[.,]\d+)?"
_POINT = re.compile(rf"^\s*({_NUMBER})\s*(?:[,\s]\s*)({_NUMBER})\s*$")

SLOT_EMPTY_PLACE = _("Give the place's position too, or clear what you wrote about it.")


class Tampered(Exception):
    """A request no honest browser sends: the view answers HTTP 400 and stores nothing."""


# ------------------------------------------------------------------------------------------------
# Signed state
# ------------------------------------------------------------------------------------------------
def _salt(survey_def: SurveyDefinition) -> str:
    return f"surveys.respond.state:{survey_def.id}"


def state_dump(survey_def: SurveyDefinition, *, page: int, answers: dict[str, Any]) -> str:
    return signing.dumps({"p": page, "a": answers}, salt=_salt(survey_def), compress=True)


def state_load(survey_def: SurveyDefinition, text: str) -> tuple[int, dict[str, Any]]:
    if not text or len(text) > STATE_MAX_CHARS:
        raise Tampered("state missing or too large")
    try:
        data = signing.loads(text, salt=_salt(survey_def), max_age=STATE_MAX_AGE)
    except signing.BadSignature:
        raise Tampered("bad signature") from None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int) or not isinstance(data.get("a"), dict):
        raise Tampered("bad state")
    return data["p"], data["a"]


# ------------------------------------------------------------------------------------------------
# Which questions a page shows
# ------------------------------------------------------------------------------------------------
def _matches(given: Any, values: tuple[str, ...]) -> bool:
    if given is None:
        return False
    given_values = {str(v) for v in given} if isinstance(given, (list, tuple)) else {str(given)}
    return bool(given_values & set(values))


def page_questions(survey_def: SurveyDefinition, page: int, answers: dict[str, Any]) -> list[QuestionDef]:
    """The questions `page` shows, given the answers of earlier pages. A question whose condition is on
    the same page is shown (without JavaScript it cannot appear by itself); its answer is dropped when
    the condition is not met (`answers_prune`)."""
    shown: set[str] = set()
    result = []
    for question in survey_def.questions:
        key = question.condition_key
        if key is None:
            ok = True
        elif key not in shown:
            ok = False
        else:
            condition = survey_def.question(key)
            ok = condition.page == question.page or _matches(answers.get(key), question.condition_values)
        if ok:
            shown.add(question.key)
            if question.page == page:
                result.append(question)
    return result


def visible_pages(survey_def: SurveyDefinition, answers: dict[str, Any]) -> list[int]:
    return [p for p in survey_def.pages if page_questions(survey_def, p, answers)]


def is_last_page(survey_def: SurveyDefinition, page: int, answers: dict[str, Any]) -> bool:
    return not [p for p in visible_pages(survey_def, answers) if p > page]


def answers_prune(survey_def: SurveyDefinition, answers: dict[str, Any]) -> dict[str, Any]:
    """Drop answers to questions the other answers hide (a changed condition, a same-page condition
    not met), and blank ones."""
    shown = r.visible_keys(survey_def=survey_def, answers=answers)
    return {k: v for k, v in answers.items() if k in shown and not r._is_blank(v)}


# ------------------------------------------------------------------------------------------------
# Reading one page
# ------------------------------------------------------------------------------------------------
def map_slots(question: QuestionDef) -> int:
    limit = question.config.get("max_features")
    limit = limit if isinstance(limit, int) and limit > 0 else r.DEFAULT_MAX_FEATURES
    return min(limit, MAX_UI_SLOTS)


def map_kinds(question: QuestionDef) -> tuple[str, ...]:
    return tuple(k for k in ("point", "line", "area") if k in (question.config.get("geometries") or
                                                                ("point", "line", "area")))


def parse_position_text(text: str, *, shape: str, allowed: tuple[str, ...]) -> dict:
    """The keyboard alternative to the map: GeoJSON (what the map writes) or one "latitude, longitude"
    per line (or separated by ";"). One point is a Point; several a line or an area (`shape`)."""
    text = text.strip()
    if text.startswith("{"):
        try:
            geometry = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: absurdly nested brackets
            raise ValidationError(r.MAP_UNREADABLE, code="geometry") from None
        return geometry
    lines = [line for line in re.split(r"[\n;]+", text) if line.strip()]
    if len(lines) > r.MAX_VERTICES:
        raise ValidationError(r.MAP_TOO_MANY_POINTS, code="vertices", params={"max": r.MAX_VERTICES})
    positions = []
    for line in lines:
        match = _POINT.match(line)
        if not match:
            raise ValidationError(r.MAP_UNREADABLE, code="geometry")
        lat, lon = (float(n.replace(",", ".")) for n in match.groups())
        positions.append([lon, lat])
    if len(positions) == 1:
        return {"type": "Point", "coordinates": positions[0]}
    if shape not in ("line", "area"):
        shape = "area" if "area" in allowed and "line" not in allowed else "line"
    if shape == "area":
        return {"type": "Polygon", "coordinates": [positions]}
    return {"type": "LineString", "coordinates": positions}


def _single(data, name: str) -> str:
    values = data.getlist(name)
    if len(values) > 1:
        raise Tampered(f"{name}: several values")
    return values[0] if values else ""


def _read_map(question: QuestionDef, data, slot_errors: dict[str, list]) -> list[dict]:
    places = []
    name = question.field_name
    for n in range(1, map_slots(question) + 1):
        prefix = f"{name}-{n}"
        coords = _single(data, f"{prefix}-coords")
        category = _single(data, f"{prefix}-category")
        why = _single(data, f"{prefix}-why")
        time_of_day = _single(data, f"{prefix}-time")
        shape = _single(data, f"{prefix}-shape")
        if not coords.strip():
            if why.strip():
                slot_errors[prefix] = [SLOT_EMPTY_PLACE]
            continue
        if len(coords) > 200_000:
            raise Tampered("coordinates too large")
        try:
            geometry = parse_position_text(coords, shape=shape, allowed=map_kinds(question))
            place = {"geometry": geometry, "category": category, "why": why, "time_of_day": time_of_day}
            # Checked one place at a time, so the message lands next to the place it is about.
            r.answer_clean(question, [place])
        except ValidationError as error:
            if any(e.code in r.MALFORMED_CODES for e in error.error_list):
                raise Tampered(f"{prefix}: malformed") from None
            slot_errors[prefix] = [m for e in error.error_list for m in e.messages]
            # Kept as typed so the page shows it again for correction.
            places.append({"geometry": None, "text": coords, "category": category, "why": why,
                           "time_of_day": time_of_day, "shape": shape})
            continue
        places.append({**place, "text": coords, "shape": shape})
    return places


def page_read(survey_def: SurveyDefinition, questions: list[QuestionDef], data) -> tuple[dict[str, Any],
                                                                                          dict[str, list]]:
    """The answers the POSTed page gives to its questions, as plain values, and the errors that belong
    to a single map place (keyed "<field>-<n>"). Raises Tampered for what no form sends."""
    values: dict[str, Any] = {}
    slot_errors: dict[str, list] = {}
    for question in questions:
        name = question.field_name
        if question.kind == Question.Kind.MULTIPLE:
            values[question.key] = data.getlist(name)
        elif question.kind == Question.Kind.MAP:
            values[question.key] = _read_map(question, data, slot_errors)
        else:
            values[question.key] = _single(data, name)
    return values, slot_errors


def hidden_fields_posted(survey_def: SurveyDefinition, page: int, shown: list[QuestionDef], data) -> bool:
    """Whether the POST answers a question of this page that was not shown (a forged request)."""
    shown_ids = {q.id for q in shown}
    for question in survey_def.questions_on(page):
        if question.id in shown_ids:
            continue
        name = question.field_name
        if any(v.strip() for k in data for v in data.getlist(k) if k == name or k.startswith(f"{name}-")):
            return True
    return False


def service_value(question: QuestionDef, value: Any) -> Any:
    """The page value as the service takes it (map places without the typed text)."""
    if question.kind == Question.Kind.MAP and isinstance(value, list):
        return [{k: v for k, v in place.items() if k in ("geometry", "category", "why", "time_of_day")}
                for place in value if place.get("geometry") is not None]
    return value


# ------------------------------------------------------------------------------------------------
# Describing a page for the template
# ------------------------------------------------------------------------------------------------
@dataclass
class Slot:
    number: int
    prefix: str
    text: str = ""
    category: str = ""
    why: str = ""
    time_of_day: str = ""
    shape: str = ""
    errors: list = field(default_factory=list)

    @property
    def is_filled(self) -> bool:
        return bool(self.text or self.why)


@dataclass
class QuestionField:
    question: QuestionDef
    value: Any
    errors: list
    same_page_condition: str = ""
    condition_field: str = ""
    slots: list[Slot] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.question.field_name

    @property
    def condition_values(self) -> str:
        return " ".join(self.question.condition_values)

    @property
    def template(self) -> str:
        kind = self.question.kind
        if kind == Question.Kind.MULTIPLE:
            return "surveys/respond/_multiple.html"
        if self.question.is_choice:
            return "surveys/respond/_single.html"
        return f"surveys/respond/_{kind}.html"

    @property
    def chosen(self) -> set[str]:
        if isinstance(self.value, (list, tuple)):
            return {str(v) for v in self.value}
        return {str(self.value)} if self.value not in (None, "") else set()

    @property
    def text_value(self) -> str:
        return "" if self.value is None or isinstance(self.value, (list, dict)) else str(self.value)

    @property
    def max_length(self) -> int:
        limit = self.question.config.get("max_length")
        return min(limit, r.TEXT_HARD_MAX) if isinstance(limit, int) and limit > 0 else r.TEXT_MAX_LENGTH

    @property
    def categories(self) -> list[dict]:
        return [c for c in self.question.config.get("categories", []) if isinstance(c, dict)]

    @property
    def kinds(self) -> tuple[str, ...]:
        return map_kinds(self.question)

    @property
    def asks_shape(self) -> bool:
        return "line" in self.kinds and "area" in self.kinds

    @property
    def asks_time(self) -> bool:
        return self.question.config.get("ask_time", True) is not False

    @property
    def times(self):
        return Answer.TimeOfDay.choices

    @property
    def why_max(self) -> int:
        return r.WHY_MAX_LENGTH


def _slot_text(place: dict) -> str:
    if place.get("text"):
        return place["text"]
    geometry = place.get("geometry") or {}
    if geometry.get("type") == "Point":
        lon, lat = geometry["coordinates"][:2]
        return f"{lat}, {lon}"
    return json.dumps(geometry) if geometry else ""


def page_fields(survey_def: SurveyDefinition, questions: list[QuestionDef], answers: dict[str, Any],
                errors: dict[str, list] | None = None) -> list[QuestionField]:
    errors = errors or {}
    fields = []
    for question in questions:
        value = answers.get(question.key)
        item = QuestionField(question=question, value=value, errors=list(errors.get(question.key, [])))
        if question.condition_key:
            condition = survey_def.question(question.condition_key)
            if condition is not None and condition.page == question.page:
                labels = [o.localized_label() for o in condition.options if o.value in question.condition_values]
                item.same_page_condition = ", ".join(labels)
                item.condition_field = condition.field_name
        if question.kind == Question.Kind.MAP:
            places = value if isinstance(value, list) else []
            for n in range(1, map_slots(question) + 1):
                prefix = f"{question.field_name}-{n}"
                place = places[n - 1] if n - 1 < len(places) and isinstance(places[n - 1], dict) else {}
                item.slots.append(Slot(
                    number=n, prefix=prefix, text=_slot_text(place) if place else "",
                    category=place.get("category", ""), why=place.get("why", ""),
                    time_of_day=place.get("time_of_day", ""), shape=place.get("shape", ""),
                    errors=list(errors.get(prefix, [])),
                ))
        fields.append(item)
    return fields
