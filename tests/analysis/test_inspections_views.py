"""Inspection pages (SPEC §6.1): roles, isolation, point entry with scores and photo, colours with
text labels, open findings and action links, the organisation's aspect settings, flat queries."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplans.models import ActionFinding
from analysis.models import Aspect, Factor, Inspection, InspectionPoint, ScoreThresholds
from analysis.selectors.inspections import point_scores
from projects.evidence import evidence_for

from ..actionplans.factories import ActionFactory, ActionFindingFactory
from .factories import (
    LAT,
    LON,
    FactorFactory,
    FactorScoreFactory,
    InspectionFactory,
    InspectionPointFactory,
    shipped_factor,
)
from .test_inspections_services import jpeg_with_exif

pytestmark = pytest.mark.django_db


def url(name, project, **kwargs):
    return reverse(f"analysis:{name}", kwargs={"project_id": project.pk, **kwargs})


@pytest.mark.parametrize("who", ["org_coordinator", "project_coordinator", "coach", "member", "project_viewer",
                                 "county_officer", "org_member"])
def test_everyone_who_sees_the_project_sees_the_inspections(world, client_for, who):
    inspection = InspectionFactory(project=world.project)
    client = client_for(getattr(world, who))
    assert client.get(url("inspections", world.project)).status_code == 200
    assert client.get(url("inspection", world.project, inspection_id=inspection.pk)).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "other_coordinator", "other_county_officer"])
def test_others_get_404(world, client_for, who):
    inspection = InspectionFactory(project=world.project)
    client = client_for(getattr(world, who))
    assert client.get(url("inspections", world.project)).status_code == 404
    assert client.get(url("inspection", world.project, inspection_id=inspection.pk)).status_code == 404


def test_another_projects_inspection_under_own_project_is_404(world, client_for):
    foreign = InspectionFactory(project=world.other_project)
    response = client_for(world.org_coordinator).get(url("inspection", world.project, inspection_id=foreign.pk))
    assert response.status_code == 404


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("project_viewer", 403), ("county_officer", 403),
                                             ("coach", 200), ("project_coordinator", 200)])
def test_only_editors_create_inspections_and_points(world, client_for, who, status):
    inspection = InspectionFactory(project=world.project)
    client = client_for(getattr(world, who))
    assert client.get(url("inspection_create", world.project)).status_code == status
    assert client.get(url("point_create", world.project, inspection_id=inspection.pk)).status_code == status


def test_creating_an_inspection_leads_to_its_first_point(world, client_for):
    client = client_for(world.project_coordinator)
    response = client.post(url("inspection_create", world.project), {
        "title": "Mörkerbesiktning", "date": "2026-03-02", "time_of_day": "dark", "purpose": "baseline",
        "inspectors": "Anna (kommunen)", "notes": ""})
    inspection = Inspection.objects.get(project=world.project)
    assert response.status_code == 302
    assert response["Location"] == url("point_create", world.project, inspection_id=inspection.pk)


def test_a_point_is_recorded_with_scores_and_a_photo_and_shown_coloured(world, client_for):
    # given an inspection and the phone form
    inspection = InspectionFactory(project=world.project)
    client = client_for(world.coach)
    form_page = client.get(url("point_create", world.project, inspection_id=inspection.pk))
    light, design = shipped_factor("belysning"), shipped_factor("gestaltning")
    html = form_page.content.decode()
    assert f'name="score_{light.pk}"' in html and 'inputmode="numeric"' in html and 'capture="environment"' in html
    # when a point is posted with two scores and a photo
    response = client.post(url("point_create", world.project, inspection_id=inspection.pk), {
        "name": "Gångtunneln", "lat": str(LAT), "lon": str(LON), "note": "Trångt", "finding": "Byt armaturer",
        f"score_{light.pk}": "3", f"score_{design.pk}": "9", "photo": jpeg_with_exif()})
    # then it is saved with its number, scores and photo, and the page shows it red with a text label
    point = InspectionPoint.objects.get(inspection=inspection)
    assert response.status_code == 302 and response["Location"].endswith(f"#point-{point.pk}")
    assert (point.number, point_scores(point=point)) == (1, {light.pk: 3, design.pk: 9})
    assert point.photo
    page = client.get(url("inspection", world.project, inspection_id=inspection.pk)).content.decode()
    assert "rag-red" in page and _("Red") in page and "<svg" in page
    assert f"?inspection_point={point.pk}" in page  # the open finding offers "Create action"


def test_an_invalid_point_re_renders_with_errors_next_to_the_fields(world, client_for):
    inspection = InspectionFactory(project=world.project)
    light = shipped_factor("belysning")
    response = client_for(world.coach).post(url("point_create", world.project, inspection_id=inspection.pk), {
        "name": "", "lat": "95", "lon": str(LON), f"score_{light.pk}": "25"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"name", "lat", f"score_{light.pk}"}
    assert not InspectionPoint.objects.exists()


def test_save_and_add_another_goes_to_a_new_point(world, client_for):
    inspection = InspectionFactory(project=world.project)
    response = client_for(world.coach).post(url("point_create", world.project, inspection_id=inspection.pk), {
        "name": "Torget", "lat": str(LAT), "lon": str(LON), "another": "1"})
    assert response["Location"] == url("point_create", world.project, inspection_id=inspection.pk)


def test_editing_a_point_shows_its_scores_and_saves_changes(world, client_for):
    point = InspectionPointFactory(inspection__project=world.project)
    FactorScoreFactory(point=point, factor=shipped_factor("belysning"), score=7)
    client = client_for(world.coach)
    edit_url = url("point", world.project, inspection_id=point.inspection_id, point_id=point.pk)
    assert client.get(edit_url).context["form"].initial[f"score_{shipped_factor('belysning').pk}"] == 7
    client.post(edit_url, {"name": "Nytt namn", "lat": str(LAT), "lon": str(LON),
                           f"score_{shipped_factor('belysning').pk}": "15"})
    point.refresh_from_db()
    assert point.name == "Nytt namn" and point_scores(point=point) == {shipped_factor("belysning").pk: 15}


def test_a_point_with_an_action_shows_its_code_and_is_not_an_open_finding(world, client_for):
    point = InspectionPointFactory(inspection__project=world.project, finding="Röj buskarna")
    action = ActionFactory(project=world.project, number=7)
    ActionFindingFactory(action=action, kind=ActionFinding.Kind.INSPECTION_POINT, ref=str(point.pk))
    page = client_for(world.project_coordinator).get(
        url("inspection", world.project, inspection_id=point.inspection_id)).content.decode()
    assert ">A7</a>" in page
    assert f"?inspection_point={point.pk}" not in page


def test_county_board_sees_scores_but_not_the_inspectors_names_and_no_edit_links(world, client_for):
    point = InspectionPointFactory(inspection__project=world.project, inspection__inspectors="Anna Andersson",
                                   finding="Mörkt")
    page = client_for(world.county_officer).get(
        url("inspection", world.project, inspection_id=point.inspection_id)).content.decode()
    assert "Anna Andersson" not in page
    assert f'href="{url("point", world.project, inspection_id=point.inspection_id, point_id=point.pk)}"' not in page
    assert "?inspection_point=" not in page


def test_the_point_photo_is_served_through_the_access_module(world, client_for):
    inspection = InspectionFactory(project=world.project)
    client = client_for(world.coach)
    client.post(url("point_create", world.project, inspection_id=inspection.pk), {
        "name": "Torget", "lat": str(LAT), "lon": str(LON), "photo": jpeg_with_exif()})
    point = InspectionPoint.objects.get()
    photo_url = url("point_photo", world.project, inspection_id=inspection.pk, point_id=point.pk)
    response = client_for(world.county_officer).get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client_for(world.other_coordinator).get(photo_url).status_code == 404
    assert client_for(world.outsider).get(photo_url).status_code == 404


def test_deleting_a_point_and_an_inspection(world, client_for):
    point = InspectionPointFactory(inspection__project=world.project)
    client = client_for(world.coach)
    delete_url = url("point_delete", world.project, inspection_id=point.inspection_id, point_id=point.pk)
    assert client.get(delete_url).status_code == 200
    assert client.post(delete_url).status_code == 302
    assert not InspectionPoint.objects.exists()
    assert client_for(world.member).post(
        url("inspection_delete", world.project, inspection_id=point.inspection_id)).status_code == 403
    client_for(world.coach).post(url("inspection_delete", world.project, inspection_id=point.inspection_id))
    assert not Inspection.objects.exists()


def _fill(project, points: int):
    inspection = InspectionFactory(project=project)
    for i in range(points):
        point = InspectionPointFactory(inspection=inspection, finding="Något" if i % 2 else "")
        FactorScoreFactory(point=point, factor=shipped_factor("belysning"), score=i % 21)
        FactorScoreFactory(point=point, factor=shipped_factor("gestaltning"), score=(i * 3) % 21)
        if i % 3 == 0:
            point.photo = "projects/x/inspections/a.jpg"
            point.save()
    return inspection


def test_the_inspection_page_and_list_run_a_flat_number_of_queries(world, client_for):
    client = client_for(world.project_coordinator)

    def count(inspection):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("inspection", world.project, inspection_id=inspection.pk)).status_code == 200
            assert client.get(url("inspections", world.project)).status_code == 200
        return len(ctx)

    small = count(_fill(world.project, 2))
    big = _fill(world.project, 25)
    ActionFindingFactory(action=ActionFactory(project=world.project), kind=ActionFinding.Kind.INSPECTION_POINT,
                         ref=str(big.points.last().pk))
    assert count(big) == small


# --- the organisation's aspects ----------------------------------------------------------------

def test_coordinators_of_the_municipality_manage_the_aspects(world, client_for):
    client = client_for(world.org_coordinator)
    page = client.get(reverse("analysis:aspects"))
    assert page.status_code == 200 and page.context["own"] is False
    # when they make their own copy
    response = client.post(reverse("analysis:aspects"), {"organisation": world.home.pk})
    assert response.status_code == 302
    assert Aspect.objects.filter(organisation=world.home).count() == 9
    # then they can edit an aspect and a factor of it
    aspect = Aspect.objects.get(organisation=world.home, key="belysning")
    client.post(reverse("analysis:aspect_edit", kwargs={"aspect_id": aspect.pk}),
                {"organisation": world.home.pk, "name": "Ljus", "name_en": "Light", "position": 5})
    aspect.refresh_from_db()
    assert aspect.name == "Ljus"
    factor = aspect.factors.first()
    client.post(reverse("analysis:factor_edit", kwargs={"factor_id": factor.pk}),
                {"name": "Lampor", "guidance": "Lyser de?"})
    factor.refresh_from_db()
    assert factor.name == "Lampor"
    # and retire it (unscored: deleted)
    client.post(reverse("analysis:factor_edit", kwargs={"factor_id": factor.pk}), {"retire": "1"})
    assert not Factor.objects.filter(pk=factor.pk).exists()
    # and add a factor
    client.post(reverse("analysis:factor_add", kwargs={"aspect_id": aspect.pk}), {"name": "Ny faktor"})
    assert aspect.factors.filter(name="Ny faktor").exists()


def test_thresholds_are_edited_on_the_settings_page(world, client_for):
    client = client_for(world.org_coordinator)
    response = client.post(reverse("analysis:thresholds"), {"organisation": world.home.pk, "red_below": 14,
                                                            "green_from": 8})
    assert response.status_code == 400
    client.post(reverse("analysis:thresholds"), {"organisation": world.home.pk, "red_below": 6, "green_from": 12})
    assert world.home.score_thresholds.red_below == 6


@pytest.mark.parametrize("who", ["member", "coach", "project_coordinator", "county_officer", "org_member"])
def test_people_who_do_not_coordinate_a_municipality_cannot_open_the_aspects(world, client_for, who):
    assert client_for(getattr(world, who)).get(reverse("analysis:aspects")).status_code == 403


def test_another_organisations_aspect_and_factor_are_404(world, client_for):
    foreign = FactorFactory(aspect__organisation=world.other)
    client = client_for(world.org_coordinator)
    assert client.get(reverse("analysis:aspect_edit", kwargs={"aspect_id": foreign.aspect_id})).status_code == 404
    assert client.get(reverse("analysis:factor_edit", kwargs={"factor_id": foreign.pk})).status_code == 404
    assert client.get(reverse("analysis:aspects") + f"?organisation={world.other.pk}").status_code == 404
    # and the shipped set is not editable through the URLs either
    shipped = Aspect.objects.filter(organisation__isnull=True).first()
    assert client.get(reverse("analysis:aspect_edit", kwargs={"aspect_id": shipped.pk})).status_code == 404


def test_the_organisations_own_thresholds_colour_the_inspection_page(world, client_for):
    # given Avesta's thresholds (red below 10) and a point scoring 9 (yellow by default)
    ScoreThresholds.objects.create(organisation=world.home, red_below=10, green_from=16)
    point = InspectionPointFactory(inspection__project=world.project)
    FactorScoreFactory(point=point, score=9)
    page = client_for(world.coach).get(url("inspection", world.project, inspection_id=point.inspection_id))
    # then the point is red on the page
    assert page.context["detail"].points[0].colour == "red"
    assert "rag-red" in page.content.decode()


def test_inspection_evidence_is_done_once_a_point_is_scored(world):
    # given one inspection with a scored point and one without scores
    scored = InspectionFactory(project=world.project, title="Med poäng")
    FactorScoreFactory(point__inspection=scored)
    InspectionPointFactory(inspection__project=world.project, inspection__title="Utan poäng")
    # when the evidence of the "inspection" activities is read
    links = evidence_for(project=world.project, kinds={"inspection"})["inspection"]
    # then each inspection is linked, and only the scored one is done
    done = {link.url: link.done for link in links}
    assert done[url("inspection", world.project, inspection_id=scored.pk)] is True
    assert sorted(done.values()) == [False, True]
    assert evidence_for(project=world.other_project, kinds={"inspection"})["inspection"] == []
