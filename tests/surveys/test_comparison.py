"""Comparison of a follow-up with its baseline (SPEC §5.6), checked against values computed by hand."""
from __future__ import annotations

import math

import pytest

from surveys.models import MIN_GROUP_SIZE, Survey
from surveys.selectors.comparison import (
    NOT_TESTABLE,
    OK,
    TOO_FEW,
    compare_proportions,
    survey_comparison,
)

from ..factories import ProjectFactory
from .factories_results import K, respond_many, results_survey

pytestmark = pytest.mark.django_db

Z_975 = 1.959963984540054  # the normal 97.5 % quantile


def normal_two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def hand_computed(x0, n0, x1, n1):
    """Wald CI of p1 − p0 (unpooled SE) and the pooled two-proportion z-test, by hand."""
    p0, p1 = x0 / n0, x1 / n1
    diff = p1 - p0
    se = math.sqrt(p0 * (1 - p0) / n0 + p1 * (1 - p1) / n1)
    pooled = (x0 + x1) / (n0 + n1)
    z = diff / math.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1))
    return diff, diff - Z_975 * se, diff + Z_975 * se, normal_two_sided_p(z)


@pytest.mark.parametrize("x0,n0,x1,n1", [(30, 100, 20, 100), (45, 120, 62, 110), (12, 40, 30, 50)])
def test_compare_proportions_matches_the_hand_computed_wald_and_z(x0, n0, x1, n1):
    diff, low, high, p = hand_computed(x0, n0, x1, n1)
    result = compare_proportions(x0=x0, n0=n0, x1=x1, n1=n1)
    assert result.status == OK
    assert result.diff == pytest.approx(diff)
    assert result.ci_low == pytest.approx(low, abs=1e-9)
    assert result.ci_high == pytest.approx(high, abs=1e-9)
    assert result.p_value == pytest.approx(p, rel=1e-9)
    assert result.significant == (p < 0.05)
    assert result.diff_pp == pytest.approx(diff * 100)


def test_known_example():
    # 30 % → 20 % of 100 each: −10 pp, 95 % CI −21.9 to +1.9, p ≈ 0.102: not significant
    result = compare_proportions(x0=30, n0=100, x1=20, n1=100)
    assert round(result.diff_pp, 1) == -10.0
    assert (round(result.ci_low_pp, 1), round(result.ci_high_pp, 1)) == (-21.9, 1.9)
    assert round(result.p_value, 3) == 0.102 and not result.significant


def test_significant_drop():
    result = compare_proportions(x0=60, n0=100, x1=35, n1=100)
    assert result.significant and result.p_value < 0.001 and result.ci_high < 0


def test_too_few_on_either_side():
    for args in ({"x0": 2, "n0": MIN_GROUP_SIZE - 1, "x1": 50, "n1": 100},
                 {"x0": 50, "n0": 100, "x1": 1, "n1": MIN_GROUP_SIZE - 1}):
        result = compare_proportions(**args)
        assert result.status == TOO_FEW and result.is_too_few
        assert result.p0 is None and result.p1 is None and result.p_value is None and result.diff is None


def test_expected_counts_too_small_for_the_normal_approximation():
    # 1 of 20 and 2 of 20: pooled 7.5 %, n·p = 1.5 < 5 → shares without a test
    result = compare_proportions(x0=1, n0=20, x1=2, n1=20)
    assert result.status == NOT_TESTABLE
    assert result.p0 == pytest.approx(0.05) and result.p1 == pytest.approx(0.10)
    assert result.p_value is None and result.ci_low is None and not result.significant


def test_survey_comparison_matches_questions_by_key_and_options_by_value():
    project = ProjectFactory()
    baseline = results_survey(project)
    # baseline: 12 of 20 unsafe (very_unsafe, who all chose litter), 8 very_safe
    respond_many(baseline, 12, safe="very_unsafe", problems=["litter"])
    respond_many(baseline, 8, safe="very_safe", problems=["graffiti"])
    followup = results_survey(project, kind=Survey.Kind.FOLLOWUP, baseline=baseline.survey)
    # follow-up: 6 of 24 unsafe; litter chosen by 6 of 24
    respond_many(followup, 6, safe="very_unsafe", problems=["litter"])
    respond_many(followup, 18, safe="very_safe", problems=["graffiti"])

    comparison = survey_comparison(survey=followup.survey)

    indicator = comparison.indicator
    assert (indicator.x0, indicator.n0, indicator.x1, indicator.n1) == (12, 20, 6, 24)
    diff, low, _high, p = hand_computed(12, 20, 6, 24)
    assert indicator.diff == pytest.approx(diff) and indicator.p_value == pytest.approx(p)
    assert indicator.ci_low == pytest.approx(low)
    keys = [q.key for q in comparison.questions]
    assert K.SAFE in keys and K.PROBLEMS in keys and K.SCALE in keys
    assert K.CATEGORY not in keys and K.NUMBER not in keys and K.TEXT not in keys and K.MAP not in keys
    problems = next(q for q in comparison.questions if q.key == K.PROBLEMS)
    litter = next(r for r in problems.rows if r.value == "litter")
    assert (litter.x0, litter.n0, litter.x1, litter.n1) == (12, 20, 6, 24)
    assert litter.diff == pytest.approx(6 / 24 - 12 / 20)


def test_option_only_in_one_survey_is_not_compared():
    project = ProjectFactory()
    baseline = results_survey(project)
    followup = results_survey(project, kind=Survey.Kind.FOLLOWUP, baseline=baseline.survey)
    followup.opt[K.PROBLEMS]["litter"].delete()
    comparison = survey_comparison(survey=followup.survey)
    problems = next(q for q in comparison.questions if q.key == K.PROBLEMS)
    assert "litter" not in {r.value for r in problems.rows}


def test_without_baseline_there_is_no_comparison():
    assert survey_comparison(survey=results_survey(ProjectFactory()).survey) is None


def test_small_survey_gives_too_few():
    project = ProjectFactory()
    baseline = results_survey(project)
    respond_many(baseline, 3, safe="very_unsafe")
    followup = results_survey(project, kind=Survey.Kind.FOLLOWUP, baseline=baseline.survey)
    respond_many(followup, 30, safe="very_safe")
    comparison = survey_comparison(survey=followup.survey)
    assert comparison.indicator.is_too_few and comparison.indicator.x0 is None
    safe = next(q for q in comparison.questions if q.key == K.SAFE)
    assert safe.is_too_few and all(r.is_too_few for r in safe.rows)
