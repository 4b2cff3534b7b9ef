"""Factories for meetings and site walks (SPEC §3.6)."""
from __future__ import annotations

import io
from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from projects.models import Meeting, MeetingParticipant, Observation, SiteWalkStop, WorkArea
from trygga_platser.tenancy.models import StakeholderCategory


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = Meeting.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    starts_at = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=7)).replace(microsecond=0))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=2))
    location = "Stadshuset, sal 2"
    agenda = "1. Välkommen\n2. Nuläget"


class SiteWalkFactory(MeetingFactory):
    kind = Meeting.Kind.SITE_WALK
    title = factory.Sequence(lambda n: f"Trygghetsvandring {n}")
    location = "Samling vid busstorget"


class GuestFactory(DjangoModelFactory):
    class Meta:
        model = MeetingParticipant

    meeting = factory.SubFactory(MeetingFactory)
    guest_name = factory.Sequence(lambda n: f"Gäst {n}")
    guest_email = factory.Sequence(lambda n: f"gast{n}@example.org")
    organisation = "Torgets fastigheter AB"
    category = StakeholderCategory.PROPERTY_OWNER


class StopFactory(DjangoModelFactory):
    class Meta:
        model = SiteWalkStop

    meeting = factory.SubFactory(SiteWalkFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Stopp {n}")
    lon = 16.168
    lat = 60.1445


class ObservationFactory(DjangoModelFactory):
    class Meta:
        model = Observation

    meeting = factory.SubFactory(SiteWalkFactory)
    text = factory.Sequence(lambda n: f"Observation {n}: trasig belysning")
    category = WorkArea.SAFETY


def jpeg_bytes(size=(64, 48), colour=(200, 30, 30), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    if exif is not None:
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="JPEG")
    return buffer.getvalue()
