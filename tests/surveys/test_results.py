"""Per-question aggregation (SPEC §5.5): counts and shares per kind, filters, flat query count."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys.selectors.results import ResultFilter
from surveys.selectors.results_questions import free_text_answers, survey_results

from ..factories import ProjectFactory
from .factories_results import K, respond, respond_many, results_survey

pytestmark = pytest.mark.django_db


def by_key(results):
    return {qr.question.key: qr for qr in results.questions}


@pytest.fixture
def built():
    built = results_survey(ProjectFactory())
    # 10 respondents
    respond_many(built, 4, category="boende", safe="very_unsafe", problems=["litter", "graffiti"], scale="2", number=1)
    respond_many(built, 3, category="boende", safe="rather_safe", problems=["litter"], scale="4", number=3)
    respond_many(built, 2, category="polis", safe="dk", scale="dk", number=10)
    respond(built, category="polis", safe="very_safe", problems=["traffic"], scale="5", number=2,
            places=[("unsafe", "evening", 60.1, 16.1, "why")])
    return built


def test_single_choice_shares_of_respondents_who_answered(built):
    safe = by_key(survey_results(survey=built.survey))[K.SAFE]
    assert safe.respondents == 10 and not safe.suppressed
    options = {o.value: o for o in safe.options}
    assert options["very_unsafe"].count == 4 and options["very_unsafe"].share == pytest.approx(0.4)
    assert options["dk"].count == 2 and options["dk"].is_missing
    assert options["not_out_other"].count == 0 and options["not_out_other"].share == 0
    assert sum(o.count for o in safe.options) == 10


def test_multiple_choice_shares_of_respondents_choosing(built):
    problems = by_key(survey_results(survey=built.survey))[K.PROBLEMS]
    # 8 answered the question (the two police with "dk" did not)
    assert problems.respondents == 8
    options = {o.value: o for o in problems.options}
    assert options["litter"].count == 7 and options["litter"].share == pytest.approx(7 / 8)
    assert options["graffiti"].share == pytest.approx(4 / 8)
    assert sum(o.share for o in problems.options) > 1


def test_scale_distribution_and_mean_without_dont_know(built):
    scale = by_key(survey_results(survey=built.survey))[K.SCALE]
    assert scale.respondents == 10
    # (4·2 + 3·4 + 1·5) / 8
    assert scale.mean == pytest.approx((8 + 12 + 5) / 8)
    assert {o.value: o.count for o in scale.options}["dk"] == 2


def test_number_statistics(built):
    number = by_key(survey_results(survey=built.survey))[K.NUMBER].numbers
    values = [1] * 4 + [3] * 3 + [10] * 2 + [2]
    assert number.n == 10 and number.mean == pytest.approx(sum(values) / 10)
    assert number.median == 2.5 and number.minimum == 1 and number.maximum == 10 and number.unit == "ggr"


def test_map_question_with_one_respondent_is_suppressed(built):
    results = by_key(survey_results(survey=built.survey))
    assert results[K.MAP].suppressed and results[K.MAP].map is None


def test_map_table_by_category_and_time():
    built = results_survey(ProjectFactory())
    respond_many(built, 5, places=[("unsafe", "evening", 60.1, 16.1, "a"), ("unsafe", "night", 60.1, 16.1, "b")])
    respond_many(built, 6, places=[("safe", "day", 60.1, 16.1, "c")])
    table = by_key(survey_results(survey=built.survey))[K.MAP].map
    columns = [value for value, _label in table.columns]
    assert columns == ["day", "evening", "night"]  # nobody left the time blank: no "not stated" column
    rows = {row.category: [c.count for c in row.cells] for row in table.rows}
    assert rows == {"unsafe": [0, 5, 5], "safe": [6, 0, 0]}
    assert {row.category: row.total for row in table.rows} == {"unsafe": 10, "safe": 6}


def test_free_text_counts_only(built):
    respond_many(built, 5, text="fritext")
    text = by_key(survey_results(survey=built.survey))[K.TEXT]
    assert text.respondents == 5 and text.options == [] and text.numbers is None


def test_filters_by_category_and_date(built):
    today = timezone.localdate()
    respond_many(built, 5, category="boende", safe="very_safe", on=today - timedelta(days=20))
    # two more police officers, so that each filter leaves out at least five (complementary suppression)
    respond_many(built, 2, category="polis", safe="very_safe")
    residents = survey_results(survey=built.survey, filters=ResultFilter(category="boende"))
    assert residents.respondents == 12
    recent = survey_results(survey=built.survey, filters=ResultFilter(date_from=today - timedelta(days=1)))
    assert recent.respondents == 12
    old = survey_results(survey=built.survey, filters=ResultFilter(date_to=today - timedelta(days=1)))
    assert old.respondents == 5 and by_key(old)[K.SAFE].options[0].value == "very_safe"
    assert {o.value: o.count for o in by_key(old)[K.SAFE].options}["very_safe"] == 5


def test_free_text_answers_include_map_why(built):
    respond(built, text="Mer ljus")
    texts = [a.text for a in free_text_answers(survey=built.survey)]
    assert sorted(texts) == ["Mer ljus", "why"]


def test_query_count_does_not_grow_with_responses_or_questions():
    built = results_survey(ProjectFactory())
    respond_many(built, 5, safe="very_safe", problems=["litter"], scale="3", number=1, text="x",
                 places=[("safe", "day", 60.1, 16.1, "a")])
    with CaptureQueriesContext(connection) as small:
        survey_results(survey=built.survey)
    respond_many(built, 50, safe="very_unsafe", problems=["litter", "graffiti"], scale="1", number=9, text="y",
                 places=[("unsafe", "night", 60.2, 16.2, "b"), ("safe", "evening", 60.3, 16.3, "c")])
    from surveys.models import Question
    for i in range(5):  # more questions of every aggregated kind
        Question.objects.create(survey=built.survey, key=f"extra{i}", kind=Question.Kind.NUMBER, text="?")
    with CaptureQueriesContext(connection) as large:
        survey_results(survey=built.survey)
    assert len(large.captured_queries) == len(small.captured_queries)
