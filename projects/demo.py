"""Demo projects, one per municipality (SPEC §13). Registered with the core's demo in ready()."""
from __future__ import annotations

from datetime import date

from trygga_platser.tenancy.demo import DemoContext
from trygga_platser.tenancy.models import Project, ProjectMembership, StakeholderCategory

from .models import Variant
from .services.workflow import plan_instantiate


def _box(lon: float, lat: float, dlon: float = 0.0032, dlat: float = 0.0016) -> dict:
    # A small irregular pentagon around a town centre point (WGS84).
    ring = [
        [lon - dlon, lat - dlat],
        [lon + dlon * 0.8, lat - dlat * 1.1],
        [lon + dlon, lat + dlat * 0.4],
        [lon + dlon * 0.1, lat + dlat * 1.2],
        [lon - dlon * 0.9, lat + dlat * 0.8],
    ]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


PROJECTS = {
    # municipality slug: fields
    "avesta": dict(
        name="Trygga Platser Avesta centrum", place_name="Torget och Kungsgatan", variant=Project.Variant.FULL,
        start_date=date(2025, 9, 1), status=Project.Status.ACTIVE, area=_box(16.1682, 60.1447),
        description="Platssamverkan kring torget, Kungsgatan och busshållplatserna i Avesta centrum.",
    ),
    "falun": dict(
        name="Trygga Platser Falu resecentrum", place_name="Resecentrum och Lugnetleden", variant=Project.Variant.ENTRY,
        start_date=date(2026, 3, 2), status=Project.Status.ACTIVE, area=_box(15.6405, 60.6012),
        description="Stråket mellan resecentrum, busstorget och Lugnetleden.",
    ),
    "hallstahammar": dict(
        name="Trygga Platser Hallstahammars centrum", place_name="Centrumtorget och busstorget",
        variant=Project.Variant.ENTRY, start_date=date(2026, 8, 17), status=Project.Status.ACTIVE,
        area=_box(16.2287, 59.6138),
        description="Centrumtorget, busstorget och gångtunneln under Storgatan.",
    ),
    "sala": dict(
        name="Trygga Platser Sala Stora torget", place_name="Stora torget och Rådhusgatan", variant=Project.Variant.ENTRY,
        start_date=date(2025, 1, 13), status=Project.Status.COMPLETED, area=_box(16.6063, 59.9213),
        description="Stora torget med angränsande gator. Projektet är avslutat och följs upp.",
    ),
    "ludvika": dict(
        name="Trygga Platser Ludvika stationsområde", place_name="Stationsområdet och Marnästorget",
        variant=Project.Variant.ENTRY, start_date=date(2026, 10, 5), status=Project.Status.ACTIVE,
        area=_box(15.1879, 60.1497),
        description="Stationsområdet, gångbron och Marnästorget.",
    ),
}
IN_PROGRAMME = {"avesta", "falun", "hallstahammar", "sala"}


def _join(project: Project, user, role: str, category: str, organisation: str) -> None:
    ProjectMembership.objects.update_or_create(
        project=project, user=user,
        defaults={"role": role, "stakeholder_category": category, "organisation_name": organisation},
    )


def seed_projects(context: DemoContext) -> None:
    users = context.users
    projects: dict[str, Project] = {}
    for slug, fields in PROJECTS.items():
        municipality = context.orgs[slug]
        project, _ = Project.objects.update_or_create(
            municipality=municipality, name=fields["name"],
            defaults={**fields, "created_by": users[f"samordnare@{slug}.example"]},
        )
        project.programmes.set([context.programme] if slug in IN_PROGRAMME else [])
        if not project.steps.exists():
            plan_instantiate(project=project, variant=Variant.objects.get(slug=project.variant))
        _join(project, users[f"samordnare@{slug}.example"], ProjectMembership.Role.COORDINATOR,
              StakeholderCategory.MUNICIPAL_OFFICIAL, municipality.name)
        projects[slug] = project
    _join(projects["avesta"], users["polis@avesta.example"], ProjectMembership.Role.MEMBER,
          StakeholderCategory.POLICE, "Polisen, lokalpolisområde Avesta (fiktiv)")
    _join(projects["avesta"], users["fastighetsagare@avesta.example"], ProjectMembership.Role.MEMBER,
          StakeholderCategory.PROPERTY_OWNER, "Torgfastigheter i Avesta AB (fiktiv)")
    for slug in ("avesta", "sala"):
        _join(projects[slug], users["coach@partner.example"], ProjectMembership.Role.COACH,
              StakeholderCategory.OTHER, context.orgs["partner"].name)
