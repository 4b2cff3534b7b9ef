"""Colours, thresholds and means of inspections and audits (SPEC §6.1, §6.2; contracts H5)."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.models import ActionFinding
from analysis.models import Aspect, Factor, Inspection, ScoreThresholds
from analysis.selectors.audits import (
    MIN_CORRELATION_N,
    PARAMETERS,
    audit_colour,
    audit_parameter_feeling,
    audit_score,
    audits_for_map,
    parameter_feeling_rows,
)
from analysis.selectors.inspections import (
    GREEN,
    RED,
    YELLOW,
    aspect_comparison,
    aspect_scores,
    aspects_for,
    inspection_points_for_map,
    open_findings,
    score_colour,
    thresholds_for,
)

from ..actionplans.factories import ActionFactory, ActionFindingFactory
from .factories import (
    FactorScoreFactory,
    InspectionFactory,
    InspectionPointFactory,
    PointAuditFactory,
    shipped_factor,
)

SHIPPED_KEYS = ["gestaltning", "mix-av-funktioner", "mix-av-manniskor", "tydlighet", "social-kontroll",
                "belysning", "skalskydd", "forvaltning", "information"]


@pytest.mark.django_db
def test_the_shipped_set_has_nine_aspects_with_three_to_five_factors_and_a_default_threshold():
    # given the data migration
    aspects = aspects_for(organisation=None)
    # then the nine aspects come in order, each with 3–5 factors in both languages and guidance
    assert [a.key for a in aspects] == SHIPPED_KEYS
    for aspect in aspects:
        assert 3 <= len(aspect.factor_list) <= 5
        assert all(f.name and f.name_en and f.guidance and f.guidance_en for f in aspect.factor_list)
    default = ScoreThresholds.objects.get(organisation__isnull=True)
    assert (default.red_below, default.green_from) == (8, 14)


@pytest.mark.django_db
@pytest.mark.parametrize(("score", "colour"), [
    (0, RED), (7, RED), (7.99, RED), (8, YELLOW), (13, YELLOW), (13.99, YELLOW), (14, GREEN), (20, GREEN),
    (None, None),
])
def test_default_thresholds_colour_at_the_boundaries(score, colour):
    # given the shipped thresholds (red below 8, green from 14)
    thresholds = thresholds_for(organisation=None)
    # then the boundaries fall where SPEC §6.1 puts them
    assert score_colour(score, thresholds) == colour


@pytest.mark.django_db
def test_an_organisation_with_own_thresholds_gets_them_and_others_keep_the_default(world):
    # given Avesta with its own thresholds
    ScoreThresholds.objects.create(organisation=world.home, red_below=10, green_from=16)
    # when the colours are read
    own = thresholds_for(organisation=world.home)
    other = thresholds_for(organisation=world.other)
    # then 9 is red and 15 yellow in Avesta, but yellow and green in Falun
    assert (score_colour(9, own), score_colour(15, own), score_colour(16, own)) == (RED, YELLOW, GREEN)
    assert (score_colour(9, other), score_colour(15, other)) == (YELLOW, GREEN)


@pytest.mark.django_db
def test_aspect_scores_are_the_mean_of_all_factor_scores_per_aspect_and_purpose(world):
    # given two baseline points scoring lighting 4 and 10, design 20, and a follow-up scoring lighting 18
    light = shipped_factor("belysning")
    design = shipped_factor("gestaltning")
    baseline = InspectionFactory(project=world.project)
    FactorScoreFactory(point=InspectionPointFactory(inspection=baseline), factor=light, score=4)
    point = InspectionPointFactory(inspection=baseline)
    FactorScoreFactory(point=point, factor=light, score=10)
    FactorScoreFactory(point=point, factor=design, score=20)
    followup = InspectionFactory(project=world.project, purpose=Inspection.Purpose.FOLLOWUP)
    FactorScoreFactory(point=InspectionPointFactory(inspection=followup), factor=light, score=18)
    # and another project's scores that must not count
    FactorScoreFactory(point=InspectionPointFactory(inspection=InspectionFactory(project=world.other_project)),
                       factor=light, score=0)
    # when the baseline scores are read
    rows = {row.key: row for row in aspect_scores(project=world.project)}
    # then every shipped aspect is listed, lighting is 7 (red) over 2 points, design 20 (green)
    assert list(rows) == SHIPPED_KEYS
    assert (rows["belysning"].mean, rows["belysning"].colour, rows["belysning"].n, rows["belysning"].points) == (
        7.0, RED, 2, 2)
    assert (rows["gestaltning"].mean, rows["gestaltning"].colour) == (20.0, GREEN)
    assert (rows["information"].mean, rows["information"].colour, rows["information"].n) == (None, None, 0)
    # and the follow-up is read separately
    followup_rows = {row.key: row for row in aspect_scores(project=world.project, purpose="followup")}
    assert followup_rows["belysning"].mean == 18.0


@pytest.mark.django_db
def test_scores_on_the_shipped_set_and_on_an_organisations_copy_meet_under_one_aspect(world):
    # given Avesta's own copy of lighting with a new factor, and scores on both the shipped and the own factor
    own = Aspect.objects.create(organisation=world.home, key="belysning", name="Ljus", position=0)
    own_factor = Factor.objects.create(aspect=own, name="Lampor")
    inspection = InspectionFactory(project=world.project)
    FactorScoreFactory(point=InspectionPointFactory(inspection=inspection), factor=shipped_factor("belysning"),
                       score=6)
    FactorScoreFactory(point=InspectionPointFactory(inspection=inspection), factor=own_factor, score=12)
    # when the scores are read
    rows = aspect_scores(project=world.project)
    # then the organisation's set names the aspect and the mean covers both scores
    assert [(r.key, r.name, r.mean) for r in rows] == [("belysning", "Ljus", 9.0)]


@pytest.mark.django_db
def test_points_for_the_map_carry_mean_colour_and_action_link_and_open_findings_skip_answered_ones(world):
    # given three points: one with a finding and an action, one with an open finding, one without a finding
    inspection = InspectionFactory(project=world.project)
    answered = InspectionPointFactory(inspection=inspection, finding="Byt lampor")
    FactorScoreFactory(point=answered, score=14)
    FactorScoreFactory(point=answered, factor=shipped_factor("belysning"), score=15)
    open_point = InspectionPointFactory(inspection=inspection, finding="Röj buskar")
    InspectionPointFactory(inspection=inspection)
    action = ActionFactory(project=world.project, number=3)
    ActionFindingFactory(action=action, kind=ActionFinding.Kind.INSPECTION_POINT, ref=str(answered.pk))
    # and an action in another project referring to the open point's id (must not count)
    ActionFindingFactory(action=ActionFactory(project=world.other_project), kind=ActionFinding.Kind.INSPECTION_POINT,
                         ref=str(open_point.pk))
    # when the map points and open findings are read
    points = {p.pk: p for p in inspection_points_for_map(project=world.project)}
    # then the answered point is green with the action code, the open one has no score and no action
    assert (points[answered.pk].mean, points[answered.pk].colour, points[answered.pk].action_code) == (
        14.5, GREEN, "A3")
    assert (points[open_point.pk].mean, points[open_point.pk].colour, points[open_point.pk].action_code) == (
        None, None, None)
    assert [p.pk for p in open_findings(project=world.project)] == [open_point.pk]


def _make_points(project, n):
    inspection = InspectionFactory(project=project)
    for _ in range(n):
        point = InspectionPointFactory(inspection=inspection, finding="Något")
        FactorScoreFactory(point=point, score=5)
        FactorScoreFactory(point=point, factor=shipped_factor("belysning"), score=9)


@pytest.mark.django_db
def test_selectors_run_a_flat_number_of_queries(world):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            aspect_scores(project=world.project)
            inspection_points_for_map(project=world.project)
            open_findings(project=world.project)
            audits_for_map(project=world.project)
            audit_parameter_feeling(project=world.project)
        return len(ctx)

    # given a few points and audits, then many more
    _make_points(world.project, 2)
    PointAuditFactory(project=world.project)
    small = count()
    _make_points(world.project, 12)
    PointAuditFactory.create_batch(10, project=world.project)
    # then the query count does not grow
    assert count() == small


def test_audit_score_is_the_mean_of_the_eight_parameters_on_0_to_100():
    # given an audit of all 3s, one of all 0s and one mixed
    full = PointAuditFactory.build(**{key: 3 for key in PARAMETERS})
    empty = PointAuditFactory.build(**{key: 0 for key in PARAMETERS})
    mixed = PointAuditFactory.build(**{key: (3 if i < 4 else 0) for i, key in enumerate(PARAMETERS)})
    # then the scores are 100, 0 and 50
    assert (audit_score(full), audit_score(empty), audit_score(mixed)) == (100.0, 0.0, 50.0)


@pytest.mark.django_db
def test_audit_colour_uses_the_thresholds_scaled_to_100():
    thresholds = thresholds_for(organisation=None)
    # then 39.9 is red, 40 yellow, 69.9 yellow, 70 green
    assert [audit_colour(s, thresholds) for s in (0, 39.9, 40, 69.9, 70, 100)] == [
        RED, RED, YELLOW, YELLOW, GREEN, GREEN]


def _row(feeling, **values):
    row = {key: 2 for key in PARAMETERS}
    row.update(values, feeling=feeling)
    return row


def test_parameter_feeling_compares_low_feeling_with_the_rest_and_correlates_from_five():
    # given six audits where lighting follows the feeling and openness does not vary
    rows = [_row(0, lighting=0), _row(1, lighting=1), _row(1, lighting=0),
            _row(2, lighting=2), _row(3, lighting=3), _row(3, lighting=3)]
    # when the parameters are compared
    result = {r.key: r for r in parameter_feeling_rows(rows)}
    # then lighting is much lower in the low group and correlates strongly; a constant column has no rho
    lighting = result["lighting"]
    assert (lighting.n_low, lighting.n_rest) == (3, 3)
    assert lighting.mean_low == pytest.approx(1 / 3)
    assert lighting.mean_rest == pytest.approx(8 / 3)
    assert lighting.difference == pytest.approx(7 / 3)
    assert lighting.rho > 0.9
    assert result["openness"].difference == 0
    assert result["openness"].rho is None


def test_parameter_feeling_has_no_correlation_below_the_minimum():
    rows = [_row(0, lighting=0), _row(3, lighting=3)]
    assert len(rows) < MIN_CORRELATION_N
    result = parameter_feeling_rows(rows)
    assert all(r.rho is None for r in result)
    assert result[0].mean_low == 0 and result[0].mean_rest == 3


def test_parameter_feeling_with_only_one_group_gives_no_difference():
    result = parameter_feeling_rows([_row(3)] * 6)
    assert all(r.difference is None and r.mean_low is None and r.rho is None for r in result)


@pytest.mark.django_db
def test_audits_for_map_read_the_project_only(world):
    PointAuditFactory(project=world.project, feeling=0, **{key: 0 for key in PARAMETERS})
    PointAuditFactory(project=world.other_project)
    summaries = audits_for_map(project=world.project)
    assert [(s.score, s.colour, s.feeling) for s in summaries] == [(0.0, RED, 0)]


@pytest.mark.django_db
def test_baseline_and_follow_up_are_compared_aspect_by_aspect(world, client_for):
    # given a baseline and a follow-up scoring lighting 4 and then 16
    light = shipped_factor("belysning")
    assert aspect_comparison(project=world.project) == []
    FactorScoreFactory(point=InspectionPointFactory(inspection=InspectionFactory(project=world.project)),
                       factor=light, score=4)
    assert aspect_comparison(project=world.project) == []  # no follow-up yet
    followup = InspectionFactory(project=world.project, purpose=Inspection.Purpose.FOLLOWUP)
    FactorScoreFactory(point=InspectionPointFactory(inspection=followup), factor=light, score=16)
    # when they are compared
    rows = {row.key: row for row in aspect_comparison(project=world.project)}
    # then lighting went from red to green, +12, and unscored aspects have no change
    assert (rows["belysning"].baseline.colour, rows["belysning"].followup.colour, rows["belysning"].change) == (
        RED, GREEN, 12.0)
    assert rows["information"].change is None
    # and the inspections page shows the comparison
    page = client_for(world.county_officer).get(
        reverse("analysis:inspections", kwargs={"project_id": world.project.pk}))
    assert len(page.context["comparison"]) == len(SHIPPED_KEYS) and "+12,0" in page.content.decode()
