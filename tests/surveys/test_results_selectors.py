"""The cross-app result selectors (contract H4): indicator, indicator by group, top problems, map
answers, latest survey — with small-group suppression (SPEC §5.4)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import MIN_GROUP_SIZE, Survey
from surveys.selectors.results import (
    ResultFilter,
    project_map_answers,
    survey_indicator,
    survey_indicator_by_group,
    survey_latest,
    survey_top_problems,
)

from ..factories import ProjectFactory
from .factories_results import respond, respond_many, results_survey

pytestmark = pytest.mark.django_db


def test_indicator_counts_unsafe_over_the_base_without_dont_know():
    # given 6 rather_unsafe, 2 not_out_unsafe, 4 very_safe, 3 "don't know" and 2 staying in for other reasons
    built = results_survey(ProjectFactory())
    respond_many(built, 6, safe="rather_unsafe")
    respond_many(built, 2, safe="not_out_unsafe")
    respond_many(built, 4, safe="very_safe")
    respond_many(built, 3, safe="dk")
    respond_many(built, 2, safe="not_out_other")
    # when
    indicator = survey_indicator(survey=built.survey)
    # then the base is 12 and 8 of them feel unsafe
    assert (indicator.n, indicator.unsafe, indicator.suppressed) == (12, 8, False)
    assert indicator.share == pytest.approx(8 / 12)
    assert indicator.safe_percent == pytest.approx(100 - 800 / 12)


def test_indicator_is_suppressed_below_the_minimum_group_size():
    # given only four answers in the base (and a "don't know" that does not count)
    built = results_survey(ProjectFactory())
    respond_many(built, MIN_GROUP_SIZE - 1, safe="very_unsafe")
    respond(built, safe="dk")
    # when
    indicator = survey_indicator(survey=built.survey)
    # then no counts and no share
    assert indicator.suppressed and indicator.share is None and indicator.n == 0 and indicator.unsafe == 0


def test_indicator_without_answers_is_empty_not_suppressed():
    built = results_survey(ProjectFactory())
    indicator = survey_indicator(survey=built.survey)
    assert not indicator.suppressed and indicator.share is None and indicator.n == 0


def test_indicator_for_a_category_and_by_group_suppresses_small_groups():
    # given 5 residents (all unsafe), 3 police (all safe), 2 without a category
    built = results_survey(ProjectFactory())
    respond_many(built, 5, category="boende", safe="very_unsafe")
    respond_many(built, 3, category="polis", safe="very_safe")
    respond_many(built, 2, safe="very_safe")
    # when / then: the residents are shown, the police are not
    assert survey_indicator(survey=built.survey, category="boende").share == 1.0
    police = survey_indicator(survey=built.survey, category="polis")
    assert police.suppressed and police.share is None
    groups = {g.category: g for g in survey_indicator_by_group(survey=built.survey)}
    assert set(groups) == {"boende", "polis"}
    assert (groups["boende"].n, groups["boende"].share, groups["boende"].suppressed) == (5, 1.0, False)
    assert (groups["polis"].n, groups["polis"].share, groups["polis"].suppressed) == (0, None, True)
    assert groups["boende"].label == "Etikett boende"


def test_indicator_date_filter():
    built = results_survey(ProjectFactory())
    today = timezone.localdate()
    respond_many(built, 5, safe="very_unsafe", on=today - timedelta(days=10))
    respond_many(built, 5, safe="very_safe", on=today)
    recent = survey_indicator(survey=built.survey, filters=ResultFilter(date_from=today - timedelta(days=1)))
    assert (recent.n, recent.unsafe) == (5, 0)


def test_top_problems_share_of_respondents_to_the_question():
    # given 10 respondents to the problems question: litter 8, graffiti 5, traffic 1
    built = results_survey(ProjectFactory())
    respond_many(built, 5, problems=["litter", "graffiti"])
    respond_many(built, 3, problems=["litter"])
    respond(built, problems=["traffic"])
    respond(built, problems=[])  # did not answer the question: not in the base
    respond(built, problems=["traffic"], safe="very_safe")
    # when
    top = survey_top_problems(survey=built.survey, limit=2)
    # then
    assert [(p.value, p.count) for p in top] == [("litter", 8), ("graffiti", 5)]
    assert top[0].share == pytest.approx(8 / 10)


def test_top_problems_suppressed_when_few_answered():
    built = results_survey(ProjectFactory())
    respond_many(built, MIN_GROUP_SIZE - 1, problems=["litter"])
    assert survey_top_problems(survey=built.survey) == []


def test_project_map_answers_have_no_free_text_and_stay_in_the_project():
    project = ProjectFactory()
    built = results_survey(project)
    respond(built, places=[("unsafe", "evening", 60.1, 16.2, "Mörkt och ödsligt")])
    other = results_survey(ProjectFactory())
    respond(other, places=[("safe", "day", 59.0, 15.0, "Fint")])
    points = project_map_answers(project=project)
    assert len(points) == 1
    point = points[0]
    assert (point.lat, point.lon, point.category, point.category_label, point.time_of_day, point.survey_id) == (
        60.1, 16.2, "unsafe", "Otrygg", "evening", built.survey.pk)
    assert not hasattr(point, "text") and not hasattr(point, "why")


def test_survey_latest_only_published_of_the_kinds():
    project = ProjectFactory()
    older = results_survey(project).survey
    Survey.objects.filter(pk=older.pk).update(published_at=timezone.now() - timedelta(days=30))
    newer = results_survey(project, kind=Survey.Kind.FOLLOWUP).survey
    results_survey(project, published=False)  # a draft is never "latest"
    results_survey(project, kind=Survey.Kind.MAPPING)  # another kind
    assert survey_latest(project=project) == newer
    assert survey_latest(project=project, kinds=("safety",)) == older
    assert survey_latest(project=ProjectFactory()) is None
