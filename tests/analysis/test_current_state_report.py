"""The Nulägesanalys report (SPEC §6.4, §9): rendered in-process, read back as text and as a picture."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from shapely.geometry import Point, Polygon

from analysis.models import InspectionPoint
from analysis.reports import CURRENT_STATE_REPORT, current_state_context
from tests.conftest import require
from tests.projects.factories_meetings import jpeg_bytes
from trygga_platser.reports.models import Report
from trygga_platser.reports.registry import kind_get
from trygga_platser.reports.services import report_run
from trygga_platser.tenancy.access import Perm

from .factories_current_state import (
    CONCLUSIONS,
    FINDING,
    OBSERVATION_TEXT,
    SUMMARY,
    WHY,
    fill,
)

pytestmark = pytest.mark.django_db

HEADINGS = ("Contents", "Summary and conclusions", "The place", "Survey results", "Safety inspection", "Point audits",
            "Site-walk observations", "Crime statistics", "Appendix: inspection points")


def _pdf_text(path: str) -> str:
    require(Path("/usr/bin/pdftotext").exists(), "pdftotext (poppler-utils) is needed to read the PDF")
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, check=True, text=True).stdout


def _render(world, author) -> Report:
    report = Report.objects.create(kind="current_state", project=world.project, author=author)
    report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    return report


def test_the_kind_is_registered_for_county_boards():
    assert kind_get("current_state") is CURRENT_STATE_REPORT
    assert CURRENT_STATE_REPORT.perm is Perm.VIEW


def test_the_pdf_has_every_section_and_the_figures(world):
    # Given a project with something in every section and a photo on the first inspection point
    fill(world.project, author=world.member)
    point = InspectionPoint.objects.filter(inspection__project=world.project).order_by("number").first()
    point.photo.save("p.jpg", ContentFile(jpeg_bytes(size=(320, 240))), save=True)
    # When a county board officer's report is rendered by the worker
    report = _render(world, world.county_officer)
    text = _pdf_text(report.file.path)
    flat = " ".join(text.split())
    # Then every section heading is there, in the author's language
    with translation.override(world.county_officer.language or settings.LANGUAGE_CODE):
        for heading in HEADINGS:
            assert _(heading) in flat, heading
    # with the coordinator's text and the figures: an aspect mean (5 and 17 → 11,0), a crime count
    assert SUMMARY in flat and CONCLUSIONS in flat
    assert "11,0" in flat
    assert "1234" in flat.replace("\u00a0", "").replace(" ", "") or "1 234" in flat
    assert "41" in flat
    # the table of contents has page numbers (target-counter): "Crime statistics ..... 7"
    with translation.override(world.county_officer.language or settings.LANGUAGE_CODE):
        assert re.search(re.escape(_("Crime statistics")) + r"[ .]*\d+", text)
    # and no personal name or free text: county boards may download it
    for private in (OBSERVATION_TEXT, WHY, FINDING, "Anna Andersson", world.member.get_full_name(),
                    world.county_officer.get_full_name()):
        assert private not in text, private
    # it has pages enough for the chapters, and the photo is embedded
    info = subprocess.run(["pdfinfo", report.file.path], capture_output=True, text=True, check=True).stdout
    assert int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))) >= 8
    images = subprocess.run(["pdfimages", "-list", report.file.path], capture_output=True, text=True, check=True).stdout
    assert "jpeg" in images  # the photo of point 1


def test_an_empty_project_says_so_plainly(world):
    report = _render(world, world.project_coordinator)
    flat = " ".join(_pdf_text(report.file.path).split())
    with translation.override(world.project_coordinator.language or settings.LANGUAGE_CODE):
        for message in ("No summary has been written.", "No safety survey has been published.",
                        "No safety inspection has been made.", "No point audits have been recorded.",
                        "No crime statistics have been imported."):
            assert _(message) in flat, message


def test_a_page_as_png(world, tmp_path):
    """Renders the place chapter to /tmp so a person can look at it (and checks it is not blank)."""
    require(Path("/usr/bin/pdftoppm").exists(), "pdftoppm (poppler-utils) is needed")
    fill(world.project, size=3)
    point = InspectionPoint.objects.filter(inspection__project=world.project).order_by("number").first()
    point.photo.save("p.jpg", ContentFile(jpeg_bytes(size=(320, 240))), save=True)
    report = _render(world, world.project_coordinator)
    Path("/tmp/h6-current-state.pdf").write_bytes(Path(report.file.path).read_bytes())
    out = Path("/tmp/h6-current-state")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "12", report.file.path, str(out)], check=True)
    pages = sorted(Path("/tmp").glob("h6-current-state-*.png"))
    assert pages and all(p.stat().st_size > 2000 for p in pages)


def _svg_polygon_and_markers(svg: str) -> tuple[Polygon, list[tuple[float, float]]]:
    points = re.search(r'<polygon class="map-area" points="([^"]+)"', svg).group(1)
    ring = [tuple(float(v) for v in pair.split(",")) for pair in points.split()]
    markers = [(float(x), float(y)) for x, y in re.findall(r'class="map-marker" data-x="([\d.]+)" data-y="([\d.]+)"',
                                                            svg)]
    return Polygon(ring), markers


def test_the_map_places_every_point_inside_the_area(world):
    # Given points that all lie inside the project's polygon
    fill(world.project, size=3)
    report = Report.objects.create(kind="current_state", project=world.project, author=world.project_coordinator)
    context = current_state_context(report, world.project)
    # When the map is drawn, every marker lies inside the polygon as drawn in SVG space
    for svg in (str(context["map_svg"]), str(context["inspection_map_svg"])):
        polygon, markers = _svg_polygon_and_markers(svg)
        assert markers
        for x, y in markers:
            assert polygon.contains(Point(x, y)), (x, y)
    # and a point outside the area is drawn outside it
    InspectionPoint.objects.filter(inspection__project=world.project).update(lon=16.2, lat=60.15)
    context = current_state_context(report, world.project)
    polygon, markers = _svg_polygon_and_markers(str(context["inspection_map_svg"]))
    assert markers and not any(polygon.contains(Point(x, y)) for x, y in markers)


def test_the_page_offers_the_report(world, client_for):
    client = client_for(world.county_officer)
    page = client.get(reverse("analysis:current_state", kwargs={"project_id": world.project.pk}))
    assert 'value="current_state"' in page.content.decode()
    response = client.post(reverse("reports:create", kwargs={"project_id": world.project.pk}),
                           {"kind": "current_state"})
    assert response.status_code == 302
    assert Report.objects.filter(project=world.project, kind="current_state", author=world.county_officer).exists()


def test_the_report_context_takes_flat_queries(world):
    report = Report.objects.create(kind="current_state", project=world.project, author=world.project_coordinator)
    fill(world.project, size=1)
    with CaptureQueriesContext(connection) as small:
        current_state_context(report, world.project)
    fill(world.project, size=6)
    with CaptureQueriesContext(connection) as large:
        current_state_context(report, world.project)
    assert len(large.captured_queries) == len(small.captured_queries)
