"""Factories for the partnership organisation, goals, joint case and coaching log."""
from __future__ import annotations

import io
from datetime import date

import factory
from factory.django import DjangoModelFactory
from pypdf import PdfWriter

from projects.models import Actor, ActorContact, CoachingEntry, Goal, GroupMember, JointCase, PartnershipGroup
from trygga_platser.tenancy.models import StakeholderCategory

from ..factories import ProjectFactory, UserFactory


class ActorFactory(DjangoModelFactory):
    class Meta:
        model = Actor

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Fastighets AB {n}")
    category = StakeholderCategory.PROPERTY_OWNER


class ActorContactFactory(DjangoModelFactory):
    class Meta:
        model = ActorContact

    actor = factory.SubFactory(ActorFactory)
    name = factory.Faker("name", locale="sv_SE")
    title = "Förvaltare"
    email = factory.Sequence(lambda n: f"kontakt{n}@example.org")
    phone = "070-123 45 67"


class PartnershipGroupFactory(DjangoModelFactory):
    class Meta:
        model = PartnershipGroup

    project = factory.SubFactory(ProjectFactory)
    kind = PartnershipGroup.Kind.STEERING
    name = factory.Sequence(lambda n: f"Styrgrupp {n}")
    purpose = "Beslutar om handlingsplanen."
    meeting_cadence = "En gång i månaden"


class GroupMemberFactory(DjangoModelFactory):
    class Meta:
        model = GroupMember

    group = factory.SubFactory(PartnershipGroupFactory)
    contact = factory.SubFactory(ActorContactFactory, actor__project=factory.SelfAttribute("...group.project"))
    role = GroupMember.Role.MEMBER


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    project = factory.SubFactory(ProjectFactory)
    horizon = Goal.Horizon.SHORT
    title = factory.Sequence(lambda n: f"Mål {n}")
    indicator = "Andel som känner sig trygga på kvällen"
    source = Goal.Source.MANUAL
    comparison = Goal.Comparison.AT_LEAST
    target_value = 70
    unit = "%"


class JointCaseFactory(DjangoModelFactory):
    class Meta:
        model = JointCase

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Ljusfest {n}")
    description = "Belysning av torget tillsammans med fastighetsägarna."
    follow_up = "Uppföljning: fler besökare på kvällen."


class CoachingEntryFactory(DjangoModelFactory):
    class Meta:
        model = CoachingEntry

    project = factory.SubFactory(ProjectFactory)
    author = factory.SubFactory(UserFactory)
    date = date(2026, 3, 2)
    topic = factory.Sequence(lambda n: f"Handledning {n}")
    notes = "Samtal om styrgruppens arbete."
    next_steps = "Boka workshop."


def real_pdf() -> bytes:
    """A small but complete PDF (one blank A4 page), as a PDF tool writes it."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
