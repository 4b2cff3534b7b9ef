"""What the action plan adds to the projects app: the home panel, the evidence of the "action_plan"
activities, the goal indicator and the demo seeder (actionplans/registrations.py)."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.models import Action
from actionplans.registrations import action_plan_evidence, share_done_or_started
from projects import evidence, panels
from projects.models import Goal, WorkArea
from projects.selectors.plans import GoalState, goal_status, indicator_provider
from trygga_platser.tenancy import demo

from .factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    """Two done, one in progress, two planned (one overdue), one cancelled: 3 of 5 = 60 %."""
    today = timezone.localdate()
    project = world.project
    for status, category in [(Action.Status.DONE, WorkArea.SAFETY), (Action.Status.DONE, WorkArea.CLEANLINESS),
                             (Action.Status.IN_PROGRESS, WorkArea.SAFETY), (Action.Status.PLANNED, WorkArea.SAFETY),
                             (Action.Status.CANCELLED, WorkArea.ACTIVITIES)]:
        ActionFactory(project=project, status=status, category=category, responsible=world.member,
                      due_date=today + timedelta(days=30))
    ActionFactory(project=project, status=Action.Status.PLANNED, category=WorkArea.OFFERING,
                  responsible_organisation="Centrumföreningen", due_date=today - timedelta(days=3))
    return project


def test_everything_is_registered_when_django_starts():
    # given the app registry is ready (pytest-django set it up)
    # then the action plan's panel, evidence, indicator, demo seeder and report are in place
    assert "actionplans" in panels._PANELS
    assert evidence.is_registered("action_plan")
    assert indicator_provider("action_plan") is not None
    assert any(name == "actionplans" and order == 120 for order, name, _s in demo._SEEDERS)
    from trygga_platser.reports.registry import _KINDS  # the Handlingsplan report (reports.py)
    assert "action_plan" in _KINDS


@pytest.mark.parametrize("who", ["project_coordinator", "county_officer", "project_viewer"])
def test_the_project_home_shows_the_kpi(world, plan, client_for, who):
    # when someone who may see the project opens its home
    response = client_for(getattr(world, who)).get(reverse("projects:detail", kwargs={"project_id": plan.pk}))

    # then the action plan's section shows the share done or started, the overdue count, the work
    # areas and a link to the plan
    assert response.status_code == 200
    html = response.content.decode()
    section = html.split('id="actionplan-heading"')[1].split("</section>")[0]
    assert "60 %" in section
    assert '<p class="stat-value">1</p>' in section  # one overdue
    # three work areas with counted actions (the activities' only action is cancelled)
    assert section.count('<th scope="row">') == 3
    assert "<td>3</td><td>2 (67 %)</td>" in section  # safety: done, in progress, planned
    assert reverse("actionplans:list", kwargs={"project_id": plan.pk}) in section
    assert "50 %" in section  # the pilots' benchmark
    # and no names: the county board sees the numbers only
    assert world.member.get_full_name() not in section


def test_the_project_home_says_when_there_are_no_actions(world, client_for):
    # when the coordinator opens the home of a project without actions
    home = reverse("projects:detail", kwargs={"project_id": world.project.pk})
    response = client_for(world.project_coordinator).get(home)

    # then the section is there, without numbers
    html = response.content.decode()
    assert 'id="actionplan-heading"' in html
    section = html.split('id="actionplan-heading"')[1].split("</section>")[0]
    assert "stat-value" not in section


def test_other_municipalities_do_not_see_the_panel(world, plan, client_for):
    # when another municipality's coordinator asks for the home
    response = client_for(world.other_coordinator).get(reverse("projects:detail", kwargs={"project_id": plan.pk}))

    # then the project does not exist for them
    assert response.status_code == 404


def test_the_indicator_is_the_share_done_or_started_in_per_cent(world, plan):
    # when the goal indicator is asked
    value = share_done_or_started(plan, None)

    # then 3 of the 5 counted actions (the cancelled one is left out)
    assert value == Decimal("60.0")


def test_the_indicator_rounds_to_one_decimal(world):
    # given one done of three
    ActionFactory(project=world.project, status=Action.Status.DONE)
    ActionFactory(project=world.project)
    ActionFactory(project=world.project)

    # then 33.3 %
    assert share_done_or_started(world.project, None) == Decimal("33.3")


def test_the_indicator_has_no_value_without_actions(world):
    # given no actions, then nothing to measure; and only cancelled actions, still nothing
    assert share_done_or_started(world.project, None) is None
    ActionFactory(project=world.project, status=Action.Status.CANCELLED)
    assert share_done_or_started(world.project, None) is None


def test_a_goal_measured_by_the_action_plan_is_reached_above_its_target(world, plan):
    # given the pilots' goal: at least 50 % done or started
    goal = Goal.objects.create(project=plan, horizon=Goal.Horizon.SHORT, title="Handlingsplanen genomförs",
                               indicator="Andel åtgärder genomförda eller påbörjade", source=Goal.Source.ACTION_PLAN,
                               target_value=50, unit="%")

    # when its status is read
    status = goal_status(project=plan, goal=goal)

    # then it is reached at 60 %
    assert status.state == GoalState.REACHED
    assert status.value == Decimal("60.0")


def test_the_evidence_is_not_done_without_actions(world):
    # when the evidence is resolved for a project without actions
    [link] = evidence.evidence_for(project=world.project, kinds={"action_plan"})["action_plan"]

    # then it links to the plan and is not done
    assert link.url == reverse("actionplans:list", kwargs={"project_id": world.project.pk})
    assert link.done is False
    assert link.personal is False  # the list is open to county boards


def test_the_evidence_is_done_when_every_action_has_someone_responsible_and_a_due_date(world, plan):
    # given the plan where every counted action has a person or an organisation and a due date
    [link] = action_plan_evidence(plan)
    assert link.done is True

    # when an action without anyone responsible is added
    ActionFactory(project=plan, due_date=timezone.localdate())

    # then the evidence is not done, and says why
    [link] = action_plan_evidence(plan)
    assert link.done is False
    assert "1" in link.label


def test_cancelled_actions_do_not_hold_the_evidence_back(world):
    # given a cancelled action with no one responsible beside a complete one
    ActionFactory(project=world.project, responsible=world.member, due_date=timezone.localdate())
    ActionFactory(project=world.project, status=Action.Status.CANCELLED)

    # then the evidence is done
    assert action_plan_evidence(world.project)[0].done is True
