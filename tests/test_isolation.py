"""Isolation (SPEC §2): every URL that names a tenant object answers 404 for another municipality.

The test walks the project's URL patterns itself, so a new feature cannot forget it: a URL with a
parameter this file does not know fails the test until the parameter is registered below, either
as a tenant object (FOREIGN_OBJECTS) or as a public, token-addressed route (PUBLIC_TOKEN_ROUTES).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Callable

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from projects.models import (
    Actor,
    ActorContact,
    CoachingEntry,
    Goal,
    GroupMember,
    JointCase,
    Meeting,
    MeetingParticipant,
    Observation,
    PartnershipDocument,
    PartnershipGroup,
    SiteWalkStop,
    Variant,
    WorkArea,
)
from actionplans.models import Action, ActionUpdate
from projects.services.workflow import plan_instantiate

from analysis.models import Aspect, Factor, Inspection, InspectionPoint, PointAudit
from surveys.models import Invitation, Option, Question, Survey
from trygga_platser.reports.models import Report

pytestmark = pytest.mark.django_db

# Routes addressed by an unguessable token rather than a tenant object; each has its own tests.
PUBLIC_TOKEN_ROUTES = {
    "accounts:invitation",
    "account_reset_password_from_key",
    "account_confirm_email",
    "account_confirm_login_code",
    # Respondents (SPEC §5.3): the survey's public token or an invitation's personal token.
    "surveys:respond",
    "surveys:respond_page",
    "surveys:respond_done",
    "surveys:invitation",
    "surveys:invitation_page",
}
# The Django admin is for platform staff only and is not tenant-scoped.
EXCLUDED_NAMESPACES = {"admin"}

# For each URL parameter: the value naming an object of the *other* municipality (world.other).
# The objects hang together (the participant belongs to the meeting, the contact to the actor…),
# so a route with several parameters names one consistent chain. Register every new parameter here.
FOREIGN_OBJECTS: dict[str, Callable] = {
    "project_id": lambda other: other.project.pk,
    "report_id": lambda other: other.report.pk,
    "step_id": lambda other: other.step.pk,
    "activity_id": lambda other: other.activity.pk,
    "meeting_id": lambda other: other.meeting.pk,
    "participant_id": lambda other: other.participant.pk,
    "stop_id": lambda other: other.stop.pk,
    "observation_id": lambda other: other.observation.pk,
    "actor_id": lambda other: other.actor.pk,
    "contact_id": lambda other: other.contact.pk,
    "group_id": lambda other: other.group.pk,
    "member_id": lambda other: other.group_member.pk,
    "document_id": lambda other: other.document.pk,
    "goal_id": lambda other: other.goal.pk,
    "case_id": lambda other: other.case.pk,
    "entry_id": lambda other: other.coaching_entry.pk,
    "action_id": lambda other: other.action.pk,
    "update_id": lambda other: other.action_update.pk,
    # surveys
    "survey_id": lambda other: other.survey.pk,
    "question_id": lambda other: other.question.pk,
    "option_id": lambda other: other.option.pk,
    "invitation_id": lambda other: other.invitation.pk,
    # analysis
    "inspection_id": lambda other: other.inspection.pk,
    "point_id": lambda other: other.inspection_point.pk,
    "audit_id": lambda other: other.audit.pk,
    "aspect_id": lambda other: other.aspect.pk,
    "factor_id": lambda other: other.factor.pk,
}


class OtherTenant:
    """One chain of objects in the other municipality's project, created on first use."""

    def __init__(self, project):
        self.project = project

    @cached_property
    def report(self) -> Report:
        report = Report.objects.create(kind="project_summary", project=self.project, status=Report.Status.DONE)
        report.file.save("summary.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
        return report

    @cached_property
    def step(self):
        if not self.project.steps.exists():
            plan_instantiate(project=self.project, variant=Variant.objects.get(slug="instegsmodell"))
        return self.project.steps.order_by("number").first()

    @cached_property
    def activity(self):
        return self.step.activities.first()

    @cached_property
    def meeting(self):
        start = timezone.now() + timedelta(days=7)
        return Meeting.objects.create(project=self.project, kind=Meeting.Kind.SITE_WALK, title="Platsvandring",
                                      starts_at=start, ends_at=start + timedelta(hours=2), location="Torget")

    @cached_property
    def participant(self):
        return MeetingParticipant.objects.create(meeting=self.meeting, guest_name="Gäst", guest_email="g@example.org")

    @cached_property
    def stop(self):
        return SiteWalkStop.objects.create(meeting=self.meeting, name="Busshållplatsen", lon=16.17, lat=60.14)

    @cached_property
    def observation(self):
        observation = Observation.objects.create(meeting=self.meeting, stop=self.stop, text="Trasig belysning",
                                                 category=WorkArea.SAFETY, lon=16.17, lat=60.14)
        observation.photo.save("photo.jpg", ContentFile(_tiny_jpeg()), save=True)
        return observation

    @cached_property
    def actor(self):
        return Actor.objects.create(project=self.project, name="Fastighets AB", category="fastighetsagare")

    @cached_property
    def contact(self):
        return ActorContact.objects.create(actor=self.actor, name="Kontakt Person", email="k@example.org")

    @cached_property
    def group(self):
        return PartnershipGroup.objects.create(project=self.project, kind=PartnershipGroup.Kind.STEERING, name="Styrgrupp")

    @cached_property
    def group_member(self):
        return GroupMember.objects.create(group=self.group, contact=self.contact)

    @cached_property
    def document(self):
        document = PartnershipDocument(project=self.project, title="Överenskommelse")
        document.file.save("avtal.pdf", ContentFile(b"%PDF-1.7 avtal"), save=True)
        return document

    @cached_property
    def goal(self):
        return Goal.objects.create(project=self.project, horizon=Goal.Horizon.SHORT, title="Tryggare kvällar",
                                   indicator="Andel trygga", target_value=70)

    @cached_property
    def case(self):
        return JointCase.objects.create(project=self.project, title="Ljusfest")

    @cached_property
    def action(self):
        return Action.objects.create(project=self.project, number=1, title="Byt belysning", category=WorkArea.SAFETY,
                                     status=Action.Status.IN_PROGRESS)

    @cached_property
    def action_update(self):
        update = ActionUpdate.objects.create(action=self.action, note="Armaturerna är beställda")
        update.photo.save("update.jpg", ContentFile(_tiny_jpeg()), save=True)
        return update

    @cached_property
    def coaching_entry(self):
        return CoachingEntry.objects.create(project=self.project, date=date(2026, 5, 4), topic="Styrgruppen",
                                            notes="Samtal")

    # --- surveys -------------------------------------------------------------------------------
    @cached_property
    def survey(self) -> Survey:
        return Survey.objects.create(project=self.project, kind=Survey.Kind.SAFETY, title="Trygghetsenkät")

    @cached_property
    def question(self) -> Question:
        return Question.objects.create(survey=self.survey, kind=Question.Kind.SINGLE, key="safe_evening",
                                       text="Hur trygg känner du dig på kvällen?", position=1)

    @cached_property
    def option(self) -> Option:
        return Option.objects.create(question=self.question, value="safe", label="Trygg", position=1)

    @cached_property
    def invitation(self) -> Invitation:
        return Invitation.objects.create(survey=self.survey, email="inbjuden@example.org")

    # --- analysis ------------------------------------------------------------------------------
    @cached_property
    def inspection(self) -> Inspection:
        return Inspection.objects.create(project=self.project, title="Besiktning i mörker", date=date(2026, 3, 2),
                                         time_of_day="dark")

    @cached_property
    def inspection_point(self) -> InspectionPoint:
        point = InspectionPoint.objects.create(inspection=self.inspection, number=1, name="Gångtunneln",
                                               lon=16.17, lat=60.14, finding="Mörkt")
        point.photo.save("point.jpg", ContentFile(_tiny_jpeg()), save=True)
        return point

    @cached_property
    def audit(self) -> PointAudit:
        audit = PointAudit.objects.create(project=self.project, lon=16.17, lat=60.14, lighting=1, openness=2,
                                          visibility=2, people=1, security=1, walk_path=2, public_transport=2,
                                          gender_usage=1, feeling=1)
        audit.photo.save("audit.jpg", ContentFile(_tiny_jpeg()), save=True)
        return audit

    @cached_property
    def aspect(self) -> Aspect:
        """An aspect of the other municipality's own set."""
        return Aspect.objects.create(organisation=self.project.municipality, key="belysning", name="Belysning")

    @cached_property
    def factor(self) -> Factor:
        return Factor.objects.create(aspect=self.aspect, name="Belysningen är jämn")


def _tiny_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]


def _walk(patterns, namespace: str = "") -> list[Route]:
    routes: list[Route] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            child_ns = f"{namespace}{ns}:" if ns else namespace
            routes.extend(_walk(entry.url_patterns, child_ns))
        elif isinstance(entry, URLPattern) and entry.name:
            params = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
            if not params:
                params = tuple(entry.pattern.regex.groupindex)
            routes.append(Route(f"{namespace}{entry.name}", params))
    return routes


def tenant_routes() -> list[Route]:
    return [r for r in _walk(get_resolver().url_patterns) if r.params and r.name not in PUBLIC_TOKEN_ROUTES]


def test_every_parameter_of_every_route_is_registered():
    unknown = {
        f"{route.name}({param})"
        for route in tenant_routes()
        for param in route.params
        if param not in FOREIGN_OBJECTS
    }
    assert not unknown, (
        "These URLs take parameters the isolation test does not know. Register each in "
        f"tests/test_isolation.py (FOREIGN_OBJECTS, or PUBLIC_TOKEN_ROUTES for token links): {sorted(unknown)}"
    )


def test_the_walk_finds_the_project_routes():
    names = {route.name for route in tenant_routes()}
    assert {"projects:detail", "projects:edit", "projects:members", "reports:download"} <= names


def _status(client, url: str) -> tuple[int, int]:
    return client.get(url).status_code, client.post(url, {}).status_code


@pytest.mark.parametrize("route", tenant_routes(), ids=lambda r: r.name)
def test_another_municipality_gets_404(world, client, route):
    # Given objects that belong to the other municipality, and the URL that names them
    other = OtherTenant(world.other_project)
    kwargs = {param: FOREIGN_OBJECTS[param](other) for param in route.params}
    url = reverse(route.name, kwargs=kwargs)

    # Then their own coordinator reaches it (so the URL is real, and a 404 below means something)
    client.force_login(world.other_coordinator)
    own_get, own_post = _status(client, url)
    assert 404 not in (own_get, own_post), (url, own_get, own_post)

    # When a coordinator of another municipality asks for it, by GET and by POST
    client.force_login(world.org_coordinator)
    get_status, post_status = _status(client, url)

    # Then it answers 404 exactly like a missing object (405 only for a method the route never takes)
    assert get_status in (404, 405) and post_status in (404, 405), (url, get_status, post_status)
    assert 404 in (get_status, post_status), (url, get_status, post_status)


@pytest.mark.parametrize(
    "route", [r for r in tenant_routes() if "project_id" in r.params and len(r.params) > 1], ids=lambda r: r.name
)
def test_foreign_object_under_own_project_is_404(world, client, route):
    # Given the user's own project but another municipality's object id under it
    other = OtherTenant(world.other_project)
    kwargs = {param: FOREIGN_OBJECTS[param](other) for param in route.params}
    kwargs["project_id"] = world.project.pk
    client.force_login(world.org_coordinator)
    get_status, post_status = _status(client, reverse(route.name, kwargs=kwargs))
    assert get_status in (404, 405) and post_status in (404, 405)
    assert 404 in (get_status, post_status)
