"""A coordinator's journey through the five-step workflow (SPEC §3) and a site walk (§3.6), in
headless Chromium: create a project with its area drawn on the map, tick step 1's activities with
htmx, complete the step (first refused for want of a reason, then with one), plan the site walk from
its activity, add a stop, and record an observation with a photo on a phone. Every page visited is
checked with axe-core for WCAG 2.1 A/AA (SPEC §12.3); screenshots land in
artifacts/screens/workflow-*.png.

Selectors are URLs (form actions, hrefs), field names, option values, ids and data attributes, never
translated text, so the journey holds while the UI moves between English and Swedish.
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from projects.models import Activity, Meeting, Observation, SiteWalkStop, Step
from trygga_platser.tenancy.demo import DEMO_PASSWORD
from trygga_platser.tenancy.models import Project

from .conftest import PHONE

pytestmark = pytest.mark.e2e

HALLSTAHAMMAR = "samordnare@hallstahammar.example"
PROJECT_NAME = "Trygga Platser Hallstahammar stationsområdet (e2e)"
PLACE_NAME = "Stationsområdet"
# Four corners around Hallstahammar's station, the keyboard way of giving the area ("lat, lon").
AREA_LINES = "59.6150, 16.2260\n59.6150, 16.2340\n59.6110, 16.2340\n59.6110, 16.2260"
# A rough outline around the station (GeoJSON is longitude, latitude), to bring the map there.
ROUGH_OUTLINE = {"type": "Polygon", "coordinates": [[[16.2200, 59.6170], [16.2400, 59.6170], [16.2400, 59.6090],
                                                      [16.2200, 59.6090], [16.2200, 59.6170]]]}
STOP = {"name": "Gångtunneln vid stationen", "lon": "16.2301", "lat": "59.6134", "note": "Belysning och sikt."}
OBSERVATION_TEXT = "Trasig belysning i gångtunneln, mörkt och ingen sikt mot perrongen."


def sign_in(page, a11y, email: str, *, name: str = "login") -> None:
    """Through allauth's real login form, as a person would."""
    page.goto("/konto/login/")
    a11y.check(page, name)
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    form.locator("[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/konto/login/"))


def form_with(page, field_name: str):
    """The form holding a field called `field_name` (forms have no stable id or translated label)."""
    return page.locator("main form", has=page.locator(f"[name={field_name}]"))


def assert_no_sideways_scroll(page) -> None:
    """Nothing may stick out sideways on a phone (WCAG 1.4.10 Reflow)."""
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().replace(/\\s+/g, '.') : ''));
            return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10)};
        }"""
    )
    assert overflow["scroll"] <= overflow["width"], f"{page.url} overflows a {PHONE['width']} px screen: {overflow}"


def draw_polygon(page) -> bool:
    """Draw a four-cornered area with Geoman's polygon tool: four clicks, then the first corner again.
    Returns whether the field then holds a Polygon (the caller falls back to typing the corners).

    The map opens on all of Sweden and, offline, has no background to find the place by. So, as a
    coordinator might paste an outline from another map, a rough GeoJSON outline goes into the field
    first: the map zooms to it. The exact area is then drawn over it, and replaces it."""
    map_box = page.locator("[data-area-map]")
    area = page.locator("#id_area")
    expect(map_box).to_have_class(re.compile(r"leaflet-container"))
    area.fill(json.dumps(ROUGH_OUTLINE))  # an "input" event: area-map.js draws it and fits the map to it
    expect(map_box.locator("path.leaflet-interactive")).to_have_count(1)
    # The tool by its icon: its title is translated by Geoman.
    tool = map_box.locator(".button-container:has(.leaflet-pm-icon-polygon) > .leaflet-buttons-control-button")
    tool.click()
    expect(map_box.locator(".button-container:has(.leaflet-pm-icon-polygon)")).to_have_class(re.compile(r"active"))
    box = map_box.bounding_box()
    corners = [(0.38, 0.32), (0.62, 0.32), (0.62, 0.68), (0.38, 0.68)]
    points = [(box["width"] * x, box["height"] * y) for x, y in corners]
    for x, y in points + points[:1]:
        map_box.click(position={"x": x, "y": y})
        page.wait_for_timeout(150)  # Leaflet tells a click from a double click by time
    try:
        expect(area).to_have_value(re.compile(r'"type":\s*"Polygon"'), timeout=3_000)
        expect(area).not_to_have_value(json.dumps(ROUGH_OUTLINE))
    except AssertionError:
        return False
    return True


@pytest.mark.e2e
def test_workflow_journey(new_context, demo, a11y, page_errors, tmp_path):
    a11y.prefix = "workflow"  # artifacts/screens/workflow-*.png
    page = new_context().new_page()

    # ---------------------------------------------------------------------------------------------
    # 1. The Hallstahammar coordinator signs in and creates a project with its area
    # ---------------------------------------------------------------------------------------------
    sign_in(page, a11y, HALLSTAHAMMAR)
    expect(page).to_have_url(re.compile(r"/$"))
    a11y.check(page, "start")

    page.locator('main a[href="/projekt/nytt/"]').first.click()
    expect(page).to_have_url(re.compile(r"/projekt/nytt/$"))
    form = form_with(page, "place_name")
    form.locator("[name=name]").fill(PROJECT_NAME)
    form.locator("[name=place_name]").fill(PLACE_NAME)
    form.locator("select[name=variant]").select_option(value="instegsmodell")
    start = date.today()
    form.locator("[name=start_date]").fill(start.isoformat())

    drawn = draw_polygon(page)
    if not drawn:  # the keyboard alternative: one corner a line
        form.locator("#id_area").fill(AREA_LINES)
    a11y.check(page, "project-form")
    if drawn:
        geometry = json.loads(form.locator("#id_area").input_value())
        assert geometry["type"] == "Polygon"
        ring = geometry["coordinates"][0]
        assert len(ring) == 5 and ring[0] == ring[-1], ring
        # Drawn inside the rough outline, around the station
        assert all(16.2200 < lon < 16.2400 and 59.6090 < lat < 59.6170 for lon, lat in ring), ring

    form.locator("[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/projekt/(\d+)/$"))
    project_id = int(re.search(r"/projekt/(\d+)/$", page.url).group(1))
    project = Project.objects.get(pk=project_id)
    assert (project.name, project.place_name, project.municipality.slug) == (PROJECT_NAME, PLACE_NAME, "hallstahammar")
    assert project.variant == "instegsmodell" and project.start_date == start
    assert project.area and project.area["type"] == "Polygon", project.area
    project_url = f"/projekt/{project_id}/"

    # The project home shows the five steps
    steps = list(Step.objects.filter(project=project).order_by("number"))
    assert [s.number for s in steps] == [1, 2, 3, 4, 5]
    expect(page.locator("main ol.step-progress-list > li")).to_have_count(5)
    for step in steps:
        expect(page.locator(f'main ol.step-progress-list a[href="{project_url}steg/{step.pk}/"]')).to_have_count(1)
    a11y.check(page, "project-home")

    # ---------------------------------------------------------------------------------------------
    # 2. Step 1: two activities ticked done with htmx, without reloading the page
    # ---------------------------------------------------------------------------------------------
    step1, step2 = steps[0], steps[1]
    step1_url = f"{project_url}steg/{step1.pk}/"
    page.locator(f'main ol.step-progress-list a[href="{step1_url}"]').click()
    expect(page).to_have_url(re.compile(re.escape(step1_url) + "$"))
    activities = list(Activity.objects.filter(step=step1).order_by("order", "pk"))
    walk_activity = next(a for a in activities if a.evidence_kind == "site_walk")
    to_tick = [a for a in activities if a.required and a.pk != walk_activity.pk][:2]
    assert len(to_tick) == 2 and walk_activity.required
    total = len(activities)
    required = sum(1 for a in activities if a.required)
    expect(page.locator("#step-complete ul > li")).to_have_count(required)
    expect(page.locator("#step-progress meter")).to_have_attribute("value", "0")
    a11y.check(page, "step-before")

    page.evaluate("() => { window.__noReload = true; }")
    for done, activity in enumerate(to_tick, start=1):
        row = page.locator(f"#activity-{activity.pk}")
        expect(row).not_to_have_class(re.compile(r"\bactivity-done\b"))
        toggle = row.locator(f'form[action="{project_url}aktiviteter/{activity.pk}/klar/"] button[type=submit]')
        expect(toggle).to_have_attribute("aria-pressed", "false")
        with page.expect_response(lambda r, pk=activity.pk: r.url.endswith(f"/aktiviteter/{pk}/klar/")) as toggled:
            toggle.focus()
            page.keyboard.press("Enter")  # as a keyboard user would
        assert toggled.value.status == 200
        assert toggled.value.request.headers.get("hx-request") == "true"
        # The row is swapped in place, done; the progress meter follows (htmx out-of-band swap)
        expect(row).to_have_class(re.compile(r"\bactivity-done\b"))
        expect(row.locator("button[type=submit]").first).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#step-progress meter")).to_have_attribute("value", str(done))
        expect(page.locator("#step-progress meter")).to_have_attribute("max", str(total))
        # … and so does the completion panel's list of open required activities
        expect(page.locator("#step-complete ul > li")).to_have_count(required - done)
        # … and keyboard focus is back on the toggled button (static/js/app.js)
        expect(row.locator("button.check-button")).to_be_focused()
    assert page.evaluate("() => window.__noReload === true"), "ticking an activity reloaded the page"
    assert Activity.objects.filter(pk__in=[a.pk for a in to_tick], done_at__isnull=False).count() == 2
    a11y.check(page, "step-after-ticking")

    # ---------------------------------------------------------------------------------------------
    # 3. Completing step 1 with the site walk still open: refused without a reason, then recorded
    # ---------------------------------------------------------------------------------------------
    complete_action = f"{step1_url}slutfor/"
    complete = page.locator(f'main form[action="{complete_action}"]')
    expect(complete.locator("[name=override_reason]")).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith(complete_action) and r.request.method == "POST") as refused:
        complete.locator("[type=submit]").click()
    assert refused.value.status == 422
    page.wait_for_load_state("load")
    expect(page).to_have_url(re.compile(re.escape(complete_action) + "$"))
    expect(page.locator("#id_override_reason_error")).to_be_visible()
    expect(page.locator("#id_override_reason")).to_have_attribute("aria-invalid", "true")
    # The open required activity is named (in whichever language the page is in)
    titles = "|".join(re.escape(t) for t in {walk_activity.title, walk_activity.title_en} if t)
    expect(page.locator("#complete-heading").locator("xpath=..")).to_contain_text(re.compile(titles))
    step1.refresh_from_db()
    assert step1.completed_at is None
    a11y.check(page, "step-complete-refused")

    complete.locator("[name=override_reason]").fill("Platsvandringen görs i steg 2 tillsammans med polisen.")
    complete.locator("[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(f"{project_url}steg/") + "$"))
    step1.refresh_from_db()
    assert step1.completed_at is not None and step1.override_reason
    assert step1.completed_by.email == HALLSTAHAMMAR
    # Step 2 is now the current step
    expect(page.locator("main tr.row-current")).to_have_count(1)
    expect(page.locator(f'main tr.row-current a[href="{project_url}steg/{step2.pk}/"]')).to_have_count(1)
    a11y.check(page, "steps-overview")

    # ---------------------------------------------------------------------------------------------
    # 4. The site walk: planned from its activity's evidence link, with a stop on the route
    # ---------------------------------------------------------------------------------------------
    page.locator(f'main a[href="{step1_url}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(step1_url) + "$"))
    plan_walk = page.locator(f'#activity-{walk_activity.pk} a[href*="/moten/"][href$="?activity={walk_activity.pk}"]')
    plan_walk.click()
    expect(page).to_have_url(re.compile(rf"{re.escape(project_url)}moten/[^/]+/\?activity={walk_activity.pk}$"))
    meeting_form = form_with(page, "start_time")
    expect(meeting_form.locator("input[name=activity]")).to_have_value(str(walk_activity.pk))
    expect(meeting_form.locator("select[name=kind]")).to_have_value("site_walk")
    expect(meeting_form.locator("[name=title]")).not_to_have_value("")
    a11y.check(page, "meeting-form")
    walk_day = start + timedelta(days=7)
    meeting_form.locator("select[name=kind]").select_option(value="site_walk")
    meeting_form.locator("[name=date]").fill(walk_day.isoformat())
    meeting_form.locator("[name=start_time]").fill("18:00")
    meeting_form.locator("[name=end_time]").fill("19:30")
    meeting_form.locator("[name=location]").fill("Stationsentrén, Hallstahammar")
    meeting_form.locator("[name=agenda]").fill("1. Samling\n2. Gångtunneln\n3. Parkeringen")
    meeting_form.locator("[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(project_url)}moten/(\d+)/$"))
    meeting_id = int(re.search(r"/moten/(\d+)/$", page.url).group(1))
    meeting = Meeting.objects.get(pk=meeting_id, project=project)
    assert meeting.kind == "site_walk" and meeting.starts_at.date() == walk_day
    walk_activity.refresh_from_db()
    assert walk_activity.meeting_id == meeting.pk
    meeting_url = f"{project_url}moten/{meeting_id}/"
    expect(page.locator("main #route")).to_be_visible()
    a11y.check(page, "meeting-detail")

    page.locator(f'main a[href="{meeting_url}stopp/nytt/"]').click()
    expect(page).to_have_url(re.compile(re.escape(f"{meeting_url}stopp/nytt/") + "$"))
    a11y.check(page, "stop-form")
    stop_form = form_with(page, "lat")
    for name, value in STOP.items():
        stop_form.locator(f"[name={name}]").fill(value)
    stop_form.locator("[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(meeting_url) + "(#route)?$"))
    stop = SiteWalkStop.objects.get(meeting=meeting)
    assert (stop.name, stop.lon, stop.lat) == (STOP["name"], float(STOP["lon"]), float(STOP["lat"]))
    expect(page.locator(f"#stop-{stop.pk}")).to_contain_text(STOP["name"])

    # ---------------------------------------------------------------------------------------------
    # On the walk, with a phone: an observation with a photo at the stop
    # ---------------------------------------------------------------------------------------------
    phone = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, a11y, HALLSTAHAMMAR, name="phone-login")
    phone.goto(meeting_url)
    phone.locator(f'main a[href="{meeting_url}observationer/ny/"]').first.click()
    expect(phone).to_have_url(re.compile(re.escape(f"{meeting_url}observationer/ny/") + "$"))
    a11y.check(phone, "phone-observation-form")
    assert_no_sideways_scroll(phone)

    photo = tmp_path / "gangtunnel.jpg"
    from PIL import Image

    Image.new("RGB", (640, 480), (90, 110, 140)).save(photo, "JPEG", quality=80)
    observe = form_with(phone, "category")
    observe.locator("select[name=stop]").select_option(value=str(stop.pk))
    # The stop's point is filled in (static/js/meetings.js)
    expect(observe.locator("input[name=lon]")).to_have_value(re.compile(r"^16\.2301"))
    expect(observe.locator("input[name=lat]")).to_have_value(re.compile(r"^59\.6134"))
    observe.locator("[name=text]").fill(OBSERVATION_TEXT)
    observe.locator("input[name=category][value=sakerhet]").check()
    observe.locator("input[name=photo]").set_input_files(str(photo))
    a11y.check(phone, "phone-observation-form-filled")

    photo_responses = []
    phone.on("response", lambda r: photo_responses.append(r) if re.search(r"/observationer/\d+/foto/$", r.url) else None)
    observe.locator("button[type=submit]:not([name])").click()
    expect(phone).to_have_url(re.compile(re.escape(meeting_url) + r"#observation-\d+$"))
    observation = Observation.objects.get(meeting=meeting)
    assert (observation.text, observation.category, observation.stop_id) == (OBSERVATION_TEXT, "sakerhet", stop.pk)
    assert observation.photo and observation.created_by.email == HALLSTAHAMMAR

    # The observation is on the walk page, under its stop, with its thumbnail from the access-checked URL
    photo_url = f"{meeting_url}observationer/{observation.pk}/foto/"
    item = phone.locator(f"#stop-{stop.pk} #observation-{observation.pk}")
    expect(item).to_contain_text(OBSERVATION_TEXT)
    thumbnail = item.locator(f'img[src="{photo_url}"]')
    thumbnail.scroll_into_view_if_needed()
    expect(thumbnail).to_be_visible()
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle(), timeout=10_000
    )
    assert photo_responses, "the thumbnail was not requested from the photo URL"
    served = photo_responses[-1]
    assert served.url.endswith(photo_url)
    assert served.status == 200
    assert served.headers["content-type"].startswith("image/jpeg")
    a11y.check(phone, "phone-walk")
    assert_no_sideways_scroll(phone)

    a11y.assert_clean()
    assert not page_errors.errors, page_errors.errors
