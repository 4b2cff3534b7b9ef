"""Browser journeys (SPEC §2 isolation, §9 reports, §12.3 WCAG 2.1 AA) in headless Chromium.

The browser is Debian's Chromium, launched through Playwright's sync API; Playwright's own browser
download is not used. Under CI a missing Chromium or pdftotext fails the run instead of skipping it
(`require`, tests/conftest.py).

Fixtures here:
- `chromium`: one browser for the e2e package (see the note on Django's async check below).
- `new_context` / `page`: browser contexts against `live_server`, Swedish, CSP bypassed for axe.
- `demo`: the demo of SPEC §13 (`seed_all()`), in a transactional database the live server sees;
  `shipped_rows` keeps the rows the migrations write alive across those tests.
- `a11y`: screenshot + axe-core on a page; `a11y.assert_clean()` at the end of a journey.
- `held_reports`: report jobs go through Celery (eagerly) but their rendering waits for the test,
  so the status page can be seen moving from queued to done by htmx polling.
"""
from __future__ import annotations

import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ..conftest import require

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# Playwright cannot download its browser here; these flags keep Debian's Chromium quiet and offline.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

REPO = Path(__file__).resolve().parents[2]
SCREENS = REPO / "artifacts" / "screens"
# WCAG 2.1 A and AA, the level Swedish public-sector law requires (SPEC §12.3).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_source() -> str:
    import axe_playwright_python

    path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------
# Browser
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="package")
def chromium(shipped_rows):  # shipped_rows: taken before Playwright starts, see there
    require(os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in the main thread while it is started, and
    # Django then refuses ORM calls from that thread (SynchronousOnlyOperation): the seeding, the
    # report rendering and pytest-django's flush all run there. The calls really are synchronous, so
    # the check is switched off for exactly as long as Playwright runs — package scope, so that the
    # rest of the suite runs with the check on and without a running loop.
    # https://docs.djangoproject.com/en/5.2/topics/async/#async-safety
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        # The main thread's connections opened while the loop ran belong to that context: close
        # them here, or they would stay open (and keep a PostgreSQL test database busy).
        from django.db import connections

        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class PageErrors:
    """Uncaught JavaScript errors, per page: a broken htmx or script is a failed journey."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@pytest.fixture
def new_context(chromium, live_server, page_errors):
    """`new_context(viewport=...)`: a fresh browser context (own cookies) against the live server."""
    contexts = []

    def make(**overrides):
        options = {
            "base_url": live_server.url,
            "locale": "sv-SE",
            "timezone_id": "Europe/Stockholm",
            "viewport": DESKTOP,
            "accept_downloads": True,
            # The app sends a strict Content-Security-Policy (script-src 'self'), which would block
            # axe-core injected as an inline <script>. Bypassing CSP is for the test harness only;
            # the app's own scripts are all same-origin files and run the same either way.
            "bypass_csp": True,
        }
        options.update(overrides)
        context = chromium.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.on("page", page_errors.watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


# ------------------------------------------------------------------------------------------------
# Server side: demo data and Celery
# ------------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def eager_celery(eager_tasks):
    """Every journey runs its Celery tasks in-process (tests/conftest.py: eager_tasks)."""
    yield


@pytest.fixture(scope="package")
def shipped_rows(django_db_setup, django_db_blocker):
    """The rows the migrations write (e.g. the model variants the demo builds on), as Django
    serialized them when it set up the test database, for the journeys' transactional tests.

    A transactional test ends by emptying every table. Django's serialized rollback would put these
    rows back, but it keeps them on the connection object, and while Playwright runs the main thread
    gets another one (asgiref's Local sees Playwright's running event loop); so they are taken here,
    before the browser starts, restored before each journey (`demo`), and once more after the last,
    so the rest of the session — and a later `--reuse-db` run — finds them again.
    https://docs.djangoproject.com/en/5.2/topics/testing/overview/#rollback-emulation
    """
    from django.db import connections

    contents = {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if getattr(connection, "_test_serialized_contents", None)
    }
    yield contents
    _restore(contents, django_db_blocker)


def _restore(contents: dict[str, str], django_db_blocker=None) -> None:
    from contextlib import nullcontext

    from django.db import connections

    with django_db_blocker.unblock() if django_db_blocker else nullcontext():
        for alias, data in contents.items():
            connection = connections[alias]
            # Also tells TransactionTestCase to flush without re-running post_migrate, so the
            # restored content types keep their ids.
            connection._test_serialized_contents = data
            connection.creation.deserialize_db_from_string(data)


@pytest.fixture
def journey_db(transactional_db, django_db_serialized_rollback, live_server, shipped_rows):
    """A committed database the live server's threads see, with the rows the migrations write (the
    model variants, the shipped inspection aspects) put back first. Request it before any fixture
    that creates rows (`world`), so the restored content types keep their ids.

    `django_db_serialized_rollback` makes pytest-django serialize the migrated database when it sets
    it up and flush without re-creating content types afterwards; `shipped_rows` puts the rows back
    (see there)."""
    _restore(shipped_rows)


@pytest.fixture
def demo(journey_db):
    """The demo of SPEC §13, committed, so the live server's threads see it."""
    from trygga_platser.tenancy.demo import seed_all

    return seed_all()


@dataclass
class HeldReports:
    """Report ids whose task ran (eagerly, through Celery) but whose rendering the test releases."""

    ids: list[int] = field(default_factory=list)
    _arrived: threading.Event = field(default_factory=threading.Event)

    def hold(self, *, report_id: int, **_options) -> None:
        self.ids.append(report_id)
        self._arrived.set()

    def wait(self, timeout: float = 10) -> int:
        assert self._arrived.wait(timeout), (
            "No report job reached trygga_platser.reports.tasks.report_run: "
            "was the task queued (delay_on_commit) and does it still call report_run?"
        )
        return self.ids[-1]

    def release(self, report_id: int) -> None:
        from trygga_platser.reports.services import report_run

        report_run(report_id=report_id)


@pytest.fixture
def held_reports(monkeypatch) -> HeldReports:
    """The whole path (view → service → delay_on_commit → Celery → task) is real; only the task's
    call into the renderer is held, so the page is seen queued first and then updating itself."""
    held = HeldReports()
    monkeypatch.setattr("trygga_platser.reports.tasks.report_run", held.hold)
    return held


# ------------------------------------------------------------------------------------------------
# Accessibility: axe-core on every page, and a full-page screenshot for a human to look at
# ------------------------------------------------------------------------------------------------
@dataclass
class PageReport:
    name: str
    url: str
    violations: list[dict]


class A11y:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.pages: list[PageReport] = []
        self._axe = None

    def check(self, page, name: str) -> list[dict]:
        """Screenshot `page` and run axe-core (WCAG 2.1 A/AA) on it; violations are collected."""
        page.wait_for_load_state("load")
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"{self.prefix}-{name}.png"), full_page=True)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            if self._axe is None:
                self._axe = _axe_source()
            page.add_script_tag(content=self._axe)
        results = page.evaluate(
            "options => window.axe.run(document, options)",
            {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        violations = results["violations"] + self._reflow(page)
        self.pages.append(PageReport(name=name, url=page.url, violations=violations))
        return violations

    @staticmethod
    def _reflow(page) -> list[dict]:
        """WCAG 2.1 1.4.10 (Reflow, AA), which axe does not test: the page itself must not scroll
        sideways; a wide table or chart may, inside its own scroll box."""
        wide = page.evaluate("""() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return null;
            const culprits = [];
            document.querySelectorAll("body *").forEach(e => {
                if (e.getBoundingClientRect().right > width + 1 && culprits.length < 5
                    && !e.closest("[style*='overflow'], .table, .table-scroll, .chart, .chart-figure, .leaflet-container")) {
                    culprits.push(e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? "." + e.className : ""));
                }
            });
            return {scroll: document.documentElement.scrollWidth, width, culprits};
        }""")
        if not wide:
            return []
        return [{"id": "reflow", "impact": "serious",
                 "help": f"The page scrolls sideways: {wide['scroll']} px wide in a {wide['width']} px viewport",
                 "helpUrl": "https://www.w3.org/WAI/WCAG21/Understanding/reflow.html",
                 "nodes": [{"target": [c], "failureSummary": "extends past the viewport"} for c in wide["culprits"]]}]

    def report(self) -> str:
        lines = []
        for checked in self.pages:
            for violation in checked.violations:
                lines.append(
                    f"[{checked.name}] {checked.url}\n"
                    f"  {violation['id']} ({violation.get('impact')}): {violation['help']}\n"
                    f"  {violation['helpUrl']}"
                )
                for node in violation["nodes"][:10]:
                    summary = re.sub(r"\s+", " ", node.get("failureSummary") or "").strip()
                    lines.append(f"    - {' '.join(map(str, node['target']))}: {summary[:300]}")
                if len(violation["nodes"]) > 10:
                    lines.append(f"    … and {len(violation['nodes']) - 10} more")
        return "\n".join(lines)

    def assert_clean(self) -> None:
        assert self.pages, "No page was checked with axe."
        bad = [p for p in self.pages if p.violations]
        assert not bad, (
            f"axe-core found WCAG 2.1 A/AA violations on {len(bad)} of {len(self.pages)} pages:\n" + self.report()
        )


@pytest.fixture
def a11y(request) -> A11y:
    return A11y(prefix=request.node.originalname.removeprefix("test_"))


# ------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------
@pytest.fixture
def pdftotext():
    executable = shutil.which("pdftotext")
    require(executable is not None, "pdftotext (poppler-utils) is not installed")

    def run(path: Path) -> str:
        import subprocess

        done = subprocess.run([executable, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
        return " ".join(done.stdout.split())

    return run
