"""The demo action plans (SPEC §13, issue 6): 20–40 actions per pilot, Avesta above the pilots' 50 %
done or started, Hallstahammar below, a few overdue, linked to findings; idempotent."""
from __future__ import annotations

import pytest

from actionplans.models import Action, ActionFinding, ActionUpdate
from actionplans.selectors.actions import action_kpi
from projects.models import Observation
from trygga_platser.tenancy.demo import seed_all
from trygga_platser.tenancy.models import Project, ProjectMembership

pytestmark = pytest.mark.django_db

PILOTS = {"Avesta kommun", "Falu kommun", "Hallstahammars kommun", "Sala kommun"}


def project(municipality: str) -> Project:
    return Project.objects.get(municipality__name=municipality)


def test_each_pilot_has_twenty_to_forty_actions_and_ludvika_none(demo_db):
    # then every pilot project has a realistic plan, and the project outside the programme none
    for name in PILOTS:
        assert 20 <= project(name).actions.count() <= 40, name
    assert project("Ludvika kommun").actions.count() == 0


def test_avesta_is_above_and_hallstahammar_below_the_pilots_fifty_per_cent(demo_db):
    assert action_kpi(project=project("Avesta kommun")).percent_done_or_started > 50
    assert action_kpi(project=project("Hallstahammars kommun")).percent_done_or_started < 50


def test_a_few_actions_are_overdue_and_every_status_occurs(demo_db):
    overdue = sum(action_kpi(project=project(name)).overdue for name in PILOTS)
    assert 1 <= overdue <= 10
    assert set(Action.objects.values_list("status", flat=True)) == set(Action.Status.values)


def test_avestas_police_and_property_owner_answer_for_actions(demo_db):
    avesta = project("Avesta kommun")
    for email in ("polis@avesta.example", "fastighetsagare@avesta.example"):
        assert avesta.actions.filter(responsible__email=email).exists(), email
    # every responsible person is a member of the project
    members = set(ProjectMembership.objects.filter(project=avesta).values_list("user_id", flat=True))
    assert set(avesta.actions.exclude(responsible=None).values_list("responsible_id", flat=True)) <= members
    # and someone is reminded within the week (the demo shows a due-soon reminder)
    assert avesta.actions.filter(responsible__email="polis@avesta.example", status__in=Action.OPEN_STATUSES).exists()


def test_actions_answer_site_walk_observations_and_some_are_in_the_joint_case(demo_db):
    avesta = project("Avesta kommun")
    findings = ActionFinding.objects.filter(action__project=avesta, kind=ActionFinding.Kind.OBSERVATION)
    assert findings.exists()
    for finding in findings:
        observation = Observation.objects.get(pk=finding.ref, meeting__project=avesta)
        assert observation.finding_status == Observation.FindingStatus.ACTION
        assert observation.action_ref == finding.action.code
    assert avesta.actions.exclude(joint_case=None).exists()
    assert ActionUpdate.objects.filter(action__project=avesta).exists()


def test_dates_tell_a_consistent_story(demo_db):
    for action in Action.objects.exclude(due_date=None):
        assert action.start_date is None or action.start_date <= action.due_date
        if action.status == Action.Status.DONE:
            assert action.closed_at is not None
    for update in ActionUpdate.objects.select_related("action"):
        assert update.note


def test_running_the_demo_again_changes_nothing(demo_db):
    before = (Action.objects.count(), ActionUpdate.objects.count(), ActionFinding.objects.count(),
              sorted(Action.objects.values_list("project_id", "number", "status", "due_date")))
    seed_all()
    after = (Action.objects.count(), ActionUpdate.objects.count(), ActionFinding.objects.count(),
             sorted(Action.objects.values_list("project_id", "number", "status", "due_date")))
    assert after == before
