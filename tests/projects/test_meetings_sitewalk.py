"""Site walks (SPEC §3.6): the route of stops, observations entered on a phone with a photo and a
point, photos served only through the access module, findings, evidence and the protocol PDF."""
from __future__ import annotations

import io
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from projects.evidence import evidence_for
from projects.models import Observation, SiteWalkStop
from projects.services import meetings as services
from trygga_platser.reports.models import Report
from trygga_platser.reports.services import report_run
from trygga_platser.uploads.photos import PHOTO_NOT_IMAGE, PHOTO_TOO_LARGE

from ..conftest import require
from .factories_meetings import (
    GuestFactory,
    MeetingFactory,
    ObservationFactory,
    SiteWalkFactory,
    StopFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db


def url(name: str, meeting, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_id": meeting.project_id, "meeting_id": meeting.pk, **kwargs})


def stored_photos(project) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "projects" / str(project.pk) / "observations"
    return list(folder.glob("*")) if folder.exists() else []


@pytest.fixture
def walk(world):
    return SiteWalkFactory(project=world.project)


def observation_data(**overrides) -> dict:
    return {"text": "Trasig belysning i gångtunneln", "category": "sakerhet", "stop": "", "lon": "", "lat": "",
            **overrides}


# ------------------------------------------------------------------------------------------------
# The route
# ------------------------------------------------------------------------------------------------

def test_stops_are_added_in_order(world, client_for, walk):
    client = client_for(world.coach)
    for name, lon in (("Busstorget", "16.1660"), ("Gångtunneln", "16.1690")):
        response = client.post(url("stop_new", walk), {"name": name, "lon": lon, "lat": "60.1445", "note": ""})
        assert response.status_code == 302
    assert list(walk.stops.values_list("order", "name", "lon")) == [(1, "Busstorget", 16.166), (2, "Gångtunneln", 16.169)]


@pytest.mark.parametrize(("data", "field"), [
    ({"name": "", "lon": "16.1", "lat": "60.1"}, "name"),
    ({"name": "A", "lon": "216.1", "lat": "60.1"}, "lon"),
    ({"name": "A", "lon": "16.1", "lat": ""}, "lat"),
    ({"name": "A", "lon": "öst", "lat": "60.1"}, "lon"),
])
def test_a_stop_needs_a_name_and_a_valid_point(world, client_for, walk, data, field):
    response = client_for(world.coach).post(url("stop_new", walk), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not walk.stops.exists()


def test_stops_are_reordered_and_removed(world, client_for, walk):
    first, second, third = (StopFactory(meeting=walk, order=i, name=n) for i, n in enumerate("ABC", start=1))
    client = client_for(world.coach)
    kept = ObservationFactory(meeting=walk, stop=second)

    client.post(url("stop_move", walk, stop_id=third.pk), {"direction": "up"})
    assert list(walk.stops.order_by("order").values_list("name", flat=True)) == ["A", "C", "B"]
    client.post(url("stop_move", walk, stop_id=first.pk), {"direction": "up"})  # already first: no change
    assert list(walk.stops.order_by("order").values_list("name", flat=True)) == ["A", "C", "B"]
    client.post(url("stop_remove", walk, stop_id=second.pk))

    kept.refresh_from_db()
    assert list(walk.stops.order_by("order").values_list("name", flat=True)) == ["A", "C"]
    assert kept.stop is None  # the observation stays


def test_only_a_site_walk_has_stops(world, client_for):
    workshop = MeetingFactory(project=world.project)
    client = client_for(world.coach)
    assert client.get(url("stop_new", workshop)).status_code == 404
    assert client.get(url("observation_new", workshop)).status_code == 404


def test_a_member_cannot_change_the_route(world, client_for, walk):
    stop = StopFactory(meeting=walk)
    client = client_for(world.member)
    assert client.post(url("stop_new", walk), {"name": "X", "lon": "16", "lat": "60"}).status_code == 403
    assert client.post(url("stop_remove", walk, stop_id=stop.pk)).status_code == 403
    assert walk.stops.count() == 1


def test_the_route_is_drawn_with_numbered_stops(world, client_for, walk):
    StopFactory(meeting=walk, order=1, name="Busstorget", lon=16.166)
    StopFactory(meeting=walk, order=2, name="Gångtunneln", lon=16.169)
    ObservationFactory(meeting=walk, lon=16.167, lat=60.1447)
    html = client_for(world.member).get(url("meeting", walk)).content.decode()
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "<polyline" in svg and "1. Busstorget" in svg and "2. Gångtunneln" in svg
    assert svg.count("<circle") >= 2 and "<path d=\"M" in svg  # stops and an observation diamond
    assert 'role="img"' in svg and "<desc" in svg


# ------------------------------------------------------------------------------------------------
# Observations
# ------------------------------------------------------------------------------------------------

def test_the_observation_page_is_made_for_phones(world, client_for, walk):
    stop = StopFactory(meeting=walk, lon=16.1677, lat=60.1449)
    html = client_for(world.member).get(url("observation_new", walk) + f"?stop={stop.pk}").content.decode()
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html and "js/meetings.js" in html
    # the point is prefilled from the chosen stop, and the stop carries it for the script
    assert 'value="16.1677"' in html and 'value="60.1449"' in html and 'data-lon="16.1677"' in html
    assert 'type="radio"' in html and "data-geolocate hidden" in html


def test_a_member_adds_an_observation_at_a_stop(world, client_for, walk):
    stop = StopFactory(meeting=walk)
    response = client_for(world.member).post(url("observation_new", walk), observation_data(
        stop=stop.pk, lon="16.1677", lat="60.1449"))
    observation = Observation.objects.get()
    assert response.status_code == 302
    assert (observation.stop, observation.created_by, observation.category) == (stop, world.member, "sakerhet")
    assert (observation.lon, observation.lat, observation.finding_status) == (16.1677, 60.1449, "noted")


@pytest.mark.parametrize(("data", "field", "message"), [
    (observation_data(text=""), "text", "Describe what you saw."),
    (observation_data(category=""), "category", "Choose a work area."),
    (observation_data(lon="16.1"), "lon", str(services.POINT_INCOMPLETE)),
])
def test_observation_input_errors_are_clear(world, client_for, walk, data, field, message):
    response = client_for(world.member).post(url("observation_new", walk), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [sv(message)]
    assert not Observation.objects.exists()


def test_a_stop_of_another_walk_is_refused(world, client_for, walk):
    other_stop = StopFactory(meeting=SiteWalkFactory(project=world.project))
    response = client_for(world.member).post(url("observation_new", walk), observation_data(stop=other_stop.pk))
    assert response.status_code == 200 and "stop" in response.context["form"].errors
    assert not Observation.objects.exists()


@pytest.mark.parametrize("who", ["project_viewer", "org_member", "county_officer"])
def test_viewers_and_county_officers_cannot_add_observations(world, client_for, walk, who):
    response = client_for(getattr(world, who)).post(url("observation_new", walk), observation_data())
    assert response.status_code == 403 and not Observation.objects.exists()


def test_a_member_changes_their_own_observation_but_not_others(world, client_for, walk):
    own = ObservationFactory(meeting=walk, created_by=world.member)
    others = ObservationFactory(meeting=walk, created_by=world.coach)
    client = client_for(world.member)

    ok = client.post(url("observation_edit", walk, observation_id=own.pk), observation_data(text="Rättat"))
    refused = client.post(url("observation_edit", walk, observation_id=others.pk), observation_data(text="Nej"))
    refused_delete = client.post(url("observation_delete", walk, observation_id=others.pk))

    own.refresh_from_db(), others.refresh_from_db()
    assert ok.status_code == 302 and own.text == "Rättat"
    assert refused.status_code == refused_delete.status_code == 403 and others.text != "Nej"


def test_an_editor_edits_and_deletes_any_observation(world, client_for, walk, django_capture_on_commit_callbacks):
    observation = ObservationFactory(meeting=walk, created_by=world.member)
    observation.photo.save("x.jpg", ContentFile(jpeg_bytes()), save=True)
    photo_path = Path(observation.photo.path)
    client = client_for(world.coach)
    assert client.post(url("observation_edit", walk, observation_id=observation.pk),
                       observation_data(text="Redigerad")).status_code == 302
    observation.refresh_from_db()
    assert observation.text == "Redigerad" and observation.photo  # a photo is kept unless removed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("observation_delete", walk, observation_id=observation.pk))
    assert response.status_code == 302 and not Observation.objects.exists()
    assert not photo_path.exists()  # the file goes with it


def test_an_editor_keeps_an_observation_as_a_finding(world, client_for, walk):
    observation = ObservationFactory(meeting=walk)
    assert client_for(world.member).post(url("observation_finding", walk, observation_id=observation.pk),
                                         {"keep": "1"}).status_code == 403
    client = client_for(world.coach)
    client.post(url("observation_finding", walk, observation_id=observation.pk), {"keep": "1"})
    observation.refresh_from_db()
    assert observation.finding_status == "finding"
    page = client.get(url("meeting", walk)).content.decode()
    # Turning it into an action waits for the action plan: said, not linked
    assert sv("Kept as a finding") in page
    # And the editor is offered to turn it into an action, with the link kept
    assert f"?observation={observation.pk}" in page
    client.post(url("observation_finding", walk, observation_id=observation.pk), {"keep": "0"})
    observation.refresh_from_db()
    assert observation.finding_status == "noted"


# ------------------------------------------------------------------------------------------------
# Photos
# ------------------------------------------------------------------------------------------------

def _upload(client, walk, content: bytes, name: str, content_type: str = "image/jpeg"):
    photo = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(url("observation_new", walk), {**observation_data(), "photo": photo})


@pytest.mark.parametrize(("content", "name", "content_type"), [
    (b"Hej, det har ar en textfil.\n" * 20, "anteckning.txt", "text/plain"),
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "bild.png", "image/png"),
])
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_stored(world, client_for, walk, content, name, content_type):
    response = _upload(client_for(world.member), walk, content, name, content_type)
    assert response.status_code == 200
    assert response.context["form"].errors["photo"] == [str(PHOTO_NOT_IMAGE)]
    assert str(PHOTO_NOT_IMAGE) in response.content.decode()
    assert not Observation.objects.exists() and stored_photos(world.project) == []


def test_an_oversize_photo_is_refused_and_nothing_stored(world, client_for, walk, settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    big = jpeg_bytes(size=(10, 10)) + b"\0" * (1024 * 1024 + 1)
    response = _upload(client_for(world.member), walk, big, "stor.jpg")
    assert response.context["form"].errors["photo"] == [str(PHOTO_TOO_LARGE % {"mb": 1})]
    assert not Observation.objects.exists() and stored_photos(world.project) == []


def test_a_photo_loses_its_gps_metadata(world, client_for, walk):
    # Given a JPEG carrying the camera and its position in EXIF
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    exif[0x8825] = {1: "N", 2: (60.0, 8.0, 40.0), 3: "E", 4: (16.0, 10.0, 5.0), 0x1B: b"ASCII\0\0\0GPS"}
    original = jpeg_bytes(exif=exif)
    assert b"GPS" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)

    # When a member uploads it with an observation
    response = _upload(client_for(world.member), walk, original, "IMG_0001.jpg")

    # Then the stored photo is a fresh JPEG with no EXIF at all
    observation = Observation.objects.get()
    stored = Path(observation.photo.path).read_bytes()
    assert response.status_code == 302
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
    assert len(Image.open(io.BytesIO(stored)).getexif()) == 0
    assert b"GPS" not in stored and b"TestCam" not in stored and b"Exif" not in stored
    assert observation.photo.name.startswith(f"projects/{world.project.pk}/observations/")


@pytest.fixture
def photographed(walk):
    observation = ObservationFactory(meeting=walk)
    observation.photo.save("x.jpg", ContentFile(jpeg_bytes()), save=True)
    return observation


def test_the_photo_is_served_privately_through_the_access_check(world, client_for, walk, photographed):
    response = client_for(world.project_viewer).get(url("observation_photo", walk, observation_id=photographed.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg" and response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    # and the page links the view, never the file under MEDIA_URL
    page = client_for(world.member).get(url("meeting", walk)).content.decode()
    assert url("observation_photo", walk, observation_id=photographed.pk) in page
    assert settings.MEDIA_URL not in page and photographed.photo.name not in page


def test_the_photo_is_404_for_another_municipality_and_403_for_a_county_officer(world, client_for, walk, photographed):
    target = url("observation_photo", walk, observation_id=photographed.pk)
    assert client_for(world.other_coordinator).get(target).status_code == 404
    assert client_for(world.county_officer).get(target).status_code == 403


def test_an_observation_without_photo_has_no_photo_url(world, client_for, walk):
    observation = ObservationFactory(meeting=walk)
    assert client_for(world.member).get(url("observation_photo", walk, observation_id=observation.pk)).status_code == 404


# ------------------------------------------------------------------------------------------------
# The walk's page: a constant number of queries
# ------------------------------------------------------------------------------------------------

def _fill(walk, stops: int, per_stop: int, loose: int, creator):
    for index in range(stops):
        stop = StopFactory(meeting=walk)
        ObservationFactory.create_batch(per_stop, meeting=walk, stop=stop, created_by=creator, lon=16.1 + index / 100,
                                        lat=60.14)
    ObservationFactory.create_batch(loose, meeting=walk, created_by=creator)
    GuestFactory.create_batch(stops, meeting=walk)


def test_the_walk_page_queries_do_not_grow_with_observations(world, client_for, walk):
    client = client_for(world.member)
    _fill(walk, stops=1, per_stop=1, loose=1, creator=world.member)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("meeting", walk)).status_code == 200
    _fill(walk, stops=6, per_stop=5, loose=4, creator=world.coach)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("meeting", walk))
    assert response.context["route"].observation_count == 2 + 30 + 4
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# ------------------------------------------------------------------------------------------------
# Evidence for step activities
# ------------------------------------------------------------------------------------------------

def test_meetings_are_the_evidence_of_their_kind(world):
    held = SiteWalkFactory(project=world.project, status="held", title="Vandring 1")
    SiteWalkFactory(project=world.project, status="cancelled", title="Inställd")
    planned_workshop = MeetingFactory(project=world.project, title="Workshop A")
    SiteWalkFactory(project=world.other_project, title="Falun")

    evidence = evidence_for(project=world.project, kinds={"site_walk", "workshop", "training"})

    assert [(link.label.split(",")[0], link.done) for link in evidence["site_walk"]] == [("Vandring 1", True)]
    assert evidence["site_walk"][0].url == url("meeting", held)
    assert [(link.url, link.done) for link in evidence["workshop"]] == [(url("meeting", planned_workshop), False)]
    assert evidence["training"] == []


# ------------------------------------------------------------------------------------------------
# The protocol
# ------------------------------------------------------------------------------------------------

def test_the_protocol_pdf_has_the_stops_and_observations(world, walk):
    require(Path("/usr/bin/pdftotext").exists(), "pdftotext (poppler-utils) is needed to read the PDF")
    start = timezone.now() - timedelta(days=2)
    walk.starts_at, walk.ends_at, walk.status = start, start + timedelta(hours=2), "held"
    walk.decisions = "Kommunen lagar belysningen i gångtunneln."
    walk.save()
    stop = StopFactory(meeting=walk, name="Gångtunneln under järnvägen", lon=16.169, lat=60.1447)
    observation = ObservationFactory(meeting=walk, stop=stop, text="Tre trasiga armaturer", lon=16.1691, lat=60.1446)
    observation.photo.save("x.jpg", ContentFile(jpeg_bytes()), save=True)
    GuestFactory(meeting=walk, guest_name="Eva Ek", attended=True)
    report = Report.objects.create(kind="site_walk_protocol", project=world.project, author=world.project_coordinator)

    report_run(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    text = subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True, check=True,
                          text=True).stdout
    assert "Gångtunneln under järnvägen" in text and "Tre trasiga armaturer" in text
    assert "Eva Ek" in text and "Kommunen lagar belysningen" in text
    assert report.file.name.endswith(".pdf") and "platsvandringsprotokoll" in report.file.name
    # And the observation's photo is embedded (the route map is vector, so it is the only image)
    images = subprocess.run(["pdfimages", "-list", report.file.path], capture_output=True, check=True,
                            text=True).stdout.strip().splitlines()[2:]
    assert len(images) == 1 and " jpeg " in f" {images[0]} " or "dct" in images[0]


def test_the_protocol_needs_personal_access(world, client_for, walk):
    response = client_for(world.county_officer).post(reverse("reports:create", kwargs={"project_id": world.project.pk}),
                                                     {"kind": "site_walk_protocol"})
    assert response.status_code == 403 and not Report.objects.exists()


def test_a_project_without_site_walk_gets_a_short_protocol(world):
    report = Report.objects.create(kind="site_walk_protocol", project=world.project, author=world.project_coordinator)
    report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE


def test_each_walk_has_its_own_protocol(world, client_for, django_capture_on_commit_callbacks):
    # Given two held walks, the older one with a stop the newer one does not have
    old = SiteWalkFactory(project=world.project, status="held", starts_at=timezone.now() - timedelta(days=90),
                          ends_at=timezone.now() - timedelta(days=90) + timedelta(hours=1))
    SiteWalkStop.objects.create(meeting=old, name="Gamla stationen", lon=16.17, lat=60.14)
    SiteWalkFactory(project=world.project, status="held", starts_at=timezone.now() - timedelta(days=3),
                    ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1))
    client = client_for(world.project_coordinator)
    assert client.get(url("meeting", old)).context["protocol_available"] is True
    # When the protocol of the older walk is requested from its page
    client.post(reverse("reports:create", kwargs={"project_id": world.project.pk}),
                {"kind": "site_walk_protocol", "meeting_id": old.pk})
    report = Report.objects.get(kind="site_walk_protocol")
    # Then the report names that walk, and renders it
    assert report.params == {"meeting_id": old.pk}
    report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert "Gamla stationen" in pdf_text(report)



def pdf_text(report: Report) -> str:
    require(Path("/usr/bin/pdftotext").exists(), "pdftotext (poppler-utils) is needed to read the PDF")
    return subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True, check=True,
                          text=True).stdout


def sv(text: str) -> str:
    """A UI string as the page shows it: pages and guests' e-mails are in the default language."""
    from django.conf import settings as django_settings
    from django.utils.translation import gettext, override

    with override(django_settings.LANGUAGE_CODE):
        return gettext(text)


def test_a_photo_missing_from_storage_does_not_cost_the_protocol(world, walk):
    # Given an observation whose photo file has disappeared from storage
    start = timezone.now() - timedelta(days=2)
    walk.starts_at, walk.ends_at, walk.status = start, start + timedelta(hours=2), "held"
    walk.save()
    stop = StopFactory(meeting=walk, name="Torget")
    observation = ObservationFactory(meeting=walk, stop=stop, text="Sliten bänk")
    observation.photo.save("x.jpg", ContentFile(jpeg_bytes()), save=True)
    Path(observation.photo.path).unlink()
    report = Report.objects.create(kind="site_walk_protocol", project=world.project, author=world.project_coordinator)
    # When the protocol is rendered, Then it is done and still lists the observation
    report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    assert "Sliten bänk" in pdf_text(report)
