"""factory_boy factories for the analysis app (shared: H5, H6 and H7 tests import these).

Scores default to a factor of the shipped set (data migration 0002), so a score made by the factory
counts in `aspect_scores` like a real one. Pass `factor=` to choose another.
"""
from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from analysis.models import (
    Aspect,
    CrimeStatistic,
    Factor,
    FactorScore,
    Inspection,
    InspectionPoint,
    PointAudit,
    TimeOfDay,
)

from ..factories import ProjectFactory, UserFactory

# Inside tests.factories.AREA (Avesta torg in the `world` fixture).
LAT, LON = 60.1445, 16.168


def shipped_factor(key: str | None = None) -> Factor:
    """The first active factor of a shipped aspect (`key`, or the first aspect)."""
    qs = Factor.objects.filter(aspect__organisation__isnull=True, active=True, aspect__active=True)
    if key:
        qs = qs.filter(aspect__key=key)
    return qs.order_by("aspect__position", "position", "pk").first()


class AspectFactory(DjangoModelFactory):
    """An organisation's own aspect (pass organisation=None for an extra shipped one)."""

    class Meta:
        model = Aspect

    organisation = None
    key = factory.Sequence(lambda n: f"aspekt-{n}")
    name = factory.Sequence(lambda n: f"Aspekt {n}")
    name_en = factory.Sequence(lambda n: f"Aspect {n}")
    position = factory.Sequence(lambda n: 100 + n)


class FactorFactory(DjangoModelFactory):
    class Meta:
        model = Factor

    aspect = factory.SubFactory(AspectFactory)
    name = factory.Sequence(lambda n: f"Faktor {n}")
    name_en = factory.Sequence(lambda n: f"Factor {n}")
    position = factory.Sequence(lambda n: n)


class InspectionFactory(DjangoModelFactory):
    class Meta:
        model = Inspection

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Trygghetsbesiktning {n}")
    date = date(2026, 3, 10)
    time_of_day = TimeOfDay.DARK
    purpose = Inspection.Purpose.BASELINE
    inspectors = "Anna Andersson (kommunen), Polisen"


class InspectionPointFactory(DjangoModelFactory):
    """A point; `number` follows the inspection's existing points."""

    class Meta:
        model = InspectionPoint

    inspection = factory.SubFactory(InspectionFactory)
    number = factory.LazyAttribute(lambda o: (o.inspection.points.count() + 1))
    name = factory.Sequence(lambda n: f"Gångtunneln {n}")
    lat = LAT
    lon = LON


class FactorScoreFactory(DjangoModelFactory):
    class Meta:
        model = FactorScore

    point = factory.SubFactory(InspectionPointFactory)
    factor = factory.LazyFunction(shipped_factor)
    score = 10


class PointAuditFactory(DjangoModelFactory):
    class Meta:
        model = PointAudit

    project = factory.SubFactory(ProjectFactory)
    author = factory.SubFactory(UserFactory)
    date = date(2026, 3, 12)
    time_of_day = TimeOfDay.DARK
    lat = LAT
    lon = LON
    lighting = 2
    openness = 2
    visibility = 2
    people = 2
    security = 2
    walk_path = 2
    public_transport = 2
    gender_usage = 2
    feeling = 2


class CrimeStatisticFactory(DjangoModelFactory):
    class Meta:
        model = CrimeStatistic

    project = factory.SubFactory(ProjectFactory)
    year = factory.Sequence(lambda n: 2015 + n % 10)
    category = "Skadegörelse"
    area = ""
    count = 42
