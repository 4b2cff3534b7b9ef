"""A follow-up survey against its baseline (SPEC §5.6).

Questions are matched by key (the question bank's stable keys, surveys/indicator.py); a choice
question is compared option by option (matched by value) as the share of the question's respondents
choosing it, and the safety indicator as a whole.

Statistics, stated in the UI as well (COMPARISON_METHOD):
- change = follow-up share − baseline share, in percentage points;
- 95 % confidence interval of the difference: Wald (unpooled), statsmodels
  `confint_proportions_2indep(..., compare="diff", method="wald")`;
- p-value: two-sided two-proportion z-test with pooled variance, statsmodels `proportions_ztest`;
  significant when p < 0.05;
- the two surveys are treated as independent samples (the responses are anonymous, so nobody can be
  paired across them);
- "too few responses" when either side has fewer than MIN_GROUP_SIZE respondents (nothing is shown,
  SPEC §5.4); "too few for a test" when the normal approximation does not hold: with the pooled share
  p, each side needs n·p ≥ 5 and n·(1 − p) ≥ 5 (EXPECTED_MIN). The shares are then shown without an
  interval or a p-value.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import MIN_GROUP_SIZE, Answer, Option, Question, Survey
from .results import _localized, survey_indicator

ALPHA = 0.05
EXPECTED_MIN = 5
# Background questions (category, age band, gender) are left out: their options are groups of
# respondents, hidden when small (SPEC §5.4), and a change in who answered is not a change in safety.
COMPARED_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE)

OK = "ok"
TOO_FEW = "too_few"  # a side below MIN_GROUP_SIZE: suppressed
NOT_TESTABLE = "not_testable"  # expected counts too small for the normal approximation

COMPARISON_METHOD = _(
    "Change is the follow-up share minus the baseline share, in percentage points. The 95 %% confidence "
    "interval is the Wald interval for a difference of two proportions; the p-value comes from a two-sided "
    "two-proportion z-test (pooled), and a change is called significant when p < 0.05. The surveys are "
    "treated as independent samples. A comparison needs at least %(min)s respondents on each side; a test "
    "also needs at least %(expected)s expected answers with and without the option on each side "
    "(n·p ≥ %(expected)s and n·(1 − p) ≥ %(expected)s with the pooled share p), otherwise only the shares are shown."
)
TOO_FEW_LABEL = _("Too few responses")
NOT_TESTABLE_LABEL = _("Too few for a test")


@dataclass(frozen=True)
class ProportionChange:
    label: str
    status: str
    x0: int | None = None  # baseline: how many chose it / were unsafe
    n0: int | None = None
    x1: int | None = None  # follow-up
    n1: int | None = None
    diff: float | None = None  # proportion units (−1..1)
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    significant: bool = False
    value: str = ""

    @property
    def p0(self) -> float | None:
        return self.x0 / self.n0 if self.n0 and self.status != TOO_FEW else None

    @property
    def p1(self) -> float | None:
        return self.x1 / self.n1 if self.n1 and self.status != TOO_FEW else None

    @property
    def percent0(self) -> float | None:
        return None if self.p0 is None else self.p0 * 100

    @property
    def percent1(self) -> float | None:
        return None if self.p1 is None else self.p1 * 100

    @property
    def diff_pp(self) -> float | None:
        return None if self.diff is None else self.diff * 100

    @property
    def ci_low_pp(self) -> float | None:
        return None if self.ci_low is None else self.ci_low * 100

    @property
    def ci_high_pp(self) -> float | None:
        return None if self.ci_high is None else self.ci_high * 100

    @property
    def is_too_few(self) -> bool:
        return self.status == TOO_FEW

    @property
    def is_testable(self) -> bool:
        return self.status == OK


def compare_proportions(*, x0: int, n0: int, x1: int, n1: int, label: str = "", value: str = "") -> ProportionChange:
    """Baseline x0 of n0 against follow-up x1 of n1 (see the module doc for the method)."""
    if n0 < MIN_GROUP_SIZE or n1 < MIN_GROUP_SIZE:
        return ProportionChange(label=label, value=value, status=TOO_FEW)
    diff = x1 / n1 - x0 / n0
    pooled = (x0 + x1) / (n0 + n1)
    expected = min(n * p for n in (n0, n1) for p in (pooled, 1 - pooled))
    if expected < EXPECTED_MIN:
        return ProportionChange(label=label, value=value, status=NOT_TESTABLE, x0=x0, n0=n0, x1=x1, n1=n1, diff=diff)
    import numpy as np
    from statsmodels.stats.proportion import (
        confint_proportions_2indep,
        proportions_ztest,
    )

    _z, p_value = proportions_ztest(np.array([x1, x0]), np.array([n1, n0]))
    low, high = confint_proportions_2indep(x1, n1, x0, n0, compare="diff", method="wald")
    p_value = float(p_value)
    return ProportionChange(label=label, value=value, status=OK, x0=x0, n0=n0, x1=x1, n1=n1, diff=diff,
                            ci_low=float(low), ci_high=float(high), p_value=p_value, significant=p_value < ALPHA)


@dataclass
class QuestionComparison:
    key: str
    text: str
    kind: str
    n0: int
    n1: int
    rows: list[ProportionChange] = field(default_factory=list)

    @property
    def is_too_few(self) -> bool:
        return self.n0 < MIN_GROUP_SIZE or self.n1 < MIN_GROUP_SIZE


@dataclass
class Comparison:
    baseline: Survey
    followup: Survey
    indicator: ProportionChange
    questions: list[QuestionComparison] = field(default_factory=list)


def _counts(survey: Survey, keys: list[str]) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    answers = Answer.objects.filter(question__survey=survey, question__key__in=keys, option__isnull=False)
    respondents = {row["question__key"]: row["n"] for row in
                   answers.values("question__key").annotate(n=Count("response_id", distinct=True)).order_by()}
    chosen = {(row["question__key"], row["option__value"]): row["n"] for row in
              answers.values("question__key", "option__value").annotate(n=Count("pk")).order_by()}
    return respondents, chosen


def _indicator_change(baseline: Survey, followup: Survey) -> ProportionChange:
    label = str(_("Feel unsafe late in the evening (the safety indicator)"))
    before, after = survey_indicator(survey=baseline), survey_indicator(survey=followup)
    if before.suppressed or after.suppressed or not before.n or not after.n:
        return ProportionChange(label=label, status=TOO_FEW)
    return compare_proportions(x0=before.unsafe, n0=before.n, x1=after.unsafe, n1=after.n, label=label)


def survey_comparison(*, survey: Survey) -> Comparison | None:
    """The follow-up `survey` against its baseline, or None when it has none. A fixed number of
    queries (about ten), whatever the number of questions and responses."""
    baseline = survey.baseline
    if baseline is None:
        return None
    questions0 = {q.key: q for q in Question.objects.filter(survey=baseline, kind__in=COMPARED_KINDS)}
    questions1 = list(Question.objects.filter(survey=survey, kind__in=COMPARED_KINDS)
                      .order_by("page", "position", "pk").prefetch_related("options"))
    matched = [q for q in questions1 if q.key in questions0 and questions0[q.key].kind == q.kind]
    keys = [q.key for q in matched]
    baseline_values = set(Option.objects.filter(question__survey=baseline, question__key__in=keys)
                          .values_list("question__key", "value"))
    r0, c0 = _counts(baseline, keys)
    r1, c1 = _counts(survey, keys)
    result = Comparison(baseline=baseline, followup=survey, indicator=_indicator_change(baseline, survey))
    for question in matched:
        n0, n1 = r0.get(question.key, 0), r1.get(question.key, 0)
        qc = QuestionComparison(key=question.key, text=question.localized_text(), kind=question.kind, n0=n0, n1=n1)
        for option in question.options.all():
            if (question.key, option.value) not in baseline_values:
                continue
            qc.rows.append(compare_proportions(
                x0=c0.get((question.key, option.value), 0), n0=n0, x1=c1.get((question.key, option.value), 0), n1=n1,
                label=_localized(option.label, option.label_en), value=option.value))
        if qc.rows:
            result.questions.append(qc)
    return result
