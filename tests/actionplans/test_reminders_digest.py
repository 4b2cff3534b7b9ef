"""The weekly digest to each project's coordinators (SPEC §7.4, §10), with the opt-out."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from actionplans import tasks
from actionplans.models import Action
from actionplans.services.reminders import digest_key, weekly_digests_send
from trygga_platser.notifications.models import OutboundEmail
from trygga_platser.tenancy.models import ProjectMembership

from ..factories import ProjectMembershipFactory
from .factories import ActionFactory, ActionUpdateFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 5, 11)  # ISO week 20


@pytest.fixture
def plan(world):
    """world.project's plan: done, in progress, overdue, due this week, due later, cancelled."""
    project = world.project
    done = ActionFactory(project=project, title="Byt armaturer i gångtunneln", status=Action.Status.DONE,
                         due_date=MONDAY - timedelta(days=20))
    ActionFactory(project=project, title="Trygghetsvärdar på torget", status=Action.Status.IN_PROGRESS,
                  due_date=MONDAY + timedelta(days=60))
    overdue = ActionFactory(project=project, title="Klotterrensning inom 24 timmar", responsible=world.member,
                            due_date=MONDAY - timedelta(days=4))
    ActionFactory(project=project, title="Skyltning mot resecentrum", due_date=MONDAY + timedelta(days=3))
    ActionFactory(project=project, title="Planteringar längs gågatan", due_date=MONDAY + timedelta(days=30))
    ActionFactory(project=project, title="Kameror vid stationen", status=Action.Status.CANCELLED,
                  due_date=MONDAY - timedelta(days=9))
    ActionUpdateFactory(action=done, note="Armaturerna är bytta och tunneln är ljus.", date=MONDAY - timedelta(days=2),
                        status_before=Action.Status.IN_PROGRESS, status_after=Action.Status.DONE)
    ActionUpdateFactory(action=overdue, note="Gammal anteckning om avtalet.", date=MONDAY - timedelta(days=30))
    return project


def digests() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(key__startswith="digest:").order_by("key"))


def test_the_coordinator_gets_a_summary_of_the_week(world, plan):
    # given a project coordinator who reads English
    world.project_coordinator.language = "en"
    world.project_coordinator.save()

    # when the weekly digest runs
    queued = weekly_digests_send(today=MONDAY)

    # then exactly the project's coordinator receives one, keyed per user and ISO week
    assert queued == 1
    [email] = digests()
    assert email.to == world.project_coordinator.email
    assert email.key == f"digest:weekly:{world.project_coordinator.pk}:2026-W20"
    text = email.body_text
    # the KPI: 2 done or started of 5 counted (cancelled left out) = 40 %, one overdue
    assert "40 %" in text and "(1 done, 1 in progress, of 5 actions)" in text
    assert "1 action is overdue." in text
    # the overdue action with its responsible person, the one due this week, the week's progress
    overdue_part = text.split("Overdue:")[1].split("Due in the coming week:")[0]
    assert "Klotterrensning inom 24 timmar" in overdue_part and world.member.get_full_name() in overdue_part
    coming = text.split("Due in the coming week:")[1].split("Progress in the past week:")[0]
    assert "Skyltning mot resecentrum" in coming
    assert "Planteringar längs gågatan" not in text  # due later
    assert "Kameror vid stationen" not in text  # cancelled
    assert "Armaturerna är bytta och tunneln är ljus." in text
    assert "Gammal anteckning om avtalet." not in text  # older than a week
    assert "/konto/installningar/" in text  # where to opt out
    assert "Klotterrensning inom 24 timmar" in email.body_html


def test_only_coordinators_receive_it_and_opting_out_is_respected(world, plan):
    # given a second coordinator who has opted out, and members and org coordinators who are not
    # project coordinators
    quiet = ProjectMembershipFactory(project=plan, role=ProjectMembership.Role.COORDINATOR).user
    quiet.receives_digests = False
    quiet.save()

    # when the weekly digest runs
    weekly_digests_send(today=MONDAY)

    # then only the coordinator who wants it gets one
    assert [e.to for e in digests()] == [world.project_coordinator.email]


def test_inactive_coordinators_and_projects_without_actions_get_nothing(world):
    # given a coordinator of a project without actions, and an inactive coordinator of one with actions
    ActionFactory(project=world.other_project, due_date=MONDAY)
    inactive = ProjectMembershipFactory(project=world.other_project, role=ProjectMembership.Role.COORDINATOR).user
    inactive.is_active = False
    inactive.save()

    # when the weekly digest runs
    queued = weekly_digests_send(today=MONDAY)

    # then nobody is summarised
    assert queued == 0
    assert digests() == []


def test_one_digest_per_week_however_often_it_runs(world, plan):
    # when the digest runs twice on Monday and again on Thursday of the same week
    counts = [weekly_digests_send(today=MONDAY), weekly_digests_send(today=MONDAY),
              weekly_digests_send(today=MONDAY + timedelta(days=3))]

    # then it is sent once; the next week brings a new one
    assert counts == [1, 0, 0]
    assert weekly_digests_send(today=MONDAY + timedelta(days=7)) == 1
    assert [e.key for e in digests()] == [
        digest_key(user=world.project_coordinator, today=MONDAY),
        digest_key(user=world.project_coordinator, today=MONDAY + timedelta(days=7)),
    ]


def test_a_coordinator_of_two_projects_gets_one_message_with_both(world, plan):
    # given the coordinator also coordinates the other municipality's project, which has actions
    ProjectMembershipFactory(project=world.other_project, user=world.project_coordinator,
                             role=ProjectMembership.Role.COORDINATOR)
    ActionFactory(project=world.other_project, title="Nattvandring varje fredag", due_date=MONDAY + timedelta(days=2))

    # when the weekly digest runs
    weekly_digests_send(today=MONDAY)

    # then one message covers both projects
    [email] = digests()
    assert world.project.name in email.body_text and world.other_project.name in email.body_text
    assert "Nattvandring varje fredag" in email.body_text


def test_the_beat_task_queues_the_digest(world):
    # given an action in the coordinator's project
    ActionFactory(project=world.project, due_date=date.today() + timedelta(days=1))

    # when the beat task runs twice (a redelivered message)
    results = [tasks.weekly_digests.apply().get(), tasks.weekly_digests.apply().get()]

    # then one digest
    assert results == [1, 0]
