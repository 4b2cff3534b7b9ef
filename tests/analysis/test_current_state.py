"""The nulägesanalys page (SPEC §6.4): every section, roles, editing in place, flat queries."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis.maps import layer_labels
from analysis.models import CurrentStateAnalysis
from analysis.selectors.current_state import current_state_get
from projects.evidence import evidence_for
from trygga_platser.audit.models import AuditEntry

from .factories_current_state import (
    CONCLUSIONS,
    FINDING,
    OBSERVATION_TEXT,
    SUMMARY,
    WHY,
    fill,
)


def _url(project, name="current_state"):
    return reverse(f"analysis:{name}", kwargs={"project_id": project.pk})


def test_selector_gathers_every_section(world):
    # Given a project with data in every section
    fill(world.project, size=2)
    # When the current state is read
    state = current_state_get(project=world.project)
    # Then each section has its figures
    assert state.is_written
    assert state.survey.survey is not None and state.survey.indicator.n == 12
    # polis (1) suppressed, and boende with it: the overall figure minus boende would be that one officer
    assert [g.suppressed for g in state.survey.groups] == [True, True]
    assert state.survey.problems[0].value == "poor_lighting"
    assert len(state.survey.map_answers) == 6
    assert state.inspection.inspection_count == 1 and len(state.inspection.points) == 3
    assert state.inspection.open_finding_count == 1
    assert state.audits.count == 3 and state.audits.low_feeling_count == 1
    assert state.observations.count == 3 and len(state.observations.points) == 3
    assert state.crime.total[-2:] == [41, 1234]


def test_page_shows_every_section(world, client_for):
    fill(world.project)
    response = client_for(world.project_coordinator).get(_url(world.project))
    assert response.status_code == 200
    body = response.content.decode()
    for anchor in ("analysis", "map", "surveys", "inspection", "audits", "observations", "crime"):
        assert f'id="{anchor}"' in body
    assert SUMMARY in body and CONCLUSIONS in body
    for label in layer_labels().values():
        assert label in body
    assert 'class="map-layer map-layer-inspection"' in body
    assert 'id="cs-map-data"' in body  # the Leaflet data
    assert body.count('role="img"') >= 5  # map, groups, problems, aspects, audits, crime
    assert "1\u00a0234" in body or "1234" in body
    # A coordinator sees the findings
    assert FINDING in body


def test_empty_sections_say_so(world, client_for):
    response = client_for(world.project_coordinator).get(_url(world.project))
    assert response.status_code == 200
    ctx = response.context
    assert not ctx["state"].survey.has_data and not ctx["state"].inspection.has_data
    body = response.content.decode()
    assert "<svg" in body  # the area is drawn even without points


def test_county_board_sees_no_free_text_and_no_names(world, client_for):
    # Given a project with texts that may name people
    fill(world.project, author=world.member)
    # When a county board officer opens the page
    response = client_for(world.county_officer).get(_url(world.project))
    assert response.status_code == 200
    body = response.content.decode()
    # Then no observation text, map "why", finding, inspector or audit author appears
    for text in (OBSERVATION_TEXT, WHY, FINDING, "Anna Andersson", world.member.get_full_name()):
        assert text not in body
    # and there is no edit button
    assert _url(world.project, "current_state_edit") not in body


def test_layer_form_without_javascript_hides_unchosen_layers(world, client_for):
    fill(world.project)
    response = client_for(world.coach).get(_url(world.project) + "?layers=1&layer=inspection")
    body = response.content.decode()
    assert 'class="map-layer map-layer-inspection"' in body
    assert 'class="map-layer map-layer-audits is-hidden"' in body
    assert 'class="map-layer map-layer-answers is-hidden"' in body


def test_edit_in_place_with_htmx(world, client_for):
    client = client_for(world.coach)
    # Given the edit button is pressed: the form comes as a fragment
    form = client.get(_url(world.project, "current_state_edit"), HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert "<html" not in form.content.decode() and 'name="summary"' in form.content.decode()
    # When it is saved
    response = client.post(_url(world.project, "current_state_edit"), {"summary": "Ny text", "conclusions": "Slutsats"},
                           HTTP_HX_REQUEST="true")
    # Then the text fragment comes back and the analysis is stored and logged
    assert response.status_code == 200
    assert "<html" not in response.content.decode() and "Ny text" in response.content.decode()
    analysis = CurrentStateAnalysis.objects.get(project=world.project)
    assert (analysis.summary, analysis.conclusions, analysis.updated_by) == ("Ny text", "Slutsats", world.coach)
    assert AuditEntry.objects.filter(project=world.project, action="current_state.updated").count() == 1


def test_edit_with_a_plain_post(world, client_for):
    client = client_for(world.project_coordinator)
    page = client.get(_url(world.project, "current_state_edit"))
    assert page.status_code == 200 and "<html" in page.content.decode()
    response = client.post(_url(world.project, "current_state_edit"), {"summary": "A", "conclusions": "B"})
    assert response.status_code == 302 and response["Location"].endswith("#analysis")
    assert CurrentStateAnalysis.objects.get(project=world.project).conclusions == "B"
    # Saving the same again logs nothing new
    client.post(_url(world.project, "current_state_edit"), {"summary": "A", "conclusions": "B"})
    assert AuditEntry.objects.filter(project=world.project, action="current_state.updated").count() == 1


def test_too_long_text_is_an_error_beside_the_field(world, client_for):
    client = client_for(world.coach)
    response = client.post(_url(world.project, "current_state_edit"), {"summary": "x" * 20001, "conclusions": ""},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps 2xx only
    assert response.context["form"].errors["summary"]
    assert not CurrentStateAnalysis.objects.filter(project=world.project).exists()


@pytest.mark.parametrize("role, status", [("county_officer", 200), ("project_viewer", 200), ("member", 200),
                                          ("other_coordinator", 404), ("outsider", 404),
                                          ("other_county_officer", 404)])
def test_page_roles(world, client_for, role, status):
    assert client_for(getattr(world, role)).get(_url(world.project)).status_code == status


@pytest.mark.parametrize("role, status", [("county_officer", 403), ("project_viewer", 403), ("member", 403),
                                          ("other_coordinator", 404), ("coach", 200), ("org_coordinator", 200)])
def test_edit_roles(world, client_for, role, status):
    client = client_for(getattr(world, role))
    assert client.get(_url(world.project, "current_state_edit")).status_code == status
    post = client.post(_url(world.project, "current_state_edit"), {"summary": "x", "conclusions": "y"})
    assert post.status_code == (302 if status == 200 else status)


def test_query_count_is_flat(world, client_for, django_assert_max_num_queries):
    client = client_for(world.project_coordinator)
    fill(world.project, size=1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(_url(world.project)).status_code == 200
    fill(world.project, size=8)  # a second survey, inspection, walk: more of everything
    with CaptureQueriesContext(connection) as large:
        assert client.get(_url(world.project)).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_evidence_is_done_with_text_and_a_basis(world):
    # Given nothing: not done, with a link to the page
    links = evidence_for(project=world.project, kinds={"current_state"})["current_state"]
    assert [link.done for link in links] == [False]
    assert links[0].url == _url(world.project)
    # Given text but no survey or inspection: still not done
    CurrentStateAnalysis.objects.create(project=world.project, summary="S", conclusions="C")
    assert not evidence_for(project=world.project, kinds={"current_state"})["current_state"][0].done
    # Given an inspection too: done
    from tests.analysis.factories import InspectionFactory

    InspectionFactory(project=world.project)
    assert evidence_for(project=world.project, kinds={"current_state"})["current_state"][0].done
