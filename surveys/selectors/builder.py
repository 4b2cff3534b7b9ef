"""Reads of the survey builder: the project's surveys with their counts, a survey's questions by page,
and what a display condition may point at."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from ..indicator import SAFE_EVENING_KEY
from ..models import Option, Question, Response, Survey

# Questions whose structure the results rely on beyond their key: the question compared with the
# national safety indicator keeps its type, key and options (surveys.services.builder).
PROTECTED_KEYS = frozenset({SAFE_EVENING_KEY})


def _count_of(model, field: str = "survey") -> Subquery:
    rows = (model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
            .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def surveys_for_project(*, project) -> QuerySet[Survey]:
    """The project's surveys, newest first, each with `response_count` and `question_count`, in one
    query (subqueries, so the two counts do not multiply each other)."""
    return (Survey.objects.filter(project=project).select_related("baseline")
            .annotate(response_count=_count_of(Response), question_count=_count_of(Question))
            .order_by("-created_at", "-pk"))


def survey_response_count(*, survey: Survey) -> int:
    return Response.objects.filter(survey=survey).count()


def baseline_candidates(*, project, exclude: Survey | None = None) -> QuerySet[Survey]:
    """Surveys a follow-up can follow up: the project's safety surveys and earlier follow-ups."""
    surveys = Survey.objects.filter(project=project, kind__in=(Survey.Kind.SAFETY, Survey.Kind.FOLLOWUP))
    if exclude is not None:
        surveys = surveys.exclude(pk=exclude.pk)
    return surveys.order_by("-created_at", "-pk")


def survey_questions(*, survey: Survey) -> list[Question]:
    """The questions in order, with their options and condition question, in three queries."""
    return list(Question.objects.filter(survey=survey).select_related("condition_question")
                .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position", "pk")))
                .order_by("page", "position", "pk"))


@dataclass(frozen=True)
class Page:
    number: int
    questions: list[Question]


def survey_pages(*, survey: Survey, questions: list[Question] | None = None) -> list[Page]:
    """The questions grouped by page; each question gets `is_first`/`is_last` (for the move buttons),
    `is_protected` (the indicator question) and `condition_labels` (the labels of the answers that show it)."""
    questions = survey_questions(survey=survey) if questions is None else questions
    pages: dict[int, list[Question]] = {}
    options_by_question = {q.pk: {o.value: o.label for o in q.options.all()} for q in questions}
    for i, question in enumerate(questions):
        question.is_first = i == 0
        question.is_last = i == len(questions) - 1
        question.is_protected = question.key in PROTECTED_KEYS
        labels = options_by_question.get(question.condition_question_id, {})
        question.condition_labels = [labels.get(v, v) for v in question.condition_values or []]
        pages.setdefault(question.page, []).append(question)
    return [Page(number, qs) for number, qs in sorted(pages.items())]


def condition_candidates(*, question: Question, questions: list[Question] | None = None) -> list[Question]:
    """The choice questions before `question`: what it may be shown depending on."""
    questions = survey_questions(survey=question.survey) if questions is None else questions
    earlier = []
    for q in questions:
        if q.pk == question.pk:
            break
        if q.kind in Question.CHOICE_KINDS:
            earlier.append(q)
    return earlier
