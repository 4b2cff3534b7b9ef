"""An action from an inspection point or a survey map answer (SPEC §6.1 "a finding becomes an
action in one step", §7.1 "the findings it answers"): prefilled, linked, and 404 across projects."""
from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplans.models import Action, ActionFinding
from analysis.selectors.inspections import open_findings
from projects.models import WorkArea
from surveys.models import Question

from ..analysis.factories import (
    FactorScoreFactory,
    InspectionPointFactory,
    shipped_factor,
)
from ..surveys.factories import AnswerFactory, QuestionFactory, SurveyFactory
from .test_views import _form

pytestmark = pytest.mark.django_db


def create_url(project, **query):
    base = reverse("actionplans:create", kwargs={"project_id": project.pk})
    return base + "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else base


def test_an_inspection_point_becomes_an_action_in_one_step(world, client_for):
    # Given a point with a finding, scored low on lighting
    point = InspectionPointFactory(inspection__project=world.project, name="Gångtunneln",
                                   finding="Byt armaturerna i tunneln\nDe är trasiga.", lat=60.1441, lon=16.1682)
    FactorScoreFactory(point=point, factor=shipped_factor("belysning"), score=2)
    client = client_for(world.project_coordinator)
    url = create_url(world.project, inspection_point=point.pk)

    # When the coordinator opens "create action" from it
    response = client.get(url)

    # Then the form starts from the finding, in the safety work area, at the point
    initial = response.context["form"].initial
    assert initial["title"] == "Byt armaturerna i tunneln"
    assert "De är trasiga." in initial["description"] and point.inspection.title in initial["description"]
    assert (initial["category"], initial["lat"], initial["lon"]) == (WorkArea.SAFETY, 60.1441, 16.1682)
    assert "Gångtunneln" in response.content.decode()  # the page shows which finding it answers

    # When it is saved
    response = client.post(url, _form(title="Byt armaturerna i tunneln", lat="60.1441", lon="16.1682"))

    # Then the action answers the point, and the point is no longer an open finding
    action = Action.objects.get(project=world.project)
    assert response.status_code == 302
    finding = ActionFinding.objects.get(action=action)
    assert (finding.kind, finding.ref) == (ActionFinding.Kind.INSPECTION_POINT, str(point.pk))
    assert "Gångtunneln" in finding.label
    assert open_findings(project=world.project) == []
    page = client.get(reverse("analysis:inspection", kwargs={"project_id": world.project.pk,
                                                             "inspection_id": point.inspection_id})).content.decode()
    assert f">{action.code}</a>" in page


def test_a_point_weakest_on_maintenance_suggests_the_cleanliness_work_area(world, client_for):
    point = InspectionPointFactory(inspection__project=world.project, finding="Klotter och skräp")
    FactorScoreFactory(point=point, factor=shipped_factor("forvaltning"), score=1)
    FactorScoreFactory(point=point, factor=shipped_factor("belysning"), score=15)
    response = client_for(world.project_coordinator).get(create_url(world.project, inspection_point=point.pk))
    assert response.context["form"].initial["category"] == WorkArea.CLEANLINESS


def test_an_inspection_point_of_another_project_is_404(world, client_for):
    point = InspectionPointFactory(inspection__project=world.other_project, finding="Mörkt")
    client = client_for(world.project_coordinator)
    assert client.get(create_url(world.project, inspection_point=point.pk)).status_code == 404
    assert client.get(create_url(world.project, inspection_point="x")).status_code == 404
    assert client.post(create_url(world.project, inspection_point=point.pk), _form()).status_code == 404
    assert not Action.objects.exists()


def test_only_editors_create_an_action_from_a_point(world, client_for):
    point = InspectionPointFactory(inspection__project=world.project, finding="Mörkt")
    assert client_for(world.member).get(create_url(world.project, inspection_point=point.pk)).status_code == 403


def _map_answer(project, **kwargs):
    question = QuestionFactory(survey=SurveyFactory(project=project), kind=Question.Kind.MAP, key="unsafe_places",
                               config={"categories": [{"value": "dark", "label": "Mörkt"}]})
    return AnswerFactory(question=question, map_category="dark", text="Ingen belysning vid stigen",
                         geometry={"type": "Point", "coordinates": [16.169, 60.145]}, lat=60.145, lon=16.169, **kwargs)


def test_a_map_answer_becomes_an_action(world, client_for):
    # Given a place marked as dark in a survey
    answer = _map_answer(world.project)
    client = client_for(world.project_coordinator)
    url = create_url(world.project, map_answer=answer.pk)

    # When the coordinator creates an action from it
    response = client.get(url)
    initial = response.context["form"].initial
    assert (initial["lat"], initial["lon"]) == (60.145, 16.169)
    assert initial["description"] == "Ingen belysning vid stigen"
    assert _("From a place marked on the map in a survey. The action keeps the link.") in response.content.decode()
    client.post(url, _form(title="Belys stigen"))

    # Then the action keeps the map answer as its finding
    finding = ActionFinding.objects.get(action__project=world.project)
    assert (finding.kind, finding.ref) == (ActionFinding.Kind.MAP_ANSWER, str(answer.pk))
    assert finding.label == "Mörkt: Ingen belysning vid stigen"


def test_a_map_answer_of_another_project_is_404(world, client_for):
    answer = _map_answer(world.other_project)
    client = client_for(world.project_coordinator)
    assert client.get(create_url(world.project, map_answer=answer.pk)).status_code == 404
    assert client.get(create_url(world.project, map_answer="abc")).status_code == 404
