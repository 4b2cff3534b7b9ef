"""Aggregated survey results that other apps read (the nulägesanalys, goals, the home panel, the county
board): the safety indicator, overall and per respondent category, the top perceived problems, and the
project's map answers as points.

Everything here is safe for Perm.VIEW (county boards): aggregates only, never free text, and every
group or filter result with fewer than MIN_GROUP_SIZE respondents is *suppressed* (SPEC §5.4): it
carries no counts and no shares, only `suppressed=True`. That includes the survey as a whole: a share
computed over four answers says nothing and could point at a person.

The per-question aggregation of the results page lives in `results_questions.py`, the map tables in
`results_map.py`; the filters they share are here.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygga_platser.tenancy.models import Project, StakeholderCategory

from ..indicator import (
    OUTSIDE_BASE_VALUES,
    PROBLEMS_KEY,
    SAFE_EVENING_KEY,
    UNSAFE_VALUES,
)
from ..models import MIN_GROUP_SIZE, Answer, Option, Question, Response, Survey

INDICATOR_KINDS = (Survey.Kind.SAFETY, Survey.Kind.FOLLOWUP)


def is_suppressed(n: int | None) -> bool:
    """A group of fewer than MIN_GROUP_SIZE respondents is never shown (SPEC §5.4). Zero is not a
    group: "nobody answered" reveals no one."""
    return bool(n) and n < MIN_GROUP_SIZE


# ------------------------------------------------------------------------------------------------
# Filters (respondent category, date range)
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResultFilter:
    category: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def is_active(self) -> bool:
        return bool(self.category or self.date_from or self.date_to)

    def response_q(self, prefix: str = "") -> Q:
        """The filter as a Q over Response (prefix "" ) or over Answer (prefix "response__")."""
        q = Q()
        if self.category:
            q &= Q(**{f"{prefix}respondent_category": self.category})
        if self.date_from:
            q &= Q(**{f"{prefix}submitted_on__gte": self.date_from})
        if self.date_to:
            q &= Q(**{f"{prefix}submitted_on__lte": self.date_to})
        return q


NO_FILTER = ResultFilter()


def filter_suppresses(*, survey: Survey, filters: ResultFilter) -> bool:
    """Whether a filtered view (figures or texts) must be hidden: the filter matches 1..MIN_GROUP_SIZE−1
    respondents, or leaves out that few. False without a filter. Two queries when filtered."""
    if not filters.is_active:
        return False
    respondents = responses_filtered(survey=survey, filters=filters).count()
    return is_suppressed(respondents) or filter_leaves_out_few(survey=survey, filters=filters,
                                                               respondents=respondents)


def filter_leaves_out_few(*, survey: Survey, filters: ResultFilter, respondents: int) -> bool:
    """Whether a filtered result must be suppressed because of what it leaves out: the unfiltered
    result minus the filtered one describes the respondents outside the filter, so they too must be
    none or at least MIN_GROUP_SIZE (complementary suppression). One query, only when filtered."""
    if not filters.is_active:
        return False
    total = Response.objects.filter(survey=survey).count()
    return is_suppressed(total - respondents)


def responses_filtered(*, survey: Survey, filters: ResultFilter = NO_FILTER) -> QuerySet[Response]:
    return Response.objects.filter(survey=survey).filter(filters.response_q())


def answers_filtered(*, survey: Survey, filters: ResultFilter = NO_FILTER) -> QuerySet[Answer]:
    return Answer.objects.filter(question__survey=survey).filter(filters.response_q("response__"))


def _localized(label: str, label_en: str) -> str:
    return label_en if get_language() == "en" and label_en else label


def category_labels(*, survey: Survey) -> dict[str, str]:
    """Respondent category value → label: the survey's own category question, else the product's
    stakeholder categories (SPEC §4.3). One query."""
    labels = {value: str(label) for value, label in StakeholderCategory.choices}
    for value, label, label_en in Option.objects.filter(
            question__survey=survey, question__kind=Question.Kind.CATEGORY,
    ).values_list("value", "label", "label_en"):
        labels[value] = _localized(label, label_en)
    return labels


def category_label(labels: dict[str, str], value: str) -> str:
    return labels.get(value) or value or _("Category not given")


def respondent_categories(*, survey: Survey) -> list[tuple[str, str]]:
    """The categories present among the survey's responses, for the filter form: (value, label).
    Counts are left out on purpose: the form must not reveal the size of a small group."""
    labels = category_labels(survey=survey)
    values = (Response.objects.filter(survey=survey).exclude(respondent_category="")
              .values_list("respondent_category", flat=True).distinct())
    return sorted(((v, category_label(labels, v)) for v in values), key=lambda c: c[1].lower())


# ------------------------------------------------------------------------------------------------
# Cross-app selectors (contract: /tmp/contracts.md, H4)
# ------------------------------------------------------------------------------------------------
def survey_latest(*, project: Project, kinds=INDICATOR_KINDS) -> Survey | None:
    """The latest published survey of these kinds (published last, then created last)."""
    return (Survey.objects.filter(project=project, kind__in=list(kinds), published_at__isnull=False)
            .order_by("-published_at", "-created_at", "-pk").first())


@dataclass(frozen=True)
class Indicator:
    """The safety indicator (surveys/indicator.py): the share who feel rather or very unsafe late in
    the evening, or stay in because they feel unsafe, over those who answered outside
    OUTSIDE_BASE_VALUES. `share` is 0..1, None when suppressed or when nobody is in the base."""

    n: int
    unsafe: int
    share: float | None
    suppressed: bool

    @property
    def percent(self) -> float | None:
        return None if self.share is None else self.share * 100

    @property
    def safe_percent(self) -> float | None:
        """The share who feel safe (100 − unsafe share): what goals are usually phrased in."""
        return None if self.share is None else 100 - self.share * 100


SUPPRESSED_INDICATOR = Indicator(n=0, unsafe=0, share=None, suppressed=True)


def _indicator_base(counts: dict[str, int]) -> int:
    """How many answered the indicator question with an answer that counts (not "don't know")."""
    return sum(n for value, n in counts.items() if value not in OUTSIDE_BASE_VALUES)


def _indicator_from_counts(counts: dict[str, int]) -> Indicator:
    n = _indicator_base(counts)
    unsafe = sum(c for value, c in counts.items() if value in UNSAFE_VALUES)
    if is_suppressed(n):
        return SUPPRESSED_INDICATOR
    return Indicator(n=n, unsafe=unsafe, share=(unsafe / n) if n else None, suppressed=False)


def _indicator_answers(survey: Survey) -> QuerySet[Answer]:
    return Answer.objects.filter(question__survey=survey, question__key=SAFE_EVENING_KEY, option__isnull=False)


def survey_indicator(*, survey: Survey, category: str | None = None,
                     filters: ResultFilter = NO_FILTER) -> Indicator:
    """The indicator of the survey, or of one respondent category (suppressed when fewer than
    MIN_GROUP_SIZE are in the base). One query."""
    answers = _indicator_answers(survey).filter(filters.response_q("response__"))
    if category is not None:
        answers = answers.filter(response__respondent_category=category)
    counts = {row["option__value"]: row["n"] for row in answers.values("option__value").annotate(n=Count("pk"))}
    return _indicator_from_counts(counts)


@dataclass(frozen=True)
class GroupIndicator:
    category: str
    label: str
    n: int  # 0 when suppressed: the size of a small group is not shown either
    share: float | None
    suppressed: bool

    @property
    def percent(self) -> float | None:
        return None if self.share is None else self.share * 100


def survey_indicator_by_group(*, survey: Survey, filters: ResultFilter = NO_FILTER) -> list[GroupIndicator]:
    """The indicator per respondent category (responses without a category left out), by label.
    Two queries.

    A group under MIN_GROUP_SIZE is hidden. The overall indicator (shown beside the groups) minus the
    groups shown describes everyone else, so they must be none or at least MIN_GROUP_SIZE too: while
    they are not, the smallest group shown is hidden as well (secondary suppression)."""
    counts: dict[str, dict[str, int]] = {}
    rows = (_indicator_answers(survey).filter(filters.response_q("response__"))
            .values("response__respondent_category", "option__value").annotate(n=Count("pk")))
    overall: dict[str, int] = {}
    for row in rows:
        value, n = row["option__value"], row["n"]
        overall[value] = overall.get(value, 0) + n
        if row["response__respondent_category"]:
            counts.setdefault(row["response__respondent_category"], {})[value] = n
    labels = category_labels(survey=survey)
    groups = []
    for category, by_value in counts.items():
        indicator = _indicator_from_counts(by_value)
        groups.append(GroupIndicator(category=category, label=category_label(labels, category),
                                     n=_indicator_base(by_value), share=indicator.share,
                                     suppressed=indicator.suppressed))
    shown = sorted((g for g in groups if not g.suppressed), key=lambda g: g.n)
    rest = _indicator_base(overall) - sum(g.n for g in shown)
    hide = set()
    while shown and is_suppressed(rest):
        smallest = shown.pop(0)
        hide.add(smallest.category)
        rest += smallest.n
    groups = [replace(g, share=None, suppressed=True) if g.category in hide else g for g in groups]
    # The size of a hidden group is not shown either.
    groups = [replace(g, n=0) if g.suppressed else g for g in groups]
    return sorted(groups, key=lambda g: g.label.lower())


@dataclass(frozen=True)
class ProblemShare:
    value: str
    label: str
    count: int
    share: float  # of the respondents who answered the question


def survey_top_problems(*, survey: Survey, limit: int = 5) -> list[ProblemShare]:
    """The most often chosen perceived problems (PROBLEMS_KEY), most chosen first; empty when fewer
    than MIN_GROUP_SIZE answered the question. Two queries."""
    answers = Answer.objects.filter(question__survey=survey, question__key=PROBLEMS_KEY, option__isnull=False)
    respondents = answers.aggregate(n=Count("response", distinct=True))["n"] or 0
    if not respondents or is_suppressed(respondents):
        return []
    rows = (answers.filter(option__is_missing=False)
            .values("option__value", "option__label", "option__label_en", "option__position")
            .annotate(n=Count("pk")).order_by("-n", "option__position"))[:limit]
    return [ProblemShare(value=row["option__value"], label=_localized(row["option__label"], row["option__label_en"]),
                         count=row["n"], share=row["n"] / respondents) for row in rows]


@dataclass(frozen=True)
class MapAnswerPoint:
    pk: int
    lat: float
    lon: float
    category: str
    category_label: str
    time_of_day: str
    survey_id: int


def map_category_labels(config: dict) -> dict[str, str]:
    return {c.get("value", ""): _localized(c.get("label", ""), c.get("label_en", ""))
            for c in (config or {}).get("categories", [])}


def project_map_answers(*, project: Project) -> list[MapAnswerPoint]:
    """Every located map answer of the project's surveys as a point, without the respondent's "why"
    (free text is for coordinators only). Two queries."""
    labels: dict[int, dict[str, str]] = {
        pk: map_category_labels(config) for pk, config in Question.objects.filter(
            survey__project=project, kind=Question.Kind.MAP).values_list("pk", "config")}
    rows = (Answer.objects.filter(question__survey__project=project, question__kind=Question.Kind.MAP,
                                  lat__isnull=False, lon__isnull=False)
            .values_list("pk", "lat", "lon", "map_category", "time_of_day", "question_id", "question__survey_id")
            .order_by("pk"))
    return [MapAnswerPoint(pk=pk, lat=lat, lon=lon, category=cat,
                           category_label=labels.get(qid, {}).get(cat) or cat, time_of_day=tod, survey_id=sid)
            for pk, lat, lon, cat, tod, qid, sid in rows]


__all__ = [
    "NO_FILTER",
    "GroupIndicator",
    "Indicator",
    "MapAnswerPoint",
    "ProblemShare",
    "ResultFilter",
    "answers_filtered",
    "category_labels",
    "filter_leaves_out_few",
    "filter_suppresses",
    "is_suppressed",
    "project_map_answers",
    "respondent_categories",
    "responses_filtered",
    "survey_indicator",
    "survey_indicator_by_group",
    "survey_latest",
    "survey_top_problems",
]
