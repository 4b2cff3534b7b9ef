"""The demo current-state analysis (SPEC §13, issue #5): Avesta's inspections by day and in the dark,
findings partly answered by actions, point audits by members, five years of crime statistics and a
written analysis that quotes the figures; Sala's follow-up inspection shows the improvement;
idempotent."""
from __future__ import annotations

import pytest
from django.db.models import Avg
from shapely.geometry import Point, shape

from actionplans.models import ActionFinding
from analysis.models import (
    CrimeStatistic,
    CurrentStateAnalysis,
    Factor,
    FactorScore,
    Inspection,
    InspectionPoint,
    PointAudit,
    TimeOfDay,
)
from analysis.selectors.inspections import aspect_scores, open_findings
from surveys.models import Survey
from surveys.selectors.results import survey_indicator
from trygga_platser.tenancy.demo import seed_all
from trygga_platser.tenancy.models import Project, ProjectMembership

pytestmark = pytest.mark.django_db

PILOTS = ("Avesta kommun", "Falu kommun", "Hallstahammars kommun", "Sala kommun")
CATEGORIES = {"Misshandel", "Skadegörelse", "Stöld och snatteri", "Narkotikabrott", "Rån", "Klotter"}


def project(municipality: str) -> Project:
    return Project.objects.get(municipality__name=municipality)


def aspect_mean(inspection: Inspection, key: str) -> float:
    return FactorScore.objects.filter(point__inspection=inspection, factor__aspect__key=key).aggregate(
        m=Avg("score"))["m"]


def test_avesta_has_a_daylight_and_a_dark_inspection_of_the_same_places_inside_the_area(demo_db):
    avesta = project("Avesta kommun")
    day = avesta.inspections.get(time_of_day=TimeOfDay.DAYLIGHT)
    dark = avesta.inspections.get(time_of_day=TimeOfDay.DARK)
    area = shape(avesta.area)
    shipped = Factor.objects.filter(aspect__organisation=None, aspect__active=True, active=True).count()
    for inspection in (day, dark):
        points = list(inspection.points.all())
        assert 8 <= len(points) <= 12
        assert all(area.contains(Point(p.lon, p.lat)) for p in points)
        # every point is scored on every shipped factor
        for point in points:
            assert point.scores.count() == shipped
    assert set(day.points.values_list("name", flat=True)) == set(dark.points.values_list("name", flat=True))


def test_darkness_scores_lower_on_lighting_and_natural_surveillance(demo_db):
    avesta = project("Avesta kommun")
    day = avesta.inspections.get(time_of_day=TimeOfDay.DAYLIGHT)
    dark = avesta.inspections.get(time_of_day=TimeOfDay.DARK)
    for key in ("belysning", "social-kontroll"):
        assert aspect_mean(dark, key) < aspect_mean(day, key) - 2, key


def test_findings_on_the_worst_points_some_already_actions_and_photos(demo_db):
    avesta = project("Avesta kommun")
    points = InspectionPoint.objects.filter(inspection__project=avesta)
    with_finding = points.exclude(finding="")
    assert with_finding.count() >= 3
    linked = ActionFinding.objects.filter(action__project=avesta, kind=ActionFinding.Kind.INSPECTION_POINT)
    assert 1 <= linked.count() <= 2
    assert set(linked.values_list("ref", flat=True)) <= {str(pk) for pk in with_finding.values_list("pk", flat=True)}
    assert open_findings(project=avesta)
    assert 2 <= points.exclude(photo="").count() <= 3
    # the findings are on points that score below the project's average
    means = dict(points.annotate(m=Avg("scores__score")).values_list("pk", "m"))
    average = sum(means.values()) / len(means)
    assert all(means[p.pk] < average for p in with_finding)


def test_point_audits_by_project_members_inside_the_area(demo_db):
    for name in PILOTS:
        p = project(name)
        audits = PointAudit.objects.filter(project=p)
        assert 15 <= audits.count() <= 30, name
        members = set(ProjectMembership.objects.filter(project=p).values_list("user_id", flat=True))
        assert set(audits.values_list("author_id", flat=True)) <= members
        area = shape(p.area)
        assert all(area.contains(Point(a.lon, a.lat)) for a in audits)
    # audits in the dark feel less safe than in daylight
    dark = PointAudit.objects.filter(time_of_day=TimeOfDay.DARK).aggregate(m=Avg("feeling"))["m"]
    day = PointAudit.objects.filter(time_of_day=TimeOfDay.DAYLIGHT).aggregate(m=Avg("feeling"))["m"]
    assert dark < day


def test_five_years_of_crime_statistics_per_pilot(demo_db):
    for name in PILOTS:
        stats = CrimeStatistic.objects.filter(project=project(name))
        assert set(stats.values_list("year", flat=True)) >= {2021, 2022, 2023, 2024, 2025}, name
        assert set(stats.values_list("category", flat=True)) == CATEGORIES
        assert all(0 < count < 400 for count in stats.values_list("count", flat=True))
    assert not CrimeStatistic.objects.filter(project=project("Ludvika kommun")).exists()


def test_avestas_written_analysis_matches_the_data(demo_db):
    avesta = project("Avesta kommun")
    analysis = CurrentStateAnalysis.objects.get(project=avesta)
    assert analysis.summary and analysis.conclusions
    safety = Survey.objects.get(project=avesta, kind=Survey.Kind.SAFETY)
    assert f"{round(survey_indicator(survey=safety).share * 100)} %" in analysis.summary
    weakest = min((a for a in aspect_scores(project=avesta) if a.mean is not None), key=lambda a: a.mean)
    assert weakest.name.lower() in analysis.summary.lower()


def test_sala_has_a_baseline_and_a_follow_up_inspection_showing_improvement(demo_db):
    sala = project("Sala kommun")
    assert set(sala.inspections.values_list("purpose", flat=True)) == {Inspection.Purpose.BASELINE,
                                                                       Inspection.Purpose.FOLLOWUP}
    before = {a.key: a.mean for a in aspect_scores(project=sala)}
    after = {a.key: a.mean for a in aspect_scores(project=sala, purpose=Inspection.Purpose.FOLLOWUP)}
    assert after["belysning"] > before["belysning"] + 3
    assert sum(after.values()) > sum(before.values())


def test_ludvika_has_no_analysis_yet(demo_db):
    ludvika = project("Ludvika kommun")
    assert not ludvika.inspections.exists() and not ludvika.point_audits.exists()
    assert not CurrentStateAnalysis.objects.filter(project=ludvika).exists()


def test_seeding_again_creates_nothing_new(demo_db):
    def counts():
        return tuple(model.objects.count() for model in (Inspection, InspectionPoint, FactorScore, PointAudit,
                                                         CrimeStatistic, CurrentStateAnalysis, ActionFinding))

    before = counts()
    seed_all()
    assert counts() == before
