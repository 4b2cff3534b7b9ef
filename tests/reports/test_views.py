"""Report pages (SPEC §9): request, follow the status with htmx, download; access through the access
module, another municipality's reports answering 404.

The tests never depend on a task running: in the default setup tasks are eager, under CI they go
to Redis, and in a `db` test the on-commit hook that would queue them never fires either way. A
test that needs a finished report renders it with `report_run`, as the worker would.
"""
from __future__ import annotations

import io
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from trygga_platser.reports import registry
from trygga_platser.reports.models import Report
from trygga_platser.reports.registry import ReportKind
from trygga_platser.reports.services import report_run
from trygga_platser.tenancy.access import Perm
from trygga_platser.tenancy.models import ProjectMembership

from ..factories import ProjectFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _url(name: str, project, report=None) -> str:
    kwargs = {"project_id": project.pk}
    if report is not None:
        kwargs["report_id"] = report.pk
    return reverse(f"reports:{name}", kwargs=kwargs)


def _report(project, *, author=None, status=Report.Status.QUEUED, kind="project_summary", **fields) -> Report:
    return Report.objects.create(kind=kind, project=project, author=author, status=status, **fields)


def _done_report(project, author=None) -> Report:
    report = _report(project, author=author, status=Report.Status.DONE)
    report.file.save(f"summary-{report.pk}.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return report


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Files of this module go to a folder of the test's own: ids repeat after a rollback on SQLite,
    and a report file left by another test would make storage rename the next one."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manage_only_kind(monkeypatch):
    """A report kind only coordinators may request and read (e.g. one with free-text answers)."""
    kind = ReportKind(
        key="test_coordinators_only",
        title="Coordinators only",
        template="projects/reports/project_summary.html",
        context=lambda report, project: {},
        perm=Perm.MANAGE,
        filename=lambda report, project: f"coordinators-{report.pk}.pdf",
    )
    monkeypatch.setitem(registry._KINDS, kind.key, kind)
    return kind


# ------------------------------------------------------------------------------------------------
# List and request
# ------------------------------------------------------------------------------------------------
def test_list_offers_the_kinds_and_lists_reports_with_date_and_author(world, client_for):
    # Given a report requested by the project coordinator
    world.project_coordinator.full_name = "Karin Lind"
    world.project_coordinator.save()
    report = _done_report(world.project, author=world.project_coordinator)
    # When the coordinator opens the list
    response = client_for(world.org_coordinator).get(_url("list", world.project), **ENGLISH)
    # Then the form offers the project summary and the report is listed with its author and a download
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="project_summary"' in content
    assert "Karin Lind" in content
    assert _url("detail", world.project, report) in content
    assert _url("download", world.project, report) in content


def test_a_county_officer_sees_reports_but_not_who_asked_for_them(world, client_for):
    # Given a report by a named coordinator
    world.project_coordinator.full_name = "Karin Lind"
    world.project_coordinator.save()
    _done_report(world.project, author=world.project_coordinator)
    # When a county board officer opens the list
    response = client_for(world.county_officer).get(_url("list", world.project))
    # Then the report is there, its author's name is not
    assert response.status_code == 200
    assert len(response.context["reports"]) == 1
    assert "Karin Lind" not in response.content.decode()


def test_list_query_count_does_not_grow_with_the_reports(world, client_for):
    # Given a list page with two reports, then with eight
    client = client_for(world.org_coordinator)
    for _ in range(2):
        _done_report(world.project, author=world.project_coordinator)
    client.get(_url("list", world.project))  # warm the session and the cache of content types
    with CaptureQueriesContext(connection) as few:
        client.get(_url("list", world.project))
    for _ in range(6):
        _done_report(world.project, author=world.member)
    # When the list is loaded again
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url("list", world.project))
    # Then it took as many queries
    assert len(response.context["reports"]) == 8
    assert len(many) == len(few)


def test_requesting_a_report_queues_one_row_and_one_render_after_commit(world, client_for,
                                                                        django_capture_on_commit_callbacks):
    # Given a coordinator on the list page
    client = client_for(world.project_coordinator)
    # When they request a project summary
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(_url("create", world.project), {"kind": "project_summary"})
    # Then one queued row exists, the render is scheduled for after the commit, and they follow it
    report = Report.objects.get(project=world.project)
    assert (report.kind, report.status, report.author) == ("project_summary", Report.Status.QUEUED,
                                                             world.project_coordinator)
    assert len(callbacks) == 1
    assert response.status_code == 302
    assert response["Location"] == _url("detail", world.project, report)


@pytest.mark.parametrize("kind", ["", "no_such_report", "../project_summary"])
def test_an_unknown_kind_gets_a_message_and_no_row(world, client_for, kind):
    # Given a coordinator; when they post a kind that does not exist
    response = client_for(world.project_coordinator).post(_url("create", world.project), {"kind": kind}, **ENGLISH)
    # Then they are sent back to the list with a message, and nothing was queued
    assert response.status_code == 302
    assert response["Location"] == _url("list", world.project)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Choose a kind of report."]
    assert not Report.objects.exists()


def test_requesting_needs_post(world, client_for):
    response = client_for(world.project_coordinator).get(_url("create", world.project))
    assert response.status_code == 405
    assert not Report.objects.exists()


def test_a_kind_above_the_users_role_is_neither_offered_nor_accepted(world, client_for, manage_only_kind):
    # Given a kind only coordinators may request, and a project member
    client = client_for(world.member)
    # When the member opens the list and posts that kind anyway
    listed = client.get(_url("list", world.project))
    response = client.post(_url("create", world.project), {"kind": manage_only_kind.key})
    # Then it is not offered and the request is forbidden, with no row
    assert manage_only_kind.key not in [kind.key for kind in listed.context["kinds"]]
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_report_of_a_kind_above_the_users_role_is_hidden_and_forbidden(world, client_for, manage_only_kind):
    # Given a finished coordinators-only report
    report = _done_report(world.project, author=world.project_coordinator)
    Report.objects.filter(pk=report.pk).update(kind=manage_only_kind.key)
    client = client_for(world.county_officer)
    # When a county officer lists, opens and downloads it
    listed = client.get(_url("list", world.project))
    detail = client.get(_url("detail", world.project, report))
    download = client.get(_url("download", world.project, report))
    # Then it is not listed and both addresses are forbidden
    assert list(listed.context["reports"]) == []
    assert (detail.status_code, download.status_code) == (403, 403)


# ------------------------------------------------------------------------------------------------
# Status: the page, and the htmx partial that polls it
# ------------------------------------------------------------------------------------------------
def test_the_page_of_a_queued_report_polls_its_status(world, client_for):
    # Given a queued report; when the coordinator opens its page
    report = _report(world.project, author=world.project_coordinator)
    response = client_for(world.project_coordinator).get(_url("detail", world.project, report))
    # Then the full page carries a status region that polls the same address
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" in content
    assert 'id="report-status"' in content
    assert f'hx-get="{_url("detail", world.project, report)}"' in content
    assert 'hx-trigger="every 2s"' in content


@pytest.mark.parametrize("status", [Report.Status.QUEUED, Report.Status.RUNNING])
def test_the_htmx_poll_returns_only_the_status_region_while_unfinished(world, client_for, status):
    # Given an unfinished report
    report = _report(world.project, author=world.project_coordinator, status=status)
    # When htmx polls its page
    response = client_for(world.project_coordinator).get(_url("detail", world.project, report), **HTMX)
    # Then the answer is the status region alone, still polling, and varies on the htmx header
    content = response.content.decode()
    assert response.status_code == 200
    assert content.strip().startswith('<div id="report-status"')
    assert "<html" not in content and "<h1>" not in content
    assert 'hx-trigger="every 2s"' in content
    assert f"badge-report-{status}" in content
    assert "HX-Request" in response["Vary"]


def test_the_htmx_poll_stops_with_286_when_the_report_is_done(world, client_for):
    # Given a finished report
    report = _done_report(world.project, author=world.project_coordinator)
    # When htmx polls
    response = client_for(world.project_coordinator).get(_url("detail", world.project, report), **HTMX)
    # Then htmx is told to stop polling and gets the download link in the region
    content = response.content.decode()
    assert response.status_code == 286
    assert 'id="report-status"' in content and "hx-trigger" not in content
    assert _url("download", world.project, report) in content
    assert "HX-Request" in response["Vary"]


def test_a_failed_report_shows_its_human_readable_reason(world, client_for):
    # Given a report whose rendering broke (in English, the author's language)
    world.project_coordinator.language = "en"
    world.project_coordinator.save()
    report = _report(world.project, author=world.project_coordinator)
    with mock.patch("trygga_platser.reports.services.template_to_pdf", side_effect=RuntimeError("cairo: bad surface")):
        report_run(report_id=report.pk)
    report.refresh_from_db()
    # When the page is polled and opened
    client = client_for(world.project_coordinator)
    polled = client.get(_url("detail", world.project, report), **HTMX, **ENGLISH)
    page = client.get(_url("detail", world.project, report), **ENGLISH)
    # Then polling stops and the reason is a sentence for a person, not the exception
    assert report.status == Report.Status.FAILED
    assert report.error.startswith("The report could not be generated because of an internal error.")
    assert "cairo" not in report.error and "RuntimeError" not in report.error
    assert polled.status_code == 286
    for response in (polled, page):
        content = response.content.decode()
        assert "The report could not be generated because of an internal error." in content
        assert "cairo" not in content
        assert _url("download", world.project, report) not in content


def test_a_report_whose_author_lost_access_fails_with_that_reason(world, client_for):
    # Given a report requested by a member who is then removed from the project
    world.member.language = "en"
    world.member.save()
    report = _report(world.project, author=world.member)
    ProjectMembership.objects.filter(user=world.member, project=world.project).delete()
    # When the worker runs it
    report_run(report_id=report.pk)
    # Then it fails with a reason the coordinator can read, and no file is made
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == "You no longer have access to this project."
    assert not report.file
    response = client_for(world.project_coordinator).get(_url("detail", world.project, report), **ENGLISH)
    assert "You no longer have access to this project." in response.content.decode()


# ------------------------------------------------------------------------------------------------
# Download
# ------------------------------------------------------------------------------------------------
def test_download_of_a_rendered_report_is_a_private_pdf_attachment(world, client_for):
    # Given a project summary rendered as the worker would
    report = _report(world.project, author=world.project_coordinator)
    report_run(report_id=report.pk)
    report.refresh_from_db()
    # When the coordinator downloads it
    response = client_for(world.project_coordinator).get(_url("download", world.project, report))
    body = b"".join(response.streaming_content)
    # Then it is a PDF attachment that no shared cache may keep
    assert report.status == Report.Status.DONE
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="projektsammanfattning-avesta-torg-{report.pk}.pdf"'
    )
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert body.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "Avesta torg" in text and "Avesta kommun" in text


def test_a_county_officer_may_download_a_project_summary(world, client_for):
    # Given a finished project summary of a project in the officer's programme
    report = _done_report(world.project, author=world.project_coordinator)
    # When the county officer downloads it
    response = client_for(world.county_officer).get(_url("download", world.project, report))
    # Then they get the file
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"


@pytest.mark.parametrize("status", [Report.Status.QUEUED, Report.Status.RUNNING, Report.Status.FAILED])
def test_an_unfinished_report_has_nothing_to_download(world, client_for, status):
    report = _report(world.project, author=world.project_coordinator, status=status)
    response = client_for(world.project_coordinator).get(_url("download", world.project, report))
    assert response.status_code == 404


# ------------------------------------------------------------------------------------------------
# Isolation: another municipality's reports do not exist for you
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["other_coordinator", "other_county_officer", "outsider", "staff"])
def test_people_outside_the_project_get_404_on_every_report_url(world, client_for, who):
    # Given a finished report of the project, and someone with no path into it
    report = _done_report(world.project, author=world.project_coordinator)
    client = client_for(getattr(world, who))
    # When they try every report address
    responses = {
        "list": client.get(_url("list", world.project)),
        "create": client.post(_url("create", world.project), {"kind": "project_summary"}),
        "detail": client.get(_url("detail", world.project, report)),
        "poll": client.get(_url("detail", world.project, report), **HTMX),
        "download": client.get(_url("download", world.project, report)),
    }
    # Then each answers as if nothing were there, and nothing was queued
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 404)
    assert Report.objects.count() == 1


def test_a_report_cannot_be_reached_through_another_project_the_user_sees(world, client_for):
    # Given a coordinator of two projects of the same municipality, and a report of the second
    second = ProjectFactory(municipality=world.home, name="Avesta station")
    report = _done_report(second, author=world.org_coordinator)
    client = client_for(world.org_coordinator)
    # When they address the report under the first project
    detail = client.get(_url("detail", world.project, report))
    download = client.get(_url("download", world.project, report))
    # Then it does not exist there
    assert (detail.status_code, download.status_code) == (404, 404)
    assert client.get(_url("download", second, report)).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    report = _done_report(world.project)
    for url in (_url("list", world.project), _url("detail", world.project, report),
                _url("download", world.project, report)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_redelivered_task_takes_over_its_running_row(world):
    # Given a report whose worker died while rendering it
    from django.utils import timezone

    from trygga_platser.reports.services import report_run

    report = Report.objects.create(kind="project_summary", project=world.project, author=world.org_coordinator,
                                   status=Report.Status.RUNNING, started_at=timezone.now())
    # When the same task arrives again, not flagged as redelivered, it leaves the row alone
    report_run(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING
    # And when the broker redelivers it, the row is taken over and finished
    report_run(report_id=report.pk, redelivered=True)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.file


def test_abandoned_reports_are_failed_with_a_reason(world, settings):
    from datetime import timedelta

    from django.utils import timezone

    from trygga_platser.reports.services import reports_fail_abandoned

    old = timezone.now() - timedelta(seconds=settings.REPORT_TIME_LIMIT * 4)
    stuck = Report.objects.create(kind="project_summary", project=world.project, status=Report.Status.RUNNING,
                                  started_at=old)
    fresh = Report.objects.create(kind="project_summary", project=world.project, status=Report.Status.RUNNING,
                                  started_at=timezone.now())
    assert reports_fail_abandoned() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == Report.Status.FAILED and stuck.error
    assert fresh.status == Report.Status.RUNNING
