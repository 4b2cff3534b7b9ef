"""The access module (SPEC §2): every role path, and nothing beyond it."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from trygga_platser.reports.models import Report
from trygga_platser.tenancy.access import (
    Level,
    Perm,
    organisation_child_get,
    project_access_for,
    project_child_get,
    project_get_for_user,
    projects_visible_to,
    projects_with_access,
)

pytestmark = pytest.mark.django_db

EXPECTED_LEVEL = {
    "org_admin": Level.COORDINATOR,
    "org_coordinator": Level.COORDINATOR,
    "project_coordinator": Level.COORDINATOR,
    "coach": Level.EDITOR,
    "member": Level.MEMBER,
    "org_member": Level.VIEWER,
    "project_viewer": Level.VIEWER,
    "county_officer": Level.COUNTY_BOARD,
}
NO_ACCESS = ["other_coordinator", "other_county_officer", "outsider", "staff"]


@pytest.mark.parametrize(("who", "level"), EXPECTED_LEVEL.items())
def test_each_role_path_gives_its_level(world, who, level):
    # Given a person on one path into the project
    user = getattr(world, who)
    # When their access is resolved
    project = project_get_for_user(user=user, project_id=world.project.pk)
    # Then it is exactly that path's level, and the project is in their list
    assert project.access.level == level
    assert world.project in projects_visible_to(user=user)


@pytest.mark.parametrize("who", NO_ACCESS)
def test_people_without_a_path_get_404_as_if_missing(world, who):
    user = getattr(world, who)
    with pytest.raises(Http404):
        project_get_for_user(user=user, project_id=world.project.pk)
    assert world.project not in projects_visible_to(user=user)


def test_missing_and_foreign_projects_answer_alike(world):
    with pytest.raises(Http404) as missing:
        project_get_for_user(user=world.other_coordinator, project_id=999999)
    with pytest.raises(Http404) as foreign:
        project_get_for_user(user=world.other_coordinator, project_id=world.project.pk)
    assert str(missing.value) == str(foreign.value)


@pytest.mark.parametrize(
    ("who", "perm", "allowed"),
    [
        ("county_officer", Perm.VIEW, True),
        ("county_officer", Perm.VIEW_PERSONAL, False),
        ("project_viewer", Perm.VIEW_PERSONAL, True),
        ("project_viewer", Perm.CONTRIBUTE, False),
        ("member", Perm.CONTRIBUTE, True),
        ("member", Perm.EDIT, False),
        ("coach", Perm.EDIT, True),
        ("coach", Perm.MANAGE, False),
        ("project_coordinator", Perm.MANAGE, True),
        ("org_member", Perm.EDIT, False),
    ],
)
def test_wrong_role_is_403_not_404(world, who, perm, allowed):
    user = getattr(world, who)
    if allowed:
        assert project_get_for_user(user=user, project_id=world.project.pk, perm=perm)
    else:
        with pytest.raises(PermissionDenied):
            project_get_for_user(user=user, project_id=world.project.pk, perm=perm)


def test_county_board_sees_only_projects_of_programmes_it_runs(world):
    # Given the other municipality's project joins no programme of this county board
    # Then the officer sees the programme's project and not the other one
    visible = set(projects_visible_to(user=world.county_officer))
    assert visible == {world.project}
    # When the other project joins the programme, it becomes visible
    world.other_project.programmes.add(world.programme)
    assert set(projects_visible_to(user=world.county_officer)) == {world.project, world.other_project}


def test_inactive_and_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    world.org_coordinator.is_active = False
    world.org_coordinator.save()
    assert not projects_visible_to(user=world.org_coordinator).exists()
    assert not projects_visible_to(user=AnonymousUser()).exists()
    assert project_access_for(user=AnonymousUser(), project=world.project) is None


def test_strongest_path_wins(world):
    # Given a project member who is also the municipality's coordinator
    from tests.factories import MembershipFactory

    MembershipFactory(user=world.member, organisation=world.home, role="coordinator")
    assert project_get_for_user(user=world.member, project_id=world.project.pk).access.level == Level.COORDINATOR


def test_list_and_single_lookup_agree_for_everyone(world):
    people = [getattr(world, name) for name in [*EXPECTED_LEVEL, *NO_ACCESS]]
    for user in people:
        listed = {p.pk for p, _access in projects_with_access(user=user)}
        assert listed == set(projects_visible_to(user=user).values_list("pk", flat=True))


def test_child_object_of_another_project_is_404(world):
    # Given a report in the other municipality's project
    report = Report.objects.create(kind="project_summary", project=world.other_project)
    project = project_get_for_user(user=world.org_coordinator, project_id=world.project.pk)
    # When it is looked up under a project the user may see
    with pytest.raises(Http404):
        project_child_get(Report, project=project, pk=report.pk)


def test_visible_projects_query_count_does_not_grow(world, django_assert_max_num_queries):
    from tests.factories import ProjectFactory

    for _ in range(15):
        ProjectFactory(municipality=world.home)
    with django_assert_max_num_queries(5):
        result = projects_with_access(user=world.org_coordinator)
    assert len(result) == 16


def test_an_organisations_own_object_is_reached_only_by_its_coordinators(world):
    # Given settings owned by the home municipality (its own inspection aspect)
    from analysis.models import Aspect

    aspect = Aspect.objects.create(organisation=world.home, key="egen", name="Egen aspekt")
    # Then its coordinator reaches it, and everyone else gets the same 404 as for a missing id
    assert organisation_child_get(Aspect, user=world.org_coordinator, pk=aspect.pk) == aspect
    for who in (world.other_coordinator, world.project_coordinator, world.county_officer, world.outsider):
        with pytest.raises(Http404):
            organisation_child_get(Aspect, user=who, pk=aspect.pk)
    with pytest.raises(Http404):
        organisation_child_get(Aspect, user=world.org_coordinator, pk="not-a-number")
