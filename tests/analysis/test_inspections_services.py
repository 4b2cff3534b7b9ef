"""Inspection services (SPEC §6.1): numbering, scores 0–20 on the organisation's active factors,
positions, photos re-encoded without metadata, the organisation's own aspect set and thresholds."""
from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from analysis.models import (
    Aspect,
    Factor,
    FactorScore,
    InspectionPoint,
    ScoreThresholds,
)
from analysis.selectors.inspections import aspects_for, point_scores, thresholds_for
from analysis.services import inspections as services
from trygga_platser.audit.models import AuditEntry
from trygga_platser.uploads.photos import PHOTO_NOT_IMAGE

from ..factories import ProjectFactory
from .factories import (
    LAT,
    LON,
    FactorFactory,
    FactorScoreFactory,
    InspectionFactory,
    shipped_factor,
)

pytestmark = pytest.mark.django_db


def jpeg_with_exif(name="punkt.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), (40, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = "Telefonmärke"  # Make
    exif[0x0131] = "Kamera-app 1.0"  # Software
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def point_data(**overrides):
    data = {"name": "Gångtunneln", "lat": LAT, "lon": LON, "note": "", "finding": ""}
    data.update(overrides)
    return data


def test_an_inspection_is_created_with_an_audit_entry(world):
    # when the coordinator creates an inspection
    inspection = services.inspection_create(user=world.project_coordinator, project=world.project,
                                            data={"title": " Kvällsbesiktning ", "time_of_day": "dark"})
    # then it is saved, trimmed, and logged
    assert inspection.title == "Kvällsbesiktning" and inspection.created_by == world.project_coordinator
    assert AuditEntry.objects.filter(project=world.project, action="inspection.created").exists()


def test_an_inspection_needs_a_title(world):
    with pytest.raises(ValidationError) as exc:
        services.inspection_create(user=world.project_coordinator, project=world.project, data={"title": "  "})
    assert str(services.TITLE_REQUIRED) in exc.value.message_dict["title"]


def test_points_are_numbered_in_order_and_a_deleted_number_is_not_reused(world):
    # given an inspection with three points
    inspection = InspectionFactory(project=world.project)
    points = [services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(name=f"P{i}"),
                                             scores={}) for i in range(3)]
    assert [p.number for p in points] == [1, 2, 3]
    # when the last one is deleted and the middle one too, and a new point is added
    services.inspection_point_delete(user=world.coach, point=points[1])
    new = services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(), scores={})
    # then the others keep their numbers and the new one follows the highest
    assert new.number == 4
    assert sorted(inspection.points.values_list("number", flat=True)) == [1, 3, 4]


def test_scores_are_saved_updated_and_cleared(world):
    # given a point scored on two factors
    inspection = InspectionFactory(project=world.project)
    light, design = shipped_factor("belysning"), shipped_factor("gestaltning")
    point = services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(),
                                           scores={light.pk: 4, str(design.pk): "12"})
    assert point_scores(point=point) == {light.pk: 4, design.pk: 12}
    # when one score changes and the other is cleared
    services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(), point=point,
                                   scores={light.pk: 20, design.pk: None})
    # then the point keeps one score
    assert point_scores(point=point) == {light.pk: 20}


@pytest.mark.parametrize("value", [-1, 21, "tjugo", 3.5])
def test_a_score_outside_0_to_20_is_refused(world, value):
    inspection = InspectionFactory(project=world.project)
    with pytest.raises(ValidationError) as exc:
        services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(),
                                       scores={shipped_factor().pk: value})
    assert str(services.SCORE_OUT_OF_RANGE) in exc.value.message_dict["scores"]
    assert not InspectionPoint.objects.exists()


def test_boundary_scores_0_and_20_are_accepted(world):
    inspection = InspectionFactory(project=world.project)
    point = services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(),
                                           scores={shipped_factor("belysning").pk: 0, shipped_factor().pk: 20})
    assert sorted(point_scores(point=point).values()) == [0, 20]


def test_a_factor_of_another_organisations_set_is_refused(world):
    # given Falun's own factor
    foreign = FactorFactory(aspect__organisation=world.other)
    inspection = InspectionFactory(project=world.project)
    # when Avesta's point is scored on it
    with pytest.raises(ValidationError) as exc:
        services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(),
                                       scores={foreign.pk: 10})
    # then it is refused
    assert str(services.FACTOR_NOT_IN_SET) in exc.value.message_dict["scores"]


def test_once_the_organisation_has_its_own_set_the_shipped_factors_are_refused_for_new_points(world):
    # given Avesta's own copy of the set
    services.aspects_customise(organisation=world.home, user=world.org_coordinator)
    inspection = InspectionFactory(project=world.project)
    # then a shipped factor is refused, the organisation's own copy accepted
    with pytest.raises(ValidationError):
        services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(),
                                       scores={shipped_factor("belysning").pk: 10})
    own = Factor.objects.filter(aspect__organisation=world.home, aspect__key="belysning").first()
    point = services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(),
                                           scores={own.pk: 10})
    assert point_scores(point=point) == {own.pk: 10}


def test_a_point_keeps_a_score_on_a_factor_retired_after_it_was_scored(world):
    # given a point scored on a factor that is then retired
    services.aspects_customise(organisation=world.home, user=world.org_coordinator)
    own = Factor.objects.filter(aspect__organisation=world.home).first()
    inspection = InspectionFactory(project=world.project)
    point = services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(),
                                           scores={own.pk: 9})
    assert services.factor_retire(factor=own, user=world.org_coordinator) is False
    # when the point is saved again with that score
    services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(), point=point,
                                   scores={own.pk: 11})
    # then it keeps it; but a new point may not use the retired factor
    assert point_scores(point=point) == {own.pk: 11}
    with pytest.raises(ValidationError):
        services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(),
                                       scores={own.pk: 11})


@pytest.mark.parametrize(("lat", "lon"), [(91, 16), (60, -181), (None, 16)])
def test_a_position_must_be_valid(world, lat, lon):
    inspection = InspectionFactory(project=world.project)
    with pytest.raises(ValidationError) as exc:
        services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(lat=lat, lon=lon),
                                       scores={})
    assert {"lat", "lon"} & set(exc.value.message_dict)


def test_a_point_outside_the_project_area_is_accepted(world):
    inspection = InspectionFactory(project=world.project)
    point = services.inspection_point_save(inspection=inspection, user=world.coach,
                                           data=point_data(lat=59.3, lon=18.0), scores={})
    assert (point.lat, point.lon) == (59.3, 18.0)


def test_html_renamed_as_png_is_refused(world):
    inspection = InspectionFactory(project=world.project)
    fake = SimpleUploadedFile("bild.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(), scores={},
                                       photo=fake)
    assert str(PHOTO_NOT_IMAGE) in exc.value.message_dict["photo"]
    assert not InspectionPoint.objects.exists()


def test_a_photo_is_re_encoded_without_exif(world):
    # given a phone photo with camera make and software in its EXIF
    inspection = InspectionFactory(project=world.project)
    upload = jpeg_with_exif()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif()
    upload.seek(0)
    # when it is saved with a point
    point = services.inspection_point_save(inspection=inspection, user=world.coach, data=point_data(), scores={},
                                           photo=upload)
    # then the stored file is a JPEG with no metadata, under the project's folder
    assert point.photo.name.startswith(f"projects/{world.project.pk}/inspections/")
    with point.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info


def test_deleting_an_inspection_removes_its_points_and_scores(world, django_capture_on_commit_callbacks):
    inspection = InspectionFactory(project=world.project)
    FactorScoreFactory(point__inspection=inspection)
    services.inspection_delete(user=world.coach, inspection=inspection)
    assert not FactorScore.objects.exists() and not InspectionPoint.objects.exists()


# --- aspects and thresholds --------------------------------------------------------------------

def test_customising_copies_the_shipped_set_with_its_keys_once(world):
    # when Avesta copies the shipped set
    copies = services.aspects_customise(organisation=world.home, user=world.org_coordinator)
    # then it has nine aspects with the same keys and factors, and the shipped set is unchanged
    shipped = aspects_for(organisation=None)
    assert [a.key for a in copies] == [a.key for a in shipped]
    own = aspects_for(organisation=world.home)
    assert [len(a.factor_list) for a in own] == [len(a.factor_list) for a in shipped]
    assert all(a.organisation_id == world.home.pk for a in own)
    # and Falun still gets the shipped set
    assert aspects_for(organisation=world.other)[0].organisation_id is None
    # and a second copy is refused
    with pytest.raises(ValidationError) as exc:
        services.aspects_customise(organisation=world.home, user=world.org_coordinator)
    assert str(services.ALREADY_CUSTOMISED) in exc.value.messages


def test_the_shipped_set_cannot_be_edited(world):
    aspect = Aspect.objects.filter(organisation__isnull=True).first()
    with pytest.raises(ValidationError):
        services.aspect_update(aspect=aspect, user=world.org_coordinator, data={"name": "Annat"})
    with pytest.raises(ValidationError):
        services.factor_retire(factor=shipped_factor(), user=world.org_coordinator)


def test_an_unscored_factor_is_deleted_and_a_scored_one_retired(world):
    services.aspects_customise(organisation=world.home, user=world.org_coordinator)
    first, second = Factor.objects.filter(aspect__organisation=world.home).order_by("pk")[:2]
    FactorScoreFactory(point__inspection__project=world.project, factor=second)
    assert services.factor_retire(factor=first, user=world.org_coordinator) is True
    assert not Factor.objects.filter(pk=first.pk).exists()
    assert services.factor_retire(factor=second, user=world.org_coordinator) is False
    second.refresh_from_db()
    assert second.active is False
    assert second.pk not in {f.pk for a in aspects_for(organisation=world.home) for f in a.factor_list}


def test_aspects_and_factors_can_be_added_and_edited(world):
    aspect = services.aspect_add(organisation=world.home, user=world.org_coordinator,
                                 data={"name": "Trafik", "name_en": "Traffic"})
    # adding copies the shipped set first, so the organisation keeps the nine and gets a tenth
    assert Aspect.objects.filter(organisation=world.home).count() == 10
    assert aspect.key == "trafik"
    factor = services.factor_add(aspect=aspect, user=world.org_coordinator, data={"name": "Hastighet"})
    services.factor_update(factor=factor, user=world.org_coordinator, data={"name": "Fart", "guidance": "Kör bilar fort?"})
    factor.refresh_from_db()
    assert (factor.name, factor.guidance) == ("Fart", "Kör bilar fort?")
    assert aspects_for(organisation=world.home)[-1].key == "trafik"


@pytest.mark.parametrize(("red", "green"), [(14, 8), (10, 10), (0, 5), (5, 21)])
def test_thresholds_must_keep_red_below_green(world, red, green):
    with pytest.raises(ValidationError):
        services.thresholds_update(organisation=world.home, user=world.org_coordinator, red_below=red, green_from=green)
    assert not ScoreThresholds.objects.filter(organisation=world.home).exists()


def test_thresholds_are_saved_and_reset(world):
    services.thresholds_update(organisation=world.home, user=world.org_coordinator, red_below=6, green_from=15)
    assert (thresholds_for(organisation=world.home).red_below, thresholds_for(organisation=world.home).green_from) == (
        6, 15)
    services.thresholds_reset(organisation=world.home, user=world.org_coordinator)
    assert thresholds_for(organisation=world.home).organisation_id is None


def test_aspect_list_and_threshold_changes_reach_the_log_of_every_project_of_the_organisation(world):
    # Given the organisation's two projects and another municipality's project
    second = ProjectFactory(municipality=world.home, name="Avesta station")
    logged = AuditEntry.objects.filter(action__startswith="inspection_settings.")

    # When a coordinator copies the aspect list, renames a factor and changes the thresholds
    services.aspects_customise(organisation=world.home, user=world.org_coordinator)
    factor = Factor.objects.filter(aspect__organisation=world.home).order_by("pk").first()
    old_name = factor.name
    services.factor_update(factor=factor, user=world.org_coordinator, data={"name": "Nytt namn"})
    services.thresholds_update(organisation=world.home, user=world.org_coordinator, red_below=6, green_from=15)
    # (saving the same thresholds again changes nothing and logs nothing)
    services.thresholds_update(organisation=world.home, user=world.org_coordinator, red_below=6, green_from=15)
    services.thresholds_reset(organisation=world.home, user=world.org_coordinator)

    # Then each of the organisation's projects has the four entries, with who and what changed
    for project in (world.project, second):
        actions = list(logged.filter(project=project).order_by("pk").values_list("action", flat=True))
        assert actions == ["inspection_settings.customised", "inspection_settings.factor_updated",
                           "inspection_settings.thresholds_changed", "inspection_settings.thresholds_reset"]
    renamed = logged.get(project=second, action="inspection_settings.factor_updated")
    assert renamed.actor == world.org_coordinator and renamed.changes == {"name": [old_name, "Nytt namn"]}
    assert logged.get(project=second, action="inspection_settings.thresholds_changed").changes == {
        "red_below": [8, 6], "green_from": [14, 15]}
    # And the other municipality's log is untouched
    assert not logged.filter(project=world.other_project).exists()


def test_the_project_log_page_shows_an_organisation_setting_change(world, client_for):
    from django.urls import reverse

    services.thresholds_update(organisation=world.home, user=world.org_coordinator, red_below=6, green_from=15)
    page = client_for(world.project_coordinator).get(reverse("projects:audit", kwargs={"project_id": world.project.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ändrade färggränserna för trygghetsbesiktningar: rött under 6, grönt från 15" in body
