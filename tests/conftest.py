"""Shared fixtures: a small world of two municipalities and every role path of SPEC §2.

Under CI (`CI=true`) a test that needs a missing service or browser fails instead of skipping:
use `require()` rather than `pytest.skip()`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from trygga_platser.tenancy.models import (
    Membership,
    ProjectMembership,
    StakeholderCategory,
)

from . import factories as f

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip locally when a real component is missing; fail under CI, where it must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"Required under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class World:
    """Two municipalities with a project each, and a person on every path into the first."""

    home: object  # municipality that owns `project`
    other: object  # another municipality with `other_project`
    project: object
    other_project: object
    programme: object
    county_board: object
    org_admin: object
    org_coordinator: object
    org_member: object
    project_coordinator: object
    coach: object
    member: object
    project_viewer: object
    county_officer: object
    other_coordinator: object
    other_county_officer: object
    outsider: object
    staff: object


@pytest.fixture
def world(db) -> World:
    home = f.MunicipalityFactory(name="Avesta kommun", slug="t-avesta", municipality_code="2084")
    other = f.MunicipalityFactory(name="Falu kommun", slug="t-falun", municipality_code="2080")
    county_board = f.CountyBoardFactory(name="Länsstyrelsen Dalarna")
    other_board = f.CountyBoardFactory(name="Länsstyrelsen Västmanland", county="19")
    programme = f.ProgrammeFactory(name="Pilot")
    programme.county_boards.add(county_board)
    other_programme = f.ProgrammeFactory(name="Annat program")
    other_programme.county_boards.add(other_board)
    project = f.ProjectFactory(municipality=home, name="Avesta torg")
    project.programmes.add(programme)
    other_project = f.ProjectFactory(municipality=other, name="Falu resecentrum")

    def org_user(org, role):
        return f.MembershipFactory(organisation=org, role=role).user

    def project_user(role, category=StakeholderCategory.OTHER):
        return f.ProjectMembershipFactory(project=project, role=role, stakeholder_category=category).user

    partner = f.PartnerFactory()
    coach = project_user(ProjectMembership.Role.COACH)
    f.MembershipFactory(user=coach, organisation=partner, role=Membership.Role.MEMBER)
    return World(
        home=home,
        other=other,
        project=project,
        other_project=other_project,
        programme=programme,
        county_board=county_board,
        org_admin=org_user(home, Membership.Role.ADMIN),
        org_coordinator=org_user(home, Membership.Role.COORDINATOR),
        org_member=org_user(home, Membership.Role.MEMBER),
        project_coordinator=project_user(ProjectMembership.Role.COORDINATOR, StakeholderCategory.MUNICIPAL_OFFICIAL),
        coach=coach,
        member=project_user(ProjectMembership.Role.MEMBER, StakeholderCategory.POLICE),
        project_viewer=project_user(ProjectMembership.Role.VIEWER),
        county_officer=org_user(county_board, Membership.Role.MEMBER),
        other_coordinator=org_user(other, Membership.Role.COORDINATOR),
        other_county_officer=org_user(other_board, Membership.Role.MEMBER),
        outsider=f.UserFactory(),
        staff=f.UserFactory(is_staff=True, is_superuser=True),
    )


@pytest.fixture
def client_for(client):
    """`client_for(user)` signs the test client in as `user`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The whole demo of SPEC §13, seeded once for a test module (it takes several seconds) inside a
    transaction that is rolled back afterwards. The module's tests must not commit."""
    from django.db import connection, transaction

    from trygga_platser.tenancy.demo import seed_all

    with django_db_blocker.unblock():
        with transaction.atomic():
            seed_all()
            yield
            transaction.set_rollback(True)
        connection.close()


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process in both modes: under CI REDIS_URL points at a broker that no
    worker of this test listens on, and the message would only pile up there. The journeys with a
    real worker live with the worker tests."""
    from trygga_platser.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate-limit counters must not carry from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _own_media_root(request, settings, tmp_path):
    """Each test writes files to its own folder: SQLite reuses ids after a rollback, so files of
    one test could otherwise look like another's. A real Celery worker, started once per module,
    keeps the run's shared folder so the test can read what it wrote."""
    if not {"celery_worker", "celery_worker_process"} & set(request.fixturenames):
        settings.MEDIA_ROOT = tmp_path / "media"
    yield
