"""The demo (SPEC §13): organisations, programme and the fixed demo accounts, plus a registry
through which each domain app adds its own demo data (the core never imports a domain app).

Everything here is fictional; the municipalities are real places, the people and data are not.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from allauth.account.models import EmailAddress
from django.db import transaction

from trygga_platser.accounts.models import User

from .models import County, Membership, Organisation, Programme

DEMO_PASSWORD = "Trygga-Platser-2026"
PROGRAMME_SLUG = "trygga-platser-pilot-dalarna-vastmanland"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    who: str


# SPEC §13, exactly: e-mail and who.
DEMO_ACCOUNTS = (
    DemoAccount("samordnare@avesta.example", "Anna Lindqvist", "coordinator, Avesta"),
    DemoAccount("samordnare@falun.example", "Erik Dahlberg", "coordinator, Falun"),
    DemoAccount("samordnare@hallstahammar.example", "Sara Nyström", "coordinator, Hallstahammar"),
    DemoAccount("samordnare@sala.example", "Johan Berglund", "coordinator, Sala"),
    DemoAccount("samordnare@ludvika.example", "Maria Ek", "coordinator, Ludvika (outside the programme)"),
    DemoAccount("polis@avesta.example", "Per Holm", "police, member of the Avesta project"),
    DemoAccount("fastighetsagare@avesta.example", "Karin Sjöberg", "property owner, member of the Avesta project"),
    DemoAccount("lansstyrelsen@dalarna.example", "Lena Forsberg", "county board Dalarna"),
    DemoAccount("lansstyrelsen@vastmanland.example", "Mats Engström", "county board Västmanland"),
    DemoAccount("coach@partner.example", "Helena Roos", "process coach assigned to Avesta and Sala"),
    DemoAccount("admin@trygga.example", "Plattformsadministratör", "platform staff (Django admin)"),
)

MUNICIPALITIES = {
    # slug: (name, SCB code, county, town centre (lat, lon))
    "avesta": ("Avesta kommun", "2084", County.DALARNA, (60.1447, 16.1682)),
    "falun": ("Falu kommun", "2080", County.DALARNA, (60.6065, 15.6355)),
    "hallstahammar": ("Hallstahammars kommun", "1961", County.VASTMANLAND, (59.6138, 16.2287)),
    "sala": ("Sala kommun", "1981", County.VASTMANLAND, (59.9213, 16.6063)),
    "ludvika": ("Ludvika kommun", "2085", County.DALARNA, (60.1497, 15.1879)),
}


@dataclass
class DemoContext:
    """What the core seeded, handed to each app's seeder."""

    orgs: dict[str, Organisation]
    users: dict[str, User]
    programme: Programme


Seeder = Callable[[DemoContext], None]
_SEEDERS: list[tuple[int, str, Seeder]] = []


def register_seeder(order: int, name: str, seeder: Seeder) -> None:
    if all(existing != name for _o, existing, _s in _SEEDERS):
        _SEEDERS.append((order, name, seeder))


def _org(slug: str, **fields) -> Organisation:
    org, _created = Organisation.objects.update_or_create(slug=slug, defaults=fields)
    return org


def _user(email: str, name: str, *, staff: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email)
    user.full_name = name
    user.is_staff = staff
    user.is_superuser = staff
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _member(user: User, org: Organisation, role: str) -> None:
    Membership.objects.update_or_create(user=user, organisation=org, defaults={"role": role})


def seed_core() -> DemoContext:
    orgs: dict[str, Organisation] = {}
    for slug, (name, code, county, (lat, lon)) in MUNICIPALITIES.items():
        orgs[slug] = _org(slug, kind=Organisation.Kind.MUNICIPALITY, name=name, municipality_code=code, county=county,
                          map_center_lat=lat, map_center_lon=lon)
    orgs["lst-dalarna"] = _org("lst-dalarna", kind=Organisation.Kind.COUNTY_BOARD, name="Länsstyrelsen Dalarna",
                               county=County.DALARNA, municipality_code="")
    orgs["lst-vastmanland"] = _org("lst-vastmanland", kind=Organisation.Kind.COUNTY_BOARD,
                                   name="Länsstyrelsen Västmanland", county=County.VASTMANLAND, municipality_code="")
    orgs["partner"] = _org("partner", kind=Organisation.Kind.PARTNER, name="Platsutveckling Partner AB (fiktiv)",
                           county="", municipality_code="")
    programme, _ = Programme.objects.update_or_create(
        slug=PROGRAMME_SLUG,
        defaults={
            "name": "Trygga Platser pilot Dalarna–Västmanland",
            "description": "Pilotprogram där kommuner i Dalarna och Västmanland prövar Trygga Platser-modellen "
                           "med stöd av länsstyrelserna (demonstrationsdata).",
        },
    )
    programme.county_boards.set([orgs["lst-dalarna"], orgs["lst-vastmanland"]])

    users = {a.email: _user(a.email, a.name, staff=a.email == "admin@trygga.example") for a in DEMO_ACCOUNTS}
    for slug in MUNICIPALITIES:
        _member(users[f"samordnare@{slug}.example"], orgs[slug], Membership.Role.COORDINATOR)
    _member(users["lansstyrelsen@dalarna.example"], orgs["lst-dalarna"], Membership.Role.MEMBER)
    _member(users["lansstyrelsen@vastmanland.example"], orgs["lst-vastmanland"], Membership.Role.MEMBER)
    _member(users["coach@partner.example"], orgs["partner"], Membership.Role.MEMBER)
    return DemoContext(orgs=orgs, users=users, programme=programme)


def seed_all() -> DemoContext:
    with transaction.atomic():
        context = seed_core()
        for _order, _name, seeder in sorted(_SEEDERS, key=lambda item: item[0]):
            seeder(context)
    return context
