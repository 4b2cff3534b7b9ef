"""The survey poster (SPEC §5.2, §9): an A4 PDF with the title, the QR code and the link."""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from surveys.reports import SURVEY_POSTER, register_report_kinds
from surveys.services.invitations import public_url
from trygga_platser.reports.models import Report
from trygga_platser.reports.registry import kind_get
from trygga_platser.reports.services import report_run

from .factories_distribution import distribution_url, survey_in

pytestmark = pytest.mark.django_db

A4_POINTS = (595, 842)


@pytest.fixture(autouse=True)
def _registered():
    register_report_kinds()


def pdf_text(report: Report) -> str:
    """The PDF's text: poppler's pdftotext when installed, else pypdf (both read the text layer)."""
    if Path("/usr/bin/pdftotext").exists():
        return subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True, check=True,
                              text=True).stdout
    with report.file.open("rb") as handle:
        return "\n".join(page.extract_text() or "" for page in PdfReader(handle).pages)


def test_the_kind_is_registered():
    assert kind_get("survey_poster") is SURVEY_POSTER


def test_the_poster_has_the_title_link_dates_and_one_a4_page(world):
    # given an open survey with a public link
    survey = survey_in(world.project, state="open", title="Hur trygg är du på Avesta torg?",
                       intro="Kommunen och fastighetsägarna vill göra torget tryggare.")
    report = Report.objects.create(kind="survey_poster", project=world.project, author=world.project_coordinator,
                                   params={"survey_id": survey.pk})

    # when the worker renders it
    report_run(report_id=report.pk)

    # then it is one A4 page with the title, the link in text and the municipality
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    reader = PdfReader(io.BytesIO(report.file.read()))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    flat = "".join(pdf_text(report).split())
    for expected in ("Hur trygg är du på Avesta torg?", public_url(survey), world.project.municipality.name,
                     str(survey.closes_on.year)):
        assert "".join(expected.split()) in flat, expected


def test_a_survey_of_another_project_is_not_printed(world):
    # given a report of this project naming another municipality's survey
    foreign = survey_in(world.other_project, state="open", title="Falu hemliga enkät")
    report = Report.objects.create(kind="survey_poster", project=world.project, author=world.project_coordinator,
                                   params={"survey_id": foreign.pk})
    report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    text = pdf_text(report)
    assert "Falu hemliga enkät" not in text and foreign.public_token not in "".join(text.split())


def test_without_a_survey_id_the_latest_survey_is_printed(world):
    survey_in(world.project, state="open", title="Äldre enkät")
    newest = survey_in(world.project, state="open", title="Nyaste enkäten")
    report = Report.objects.create(kind="survey_poster", project=world.project, author=world.project_coordinator)
    report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    assert newest.title in pdf_text(report)


def test_the_poster_button_creates_the_report_and_goes_to_its_page(world, client_for,
                                                                   django_capture_on_commit_callbacks):
    survey = survey_in(world.project, state="open")
    client = client_for(world.project_coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(distribution_url("poster", survey))
    report = Report.objects.get(kind="survey_poster")
    assert report.params == {"survey_id": survey.pk} and report.project == world.project
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", kwargs={"project_id": world.project.pk,
                                                                      "report_id": report.pk})


@pytest.mark.parametrize(("role", "status"), [
    ("coach", 302), ("member", 403), ("project_viewer", 403), ("county_officer", 403), ("other_coordinator", 404)])
def test_who_may_make_a_poster(world, client_for, django_capture_on_commit_callbacks, role, status):
    survey = survey_in(world.project, state="open")
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(getattr(world, role)).post(distribution_url("poster", survey))
    assert response.status_code == status


def test_no_poster_without_a_public_link(world, client_for):
    survey = survey_in(world.project, state="open", public_link_enabled=False)
    response = client_for(world.project_coordinator).post(distribution_url("poster", survey))
    assert response.status_code == 302
    assert not Report.objects.exists()
