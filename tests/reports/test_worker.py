"""Reports rendered by a real Celery worker (SPEC §9; ARCHITECTURE.md habit 4).

A coordinator's request commits a row and queues its id; a worker process on Redis renders the
PDF; the test reads the stored file back. Runs against whatever database the suite uses (SQLite
file or PostgreSQL): the worker is pointed at the same test database.
"""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from trygga_platser.reports.models import Report
from trygga_platser.reports.services import report_request, report_run
from trygga_platser.reports.tasks import report_render
from trygga_platser.tenancy.access import project_get_for_user
from trygga_platser.tenancy.models import ProjectMembership

from ..celery_worker import celery_worker, celery_worker_process  # noqa: F401 - fixtures
from ..conftest import require

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

RENDER_TIMEOUT = 60


def _request_summary(user, project_id: int) -> Report:
    # As the view does: resolve the project through the access module, then call the service.
    # The service's transaction commits on return (transactional_db), which queues the task.
    project = project_get_for_user(user=user, project_id=project_id)
    return report_request(user=user, project=project, kind="project_summary")


def _finished(worker, report_id: int) -> Report:
    def poll():
        report = Report.objects.get(pk=report_id)
        return report if report.is_finished else None

    return worker.wait_until(poll, timeout=RENDER_TIMEOUT, what=f"report {report_id} to finish")


def _pdf_text(path: Path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed.")
    return subprocess.run(  # noqa: S603, S607
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True, timeout=30
    ).stdout


def test_the_worker_renders_a_requested_project_summary(world, celery_worker):
    # Given a coordinator who asks for a project summary, committed
    report = _request_summary(world.project_coordinator, world.project.pk)
    # When the worker has taken it from the queue and rendered it
    report = _finished(celery_worker, report.pk)
    # Then the report is done, with a stored PDF that names the project and its municipality
    assert (report.status, report.error) == (Report.Status.DONE, "")
    assert report.started_at and report.finished_at and report.started_at <= report.finished_at
    path = Path(report.file.path)
    # (storage may add a suffix when another run of the suite left a file of that name)
    assert path.name.startswith(f"projektsammanfattning-avesta-torg-{report.pk}") and path.suffix == ".pdf"
    assert path.read_bytes().startswith(b"%PDF-")
    text = _pdf_text(path)
    assert "Avesta torg" in text
    assert "Avesta kommun" in text
    # And it is a tagged, Swedish PDF/UA document
    root = PdfReader(io.BytesIO(path.read_bytes())).trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert root["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def test_a_done_report_is_not_rendered_again(world, celery_worker):
    # Given a report the worker has finished
    report = _finished(celery_worker, _request_summary(world.project_coordinator, world.project.pk).pk)
    assert report.status == Report.Status.DONE
    path = Path(report.file.path)
    files_before = {p.name: p.stat().st_mtime_ns for p in path.parent.iterdir()}
    # When the job runs again, in this process and as a redelivered message on the worker
    report_run(report_id=report.pk)
    report_render.delay(report.pk)
    # (the worker takes one message at a time, in order: once a later report is done, so is that)
    later = _finished(celery_worker, _request_summary(world.project_coordinator, world.project.pk).pk)
    assert later.status == Report.Status.DONE
    # Then the report is untouched: same file, same finish time, no second file written
    again = Report.objects.get(pk=report.pk)
    assert (again.status, again.file.name, again.finished_at) == (Report.Status.DONE, report.file.name,
                                                                   report.finished_at)
    assert {p.name: p.stat().st_mtime_ns for p in path.parent.iterdir()} == files_before


def test_the_worker_records_a_readable_reason_when_the_author_lost_access(world, celery_worker):
    # Given a member who asks for a report and is removed from the project before it runs
    world.member.language = "en"
    world.member.save()
    project = project_get_for_user(user=world.member, project_id=world.project.pk)
    ProjectMembership.objects.filter(user=world.member, project=world.project).delete()
    report = report_request(user=world.member, project=project, kind="project_summary")
    # When the worker runs it
    report = _finished(celery_worker, report.pk)
    # Then it failed with a sentence for a person, and no file
    assert report.status == Report.Status.FAILED
    assert report.error == "You no longer have access to this project."
    assert not report.file
