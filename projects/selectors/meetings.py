"""Reads of meetings and site walks (SPEC §3.6), each page in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils import formats, timezone

from trygga_platser.tenancy.models import Project, ProjectMembership

from ..evidence import EvidenceLink
from ..models import Meeting, MeetingParticipant, Observation, SiteWalkStop


def meetings_for_project(*, project: Project, now: datetime | None = None) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming, past): upcoming soonest first, past latest first, with `participant_count`."""
    now = now or timezone.now()
    meetings = list(
        Meeting.objects.filter(project=project).annotate(participant_count=Count("participants")).order_by("starts_at")
    )
    upcoming = [m for m in meetings if m.ends_at >= now]
    past = [m for m in meetings if m.ends_at < now][::-1]
    return upcoming, past


def meeting_participants(*, meeting: Meeting) -> list[MeetingParticipant]:
    participants = list(meeting.participants.select_related("user"))
    participants.sort(key=lambda p: (p.display_name or "").casefold())
    return participants


def _observations() -> QuerySet[Observation]:
    return Observation.objects.select_related("created_by").order_by("created_at", "pk")


@dataclass
class StopWithObservations:
    stop: SiteWalkStop
    number: int
    observations: list[Observation] = field(default_factory=list)


@dataclass
class Route:
    """A site walk's stops in order, each with its observations, and those made between stops."""

    stops: list[StopWithObservations]
    loose: list[Observation]

    @property
    def observation_count(self) -> int:
        return len(self.loose) + sum(len(s.observations) for s in self.stops)

    @property
    def observations(self) -> list[Observation]:
        return [o for s in self.stops for o in s.observations] + self.loose


def site_walk_route(*, meeting: Meeting) -> Route:
    """Two queries however many stops and observations there are."""
    stops = list(
        SiteWalkStop.objects.filter(meeting=meeting).order_by("order", "pk")
        .prefetch_related(Prefetch("observations", queryset=_observations()))
    )
    loose = list(_observations().filter(meeting=meeting, stop__isnull=True))
    return Route(
        stops=[StopWithObservations(stop=s, number=i, observations=list(s.observations.all()))
               for i, s in enumerate(stops, start=1)],
        loose=loose,
    )


def site_walk_stops(*, meeting: Meeting) -> QuerySet[SiteWalkStop]:
    return SiteWalkStop.objects.filter(meeting=meeting).order_by("order", "pk")


def meeting_member_choices(*, meeting: Meeting) -> QuerySet[ProjectMembership]:
    """Project members not yet taking part in the meeting."""
    taken = meeting.participants.filter(user__isnull=False).values("user_id")
    return (ProjectMembership.objects.filter(project_id=meeting.project_id).exclude(user_id__in=taken)
            .select_related("user").order_by("user__full_name", "user__email"))


def participants_due_reminder(*, now: datetime, window: tuple[timedelta, timedelta]) -> QuerySet[MeetingParticipant]:
    """Participants with an address, of planned meetings starting within the window from now."""
    return (
        MeetingParticipant.objects.filter(
            meeting__status=Meeting.Status.PLANNED,
            meeting__starts_at__gte=now + window[0],
            meeting__starts_at__lt=now + window[1],
        )
        .exclude(user__isnull=True, guest_email="")
        .select_related("meeting__project__municipality", "user")
        .order_by("meeting__starts_at", "pk")
    )


def latest_site_walk(*, project: Project) -> Meeting | None:
    """The site walk a protocol is about: the most recent one held, else the most recent planned."""
    walks = Meeting.objects.filter(project=project, kind=Meeting.Kind.SITE_WALK).exclude(status=Meeting.Status.CANCELLED)
    return (walks.filter(status=Meeting.Status.HELD).order_by("-starts_at").first()
            or walks.order_by("-starts_at").first())


def meetings_as_evidence(project: Project, kind: str) -> list[EvidenceLink]:
    """Evidence for an activity of kind workshop, site walk or training (projects.evidence)."""
    meetings = Meeting.objects.filter(project=project, kind=kind).exclude(status=Meeting.Status.CANCELLED)
    return [
        EvidenceLink(
            personal=True,
            label=f"{m.title}, {formats.date_format(timezone.localtime(m.starts_at), 'j F Y')}",
            url=reverse("projects:meeting", kwargs={"project_id": project.pk, "meeting_id": m.pk}),
            done=m.status == Meeting.Status.HELD,
        )
        for m in meetings.order_by("starts_at")
    ]
