"""Per-question results of one survey (SPEC §5.5), for the results page, the aggregate export and
reports.

Counts are aggregated in the database, grouped by question and option, so the number of queries
does not grow with the number of responses or questions (tests/surveys/test_results.py measures it):
questions, options, the filtered respondent count, respondents per question, option counts, number
values, map cells and map rows — eight queries, whatever the survey's size.

Shares:
- single choice, respondent category, age, gender, scale: of the respondents who answered the question
  (an age band, gender or category chosen by fewer than MIN_GROUP_SIZE is itself a small group: hidden);
- multiple choice: of the respondents who answered the question choosing each option (they add up to
  more than 100 %);
- scale: the distribution, and the mean of the numeric options leaving out "don't know" (is_missing);
- number: n, mean, median, minimum, maximum;
- map: the number of marked places by category × time of day (results_map.py);
- free text: only how many answered (the texts are on the coordinators' free-text page).

Suppression (SPEC §5.4): a filtered set of fewer than MIN_GROUP_SIZE respondents shows nothing; a
question answered by fewer than MIN_GROUP_SIZE shows nothing; map cells follow results_map.py.
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Count, Prefetch

from ..models import Option, Question, Survey
from .results import (
    NO_FILTER,
    Indicator,
    ResultFilter,
    _localized,
    answers_filtered,
    filter_leaves_out_few,
    is_suppressed,
    responses_filtered,
    survey_indicator,
)
from .results_map import MapTable, map_tables


@dataclass(frozen=True)
class OptionResult:
    value: str
    label: str
    count: int | None  # None when suppressed
    share: float | None  # 0..1 of the question's respondents
    is_missing: bool = False
    suppressed: bool = False

    @property
    def percent(self) -> float | None:
        return None if self.share is None else self.share * 100


@dataclass(frozen=True)
class NumberStats:
    n: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    unit: str = ""


@dataclass
class QuestionResult:
    question: Question
    respondents: int  # 0 when suppressed
    suppressed: bool
    options: list[OptionResult] = field(default_factory=list)
    mean: float | None = None  # scale questions
    numbers: NumberStats | None = None
    map: MapTable | None = None

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def is_choice(self) -> bool:
        return self.question.is_choice

    @property
    def has_suppressed_options(self) -> bool:
        return any(o.suppressed for o in self.options)

    @property
    def is_multiple(self) -> bool:
        return self.question.kind == Question.Kind.MULTIPLE


@dataclass
class SurveyResults:
    survey: Survey
    filters: ResultFilter
    respondents: int  # 0 when suppressed
    suppressed: bool
    indicator: Indicator | None
    questions: list[QuestionResult] = field(default_factory=list)


def _scale_value(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


# Who answered (category, age band, gender): each option *is* a group of respondents, so an option
# chosen by fewer than MIN_GROUP_SIZE is not shown (SPEC §5.4).
BACKGROUND_KINDS = (Question.Kind.CATEGORY, Question.Kind.AGE, Question.Kind.GENDER)


def _suppress_small_groups(options: list[OptionResult]) -> list[OptionResult]:
    """Hide the options chosen by 1..MIN_GROUP_SIZE−1. When exactly one is hidden, the question's
    respondent count minus the shown ones would give it away, so the next smallest is hidden too
    (secondary suppression)."""
    hidden = {o.value for o in options if is_suppressed(o.count)}
    if len(hidden) == 1:
        others = sorted((o for o in options if o.count and o.value not in hidden), key=lambda o: o.count)
        if others:
            hidden.add(others[0].value)
    return [replace(o, count=None, share=None, suppressed=True) if o.value in hidden else o for o in options]


def _choice_result(question: Question, respondents: int, counts: dict[int, int]) -> QuestionResult:
    options = []
    for option in question.options.all():  # prefetched
        count = counts.get(option.pk, 0)
        options.append(OptionResult(value=option.value, label=_localized(option.label, option.label_en), count=count,
                                    share=count / respondents if respondents else None, is_missing=option.is_missing))
    if question.kind in BACKGROUND_KINDS:
        options = _suppress_small_groups(options)
    mean = None
    if question.kind == Question.Kind.SCALE:
        scored = [(_scale_value(o.value), o.count or 0) for o in options if not o.is_missing]
        scored = [(v, c) for v, c in scored if v is not None]
        total = sum(c for _v, c in scored)
        mean = sum(v * c for v, c in scored) / total if total else None
    return QuestionResult(question=question, respondents=respondents, suppressed=False, options=options, mean=mean)


def _number_stats(question: Question, values: list[float]) -> NumberStats:
    unit = (question.config or {}).get("unit", "")
    if not values:
        return NumberStats(n=0, mean=None, median=None, minimum=None, maximum=None, unit=unit)
    return NumberStats(n=len(values), mean=statistics.fmean(values), median=statistics.median(values),
                       minimum=min(values), maximum=max(values), unit=unit)


def survey_results(*, survey: Survey, filters: ResultFilter = NO_FILTER) -> SurveyResults:
    """Every question's aggregate under the filters, suppressed where the group is too small."""
    respondents = responses_filtered(survey=survey, filters=filters).count()
    if is_suppressed(respondents) or filter_leaves_out_few(survey=survey, filters=filters, respondents=respondents):
        return SurveyResults(survey=survey, filters=filters, respondents=0, suppressed=True, indicator=None)
    questions = list(Question.objects.filter(survey=survey).order_by("page", "position", "pk")
                     .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position", "pk"))))
    answers = answers_filtered(survey=survey, filters=filters)
    per_question = {row["question_id"]: row["r"] for row in
                    answers.values("question_id").annotate(r=Count("response_id", distinct=True)).order_by()}
    option_counts: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (answers.filter(option__isnull=False).values("question_id", "option_id")
                .annotate(n=Count("pk")).order_by()):
        option_counts[row["question_id"]][row["option_id"]] = row["n"]
    numbers: dict[int, list[float]] = defaultdict(list)
    number_ids = [q.pk for q in questions if q.kind == Question.Kind.NUMBER]
    if number_ids:
        for qid, value in (answers.filter(question_id__in=number_ids, number__isnull=False)
                           .values_list("question_id", "number").order_by().iterator(chunk_size=5000)):
            numbers[qid].append(float(value))
    map_ids = [q.pk for q in questions if q.kind == Question.Kind.MAP]
    tables = map_tables(questions=[q for q in questions if q.pk in map_ids], answers=answers) if map_ids else {}

    results = []
    for question in questions:
        answered = per_question.get(question.pk, 0)
        if is_suppressed(answered):
            results.append(QuestionResult(question=question, respondents=0, suppressed=True))
        elif question.is_choice:
            results.append(_choice_result(question, answered, option_counts.get(question.pk, {})))
        elif question.kind == Question.Kind.NUMBER:
            results.append(QuestionResult(question=question, respondents=answered, suppressed=False,
                                          numbers=_number_stats(question, numbers.get(question.pk, []))))
        elif question.kind == Question.Kind.MAP:
            results.append(QuestionResult(question=question, respondents=answered, suppressed=False,
                                          map=tables.get(question.pk)))
        else:  # free text: a count only
            results.append(QuestionResult(question=question, respondents=answered, suppressed=False))
    return SurveyResults(survey=survey, filters=filters, respondents=respondents, suppressed=False,
                         indicator=survey_indicator(survey=survey, filters=filters), questions=results)


def free_text_answers(*, survey: Survey, filters: ResultFilter = NO_FILTER):
    """The free-text answers (text questions and the "why" of map answers) for coordinators only
    (Perm.MANAGE, SPEC §12.5), grouped by question, in a random-looking but stable order (by the
    response's UUID) so that the list does not line up with the order of submission."""
    return (answers_filtered(survey=survey, filters=filters)
            .filter(question__kind__in=(Question.Kind.TEXT, Question.Kind.MAP)).exclude(text="")
            .select_related("question").order_by("question__page", "question__position", "question_id",
                                                 "response_id", "pk"))


__all__ = ["NumberStats", "OptionResult", "QuestionResult", "SurveyResults", "free_text_answers",
           "survey_results"]
