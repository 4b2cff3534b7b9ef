"""Surveys with answers for the results, exports and comparison tests.

`results_survey(project)` builds a small safety survey with one question of every aggregated kind
(keys in `K`), and `respond(survey, …)` adds one response with the given answers, creating rows
directly (the respond flow belongs to another module and is tested there).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from surveys.indicator import (
    CATEGORY_KEY,
    PROBLEM_VALUES,
    PROBLEMS_KEY,
    SAFE_EVENING_KEY,
    SAFETY_VALUES,
)
from surveys.models import Answer, Option, Question, Response, Survey

from .factories import SurveyFactory


class K:
    SAFE = SAFE_EVENING_KEY
    PROBLEMS = PROBLEMS_KEY
    CATEGORY = CATEGORY_KEY
    SCALE = "attractiveness"
    NUMBER = "visits_per_week"
    TEXT = "comments"
    MAP = "places"


MAP_CATEGORIES = [
    {"value": "unsafe", "label": "Otrygg", "label_en": "Unsafe"},
    {"value": "safe", "label": "Trygg", "label_en": "Safe"},
]


@dataclass
class Built:
    survey: Survey
    q: dict[str, Question]
    opt: dict[str, dict[str, Option]]


def _question(survey, key, kind, position, values=(), missing=(), config=None) -> tuple[Question, dict[str, Option]]:
    question = Question.objects.create(survey=survey, key=key, kind=kind, position=position, text=f"Fråga {key}?",
                                       text_en=f"Question {key}?", config=config or {})
    options = {}
    for i, value in enumerate(values):
        options[value] = Option.objects.create(question=question, value=value, position=i, label=f"Etikett {value}",
                                               label_en=f"Label {value}", is_missing=value in missing)
    return question, options


def results_survey(project, *, kind=Survey.Kind.SAFETY, published=True, baseline=None, title="Trygghetsenkät",
                   with_categories=("boende", "polis", "naringsidkare")) -> Built:
    survey = SurveyFactory(project=project, kind=kind, title=title, baseline=baseline,
                           published_at=timezone.now() if published else None)
    spec = [
        (K.CATEGORY, Question.Kind.CATEGORY, with_categories, (), None),
        (K.SAFE, Question.Kind.SINGLE, SAFETY_VALUES, ("dk",), None),
        (K.PROBLEMS, Question.Kind.MULTIPLE, PROBLEM_VALUES, (), None),
        (K.SCALE, Question.Kind.SCALE, ("1", "2", "3", "4", "5", "dk"), ("dk",), None),
        (K.NUMBER, Question.Kind.NUMBER, (), (), {"unit": "ggr"}),
        (K.TEXT, Question.Kind.TEXT, (), (), None),
        (K.MAP, Question.Kind.MAP, (), (), {"geometries": ["point"], "categories": MAP_CATEGORIES, "ask_time": True}),
    ]
    q, opt = {}, {}
    for position, (key, qkind, values, missing, config) in enumerate(spec):
        q[key], opt[key] = _question(survey, key, qkind, position, values, missing, config)
    return Built(survey=survey, q=q, opt=opt)


def respond(built: Built, *, category: str = "", safe: str | None = None, problems=(), scale: str | None = None,
            number=None, text: str = "", places=(), on: date | None = None) -> Response:
    """One response. `places`: (category, time_of_day, lat, lon, why) tuples."""
    response = Response.objects.create(survey=built.survey, respondent_category=category,
                                       submitted_on=on or timezone.localdate())
    rows = []
    if category and category in built.opt[K.CATEGORY]:
        rows.append(Answer(response=response, question=built.q[K.CATEGORY], option=built.opt[K.CATEGORY][category]))
    if safe:
        rows.append(Answer(response=response, question=built.q[K.SAFE], option=built.opt[K.SAFE][safe]))
    for value in problems:
        rows.append(Answer(response=response, question=built.q[K.PROBLEMS], option=built.opt[K.PROBLEMS][value]))
    if scale:
        rows.append(Answer(response=response, question=built.q[K.SCALE], option=built.opt[K.SCALE][scale]))
    if number is not None:
        rows.append(Answer(response=response, question=built.q[K.NUMBER], number=Decimal(str(number))))
    if text:
        rows.append(Answer(response=response, question=built.q[K.TEXT], text=text))
    for map_category, time_of_day, lat, lon, why in places:
        rows.append(Answer(response=response, question=built.q[K.MAP], map_category=map_category,
                           time_of_day=time_of_day, lat=lat, lon=lon, text=why,
                           geometry={"type": "Point", "coordinates": [lon, lat]}))
    Answer.objects.bulk_create(rows)
    return response


def respond_many(built: Built, n: int, **answers) -> list[Response]:
    return [respond(built, **answers) for _ in range(n)]
