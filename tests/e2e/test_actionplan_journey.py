"""The action plan's journey (SPEC §7, issue 6) in headless Chromium: the Avesta coordinator turns an
observation from a held site walk into an action and assigns it to the police member; the police
member signs in, opens "my actions", posts a progress update with a photo and marks the action done;
back as the coordinator, the KPI has moved on the project home and the action plan, and the board,
the matrix, the map, the import page and the CSV export work. Every page visited is checked with
axe-core for WCAG 2.1 A/AA (SPEC §12.3); screenshots land in artifacts/screens/actionplan-*.png.

Selectors are URLs (hrefs, form actions), field names, option values and ids, never translated text.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actionplans.models import Action, ActionFinding
from actionplans.selectors.actions import action_kpi
from projects.models import Meeting, Observation
from trygga_platser.accounts.models import User
from trygga_platser.tenancy.models import Project

from .conftest import PHONE
from .test_workflow_journey import assert_no_sideways_scroll, form_with, sign_in

pytestmark = pytest.mark.e2e

AVESTA = "samordnare@avesta.example"
POLICE = "polis@avesta.example"
OBSERVATION_TEXT = "Trappan ner mot ån saknar belysning, mörkt och halt på kvällen."
PROGRESS_NOTE = "Belysningen är beställd och monteras nästa vecka tillsammans med fastighetsägaren."


def kpi_numbers(page, selector: str) -> tuple[int, ...]:
    """The integers shown in a KPI panel's first stat (the share done or started, then its counts)."""
    text = page.locator(selector).first.inner_text()
    return tuple(int(n) for n in re.findall(r"\d+", text))


@pytest.mark.e2e
def test_actionplan_journey(new_context, demo, a11y, page_errors, tmp_path):
    a11y.prefix = "actionplan"  # artifacts/screens/actionplan-*.png
    project = Project.objects.get(municipality__slug="avesta")
    project_url = f"/projekt/{project.pk}/"
    plan_url = f"{project_url}handlingsplan/"
    police = User.objects.get(email=POLICE)
    today = timezone.localdate()
    before = action_kpi(project=project, today=today)
    assert before.counted and before.done < before.counted, before

    walk = (Meeting.objects.filter(project=project, kind=Meeting.Kind.SITE_WALK, status=Meeting.Status.HELD)
            .order_by("-observations__finding_status", "pk").first())  # "noted"/"finding" sort after "action"
    assert walk is not None, "the Avesta demo has no held site walk"
    observation = (walk.observations.exclude(finding_status=Observation.FindingStatus.ACTION)
                   .exclude(text="").order_by("pk").first())
    if observation is None:
        # The demo's action plan answers every observation of the walk: one more is noted on it, as a
        # participant would on the walk (the observation form itself is the workflow journey's).
        stop = walk.stops.order_by("order").first()
        observation = Observation.objects.create(
            meeting=walk, stop=stop, text=OBSERVATION_TEXT, category="sakerhet",
            lon=stop.lon if stop else None, lat=stop.lat if stop else None,
            created_by=User.objects.get(email=AVESTA))
    walk_url = f"{project_url}moten/{walk.pk}/"

    # ---------------------------------------------------------------------------------------------
    # 1. The coordinator turns an observation from the site walk into an action for the police
    # ---------------------------------------------------------------------------------------------
    page = new_context().new_page()
    sign_in(page, a11y, AVESTA)
    page.goto(project_url)
    panel = page.locator("main section[aria-labelledby=actionplan-heading]")
    expect(panel).to_be_visible()
    expect(panel.locator(".stat-value").first).to_have_text(f"{before.percent_done_or_started} %")
    expect(panel.locator(f'a[href="{plan_url}"]')).to_have_count(1)
    a11y.check(page, "project-home-before")

    page.goto(walk_url)
    item = page.locator(f"#observation-{observation.pk}")
    expect(item).to_be_visible()
    a11y.check(page, "site-walk")
    turn = item.locator(f'a[href="{plan_url}ny/?observation={observation.pk}"]')
    expect(turn).to_have_count(1)
    turn.click()
    expect(page).to_have_url(re.compile(re.escape(f"{plan_url}ny/?observation={observation.pk}") + "$"))

    form = form_with(page, "due_date")
    title = observation.text.strip().splitlines()[0][:200]
    expect(form.locator("[name=title]")).to_have_value(title)
    expect(form.locator("select[name=category]")).to_have_value(observation.category)
    form.locator("select[name=responsible]").select_option(value=str(police.pk))
    due = today + timedelta(days=30)
    form.locator("[name=due_date]").fill(due.isoformat())
    a11y.check(page, "action-form")
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(re.escape(plan_url) + r"(\d+)/$"))
    action_id = int(re.search(r"/handlingsplan/(\d+)/$", page.url).group(1))
    action = Action.objects.get(pk=action_id, project=project)
    assert (action.title, action.responsible_id, action.due_date) == (title, police.pk, due)
    assert action.status == Action.Status.PLANNED
    finding = action.findings.get()
    assert (finding.kind, finding.ref) == (ActionFinding.Kind.OBSERVATION, str(observation.pk))
    observation.refresh_from_db()
    assert observation.finding_status == Observation.FindingStatus.ACTION
    action_url = f"{plan_url}{action_id}/"
    # The action page shows the linked finding, back to the observation on the walk
    findings = page.locator("main section[aria-labelledby=findings-heading]")
    expect(findings.locator(f'a[href="{walk_url}#observation-{observation.pk}"]')).to_have_count(1)
    a11y.check(page, "action")

    # ---------------------------------------------------------------------------------------------
    # 2. The police member: "my actions", a progress update with a photo, then done
    # ---------------------------------------------------------------------------------------------
    police_page = new_context().new_page()
    sign_in(police_page, a11y, POLICE, name="police-login")
    police_page.goto(f"{plan_url}mina/")
    mine = police_page.locator(f'main .my-action:has(a[href="{action_url}"])')
    expect(mine).to_have_count(1)
    a11y.check(police_page, "my-actions")

    phone = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, a11y, POLICE, name="phone-login")
    phone.goto(f"{plan_url}mina/")
    expect(phone.locator(f'main .my-action a[href="{action_url}"]')).to_have_count(1)
    a11y.check(phone, "phone-my-actions")
    assert_no_sideways_scroll(phone)

    mine.locator(f'a[href="{action_url}#progress"]').click()
    expect(police_page).to_have_url(re.compile(re.escape(action_url) + "#progress$"))
    photo = tmp_path / "belysning.jpg"
    from PIL import Image

    Image.new("RGB", (640, 480), (200, 180, 90)).save(photo, "JPEG", quality=80)
    progress = police_page.locator(f'main form[action="{action_url}"]')
    progress.locator("[name=note]").fill(PROGRESS_NOTE)
    progress.locator("select[name=status]").select_option(value=Action.Status.IN_PROGRESS)
    progress.locator("input[name=photo]").set_input_files(str(photo))
    a11y.check(police_page, "progress-form")
    progress.locator("button[type=submit]").click()
    expect(police_page).to_have_url(re.compile(re.escape(action_url) + "#updates$"))
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    update = action.updates.get(note=PROGRESS_NOTE)
    assert update.author_id == police.pk and update.photo
    photo_url = f"{action_url}uppdateringar/{update.pk}/foto/"
    thumbnail = police_page.locator(f'#updates img[src="{photo_url}"]')
    thumbnail.scroll_into_view_if_needed()
    police_page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                  arg=thumbnail.element_handle(), timeout=10_000)
    a11y.check(police_page, "action-updated")

    # "Is it done?" in one click: the reminder's link opens the action with ?klar=1
    police_page.goto(f"{action_url}?klar=1")
    done_form = police_page.locator(f'main form[action="{action_url}"]')
    expect(done_form.locator("select[name=status]")).to_have_value(Action.Status.DONE)
    a11y.check(police_page, "is-it-done")
    done_form.locator("button[type=submit]").click()
    expect(police_page).to_have_url(re.compile(re.escape(action_url) + "#updates$"))
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.closed_at is not None
    expect(police_page.locator("main .page-header .status-tag")).to_have_class(re.compile(r"\bstatus-done\b"))
    a11y.check(police_page, "action-done")
    # … and on "my actions" it has no "Mark done" button any more
    police_page.goto(f"{plan_url}mina/")
    expect(mine).to_have_count(1)
    expect(mine.locator(f'form[action="{plan_url}{action_id}/status/"]')).to_have_count(0)
    a11y.check(police_page, "my-actions-after")

    # ---------------------------------------------------------------------------------------------
    # 3. Back as the coordinator: the KPI has moved; board, matrix, map, import and export
    # ---------------------------------------------------------------------------------------------
    after = action_kpi(project=project, today=today)
    assert after.done == before.done + 1 and after.counted == before.counted + 1, (before, after)
    assert after.share_done_or_started > before.share_done_or_started, (before, after)

    page.goto(project_url)
    expect(panel.locator(".stat-value").first).to_have_text(f"{after.percent_done_or_started} %")
    home_numbers = kpi_numbers(page, "main section[aria-labelledby=actionplan-heading] .stat-sub")
    assert home_numbers[:3] == (after.done, after.in_progress, after.counted), home_numbers
    a11y.check(page, "project-home-after")

    page.goto(plan_url)
    kpi = page.locator("main section[aria-labelledby=kpi-heading]")
    expect(kpi.locator(".stat-value").first).to_have_text(f"{after.percent_done_or_started} %")
    assert kpi_numbers(page, "main section[aria-labelledby=kpi-heading] .stat-sub")[:2] == (
        after.done_or_started, after.counted)
    expect(page.locator(f'main table a[href="{action_url}"]')).to_have_count(1)
    a11y.check(page, "list")

    page.goto(f"{plan_url}tavla/")
    expect(page.locator(f"#action-{action_id}")).to_have_count(1)
    a11y.check(page, "board")

    for name, url in (("matrix", f"{plan_url}matris/"), ("map", f"{plan_url}karta/"),
                      ("import", f"{plan_url}import/")):
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
        a11y.check(page, name)
    expect(page.locator("main input[type=file]")).to_have_count(1)

    # The export, like the matrix, the map and the import, is linked from the action plan's list
    page.goto(plan_url)
    views = page.locator("main nav.page-links")
    for url in (f"{plan_url}matris/", f"{plan_url}karta/", f"{plan_url}import/"):
        expect(views.locator(f'a[href="{url}"]')).to_have_count(1)
    with page.expect_download() as download_info:
        views.locator(f'a[href="{plan_url}export.csv"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if text.split("\n", 1)[0].count(";") else ","))
    assert "nummer" in rows[0], rows[0]
    assert len(rows) - 1 == Action.objects.filter(project=project).count()

    page.goto("/konto/installningar/")
    a11y.check(page, "settings")

    a11y.assert_clean()
    assert not page_errors.errors, page_errors.errors
