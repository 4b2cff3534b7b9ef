"""Point audits (SPEC §6.2): members record on a phone, authors change their own, coordinators see
all, county boards see aggregates without names or notes; the low-feeling analysis; flat queries."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis.models import PointAudit
from analysis.services import audits as services
from trygga_platser.tenancy.access import project_get_for_user

from .factories import LAT, LON, PointAuditFactory
from .test_inspections_services import jpeg_with_exif

pytestmark = pytest.mark.django_db

PARAMS = ("lighting", "openness", "visibility", "people", "security", "walk_path", "public_transport",
          "gender_usage")


def url(name, project, **kwargs):
    return reverse(f"analysis:{name}", kwargs={"project_id": project.pk, **kwargs})


def audit_post(**overrides):
    data = {key: "2" for key in PARAMS}
    data.update({"feeling": "1", "date": "2026-03-12", "time_of_day": "dark", "lat": str(LAT), "lon": str(LON),
                 "note": "Mörkt vid cykelstället"})
    data.update(overrides)
    return data


def test_a_member_records_an_audit_on_the_phone_form(world, client_for):
    client = client_for(world.member)
    page = client.get(url("audit_create", world.project))
    assert page.status_code == 200
    html = page.content.decode()
    # radio groups with a legend each, the shared map script and the photo from the camera
    assert html.count("<legend>") >= 10 and 'type="radio"' in html and "js/point-entry.js" in html
    assert 'capture="environment"' in html
    response = client.post(url("audit_create", world.project), audit_post(photo=jpeg_with_exif()))
    assert response.status_code == 302
    audit = PointAudit.objects.get()
    assert (audit.author, audit.lighting, audit.feeling, audit.time_of_day) == (world.member, 2, 1, "dark")
    assert audit.photo.name.startswith(f"projects/{world.project.pk}/audits/")


def test_values_outside_0_to_3_are_refused(world, client_for):
    response = client_for(world.member).post(url("audit_create", world.project), audit_post(lighting="4"))
    assert response.status_code == 400 and "lighting" in response.context["form"].errors
    with pytest.raises(ValidationError) as exc:
        services.point_audit_create(user=world.member, project=world.project,
                                    data={**{k: 2 for k in PARAMS}, "feeling": 5, "lat": LAT, "lon": LON})
    assert str(services.AUDIT_VALUE_OUT_OF_RANGE) in exc.value.message_dict["feeling"]
    assert not PointAudit.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("project_viewer", 403), ("county_officer", 403), ("org_member", 403),
                                             ("member", 200), ("coach", 200), ("outsider", 404),
                                             ("other_coordinator", 404)])
def test_who_may_record_an_audit(world, client_for, who, status):
    assert client_for(getattr(world, who)).get(url("audit_create", world.project)).status_code == status


def test_an_author_changes_their_own_audit_and_not_anothers(world, client_for):
    own = PointAuditFactory(project=world.project, author=world.member)
    other = PointAuditFactory(project=world.project)
    client = client_for(world.member)
    assert client.get(url("audit", world.project, audit_id=own.pk)).status_code == 200
    client.post(url("audit", world.project, audit_id=own.pk), audit_post(lighting="0"))
    own.refresh_from_db()
    assert own.lighting == 0
    assert client.get(url("audit", world.project, audit_id=other.pk)).status_code == 403
    assert client.post(url("audit_delete", world.project, audit_id=other.pk)).status_code == 403
    assert client.post(url("audit_delete", world.project, audit_id=own.pk)).status_code == 302
    assert not PointAudit.objects.filter(pk=own.pk).exists()


def test_a_coordinator_sees_authors_and_changes_every_audit(world, client_for):
    audit = PointAuditFactory(project=world.project, author=world.member, note="Fint")
    client = client_for(world.project_coordinator)
    page = client.get(url("audits", world.project)).content.decode()
    assert world.member.get_full_name() in page and "Fint" in page
    assert client.get(url("audit", world.project, audit_id=audit.pk)).status_code == 200
    access = project_get_for_user(user=world.project_viewer, project_id=world.project.pk).access
    with pytest.raises(PermissionDenied):
        services.point_audit_delete(user=world.project_viewer, access=access, audit=audit)


def test_the_county_board_sees_scores_and_photos_but_no_names_or_notes(world, client_for):
    audit = PointAuditFactory(project=world.project, author=world.member, note="Hemlig anteckning")
    audit.photo = "projects/x/audits/a.jpg"
    audit.save()
    page = client_for(world.county_officer).get(url("audits", world.project)).content.decode()
    assert world.member.get_full_name() not in page and world.member.email not in page
    assert "Hemlig anteckning" not in page
    assert "rag-" in page and url("audit_photo", world.project, audit_id=audit.pk) in page
    assert f'href="{url("audit", world.project, audit_id=audit.pk)}"' not in page


def test_a_member_sees_others_audits_without_names(world, client_for):
    PointAuditFactory(project=world.project, author=world.coach)
    page = client_for(world.member).get(url("audits", world.project)).content.decode()
    assert world.coach.get_full_name() not in page


def test_the_audit_photo_is_access_checked(world, client_for):
    client_for(world.member).post(url("audit_create", world.project), audit_post(photo=jpeg_with_exif()))
    audit = PointAudit.objects.get()
    photo_url = url("audit_photo", world.project, audit_id=audit.pk)
    assert client_for(world.county_officer).get(photo_url).status_code == 200
    assert client_for(world.other_coordinator).get(photo_url).status_code == 404
    assert client_for(world.outsider).get(photo_url).status_code == 404


def test_the_list_says_too_few_for_a_correlation_below_five(world, client_for):
    PointAuditFactory.create_batch(3, project=world.project)
    response = client_for(world.member).get(url("audits", world.project))
    assert response.context["min_n"] == 5 and not response.context["has_rho"]
    # and from five varied audits it shows the correlation
    for feeling in range(4):
        PointAuditFactory(project=world.project, feeling=feeling, lighting=feeling)
    response = client_for(world.member).get(url("audits", world.project))
    assert response.context["has_rho"]
    lighting = next(p for p in response.context["parameters"] if p.key == "lighting")
    assert lighting.rho > 0.5 and lighting.difference > 0


def test_the_audit_list_runs_a_flat_number_of_queries(world, client_for):
    client = client_for(world.project_coordinator)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("audits", world.project)).status_code == 200
        return len(ctx)

    PointAuditFactory.create_batch(2, project=world.project)
    small = count()
    PointAuditFactory.create_batch(20, project=world.project)
    assert count() == small
