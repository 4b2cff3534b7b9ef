"""An inspector's journey on a phone (SPEC §6.1, §6.2, §6.4): the coordinator creates a safety
inspection, records a point on site with scores, a finding and a photo, sees it coloured on the
inspection page, records a point audit, and then generates and downloads the Nulägesanalys PDF.
Every page is checked with axe-core (WCAG 2.1 A/AA); screenshots in artifacts/screens/inspection-*.png.

Selectors are URLs, field names, option values and classes, never translated text.
"""
from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from analysis.models import Aspect, Factor, Inspection, InspectionPoint, PointAudit
from trygga_platser.reports.models import Report
from trygga_platser.tenancy.models import Project

from .conftest import PHONE
from .test_workflow_journey import assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.e2e

AVESTA = "samordnare@avesta.example"
TITLE = "Kvällsbesiktning torget (e2e)"
POINT = {"name": "Gångtunneln under järnvägen (e2e)", "lat": "60.14520", "lon": "16.16830"}
FINDING = "Byt armaturerna i gångtunneln och röj buskarna vid trappan."


def phone_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 60, 90)).save(buffer, format="JPEG")
    return buffer.getvalue()


def shipped_factor_ids(key: str) -> list[int]:
    return list(Factor.objects.filter(aspect__organisation__isnull=True, aspect__key=key, active=True)
                .order_by("position").values_list("pk", flat=True))


def test_inspection_journey(new_context, demo, a11y, held_reports, page_errors, tmp_path):
    a11y.prefix = "inspection"
    project = Project.objects.get(municipality__slug="avesta")
    base = f"/projekt/{project.pk}/"
    phone = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).new_page()

    # Given the Avesta coordinator signs in on her phone
    sign_in(phone, a11y, AVESTA, name="phone-login")

    # When she opens the inspections and creates a new one
    assert phone.goto(f"{base}besiktningar/").status == 200
    a11y.check(phone, "list")
    phone.locator(f'main a[href="{base}besiktningar/ny/"]').first.click()
    expect(phone.locator("input[name=title]")).to_be_visible()
    a11y.check(phone, "inspection-form")
    phone.locator("input[name=title]").fill(TITLE)
    phone.locator("input[name=date]").fill("2026-03-10")
    phone.locator("select[name=time_of_day]").select_option("dark")
    phone.locator("select[name=purpose]").select_option("baseline")
    phone.locator("main form [type=submit]").first.click()

    # Then she lands on the point form of the new inspection
    inspection = Inspection.objects.get(project=project, title=TITLE)
    expect(phone).to_have_url(re.compile(rf"/besiktningar/{inspection.pk}/punkter/ny/$"))
    a11y.check(phone, "point-form")
    assert_no_sideways_scroll(phone)

    # When she taps the map, the position fields are filled in
    point_map = phone.locator("[data-point-map]")
    expect(point_map).to_have_class(re.compile(r"leaflet-container"))
    box = point_map.bounding_box()
    point_map.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(phone.locator("input[name=lat]")).not_to_have_value("")
    # … and she corrects them by typing (the keyboard way)
    phone.locator("input[name=name]").fill(POINT["name"])
    phone.locator("input[name=lat]").fill(POINT["lat"])
    phone.locator("input[name=lon]").fill(POINT["lon"])

    # … scores design (the first group, open) and lighting (opened by tapping its summary) low
    design, lighting = shipped_factor_ids("gestaltning"), shipped_factor_ids("belysning")
    for factor_id in design:
        phone.locator(f"input[name=score_{factor_id}]").fill("5")
    lighting_group = phone.locator("details.aspect-group", has=phone.locator(f"input[name=score_{lighting[0]}]"))
    lighting_group.locator("summary").click()
    for factor_id in lighting:
        phone.locator(f"input[name=score_{factor_id}]").fill("3")
    a11y.check(phone, "point-form-filled")
    phone.locator("textarea[name=finding]").fill(FINDING)
    phone.locator("input[name=photo]").set_input_files(
        {"name": "tunneln.jpg", "mimeType": "image/jpeg", "buffer": phone_jpeg()})
    phone.locator("main form button[type=submit]:not([name])").click()

    # Then the inspection page shows the point red, with a text label, on the map and in the tables
    point = InspectionPoint.objects.get(inspection=inspection)
    expect(phone).to_have_url(re.compile(rf"/besiktningar/{inspection.pk}/#point-{point.pk}$"))
    assert (point.number, point.scores.count(), bool(point.photo)) == (1, len(design) + len(lighting), True)
    row = phone.locator(f"#point-{point.pk}")
    expect(row.locator(".rag.rag-red")).to_have_count(1)
    expect(phone.locator("figure.points-map svg[role=img]")).to_have_count(1)
    expect(phone.locator("table.aspect-table .rag-red").first).to_be_visible()
    # … with its photo and the offer to turn the open finding into an action
    expect(row.locator(f'a[href="{base}besiktningar/{inspection.pk}/punkter/{point.pk}/foto/"]')).to_have_count(1)
    create_action = reverse("actionplans:create", kwargs={"project_id": project.pk})
    expect(row.locator(f'a[href="{create_action}?inspection_point={point.pk}"]')).to_have_count(1)
    a11y.check(phone, "inspection")
    assert_no_sideways_scroll(phone)

    # When she also records a point audit at the same place
    assert phone.goto(f"{base}punktgranskningar/ny/").status == 200
    a11y.check(phone, "audit-form")
    phone.locator("input[name=lat]").fill(POINT["lat"])
    phone.locator("input[name=lon]").fill(POINT["lon"])
    for name in ("lighting", "openness", "visibility", "people", "security", "walk_path", "public_transport",
                 "gender_usage"):
        phone.locator(f"input[name={name}][value='1']").check()
    phone.locator("input[name=feeling][value='0']").check()
    phone.locator("main form button[type=submit]:not([name])").click()
    expect(phone).to_have_url(re.compile(r"/punktgranskningar/#audits$"))
    assert PointAudit.objects.filter(project=project, feeling=0).exists()
    a11y.check(phone, "audits")
    assert_no_sideways_scroll(phone)

    # When she opens the organisation's aspect settings and makes her own copy of the list
    aspects_url = reverse("analysis:aspects")
    assert phone.goto(aspects_url).status == 200
    a11y.check(phone, "aspects-shipped")
    phone.locator("main form:not([action]) button[type=submit]").click()
    expect(phone.locator(".aspect-card a[href*='/besiktningsaspekter/faktor/']").first).to_be_visible()
    a11y.check(phone, "aspects-own")
    own = Aspect.objects.filter(organisation=project.municipality).order_by("position").first()
    phone.goto(reverse("analysis:aspect_edit", kwargs={"aspect_id": own.pk}))
    expect(phone.locator("input[name=name]")).to_have_value(own.name)
    a11y.check(phone, "aspect-edit")
    assert_no_sideways_scroll(phone)

    assert not page_errors.errors, page_errors.errors
    a11y.assert_clean()  # the inspection pages, before the report (which another module renders)

    # When she generates the Nulägesanalys from the reports page
    phone.goto(f"{base}rapporter/")
    a11y.check(phone, "reports")
    form = phone.locator("form", has=phone.locator("select[name=kind]"))
    kinds = form.locator("select[name=kind] option").evaluate_all("options => options.map(o => o.value)")
    assert "current_state" in kinds, f"The Nulägesanalys report kind is not registered yet (kinds: {kinds})"
    form.locator("select[name=kind]").select_option(value="current_state")
    form.locator("[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/rapporter/\d+/$"))
    report_id = held_reports.wait()
    assert Report.objects.get(pk=report_id).kind == "current_state"
    held_reports.release(report_id)
    report = Report.objects.get(pk=report_id)
    assert report.status == Report.Status.DONE, (report.status, report.error)
    download_link = phone.locator(f'main a[href="{base}rapporter/{report_id}/fil/"]')
    expect(download_link).to_be_visible(timeout=20_000)
    a11y.check(phone, "report-done")

    # Then the downloaded PDF is the project's current-state analysis with the inspection in it
    with phone.expect_download() as download_info:
        download_link.click()
    pdf = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(pdf).pages).split())
    assert project.name in text
    assert "Gångtunneln" in text  # the recorded point, in the appendix of inspection points

    assert not page_errors.errors, page_errors.errors
    a11y.assert_clean()
