"""The nulägesanalys page in headless Chromium (SPEC §6.4, §12.3): the layer checkboxes switch the
SVG map's layers and the Leaflet map's overlays without a reload, the summary is edited in place
through htmx, the crime page imports a file; every page is checked with axe-core (WCAG 2.1 A/AA);
screenshots in artifacts/screens/current_state-*.png."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from analysis.models import CrimeStatistic, CurrentStateAnalysis

from ..analysis.factories_current_state import OBSERVATION_TEXT, fill
from .conftest import PHONE
from .test_workflow_journey import assert_no_sideways_scroll

pytestmark = pytest.mark.e2e


def _signed_in(new_context, live_server, user, **options):
    client = Client()
    client.force_login(user)
    context = new_context(**options)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    return context.new_page()


@pytest.mark.e2e
def test_current_state_page(journey_db, world, new_context, live_server, a11y, page_errors, tmp_path):
    a11y.prefix = "current_state"
    fill(world.project, size=2)
    url = f"/projekt/{world.project.pk}/nulage/"
    page = _signed_in(new_context, live_server, world.project_coordinator)
    page.goto(url)
    # With JavaScript the Leaflet map appears with its markers, and the no-JS submit button goes
    page.wait_for_function("() => document.querySelectorAll('.current-state-map .cs-marker').length > 0")
    assert page.locator("[data-layer-submit]").is_hidden()
    a11y.check(page, "page")
    # Unticking a layer hides its SVG group and its Leaflet overlay at once
    before = page.locator(".current-state-map .cs-marker").count()
    page.locator("#layer-audits").uncheck()
    assert page.locator(".layered-map .map-layer-audits").first.evaluate(
        "g => getComputedStyle(g).display") == "none"
    assert page.locator(".current-state-map .cs-marker").count() == before - 3
    page.locator("#layer-audits").check()
    assert page.locator(".current-state-map .cs-marker").count() == before
    # Edit the summary in place
    page.locator("#analysis-text a[hx-get]").click()
    page.wait_for_selector("form#analysis-text textarea[name=summary]")
    a11y.check(page, "edit")
    page.fill("textarea[name=summary]", "Skrivet i webbläsaren")
    page.fill("textarea[name=conclusions]", "Slutsats i webbläsaren")
    page.locator("form#analysis-text [type=submit]").click()
    page.wait_for_selector("div#analysis-text")
    assert "Skrivet i webbläsaren" in page.locator("div#analysis-text").inner_text()
    assert CurrentStateAnalysis.objects.get(project=world.project).summary == "Skrivet i webbläsaren"

    # The crime page: upload, preview, confirm
    page.goto(f"/projekt/{world.project.pk}/brottsstatistik/")
    a11y.check(page, "crime")
    data = tmp_path / "brott.csv"
    data.write_text("år;kategori;antal\n2019;Rån;7\n2020;Rån;9\n", encoding="utf-8")
    page.set_input_files("input[name=file]", str(data))
    page.locator("form[enctype] [type=submit]").first.click()
    page.wait_for_selector("input[name=token]", state="attached")
    a11y.check(page, "crime-preview")
    page.locator("form:has(input[name=token]) [type=submit]").click()
    page.wait_for_url(f"**/projekt/{world.project.pk}/brottsstatistik/")
    assert CrimeStatistic.objects.filter(project=world.project, category="Rån", year__gte=2019).count() == 2

    # A county board officer on a phone: the page without names or free text, no edit button
    officer = _signed_in(new_context, live_server, world.county_officer, viewport=PHONE)
    officer.goto(url)
    assert OBSERVATION_TEXT not in officer.content()
    assert officer.locator("#analysis-text a[hx-get]").count() == 0
    officer.wait_for_function("() => document.querySelectorAll('.current-state-map .cs-marker').length > 0")
    assert_no_sideways_scroll(officer)
    a11y.check(officer, "county-board-phone")
