"""A respondent's journey (SPEC §5.3) in headless Chromium on a phone: a resident opens the public
link of Avesta's published survey, answers page by page (the progress indicator moves), gives the
place on the map question with the KEYBOARD through the "latitude, longitude" field (no pointer on
the map), goes back and forward, sends, and sees the thank-you page; then the coordinator's
distribution page counts one response more; and a police officer answers a personal invitation to
the shipped safety survey on a phone, after which the link says it has been used. Every respondent page is checked with axe-core
(WCAG 2.1 A/AA); screenshots land in artifacts/screens/survey-*.png.

Selectors are field names, option values and URLs, never translated text.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Answer, Response, Survey
from surveys.selectors.definition import survey_definition
from surveys.services.builder import survey_create
from surveys.services.distribution import survey_publish
from surveys.services.invitations import invitations_create
from trygga_platser.accounts.models import User
from trygga_platser.tenancy.models import Project, StakeholderCategory

from ..surveys.test_responding import make_survey
from .conftest import PHONE
from .test_workflow_journey import assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.e2e

AVESTA = "samordnare@avesta.example"
# Avesta's square, as a resident would type it: latitude first, Swedish decimal comma.
PLACE_TYPED = "60,1457 16,1683"


def progress(page) -> tuple[int, int]:
    bar = page.locator("main progress")
    expect(bar).to_be_visible()
    return int(bar.get_attribute("value")), int(bar.get_attribute("max"))


def field(survey_def, key: str) -> str:
    return survey_def.question(key).field_name


@pytest.mark.e2e
def test_survey_journey(new_context, demo, a11y, page_errors):
    a11y.prefix = "survey"  # artifacts/screens/survey-*.png
    project = Project.objects.get(municipality__slug="avesta")
    survey = make_survey(project=project)
    survey_def = survey_definition(survey_id=survey.pk)
    respond_url = reverse("surveys:respond", kwargs={"token": survey.public_token})
    distribution_url = reverse("surveys:distribution", kwargs={"project_id": project.pk, "survey_id": survey.pk})
    before = Response.objects.filter(survey=survey).count()

    # ---------------------------------------------------------------------------------------------
    # 1. A resident answers on a phone, without an account
    # ---------------------------------------------------------------------------------------------
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(respond_url)
    assert progress(phone) == (1, 3)
    expect(phone.locator(".site-nav")).to_have_count(0)
    a11y.check(phone, "respond-page-1")
    assert_no_sideways_scroll(phone)

    # Sending the first page without its required answer: the message is next to the question
    phone.locator("button[value=next]").click()
    name = field(survey_def, "safe_evening")
    error = phone.locator(f"#{name}-error")
    expect(error).to_be_visible()
    expect(phone.locator(f"fieldset[aria-describedby~='{name}-error']")).to_have_count(1)
    assert progress(phone) == (1, 3)
    a11y.check(phone, "respond-page-1-error")

    phone.locator(f"input[name={name}][value=rather_unsafe]").check()
    phone.locator(f"textarea[name={field(survey_def, 'why_unsafe')}]").fill("Mörkt vid gångtunneln")
    phone.locator(f"input[name={field(survey_def, 'problems')}][value=traffic]").check()
    phone.locator("button[value=next]").click()
    assert progress(phone) == (2, 3)

    # Page 2: the map question, answered with the keyboard alone
    map_name = field(survey_def, "unsafe_places")
    coords = phone.locator(f"#{map_name}-1-coords")
    coords.focus()
    phone.keyboard.type(PLACE_TYPED)
    phone.keyboard.press("Tab")
    # Tab order from the position: the shape (route or area), then the category
    shape = phone.locator(f"#{map_name}-1-shape-line")
    expect(shape).to_be_focused()
    category = phone.locator(f"#{map_name}-1-category")
    category.focus()
    category.select_option("unsafe")
    phone.locator(f"#{map_name}-1-why").fill("Ingen belysning")
    phone.locator(f"#{map_name}-1-time").select_option("evening")
    phone.locator(f"input[name={field(survey_def, 'attractiveness')}][value='2']").check()
    phone.locator(f"input[name={field(survey_def, 'respondent_category')}][value=resident]").check()
    phone.locator(f"input[name={field(survey_def, 'age_years')}]").fill("34")
    a11y.check(phone, "respond-page-2")
    assert_no_sideways_scroll(phone)
    phone.locator("button[value=next]").click()
    assert progress(phone) == (3, 3)

    # Back to page 2 and forward again: the answers are still there
    phone.locator("button[value=back]").click()
    assert progress(phone) == (2, 3)
    expect(phone.locator(f"#{map_name}-1-coords")).to_have_value(re.compile(r"60[.,]1457"))
    phone.locator("button[value=next]").click()
    assert progress(phone) == (3, 3)

    # Page 3: the follow-up question exists because "traffic" was chosen on page 1
    phone.locator(f"input[name={field(survey_def, 'traffic_where')}][value=square]").check()
    phone.locator(f"input[name={field(survey_def, 'gender')}][value=no_answer]").check()
    a11y.check(phone, "respond-page-3")
    phone.locator("button[value=submit]").click()

    # ---------------------------------------------------------------------------------------------
    # 2. The thank-you page, and what was stored (nothing more)
    # ---------------------------------------------------------------------------------------------
    expect(phone).to_have_url(re.compile(re.escape(reverse("surveys:respond_done",
                                                           kwargs={"token": survey.public_token}))))
    a11y.check(phone, "respond-done")
    assert Response.objects.filter(survey=survey).count() == before + 1
    place = Answer.objects.get(response__survey=survey, question__key="unsafe_places")
    assert (place.lat, place.lon, place.map_category, place.time_of_day) == (60.1457, 16.1683, "unsafe", "evening")
    assert place.geometry == {"type": "Point", "coordinates": [16.1683, 60.1457]}

    # A closed survey's link says so plainly (410 Gone), in the same layout
    closed = make_survey(project=project, published=False, closed=True)
    gone = phone.goto(reverse("surveys:respond", kwargs={"token": closed.public_token}))
    assert gone.status == 410
    a11y.check(phone, "respond-closed")

    # ---------------------------------------------------------------------------------------------
    # 3. The coordinator sees the count risen
    # ---------------------------------------------------------------------------------------------
    desk = new_context().new_page()
    sign_in(desk, a11y, AVESTA, name="coordinator-login")
    desk.goto(distribution_url)
    expect(desk.locator("#survey-count .stat-value").first).to_have_text(str(before + 1))
    a11y.check(desk, "distribution")

    # ---------------------------------------------------------------------------------------------
    # 4. A police officer answers a personal invitation on a phone: the shipped safety survey,
    #    only the required answers and whatever one picks, then the link answers no more
    # ---------------------------------------------------------------------------------------------
    coordinator = User.objects.get(email=AVESTA)
    safety = survey_create(project=project, kind=Survey.Kind.SAFETY, user=coordinator)
    survey_publish(survey=safety, user=coordinator, opens_on=timezone.localdate(),
                   closes_on=timezone.localdate() + timedelta(days=21))
    [invitation] = invitations_create(survey=safety, user=coordinator,
                                      rows=[("polis@avesta.example", StakeholderCategory.POLICE, None)])
    officer = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    officer.goto(reverse("surveys:invitation", kwargs={"token": invitation.token}))
    a11y.check(officer, "invitation-page-1")
    pages = 0
    while officer.locator("button[value=submit]").count() == 0:
        answer_every_radio_group(officer)
        officer.locator("button[value=next]").click()
        pages += 1
        assert pages < 10, "the survey never reached its last page"
    answer_every_radio_group(officer)
    a11y.check(officer, "invitation-last-page")
    officer.locator("button[value=submit]").click()
    expect(officer).to_have_url(re.compile(r"/tack/$"))
    a11y.check(officer, "invitation-done")
    invitation.refresh_from_db()
    assert invitation.used_on == timezone.localdate()
    assert Response.objects.filter(survey=safety).count() == 1
    # The same link again: a clear page, not the questions
    officer.goto(reverse("surveys:invitation", kwargs={"token": invitation.token}))
    expect(officer.locator("button[value=submit], button[value=next]")).to_have_count(0)
    a11y.check(officer, "invitation-already-answered")
    assert Response.objects.filter(survey=safety).count() == 1  # still one

    assert not page_errors.errors, page_errors.errors
    a11y.assert_clean()


def answer_every_radio_group(page) -> None:
    """Pick the first answer of every single-choice question on the page, as a quick respondent does."""
    names = page.eval_on_selector_all("main input[type=radio]", "els => [...new Set(els.map(e => e.name))]")
    for name in names:
        page.locator(f"main input[type=radio][name='{name}']").first.check()
