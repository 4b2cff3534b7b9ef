"""Anonymous responding (SPEC §5.3, §5.4): validate answers against a survey snapshot and store them.

`answers` map a question key to a plain value, whatever the channel (the no-JavaScript pages, the
map's GeoJSON, a test):
- single choice, scale, respondent category, age, gender: the option value (str)
- multiple choice: a list of option values
- number: a str or a number
- text: a str
- map: a list of places, each {"geometry": GeoJSON Point/LineString/Polygon (WGS84), "category": str,
  "why": str, "time_of_day": "day" | "evening" | "night" | ""}

Errors are `ValidationError`s keyed by question key. Their codes say whether a person could have made
them (REQUIRED, a number out of range, a point outside Sweden…: the page is shown again with the
message next to the question) or only a tampered request (`MALFORMED_CODES`: HTTP 400, nothing stored).

A response is never linked to an invitation: using an invitation only sets its `used_on` day, with a
conditional UPDATE in the same transaction as the response, so it answers exactly once.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import Answer, Invitation, Question, Response
from ..selectors.definition import OptionDef, QuestionDef, SurveyDefinition

# ------------------------------------------------------------------------------------------------
# Messages (tests import these)
# ------------------------------------------------------------------------------------------------
REQUIRED = _("Please answer this question.")
UNKNOWN_OPTION = _("Choose one of the alternatives.")
TOO_MANY_CHOICES = _("Choose at most %(max)s alternatives.")
NOT_A_NUMBER = _("Enter a number, for example 12 or 3,5.")
NUMBER_TOO_SMALL = _("Enter a number of at least %(min)s.")
NUMBER_TOO_LARGE = _("Enter a number of at most %(max)s.")
TEXT_TOO_LONG = _("Write at most %(max)s characters (you wrote %(length)s).")
MAP_TOO_MANY = _("Mark at most %(max)s places.")
MAP_UNREADABLE = _("The place could not be read. Write one “latitude, longitude” per line, for example "
                   "60.1488, 16.1687.")
MAP_OUT_OF_BOUNDS = _("The place is outside Sweden. Check the latitude (55–70) and longitude (10–25).")
MAP_KIND_NOT_ASKED = _("This question does not ask for this kind of place.")
MAP_TOO_FEW_POINTS = _("A line needs at least two points and an area at least three.")
MAP_TOO_MANY_POINTS = _("A place can have at most %(max)s points.")
MAP_INVALID_AREA = _("The area crosses itself or has no size. Check the order of the points.")
MAP_CATEGORY = _("Choose what kind of place it is.")
MAP_WHY_TOO_LONG = _("Write at most %(max)s characters about why.")
MAP_TIME = _("Choose day, evening or night.")
MAP_DETAILS_WITHOUT_PLACE = _("Give the place's position too, or clear what you wrote about it.")
HIDDEN_QUESTION = _("This question was not asked.")
UNKNOWN_QUESTION = _("There is no such question in this survey.")
WRONG_TYPE = _("The answer has the wrong form.")
TOO_LARGE = _("The answer is too large.")
SURVEY_NOT_OPEN = _("The survey is not open for answers.")
PUBLIC_LINK_CLOSED = _("The survey cannot be answered through the public link.")
SURVEY_CHANGED = _("The survey was changed while you answered. Please open it again.")
ALREADY_ANSWERED = _("This invitation has already been used to answer the survey. Thank you!")

# Codes only a tampered or broken request produces: the views answer HTTP 400 and store nothing.
MALFORMED_CODES = frozenset({"unknown_option", "hidden", "unknown_question", "wrong_type", "too_large"})

# Limits. The database would take more; a respondent never needs more.
TEXT_MAX_LENGTH = 2000  # default of a text question (config "max_length" may lower it)
TEXT_HARD_MAX = 10_000
WHY_MAX_LENGTH = 300
DEFAULT_MAX_FEATURES = 5
MAX_FEATURES_CAP = 20
MAX_VERTICES = 500
NUMBER_LIMIT = Decimal(9999999999)  # fits Answer.number (12 digits, 2 decimals)
# Sweden with a margin (WGS84): a point outside is a typo (swapped latitude and longitude) or a forgery.
BOUNDS = {"min_lon": 10.0, "max_lon": 25.0, "min_lat": 55.0, "max_lat": 70.0}
GEOMETRY_KINDS = {"Point": "point", "LineString": "line", "Polygon": "area"}
TIMES_OF_DAY = tuple(Answer.TimeOfDay.values)


@dataclass(frozen=True)
class MapPlace:
    geometry: dict
    category: str
    why: str
    time_of_day: str
    lat: float
    lon: float


def _error(message, code: str, params: dict | None = None) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def is_malformed(error: ValidationError) -> bool:
    """Whether any message of `error` is one only a tampered request can produce."""
    errors = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return any(e.code in MALFORMED_CODES for group in errors for e in group)


# ------------------------------------------------------------------------------------------------
# Visibility (display conditions, SPEC §5.1)
# ------------------------------------------------------------------------------------------------
def visible_keys(*, survey_def: SurveyDefinition, answers: dict[str, Any]) -> set[str]:
    """The keys of the questions shown for these answers. A question whose condition question is
    hidden is hidden too; conditions only point back to earlier questions."""
    shown: set[str] = set()
    for question in survey_def.questions:
        key = question.condition_key
        if key is None:
            shown.add(question.key)
            continue
        if key not in shown:
            continue
        given = answers.get(key)
        given_values = {str(v) for v in given} if isinstance(given, (list, tuple)) else {str(given)}
        if given is not None and given_values & set(question.condition_values):
            shown.add(question.key)
    return shown


# ------------------------------------------------------------------------------------------------
# One answer
# ------------------------------------------------------------------------------------------------
def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _clean_choice(question: QuestionDef, value: Any) -> OptionDef | list[OptionDef]:
    if question.is_multiple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise _error(WRONG_TYPE, "wrong_type")
        if len(value) > len(question.options):
            raise _error(TOO_LARGE, "too_large")
        chosen = []
        for item in dict.fromkeys(value):  # order kept, duplicates dropped
            option = question.option(item)
            if option is None:
                raise _error(UNKNOWN_OPTION, "unknown_option")
            chosen.append(option)
        limit = question.config.get("max_choices")
        if isinstance(limit, int) and limit > 0 and len(chosen) > limit:
            raise _error(TOO_MANY_CHOICES, "max_choices", {"max": limit})
        return chosen
    if not isinstance(value, str):
        raise _error(WRONG_TYPE, "wrong_type")
    option = question.option(value)
    if option is None:
        raise _error(UNKNOWN_OPTION, "unknown_option")
    return option


def _clean_number(question: QuestionDef, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise _error(WRONG_TYPE, "wrong_type")
    text = str(value).strip().replace("\u2212", "-").replace(" ", "").replace(",", ".")
    if len(text) > 40:
        raise _error(NOT_A_NUMBER, "invalid")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _error(NOT_A_NUMBER, "invalid") from None
    if not number.is_finite() or abs(number) > NUMBER_LIMIT:
        raise _error(NOT_A_NUMBER, "invalid")
    number = number.quantize(Decimal("0.01"))
    low, high = question.config.get("min"), question.config.get("max")
    if isinstance(low, (int, float)) and number < Decimal(str(low)):
        raise _error(NUMBER_TOO_SMALL, "min", {"min": low})
    if isinstance(high, (int, float)) and number > Decimal(str(high)):
        raise _error(NUMBER_TOO_LARGE, "max", {"max": high})
    return number


def _clean_text(question: QuestionDef, value: Any) -> str:
    if not isinstance(value, str):
        raise _error(WRONG_TYPE, "wrong_type")
    if len(value) > TEXT_HARD_MAX * 2:
        raise _error(TOO_LARGE, "too_large")
    text = value.replace("\x00", "").replace("\r\n", "\n").strip()
    limit = question.config.get("max_length")
    limit = min(limit, TEXT_HARD_MAX) if isinstance(limit, int) and limit > 0 else TEXT_MAX_LENGTH
    if len(text) > limit:
        raise _error(TEXT_TOO_LONG, "max_length", {"max": limit, "length": len(text)})
    return text


def _position(item: Any) -> tuple[float, float]:
    """A GeoJSON position [lon, lat] as finite floats inside BOUNDS."""
    if not isinstance(item, (list, tuple)) or len(item) not in (2, 3):
        raise _error(MAP_UNREADABLE, "geometry")
    if not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in item):
        raise _error(MAP_UNREADABLE, "geometry")
    lon, lat = float(item[0]), float(item[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise _error(MAP_UNREADABLE, "geometry")
    if not (BOUNDS["min_lon"] <= lon <= BOUNDS["max_lon"] and BOUNDS["min_lat"] <= lat <= BOUNDS["max_lat"]):
        raise _error(MAP_OUT_OF_BOUNDS, "bounds")
    return (round(lon, 6), round(lat, 6))


def clean_geometry(geometry: Any, *, allowed: tuple[str, ...]) -> tuple[dict, float, float]:
    """A GeoJSON Point, LineString or Polygon → (normalised geometry, centroid lat, centroid lon)."""
    from shapely.errors import ShapelyError
    from shapely.geometry import shape

    if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str):
        raise _error(MAP_UNREADABLE, "geometry")
    kind = GEOMETRY_KINDS.get(geometry["type"])
    if kind is None:
        raise _error(MAP_UNREADABLE, "geometry")
    if kind not in allowed:
        raise _error(MAP_KIND_NOT_ASKED, "geometry_kind")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, (list, tuple)):
        raise _error(MAP_UNREADABLE, "geometry")
    if kind == "point":
        normalised = {"type": "Point", "coordinates": list(_position(coordinates))}
    elif kind == "line":
        if len(coordinates) > MAX_VERTICES:
            raise _error(MAP_TOO_MANY_POINTS, "vertices", {"max": MAX_VERTICES})
        points = [list(_position(p)) for p in coordinates]
        if len({tuple(p) for p in points}) < 2:
            raise _error(MAP_TOO_FEW_POINTS, "vertices")
        normalised = {"type": "LineString", "coordinates": points}
    else:
        if len(coordinates) != 1 or not isinstance(coordinates[0], (list, tuple)):
            raise _error(MAP_UNREADABLE, "geometry")  # one outer ring; respondents draw no holes
        ring = coordinates[0]
        if len(ring) > MAX_VERTICES:
            raise _error(MAP_TOO_MANY_POINTS, "vertices", {"max": MAX_VERTICES})
        points = [list(_position(p)) for p in ring]
        if points and points[0] != points[-1]:
            points.append(points[0])
        if len({tuple(p) for p in points}) < 3:
            raise _error(MAP_TOO_FEW_POINTS, "vertices")
        normalised = {"type": "Polygon", "coordinates": [points]}
    try:
        geom = shape(normalised)
    except (ShapelyError, ValueError, TypeError):  # shapely refuses what it cannot build: the same answer as unreadable input
        raise _error(MAP_UNREADABLE, "geometry") from None
    if kind == "area" and (not geom.is_valid or geom.area <= 0):
        raise _error(MAP_INVALID_AREA, "invalid_area")
    centre = geom.centroid
    return normalised, round(centre.y, 6), round(centre.x, 6)


def _clean_map(question: QuestionDef, value: Any) -> list[MapPlace]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, dict) for v in value):
        raise _error(WRONG_TYPE, "wrong_type")
    if len(value) > MAX_FEATURES_CAP:
        raise _error(TOO_LARGE, "too_large")
    limit = question.config.get("max_features")
    limit = min(limit, MAX_FEATURES_CAP) if isinstance(limit, int) and limit > 0 else DEFAULT_MAX_FEATURES
    if len(value) > limit:
        raise _error(MAP_TOO_MANY, "max_features", {"max": limit})
    allowed = tuple(question.config.get("geometries") or ("point", "line", "area"))
    categories = [c.get("value") for c in question.config.get("categories", []) if isinstance(c, dict)]
    places = []
    for item in value:
        category, why, time_of_day = item.get("category", ""), item.get("why", ""), item.get("time_of_day", "")
        if not all(isinstance(v, str) for v in (category, why, time_of_day)):
            raise _error(WRONG_TYPE, "wrong_type")
        if len(why) > WHY_MAX_LENGTH * 4 or len(category) > 200 or len(time_of_day) > 50:
            raise _error(TOO_LARGE, "too_large")
        geometry, lat, lon = clean_geometry(item.get("geometry"), allowed=allowed)
        if categories and category not in categories:
            raise _error(MAP_CATEGORY, "category")
        if not categories and category:
            raise _error(MAP_CATEGORY, "category")
        why = why.replace("\x00", "").strip()
        if len(why) > WHY_MAX_LENGTH:
            raise _error(MAP_WHY_TOO_LONG, "why", {"max": WHY_MAX_LENGTH})
        if time_of_day and time_of_day not in TIMES_OF_DAY:
            raise _error(MAP_TIME, "time_of_day")
        places.append(MapPlace(geometry=geometry, category=category, why=why, time_of_day=time_of_day,
                               lat=lat, lon=lon))
    return places


def answer_clean(question: QuestionDef, value: Any) -> Any:
    """One answer, cleaned: OptionDef, [OptionDef], Decimal, str or [MapPlace]; raises ValidationError."""
    if question.is_choice:
        return _clean_choice(question, value)
    if question.kind == Question.Kind.NUMBER:
        return _clean_number(question, value)
    if question.kind == Question.Kind.TEXT:
        return _clean_text(question, value)
    if question.kind == Question.Kind.MAP:
        return _clean_map(question, value)
    raise _error(UNKNOWN_QUESTION, "unknown_question")


# ------------------------------------------------------------------------------------------------
# A set of answers
# ------------------------------------------------------------------------------------------------
def answers_clean(*, survey_def: SurveyDefinition, answers: dict[str, Any],
                  pages: tuple[int, ...] | None = None) -> dict[str, Any]:
    """Clean the answers to the questions on `pages` (all pages when None), given every answer so far.

    Hidden questions (display conditions) must not be answered; required visible questions must be.
    Raises one ValidationError keyed by question key with every problem found."""
    if not isinstance(answers, dict):
        raise ValidationError({"__all__": [_error(WRONG_TYPE, "wrong_type")]})
    errors: dict[str, list[ValidationError]] = {}
    for key in answers:
        question = survey_def.question(key) if isinstance(key, str) else None
        if question is None:
            errors.setdefault("__all__", []).append(_error(UNKNOWN_QUESTION, "unknown_question"))
    shown = visible_keys(survey_def=survey_def, answers=answers)
    cleaned: dict[str, Any] = {}
    for question in survey_def.questions:
        if pages is not None and question.page not in pages:
            continue
        value = answers.get(question.key)
        if question.key not in shown:
            if not _is_blank(value):
                errors[question.key] = [_error(HIDDEN_QUESTION, "hidden")]
            continue
        if _is_blank(value):
            if question.required:
                errors[question.key] = [_error(REQUIRED, "required")]
            continue
        try:
            result = answer_clean(question, value)
        except ValidationError as error:
            errors[question.key] = error.error_list
            continue
        if _is_blank(result) or (isinstance(result, str) and not result.strip()):
            if question.required:
                errors[question.key] = [_error(REQUIRED, "required")]
            continue
        cleaned[question.key] = result
    if errors:
        raise ValidationError(errors)
    return cleaned


def _answer_rows(survey_def: SurveyDefinition, response: Response, cleaned: dict[str, Any]) -> list[Answer]:
    rows: list[Answer] = []
    for question in survey_def.questions:
        if question.key not in cleaned:
            continue
        value = cleaned[question.key]
        base = {"response": response, "question_id": question.id}
        if question.is_choice:
            for option in value if isinstance(value, list) else [value]:
                rows.append(Answer(option_id=option.id, **base))
        elif question.kind == Question.Kind.NUMBER:
            rows.append(Answer(number=value, **base))
        elif question.kind == Question.Kind.TEXT:
            rows.append(Answer(text=value, **base))
        elif question.kind == Question.Kind.MAP:
            for place in value:
                rows.append(Answer(geometry=place.geometry, map_category=place.category, text=place.why,
                                   time_of_day=place.time_of_day, lat=place.lat, lon=place.lon, **base))
    return rows


def _respondent_category(survey_def: SurveyDefinition, cleaned: dict[str, Any]) -> str:
    for question in survey_def.questions:
        if question.kind == Question.Kind.CATEGORY and question.key in cleaned:
            option = cleaned[question.key]
            return option.value if isinstance(option, OptionDef) else ""
    return ""


def survey_response_submit(*, survey_def: SurveyDefinition, answers: dict[str, Any],
                           invitation_token: str | None = None, today: date | None = None) -> Response:
    """Store one anonymous response with its answers, all or nothing.

    Through a personal invitation, the invitation is marked used (the day only) by a conditional
    UPDATE in the same transaction: a second submit updates no row and fails with ALREADY_ANSWERED.
    Nothing links the response to the invitation. Queries: the UPDATE (invitations only), the
    response INSERT and one bulk INSERT of the answers (on PostgreSQL a public submit makes both one
    statement, see _insert_in_one_statement)."""
    today = today or timezone.localdate()
    if not survey_def.is_open(today):
        raise ValidationError(SURVEY_NOT_OPEN, code="not_open")
    if invitation_token is None and not survey_def.public_link_enabled:
        raise ValidationError(PUBLIC_LINK_CLOSED, code="public_link_closed")
    cleaned = answers_clean(survey_def=survey_def, answers=answers)
    language = "en" if get_language() == "en" else "sv"
    # The day only, and a random UUID key (models.Response): no order, no time, no link.
    response = Response(survey_id=survey_def.id, submitted_on=today, language=language,
                        respondent_category=_respondent_category(survey_def, cleaned))
    rows = _answer_rows(survey_def, response, cleaned)
    try:
        if invitation_token is None and connections[router.db_for_write(Response)].vendor == "postgresql":
            _insert_in_one_statement(response, rows)
            return response
        with transaction.atomic():
            if invitation_token is not None:
                used = (Invitation.objects
                        .filter(token=invitation_token, survey_id=survey_def.id, used_on__isnull=True)
                        .update(used_on=today))
                if used == 0:
                    raise ValidationError(ALREADY_ANSWERED, code="already_answered")
            response.save(force_insert=True)
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        # An option or question deleted between reading the snapshot and writing: nothing was stored.
        raise ValidationError(SURVEY_CHANGED, code="changed") from None
    return response


def _insert_in_one_statement(response: Response, rows: list[Answer]) -> None:
    """The response and its answers in ONE statement on PostgreSQL (a data-modifying CTE): atomic on
    its own, so a public submit costs one round trip instead of BEGIN, two INSERTs and COMMIT; the
    answers' foreign keys are checked at the end of the statement. This is the path a burst of
    submits takes (SPEC §12.7; `make bench`); the ORM path above does the same work in a transaction.

    The answers travel as one JSON array unpacked by jsonb_to_recordset, so the SQL text is the same
    for every submit whatever its number of answers: psycopg converts it once and caches it (it does
    not cache a statement with more than 50 parameters, which a VALUES list of answers soon has)."""
    connection = connections[router.db_for_write(Response)]
    quote = connection.ops.quote_name
    response_fields = list(Response._meta.concrete_fields)
    params = [f.get_db_prep_save(getattr(response, f.attname), connection) for f in response_fields]
    sql = (f"INSERT INTO {quote(Response._meta.db_table)} ({', '.join(quote(f.column) for f in response_fields)}) "
           f"VALUES ({', '.join(['%s'] * len(response_fields))})")
    if rows:
        link = Answer._meta.get_field("response")
        fields = [f for f in Answer._meta.concrete_fields if not f.primary_key and f is not link]
        columns = ", ".join(quote(f.column) for f in fields)
        record = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
        sql = (f"WITH response AS ({sql} RETURNING {quote(Response._meta.pk.column)} AS response_key) "
               f"INSERT INTO {quote(Answer._meta.db_table)} ({quote(link.column)}, {columns}) "
               f"SELECT response.response_key, {columns} FROM response, jsonb_to_recordset(%s::jsonb) AS r({record})")
        params.append(json.dumps([{f.column: getattr(row, f.attname) for f in fields} for row in rows],
                                 cls=DjangoJSONEncoder))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
