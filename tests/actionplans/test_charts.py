"""The priority matrix and the map of the action plan (SPEC §7.2): SVG, tables, who may see them."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from actionplans.charts import action_map_svg, priority_matrix, priority_matrix_svg
from actionplans.models import Action

from .factories import ActionFactory

pytestmark = pytest.mark.django_db


def matrix_url(project):
    return reverse("actionplans:matrix", kwargs={"project_id": project.pk})


def map_url(project):
    return reverse("actionplans:map", kwargs={"project_id": project.pk})


@pytest.fixture
def actions(world):
    """Hand-made: three large-impact/small-effort, one medium/medium, one small/large, one cancelled."""
    made = [
        ActionFactory(project=world.project, number=1, impact=3, effort=1, title="Belysning"),
        ActionFactory(project=world.project, number=2, impact=3, effort=1, title="Buskar"),
        ActionFactory(project=world.project, number=3, impact=3, effort=1, title="Skyltar", status="done"),
        ActionFactory(project=world.project, number=4, impact=2, effort=2, title="Bänkar", lon=16.168, lat=60.1445,
                      status="in_progress"),
        ActionFactory(project=world.project, number=5, impact=1, effort=3, title="Ny park", lon=16.170, lat=60.145),
        ActionFactory(project=world.project, number=6, impact=1, effort=3, title="Struken", status="cancelled"),
    ]
    return made


def test_matrix_counts_hand_made_data(actions):
    matrix = priority_matrix(actions)
    assert matrix.total == 5  # the cancelled one is left out
    assert matrix.cell(impact=3, effort=1).codes == ["A1", "A2", "A3"]
    assert matrix.cell(impact=2, effort=2).codes == ["A4"]
    assert matrix.cell(impact=1, effort=3).codes == ["A5"]
    counts = [[cell.count for cell in row] for row in matrix.rows]
    assert counts == [[3, 0, 0], [0, 1, 0], [0, 0, 1]]  # large impact on top, small effort on the left
    assert matrix.cell(impact=3, effort=1).priority == 1 and matrix.cell(impact=1, effort=3).priority == 5


def test_matrix_svg_is_accessible_and_shows_counts_and_codes(actions):
    svg = str(priority_matrix_svg(priority_matrix(actions)))
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert re.search(r'aria-labelledby="priority-matrix-title priority-matrix-desc"', svg)
    texts = re.findall(r">([^<>]+)</text>", svg)
    assert "A1, A2, A3" in texts and "A4" in texts and "A5" in texts
    assert texts.count("3") == 1 and texts.count("1") == 2 and texts.count("0") == 6
    desc = re.search(r"<desc[^>]*>([^<]+)</desc>", svg).group(1)
    assert re.search(r"\b5\b", desc) and desc.count(": 3") == 1  # total 5; three in one cell


def test_a_crowded_cell_says_how_many_more(world):
    many = [ActionFactory(project=world.project, number=n, impact=3, effort=1) for n in range(1, 41)]
    svg = str(priority_matrix_svg(priority_matrix(many)))
    texts = re.findall(r">([^<>]+)</text>", svg)
    assert "40" in texts
    assert any(t.startswith("+") for t in texts)


def test_map_svg_has_a_point_per_located_action_coloured_by_status(world, actions):
    world.project.area = {"type": "Polygon", "coordinates": [[[16.165, 60.143], [16.171, 60.143], [16.171, 60.146],
                                                               [16.165, 60.143]]]}
    svg = str(action_map_svg(project=world.project, actions=actions))
    assert svg.count("<circle") == 1 and svg.count("<path d=") >= 2  # planned: circle, in progress: triangle
    assert 'fill="#0b5394"' in svg and 'fill="#8a5a00"' in svg  # in progress, planned
    assert ">A4</text>" in svg and ">A5</text>" in svg  # labelled with the code
    assert "A4 Bänkar" in svg and "A5 Ny park" in svg


@pytest.mark.parametrize("role", ["project_coordinator", "member", "project_viewer", "county_officer"])
def test_matrix_and_map_are_readable_by_every_role_down_to_the_county_board(world, client_for, actions, role):
    client = client_for(getattr(world, role))
    matrix = client.get(matrix_url(world.project))
    assert matrix.status_code == 200
    assert [[c.count for c in row] for row in matrix.context["matrix"].rows] == [[3, 0, 0], [0, 1, 0], [0, 0, 1]]
    body = matrix.content.decode()
    assert "<caption>" in body and 'role="img"' in body
    page = client.get(map_url(world.project))
    assert page.status_code == 200
    assert [a.code for a in page.context["located"]] == ["A4", "A5"]
    html = page.content.decode()
    assert "60,14450" in html and "Bänkar" in html


def test_county_officer_sees_no_csv_links(world, client_for, actions):
    body = client_for(world.county_officer).get(matrix_url(world.project)).content.decode()
    assert reverse("actionplans:export_csv", kwargs={"project_id": world.project.pk}) not in body
    assert reverse("actionplans:import_csv", kwargs={"project_id": world.project.pk}) not in body


def test_outsiders_get_404(world, client_for, actions):
    client = client_for(world.outsider)
    assert client.get(matrix_url(world.project)).status_code == 404
    assert client.get(map_url(world.project)).status_code == 404


def test_an_empty_plan_says_so(world, client_for):
    response = client_for(world.project_coordinator).get(matrix_url(world.project))
    assert response.status_code == 200 and response.context["matrix"].total == 0
    assert Action.objects.count() == 0


def test_matrix_and_map_pages_have_flat_query_counts(world, client_for, django_assert_max_num_queries):
    # Given a plan of 200 actions, half of them with a point
    for n in range(1, 201):
        ActionFactory(project=world.project, number=n, impact=n % 3 + 1, effort=(n // 3) % 3 + 1,
                      lon=16.166 + n / 100000 if n % 2 else None, lat=60.144 if n % 2 else None)
    client = client_for(world.project_coordinator)
    # Then each page takes a handful of queries, not one per action
    with django_assert_max_num_queries(15):
        assert client.get(matrix_url(world.project)).status_code == 200
    with django_assert_max_num_queries(15):
        response = client.get(map_url(world.project))
    assert len(response.context["located"]) == 100
