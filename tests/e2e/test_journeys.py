"""Journeys through the real pages in headless Chromium: sign in, find the project, create a report
and download it (SPEC §9); another municipality's coordinator meets 404 everywhere (SPEC §2); every
page visited is clean under axe-core for WCAG 2.1 A/AA (SPEC §12.3), on a desktop and on a phone.

Selectors use URLs, form field names and option values, not translated text, so the journeys hold
while the Swedish translation is being written. Screenshots land in artifacts/screens/.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from trygga_platser.reports.models import Report
from trygga_platser.tenancy.demo import DEMO_PASSWORD
from trygga_platser.tenancy.models import Project

from .conftest import PHONE

pytestmark = pytest.mark.e2e

AVESTA = "samordnare@avesta.example"
FALUN = "samordnare@falun.example"
AVESTA_PROJECT = "Trygga Platser Avesta centrum"
FALUN_PROJECT = "Trygga Platser Falu resecentrum"


def sign_in(page, a11y, email: str, *, name: str = "login") -> None:
    """Through allauth's real login form, as a person would."""
    page.goto("/konto/login/")
    a11y.check(page, name)
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    form.locator("[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/konto/login/"))


def project_of(municipality_slug: str) -> Project:
    return Project.objects.get(municipality__slug=municipality_slug)


def link(page, href: str):
    return page.locator(f'main a[href="{href}"]')


def test_coordinator_creates_and_downloads_project_summary(
    page, demo, a11y, held_reports, page_errors, pdftotext, tmp_path
):
    avesta = project_of("avesta")
    project_url = f"/projekt/{avesta.pk}/"
    falun = project_of("falun")

    # Given the Avesta coordinator signs in
    sign_in(page, a11y, AVESTA)

    # Then the start page lists the Avesta project under Avesta kommun, and nothing of Falun's
    expect(page).to_have_url(re.compile(r"/$"))
    a11y.check(page, "start")
    group = page.locator("section", has=page.get_by_role("heading", level=2, name="Avesta kommun"))
    expect(group.get_by_role("link", name=AVESTA_PROJECT)).to_have_attribute("href", project_url)
    expect(page.get_by_text(FALUN_PROJECT)).to_have_count(0)
    expect(page.locator(f'a[href="/projekt/{falun.pk}/"]')).to_have_count(0)

    # When she opens the project
    group.get_by_role("link", name=AVESTA_PROJECT).click()
    expect(page).to_have_url(re.compile(re.escape(project_url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(AVESTA_PROJECT)
    a11y.check(page, "project")

    # … looks at the members and the edit form (by address: where the project page links them
    # from is a matter of layout), and comes back
    response = page.goto(f"{project_url}medlemmar/")
    assert response.status == 200
    expect(page.locator("main").get_by_text("Anna Lindqvist").first).to_be_visible()
    a11y.check(page, "members")
    response = page.goto(f"{project_url}redigera/")
    assert response.status == 200
    expect(page.locator("input[name=name]")).to_have_value(AVESTA_PROJECT)
    a11y.check(page, "edit")
    page.goto(project_url)

    # … goes to the reports and asks for a project summary
    page.locator(f'a[href="{project_url}rapporter/"]').first.click()
    expect(page).to_have_url(re.compile(r"/rapporter/$"))
    a11y.check(page, "reports")
    form = page.locator("form", has=page.locator("select[name=kind]"))
    form.locator("select[name=kind]").select_option(value="project_summary")
    form.locator("[type=submit]").click()

    # Then the status page shows the queued report and polls for its status (htmx)
    expect(page).to_have_url(re.compile(r"/rapporter/\d+/$"))
    report_id = held_reports.wait()
    report = Report.objects.get(pk=report_id)
    assert (report.project_id, report.kind, report.author.email) == (avesta.pk, "project_summary", AVESTA)
    assert page.url.endswith(f"{project_url}rapporter/{report_id}/")
    polls = []
    page.on("response", lambda r: polls.append(r.status) if r.request.headers.get("hx-request") == "true" else None)
    expect(page.locator("[hx-get][hx-trigger*='every']")).to_have_count(1)
    download_link = link(page, f"{project_url}rapporter/{report_id}/fil/")
    expect(download_link).to_have_count(0)
    a11y.check(page, "report-queued")

    # When the worker has rendered it, the page updates itself without a reload and stops polling
    held_reports.release(report_id)
    expect(download_link).to_be_visible(timeout=15_000)
    expect(page.locator("[hx-get][hx-trigger*='every']")).to_have_count(0)
    assert polls and polls[-1] == 286, f"htmx polling should end with HTTP 286, saw {polls}"
    a11y.check(page, "report-done")
    polls_when_done = len(polls)
    page.wait_for_timeout(2_500)  # longer than one polling interval
    assert len(polls) == polls_when_done, "htmx kept polling after the report was done"

    # When she downloads it, it is her project's summary as a PDF
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = pdftotext(pdf)
    assert AVESTA_PROJECT in text
    assert "Avesta kommun" in text
    assert FALUN_PROJECT not in text

    # And the report is listed on the reports page
    page.goto(f"{project_url}rapporter/")
    expect(link(page, f"{project_url}rapporter/{report_id}/fil/")).to_have_count(1)
    a11y.check(page, "reports-with-report")

    # And the accessibility statement, linked from every page, is itself accessible
    page.locator('footer a[href="/tillganglighet/"]').click()
    expect(page).to_have_url(re.compile(r"/tillganglighet/$"))
    a11y.check(page, "accessibility-statement")

    a11y.assert_clean()
    assert not page_errors.errors, page_errors.errors


def test_other_municipality_gets_404_for_every_avesta_url(page, demo, a11y, page_errors):
    from trygga_platser.reports.services import report_run

    avesta = project_of("avesta")
    # A finished Avesta report, with its PDF on disk: only access keeps Falun from it.
    report = Report.objects.create(kind="project_summary", project=avesta, author=demo.users[AVESTA])
    report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.file

    # Given the Falun coordinator signs in, and sees her own project only
    sign_in(page, a11y, FALUN)
    a11y.check(page, "start")
    expect(page.get_by_role("link", name=FALUN_PROJECT)).to_have_count(1)
    expect(page.get_by_text(AVESTA_PROJECT)).to_have_count(0)

    # What "does not exist" looks like
    missing = page.goto("/projekt/999999/")
    assert missing.status == 404
    not_found_heading = page.get_by_role("heading", level=1).inner_text()
    a11y.check(page, "404")

    base = f"/projekt/{avesta.pk}/"
    urls = [
        base,
        f"{base}redigera/",
        f"{base}medlemmar/",
        f"{base}rapporter/",
        f"{base}rapporter/{report.pk}/",
        f"{base}rapporter/{report.pk}/fil/",
    ]
    for url in urls:
        # When she goes straight to an Avesta address
        response = page.goto(url)  # a PDF download here would raise "Download is starting"
        # Then it answers exactly like an address that does not exist (SPEC §2)
        assert response.status == 404, f"{url} answered {response.status}"
        expect(page.get_by_role("heading", level=1)).to_have_text(not_found_heading)
        expect(page.get_by_text(AVESTA_PROJECT)).to_have_count(0)

    # And she cannot queue a report on Avesta's project either
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{base}rapporter/ny/", form={"kind": "project_summary"}, headers={"X-CSRFToken": csrf}, max_redirects=0
    )
    assert response.status == 404
    assert Report.objects.filter(project=avesta).count() == 1

    a11y.assert_clean()
    assert not page_errors.errors, page_errors.errors


def test_phone_sized_start_and_project_pages(new_context, demo, a11y, page_errors):
    page = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).new_page()
    avesta = project_of("avesta")

    sign_in(page, a11y, AVESTA, name="login")
    for name, url in (("start", "/"), ("project", f"/projekt/{avesta.pk}/")):
        page.goto(url)
        a11y.check(page, name)
        # Nothing may stick out sideways on a phone (WCAG 1.4.10 Reflow).
        overflow = page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                const wide = [...document.querySelectorAll('body *')]
                    .filter(el => el.getBoundingClientRect().right > width + 1)
                    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().replace(/\\s+/g, '.') : ''));
                return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10)};
            }"""
        )
        assert overflow["scroll"] <= overflow["width"], f"{url} overflows a {PHONE['width']} px screen: {overflow}"

    a11y.assert_clean()
    assert not page_errors.errors, page_errors.errors
