"""Project create, edit and home (SPEC §3, the parts of the platform issue)."""
from __future__ import annotations

import json

import pytest
from django.urls import reverse

from projects import geo
from trygga_platser.tenancy.models import Project, ProjectMembership

from ..factories import AREA, ProjectFactory, ProjectMembershipFactory

pytestmark = pytest.mark.django_db


def _form(world, **overrides):
    data = {
        "municipality": world.home.pk,
        "name": "Trygga Platser Busstorget",
        "place_name": "Busstorget",
        "variant": "instegsmodell",
        "start_date": "2027-01-11",
        "description": "",
        "area": json.dumps(AREA),
        "programmes": [world.programme.pk],
        **overrides,
    }
    return data


def test_coordinator_creates_a_project_and_becomes_its_coordinator(world, client_for):
    client = client_for(world.org_coordinator)
    response = client.post(reverse("projects:create"), _form(world))
    project = Project.objects.get(name="Trygga Platser Busstorget")
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", kwargs={"project_id": project.pk})
    assert project.municipality == world.home
    assert project.area["type"] == "Polygon"
    assert list(project.programmes.all()) == [world.programme]
    assert ProjectMembership.objects.get(project=project, user=world.org_coordinator).role == "coordinator"


def test_cannot_create_in_another_municipality(world, client_for):
    client = client_for(world.org_coordinator)
    response = client.post(reverse("projects:create"), _form(world, municipality=world.other.pk))
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert not Project.objects.filter(name="Trygga Platser Busstorget").exists()


@pytest.mark.parametrize("who", ["member", "coach", "county_officer", "org_member", "outsider"])
def test_only_municipal_coordinators_create_projects(world, client_for, who):
    response = client_for(getattr(world, who)).get(reverse("projects:create"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("inte json", geo.AREA_NOT_JSON),
        (json.dumps({"type": "Point", "coordinates": [16.1, 60.1]}), geo.AREA_NOT_POLYGON),
        (json.dumps({"type": "Polygon", "coordinates": [[[200, 60], [201, 60], [201, 61], [200, 60]]]}),
         geo.AREA_OUT_OF_RANGE),
        (json.dumps({"type": "Polygon", "coordinates": [[[16.1, 60.1], [16.2, 60.2], [16.2, 60.1], [16.1, 60.2],
                                                          [16.1, 60.1]]]}), None),
        (json.dumps({"type": "Polygon", "coordinates": [[[15, 59], [17, 59], [17, 61], [15, 61], [15, 59]]]}),
         geo.AREA_TOO_LARGE),
    ],
)
def test_bad_area_gets_a_clear_message_and_nothing_is_stored(world, client_for, area, message):
    client = client_for(world.org_coordinator)
    response = client.post(reverse("projects:create"), _form(world, area=area))
    assert response.status_code == 200
    errors = response.context["form"].errors["area"]
    if message is None:  # a self-intersecting ring: shapely's explanation is part of the message
        assert "Self-intersection" in errors[0]
    else:
        assert errors == [str(message)]
    assert not Project.objects.filter(name="Trygga Platser Busstorget").exists()


def test_coordinator_edits_and_member_cannot(world, client_for):
    url = reverse("projects:edit", kwargs={"project_id": world.project.pk})
    data = _form(world, name="Nytt namn", status="active")
    data.pop("municipality")
    assert client_for(world.member).post(url, data).status_code == 403
    assert client_for(world.coach).post(url, data).status_code == 403
    assert client_for(world.county_officer).post(url, data).status_code == 403
    response = client_for(world.project_coordinator).post(url, data)
    assert response.status_code == 302
    world.project.refresh_from_db()
    assert world.project.name == "Nytt namn"


def test_county_board_sees_the_project_but_no_names(world, client_for):
    response = client_for(world.county_officer).get(reverse("projects:detail", kwargs={"project_id": world.project.pk}))
    assert response.status_code == 200
    assert response.context["recent"] is None
    assert world.member.full_name not in response.content.decode()
    members = client_for(world.county_officer).get(reverse("projects:members", kwargs={"project_id": world.project.pk}))
    assert members.status_code == 403


def test_project_home_shows_the_area_map_with_a_text_alternative(world, client_for):
    response = client_for(world.member).get(reverse("projects:detail", kwargs={"project_id": world.project.pk}))
    html = response.content.decode()
    assert '<svg' in html and 'role="img"' in html and "<title id=\"area-map-title\">" in html


def test_start_page_groups_projects_by_municipality_in_constant_queries(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Given a person in two municipalities' projects
    for _ in range(5):
        ProjectMembershipFactory(user=world.member, project=ProjectFactory(municipality=world.other))
    client = client_for(world.member)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("pages:home"))
    groups = response.context["groups"]
    assert [org.name for org in groups] == ["Avesta kommun", "Falu kommun"]
    assert len(groups[world.other]) == 5
    # When ten more projects arrive, Then the page needs no more queries
    for _ in range(10):
        ProjectMembershipFactory(user=world.member, project=ProjectFactory(municipality=world.other))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("pages:home"))
    assert len(response.context["groups"][world.other]) == 15
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
