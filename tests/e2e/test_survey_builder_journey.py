"""The survey builder's journey (SPEC §5.1) in headless Chromium: a coordinator creates a safety
survey from the question bank, reorders a question and adds an answer option and a question with
htmx (focus stays where the keyboard user was), edits a question, sets a display condition, previews
the survey, and sees the overview. Every page is checked with axe-core for WCAG 2.1 A/AA; screenshots
land in artifacts/screens/survey-builder-*.png.

Selectors are URLs, field names, option values and ids, never translated text.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from surveys import indicator
from surveys.models import Survey

from ..factories import PASSWORD, MembershipFactory, MunicipalityFactory, ProjectFactory
from .conftest import PHONE
from .test_workflow_journey import assert_no_sideways_scroll

pytestmark = pytest.mark.e2e


@pytest.fixture
def coordinator(journey_db):
    municipality = MunicipalityFactory(name="Avesta kommun", slug="e2e-avesta")
    project = ProjectFactory(municipality=municipality, name="Avesta torg")
    user = MembershipFactory(organisation=municipality).user
    return user, project


def sign_in(page, email: str) -> None:
    page.goto("/konto/login/")
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    expect(page).not_to_have_url("/konto/login/")


@pytest.mark.e2e
def test_survey_builder_journey(new_context, coordinator, a11y, page_errors):
    a11y.prefix = "survey-builder"
    user, project = coordinator
    base = f"/projekt/{project.pk}/enkater/"
    page = new_context().new_page()
    sign_in(page, user.email)

    # 1. The list, empty, and creating a safety survey from the bank
    page.goto(base)
    a11y.check(page, "list-empty")
    page.locator(f'a[href="{base}ny/"]').click()
    a11y.check(page, "create")
    page.locator("input[name=kind][value=safety]").check()
    page.locator("main form [type=submit]").click()
    survey = Survey.objects.get(project=project)
    builder_url = f"{base}{survey.pk}/fragor/"
    expect(page).to_have_url(builder_url)
    a11y.check(page, "builder")

    # 2. Move "worry" up with htmx: the list is swapped in place and focus stays on the button
    worry = survey.questions.get(key=indicator.WORRY_KEY)
    page.locator(f"#question-{worry.pk}-up").click()
    expect(page.locator("#builder-status")).not_to_be_empty()
    expect(page.locator(f"#question-{worry.pk}-up")).to_be_focused()
    keys = list(survey.questions.order_by("page", "position").values_list("key", flat=True))
    assert keys.index(indicator.WORRY_KEY) < keys.index(indicator.SAFE_EVENING_KEY)
    # and at the top of the page, where "up" is gone, focus falls back on the question's heading
    safe_day = survey.questions.get(key=indicator.SAFE_DAY_KEY)
    page.locator(f"#question-{worry.pk}-up").click()
    expect(page.locator(f"#question-{worry.pk}-heading")).to_be_focused()
    assert page.url.endswith(builder_url)  # no navigation: htmx swapped the list
    safe_day.refresh_from_db()

    # 3. Add an answer option with htmx; focus returns to the new-option field
    page.locator(f"#question-{worry.pk}-new-option").fill("Bedrägeri")
    page.locator(f"#question-{worry.pk}-new-option-en").fill("Fraud")
    page.locator(f"#question-{worry.pk}-new-option").press("Enter")
    expect(page.locator(f"#question-{worry.pk} .option-list")).to_contain_text("Bedrägeri")
    expect(page.locator(f"#question-{worry.pk}-new-option")).to_be_focused()

    # 4. Add a question with the short form
    page.locator("#add_kind").select_option("text")
    page.locator("#add_text").fill("Vad saknar du på platsen?")
    page.locator("#add-question [type=submit]").click()
    added = page.locator(".question-card h3", has_text="Vad saknar du på platsen?")
    expect(added).to_be_focused()
    a11y.check(page, "builder-after-changes")

    # 4b. Remove a question with htmx after confirming; focus goes to the page heading
    visit = survey.questions.get(key=indicator.VISIT_KEY)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f'#question-{visit.pk} a[href$="/fragor/{visit.pk}/ta-bort/"]').click()
    expect(page.locator(f"#question-{visit.pk}")).to_have_count(0)
    expect(page.locator("#builder-heading")).to_be_focused()
    assert not survey.questions.filter(pk=visit.pk).exists()

    # 5. The full question form, the condition page and the option form
    evening = survey.questions.get(key=indicator.SAFE_EVENING_KEY)
    page.goto(f"{base}{survey.pk}/fragor/{evening.pk}/")
    a11y.check(page, "question-form")
    page.locator("input[name=text_en]").fill("How safe would you feel late in the evening?")
    page.locator("main form.question-form [type=submit]").click()
    expect(page).to_have_url(f"{builder_url}#question-{evening.pk}")
    anything = survey.questions.get(key="anything_else")
    page.goto(f"{base}{survey.pk}/fragor/{anything.pk}/villkor/")
    a11y.check(page, "condition")
    avoids = survey.questions.get(key=indicator.AVOIDS_KEY)
    page.locator(f'input[value="{avoids.pk}:yes_often"]').check()
    page.locator("main form [type=submit]").click()
    anything.refresh_from_db()
    assert anything.condition_values == ["yes_often"]
    option = worry.options.first()
    page.goto(f"{base}{survey.pk}/alternativ/{option.pk}/")
    a11y.check(page, "option-form")

    # 6. Settings, preview and overview
    page.goto(f"{base}{survey.pk}/installningar/")
    a11y.check(page, "settings")
    page.goto(f"{base}{survey.pk}/forhandsvisning/")
    a11y.check(page, "preview")
    page.goto(f"{base}{survey.pk}/forhandsvisning/?sprak=en")
    a11y.check(page, "preview-english")
    page.goto(f"{base}{survey.pk}/")
    a11y.check(page, "overview")
    page.goto(base)
    a11y.check(page, "list")
    # a follow-up of it: the create form asks for the baseline only once "follow-up" is chosen
    page.goto(f"{base}ny/")
    baseline = page.locator("select[name=baseline]")
    expect(baseline).to_be_hidden()
    page.locator("input[name=kind][value=followup]").check()
    expect(baseline).to_be_visible()
    baseline.select_option(str(survey.pk))
    page.locator("main form [type=submit]").click()
    followup = Survey.objects.get(project=project, kind="followup")
    assert followup.baseline_id == survey.pk
    expect(page).to_have_url(f"{base}{followup.pk}/fragor/")
    page.goto(f"{base}{survey.pk}/ta-bort/")
    a11y.check(page, "delete")

    # 7. On a phone, the builder fits the screen
    phone = new_context(viewport=PHONE).new_page()
    sign_in(phone, user.email)
    phone.goto(builder_url)
    assert_no_sideways_scroll(phone)
    a11y.check(phone, "builder-phone")

    assert not page_errors.errors, page_errors.errors
    a11y.assert_clean()
