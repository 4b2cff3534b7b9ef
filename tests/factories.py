"""factory_boy factories for the whole suite (ARCHITECTURE.md, habit 8)."""
from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from trygga_platser.accounts.models import Invitation, User
from trygga_platser.tenancy.models import (
    County,
    Membership,
    Organisation,
    Programme,
    Project,
    ProjectMembership,
    StakeholderCategory,
)

PASSWORD = "Korrekt-Häst-Batteri-42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="sv_SE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        if create:
            obj.save()


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Exempelstad {n} kommun")
    slug = factory.Sequence(lambda n: f"kommun-{n}")
    county = County.DALARNA
    # 9xxx: never an SCB code, so it cannot collide with the real codes the tests use.
    municipality_code = factory.Sequence(lambda n: f"9{n % 1000:03d}")


class CountyBoardFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.COUNTY_BOARD
    name = factory.Sequence(lambda n: f"Länsstyrelsen {n}")
    slug = factory.Sequence(lambda n: f"lst-{n}")
    county = County.DALARNA


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.PARTNER
    name = factory.Sequence(lambda n: f"Partner {n} AB")
    slug = factory.Sequence(lambda n: f"partner-{n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(MunicipalityFactory)
    role = Membership.Role.COORDINATOR


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")


AREA = {
    "type": "Polygon",
    "coordinates": [[[16.165, 60.143], [16.171, 60.143], [16.171, 60.146], [16.165, 60.146], [16.165, 60.143]]],
}


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Trygga Platser projekt {n}")
    place_name = "Torget"
    municipality = factory.SubFactory(MunicipalityFactory)
    variant = Project.Variant.ENTRY
    start_date = date(2026, 1, 12)
    status = Project.Status.ACTIVE
    area = AREA


class ProjectMembershipFactory(DjangoModelFactory):
    class Meta:
        model = ProjectMembership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = ProjectMembership.Role.MEMBER
    stakeholder_category = StakeholderCategory.POLICE


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    project = factory.SubFactory(ProjectFactory)
    project_role = ProjectMembership.Role.MEMBER
    stakeholder_category = StakeholderCategory.PROPERTY_OWNER
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
