"""The Handlingsplan report kind (SPEC §9): rendered by the worker, read as text."""
from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.reports import ACTION_PLAN, register_report_kinds
from tests.conftest import require
from trygga_platser.reports.models import Report
from trygga_platser.reports.registry import kind_get
from trygga_platser.reports.services import report_run
from trygga_platser.tenancy.access import Perm

from .factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _registered():
    register_report_kinds()


def pdf_text(report: Report) -> str:
    require(Path("/usr/bin/pdftotext").exists(), "pdftotext (poppler-utils) is needed to read the PDF")
    return subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True, check=True,
                          text=True).stdout


def test_the_kind_is_registered_for_county_boards():
    assert kind_get("action_plan") is ACTION_PLAN
    assert ACTION_PLAN.perm is Perm.VIEW


def test_the_pdf_has_the_actions_by_category_the_kpi_matrix_and_map(world):
    # Given a plan with actions in two work areas, one overdue, one with a responsible person
    today = timezone.localdate()
    world.project.area = {"type": "Polygon", "coordinates": [[[16.165, 60.143], [16.171, 60.143],
                                                               [16.171, 60.146], [16.165, 60.143]]]}
    world.project.save()
    ActionFactory(project=world.project, number=1, title="Byt belysning i gångtunneln", category="sakerhet",
                  responsible=world.member, responsible_organisation="Polisen Avesta", status="in_progress",
                  start_date=date(2026, 1, 10), due_date=today - timedelta(days=3), impact=3, effort=1,
                  lon=16.168, lat=60.1445)
    ActionFactory(project=world.project, number=2, title="Sommarkvällar på torget", category="aktiviteter",
                  responsible_organisation="Kulturföreningen", status="done", impact=2, effort=3)
    ActionFactory(project=world.project, number=3, title="Planteringar", category="attraktivitet", status="planned")
    ActionFactory(project=world.project, number=4, title="Struken åtgärd", category="attraktivitet",
                  status="cancelled")
    report = Report.objects.create(kind="action_plan", project=world.project, author=world.county_officer)

    # When the worker renders it as the county board officer
    report_run(report_id=report.pk)

    # Then it is done and reads as the action plan
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    assert report.file.name.endswith(".pdf") and "handlingsplan" in report.file.name
    text = pdf_text(report)
    flat = " ".join(text.split())
    for expected in ("Byt belysning i gångtunneln", "Polisen Avesta", "Sommarkvällar på torget", "Kulturföreningen",
                     "A1", "A2", "A3", "2026-01-10", "Planteringar"):
        assert expected in flat, expected
    # the KPI: 2 of 3 counted actions done or started (67 %), 1 overdue
    assert "67 %" in flat
    # grouped by work area, in the model's order: safety before attractiveness before activities
    assert flat.index("Byt belysning") < flat.index("Planteringar") < flat.index("Sommarkvällar på torget")
    # no personal names: the county board may read it
    assert world.member.full_name not in text and world.member.email not in text
    pages = subprocess.run(["pdfinfo", report.file.path], capture_output=True, text=True, check=True).stdout
    assert int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:"))) >= 4


def test_a_county_officer_may_request_it(world, client_for):
    ActionFactory(project=world.project, number=1)
    response = client_for(world.county_officer).post(reverse("reports:create", kwargs={"project_id": world.project.pk}),
                                                     {"kind": "action_plan"})
    assert response.status_code in (200, 302)
    assert Report.objects.filter(kind="action_plan", project=world.project).count() == 1


def test_an_empty_plan_renders(world):
    report = Report.objects.create(kind="action_plan", project=world.project, author=world.project_coordinator)
    report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
