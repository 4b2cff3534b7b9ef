"""A project with something in every section of the nulägesanalys (shared by the current-state tests)."""
from __future__ import annotations

from analysis.models import CrimeStatistic, CurrentStateAnalysis
from tests.analysis.factories import (
    FactorScoreFactory,
    InspectionFactory,
    InspectionPointFactory,
    PointAuditFactory,
    shipped_factor,
)
from tests.projects.factories_meetings import ObservationFactory, SiteWalkFactory
from tests.surveys.factories_results import respond, respond_many, results_survey

# Inside tests.factories.AREA: lon 16.165–16.171, lat 60.143–60.146.
INSIDE = [(16.166, 60.1435), (16.170, 60.1455), (16.168, 60.1445), (16.1675, 60.1441)]
SUMMARY = "Torget upplevs som otryggt på kvällen."
CONCLUSIONS = "Belysningen vid gångtunneln ska förbättras först."
OBSERVATION_TEXT = "Trasig lampa vid Kalle Karlssons kiosk"
FINDING = "Byt armatur i tunneln"
WHY = "Mörkt och skumt här"


def fill(project, *, size: int = 1, author=None) -> dict:
    """`size` scales the number of answers, points, audits and observations (query-count tests)."""
    built = results_survey(project)
    respond_many(built, 4 + size, category="boende", safe="very_unsafe", problems=("poor_lighting", "litter"),
                 places=[("unsafe", "evening", INSIDE[0][1], INSIDE[0][0], WHY)])
    respond_many(built, 3 + size, category="boende", safe="rather_safe", problems=("poor_lighting",))
    respond(built, category="polis", safe="very_safe")  # a group of one: suppressed
    inspection = InspectionFactory(project=project, inspectors="Anna Andersson, Polisen")
    aspect_factor = shipped_factor()
    for i in range(size + 1):
        lon, lat = INSIDE[i % len(INSIDE)]
        point = InspectionPointFactory(inspection=inspection, lon=lon, lat=lat, name=f"Gångtunneln {i}",
                                       finding=FINDING if i == 0 else "")
        FactorScoreFactory(point=point, factor=aspect_factor, score=5 if i == 0 else 17)
    for i in range(size + 1):
        lon, lat = INSIDE[(i + 1) % len(INSIDE)]
        PointAuditFactory(project=project, author=author, lon=lon, lat=lat, feeling=0 if i == 0 else 3)
    walk = SiteWalkFactory(project=project)
    for i in range(size + 1):
        lon, lat = INSIDE[(i + 2) % len(INSIDE)]
        ObservationFactory(meeting=walk, text=OBSERVATION_TEXT, lon=lon, lat=lat)
    for year, count in ((2023, 41), (2024, 1234)):
        CrimeStatistic.objects.update_or_create(project=project, year=year, category="Misshandel",
                                                defaults={"count": count})
    for year in range(2000, 2000 + size):  # more figures on a bigger project
        CrimeStatistic.objects.update_or_create(project=project, year=year, category="Rån", defaults={"count": 3})
    CurrentStateAnalysis.objects.update_or_create(project=project, defaults={"summary": SUMMARY,
                                                                             "conclusions": CONCLUSIONS})
    return {"survey": built, "inspection": inspection, "walk": walk}
