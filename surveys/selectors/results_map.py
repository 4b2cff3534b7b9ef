"""Map answers in aggregate: the number of marked places by category × time of day (SPEC §5.5), the
table under the map and the basis of the heat layer's filters.

A cell counts places (a respondent may mark several) but is suppressed when fewer than
MIN_GROUP_SIZE *respondents* marked them (SPEC §5.4). A row total is also hidden when exactly one
of its cells is suppressed, since the total minus the shown cells would give it away (secondary
suppression); with two or more suppressed cells only their sum can be derived.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from ..models import Answer, Question
from .results import is_suppressed, map_category_labels

NOT_STATED = ""
TIME_COLUMNS = [(value, label) for value, label in Answer.TimeOfDay.choices] + [(NOT_STATED, _("Not stated"))]


@dataclass(frozen=True)
class Cell:
    count: int | None  # None when suppressed
    suppressed: bool


EMPTY = Cell(count=0, suppressed=False)


@dataclass
class MapRow:
    category: str
    label: str
    cells: list[Cell]
    total: int | None  # None when suppressed
    suppressed: bool


@dataclass
class MapTable:
    columns: list[tuple[str, str]]
    rows: list[MapRow] = field(default_factory=list)

    @property
    def has_suppressed(self) -> bool:
        return any(row.suppressed or any(c.suppressed for c in row.cells) for row in self.rows)


def _cell(places: int, respondents: int) -> Cell:
    if not places:
        return EMPTY
    if is_suppressed(respondents):
        return Cell(count=None, suppressed=True)
    return Cell(count=places, suppressed=False)


def map_tables(*, questions: list[Question], answers: QuerySet[Answer]) -> dict[int, MapTable]:
    """One table per map question. Two queries, whatever the number of questions and answers."""
    ids = [q.pk for q in questions]
    located = answers.filter(question_id__in=ids)
    cells: dict[int, dict[tuple[str, str], tuple[int, int]]] = defaultdict(dict)
    for row in (located.values("question_id", "map_category", "time_of_day")
                .annotate(n=Count("pk"), r=Count("response_id", distinct=True)).order_by()):
        cells[row["question_id"]][(row["map_category"], row["time_of_day"])] = (row["n"], row["r"])
    totals: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in (located.values("question_id", "map_category")
                .annotate(n=Count("pk"), r=Count("response_id", distinct=True)).order_by()):
        totals[row["question_id"]][row["map_category"]] = (row["n"], row["r"])

    tables = {}
    for question in questions:
        labels = map_category_labels(question.config)
        categories = list(labels) + sorted(c for c in totals[question.pk] if c not in labels)
        table = MapTable(columns=[(v, str(label)) for v, label in TIME_COLUMNS])
        for category in categories:
            row_cells = [_cell(*cells[question.pk].get((category, tod), (0, 0))) for tod, _label in TIME_COLUMNS]
            places, respondents = totals[question.pk].get(category, (0, 0))
            hidden = is_suppressed(respondents) or sum(c.suppressed for c in row_cells) == 1
            table.rows.append(MapRow(category=category, label=labels.get(category) or category, cells=row_cells,
                                     total=None if hidden else places, suppressed=hidden))
        # Drop the "not stated" column when no question asked it and nobody left it blank.
        if all(row.cells[-1] == EMPTY for row in table.rows):
            table.columns = table.columns[:-1]
            for row in table.rows:
                row.cells = row.cells[:-1]
        tables[question.pk] = table
    return tables


@dataclass
class SurveyMapAnswers:
    """The map-answers page of one survey: its map questions, their categories, the places under the
    chosen category and time of day, every place for the script's filters, and the tables."""

    questions: list[Question]
    categories: dict[str, str]  # value → label, in the questions' order
    category: str  # the chosen category, "" for all (an unknown one is ignored)
    time_of_day: str  # the chosen time of day, "" for all
    rows: list[dict]  # pk, lat, lon, map_category, category_label, time_of_day (and text for coordinators)
    all_points: list[tuple[float, float, str, str]]  # every located place: lat, lon, category, time of day
    tables: dict[int, MapTable]


def survey_map_answers(*, survey, category: str = "", time_of_day: str = "",
                       with_text: bool = False) -> SurveyMapAnswers:
    """Five queries, whatever the number of questions and answers. `with_text` adds the respondents'
    "why" (coordinators only, SPEC §12.5)."""
    questions = list(Question.objects.filter(survey=survey, kind=Question.Kind.MAP).order_by("page", "position"))
    categories: dict[str, str] = {}
    for question in questions:
        for value, label in map_category_labels(question.config).items():
            categories.setdefault(value, label)
    category = category if category in categories else ""
    time_of_day = time_of_day if time_of_day in dict(Answer.TimeOfDay.choices) else ""
    located = Answer.objects.filter(question__in=questions, lat__isnull=False, lon__isnull=False)
    chosen = located.order_by("question__position", "response_id", "pk")
    if category:
        chosen = chosen.filter(map_category=category)
    if time_of_day:
        chosen = chosen.filter(time_of_day=time_of_day)
    fields = ["pk", "lat", "lon", "map_category", "time_of_day"] + (["text"] if with_text else [])
    rows = list(chosen.values(*fields))
    for row in rows:
        row["category_label"] = categories.get(row["map_category"], row["map_category"])
    return SurveyMapAnswers(
        questions=questions, categories=categories, category=category, time_of_day=time_of_day, rows=rows,
        all_points=list(located.values_list("lat", "lon", "map_category", "time_of_day")),
        tables=map_tables(questions=questions, answers=Answer.objects.filter(question__survey=survey)))
