"""What survey results add to the projects app (surveys/results_registrations.py): evidence of the four
survey activities, the safety indicator panel on the project home, the goal indicator."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from projects import evidence, panels
from projects.models import Goal
from projects.selectors.plans import (
    GoalState,
    goal_status,
    indicator_key_choices,
    indicator_provider,
)
from surveys.models import Survey
from surveys.results_registrations import (
    EVIDENCE_KINDS,
    UNSAFE_INDICATOR,
    home_panel_context,
    survey_goal_value,
)

from .factories_results import K, respond_many, results_survey

pytestmark = pytest.mark.django_db


def test_everything_is_registered_when_django_starts():
    assert "surveys" in panels._PANELS
    for kind in ("mapping_survey", "safety_survey", "followup_survey", "partnership_survey"):
        assert evidence.is_registered(kind)
    assert indicator_provider("survey") is not None


def test_evidence_done_when_published_with_a_response(world):
    draft = results_survey(world.project, published=False, title="Utkast")
    published = results_survey(world.project, title="Trygghetsenkät 2026")
    links = evidence.evidence_for(project=world.project, kinds={"safety_survey"})["safety_survey"]
    assert [link.done for link in links] == [False, False]
    respond_many(published, 1, safe="very_safe")
    respond_many(draft, 1, safe="very_safe")  # a draft (test answers) is never done
    links = evidence.evidence_for(project=world.project, kinds={"safety_survey"})["safety_survey"]
    done = {link.url: link.done for link in links}
    assert done[reverse("surveys:results", kwargs={"project_id": world.project.pk,
                                                   "survey_id": published.survey.pk})] is True
    assert done[reverse("surveys:results", kwargs={"project_id": world.project.pk, "survey_id": draft.survey.pk})] is False
    assert all(not link.personal for link in links)
    assert any("Trygghetsenkät 2026" in link.label and "1" in link.label for link in links)


def test_evidence_per_kind(world):
    results_survey(world.project, kind=Survey.Kind.MAPPING, title="Kartläggning")
    found = evidence.evidence_for(project=world.project, kinds=set(EVIDENCE_KINDS))
    assert len(found["mapping_survey"]) == 1 and found["safety_survey"] == [] and found["partnership_survey"] == []


def _goal(project, key="") -> Goal:
    return Goal.objects.create(project=project, horizon=Goal.Horizon.SHORT, title="Fler känner sig trygga",
                               source=Goal.Source.SURVEY, indicator_key=key, target_value=Decimal(70))


def test_goal_value_is_the_share_feeling_safe_in_the_latest_survey(world):
    built = results_survey(world.project)
    respond_many(built, 3, safe="very_unsafe")
    respond_many(built, 5, safe="rather_safe")
    respond_many(built, 4, safe="dk")  # outside the base
    goal = _goal(world.project)
    # 3 of 8 unsafe → 62.5 % safe
    assert survey_goal_value(world.project, goal) == Decimal("62.5")
    assert survey_goal_value(world.project, _goal(world.project, UNSAFE_INDICATOR)) == Decimal("37.5")
    status = goal_status(project=world.project, goal=goal)
    assert status.state == GoalState.NOT_REACHED and status.value == Decimal("62.5")


def test_goal_value_none_without_survey_or_when_suppressed(world):
    goal = _goal(world.project)
    assert survey_goal_value(world.project, goal) is None
    built = results_survey(world.project)
    respond_many(built, 2, safe="very_safe")
    assert survey_goal_value(world.project, goal) is None
    assert goal_status(project=world.project, goal=goal).state == GoalState.NOT_MEASURED


def test_goal_indicator_choices(world):
    keys = [key for key, _label in indicator_key_choices(project=world.project, source="survey")]
    assert keys == [K.SAFE, UNSAFE_INDICATOR]


def test_home_panel_context_and_page(world, client_for):
    assert home_panel_context(world.project) == {"survey": None}
    baseline = results_survey(world.project)
    respond_many(baseline, 10, safe="very_unsafe")
    followup = results_survey(world.project, kind=Survey.Kind.FOLLOWUP, baseline=baseline.survey)
    respond_many(followup, 5, safe="very_unsafe")
    respond_many(followup, 5, safe="very_safe")
    context = home_panel_context(world.project)
    assert context["survey"] == followup.survey and context["responses"] == 10
    assert context["indicator"].share == 0.5 and context["baseline_indicator"].share == 1.0
    response = client_for(world.county_officer).get(reverse("projects:detail", kwargs={"project_id": world.project.pk}))
    html = response.content.decode()
    assert 'id="survey-panel-heading"' in html
    section = html.split('id="survey-panel-heading"')[1].split("</section>")[0]
    assert "50 %" in section and "100 %" in section
