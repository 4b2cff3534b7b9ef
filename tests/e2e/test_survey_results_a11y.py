"""Survey results in headless Chromium (SPEC §5.5, §5.6, §12.3): the results page, the map answers
(Leaflet markers and heat layer, filtered without a reload), the comparison and the free-text page,
each checked with axe-core for WCAG 2.1 A/AA; screenshots in artifacts/screens/survey_results-*.png.
A county board officer sees the aggregates but not the coordinators' free text."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from surveys.models import Survey

from ..surveys.factories_results import respond_many, results_survey
from .conftest import PHONE

pytestmark = pytest.mark.e2e

WHY = "Mörk gångtunnel under järnvägen"


def _signed_in(new_context, live_server, user, **options):
    client = Client()
    client.force_login(user)
    context = new_context(**options)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    return context.new_page()


@pytest.mark.e2e
def test_survey_results_pages(journey_db, world, new_context, live_server, a11y, page_errors):
    a11y.prefix = "survey_results"
    baseline = results_survey(world.project, title="Trygghetsenkät 2025")
    respond_many(baseline, 8, category="boende", safe="very_unsafe", problems=["litter"], scale="2", number=3,
                 text="Mer belysning", places=[("unsafe", "evening", 60.1585, 16.1686, WHY)])
    respond_many(baseline, 6, category="polis", safe="rather_safe", problems=["graffiti"], scale="4", number=1,
                 places=[("safe", "day", 60.1575, 16.1700, "Fin park")])
    respond_many(baseline, 2, category="naringsidkare", safe="very_safe")
    followup = results_survey(world.project, kind=Survey.Kind.FOLLOWUP, baseline=baseline.survey,
                              title="Uppföljning 2026")
    respond_many(followup, 12, category="boende", safe="rather_safe", problems=["litter"], scale="4")
    respond_many(followup, 4, category="boende", safe="very_unsafe", problems=["traffic"], scale="2")

    base = f"/projekt/{world.project.pk}/enkater/"
    page = _signed_in(new_context, live_server, world.project_coordinator)
    page.goto(f"{base}{baseline.survey.pk}/resultat/")
    assert page.locator("#indicator-heading").count() == 1
    a11y.check(page, "results")
    # the category filter through htmx: the business owners (2) are suppressed
    page.select_option("select[name=category]", "naringsidkare")
    page.locator("form.results-filters [type=submit]").click()
    page.wait_for_url("**category=naringsidkare**")
    assert page.locator("#results .notice").count() == 1
    assert page.locator("#results svg").count() == 0
    a11y.check(page, "results-suppressed")

    page.goto(f"{base}{baseline.survey.pk}/resultat/karta/")
    page.wait_for_function("() => document.querySelectorAll('.survey-map .leaflet-interactive').length > 0")
    assert page.locator(".survey-map .leaflet-interactive").count() == 14
    assert page.locator(".survey-map canvas.leaflet-heatmap-layer").count() == 1
    page.select_option("#map-category", "safe")  # filters the map without a reload
    page.wait_for_function("() => document.querySelectorAll('.survey-map .leaflet-interactive').length === 6")
    assert WHY in page.content()
    a11y.check(page, "map")

    page.goto(f"{base}{baseline.survey.pk}/resultat/fritext/")
    assert "Mer belysning" in page.content()
    a11y.check(page, "free-text")

    page.goto(f"{base}{followup.survey.pk}/jamforelse/")
    assert page.locator(".comparison-table").count() >= 2
    a11y.check(page, "comparison")

    officer = _signed_in(new_context, live_server, world.county_officer, viewport=PHONE)
    officer.goto(f"{base}{baseline.survey.pk}/resultat/karta/")
    assert WHY not in officer.content()
    a11y.check(officer, "map-county-board-phone")
    response = officer.goto(f"{base}{baseline.survey.pk}/resultat/fritext/")
    assert response.status == 403

    assert not page_errors.errors, page_errors.errors
    a11y.assert_clean()
