"""Report pages: request, follow the status (htmx polling), download. Access through tenancy.access."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling

from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from .models import Report
from .registry import kind_get
from .selectors import report_kinds_for, reports_for_project
from .services import UnknownReportKind, report_request


@login_required
@require_http_methods(["GET"])
def report_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    return render(
        request,
        "reports/report_list.html",
        {
            "project": project,
            "kinds": report_kinds_for(access=project.access),
            "reports": reports_for_project(project=project, access=project.access),
        },
    )


def _report_params(request: HttpRequest) -> dict:
    """Known parameters only, as integers; the report kind resolves them inside the project."""
    params = {}
    for name in ("meeting_id",):
        value = request.POST.get(name, "")
        if value.isdigit():
            params[name] = int(value)
    return params


@login_required
@require_POST
def report_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    try:
        report = report_request(user=request.user, project=project, kind=request.POST.get("kind", ""),
                                params=_report_params(request))
    except UnknownReportKind:
        messages.error(request, _("Choose a kind of report."))
        return redirect("reports:list", project_id=project.pk)
    return redirect("reports:detail", project_id=project.pk, report_id=report.pk)


def _report_for(request: HttpRequest, project_id: int, report_id: int) -> tuple:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    report = project_child_get(Report.objects.select_related("author"), project=project, pk=report_id)
    kind = kind_get(report.kind)
    if kind is None:
        raise Http404
    if not project.access.allows(kind.perm):
        raise PermissionDenied
    return project, report, kind


@login_required
@require_http_methods(["GET"])
@vary_on_headers("HX-Request")
def report_detail(request: HttpRequest, project_id: int, report_id: int) -> HttpResponse:
    project, report, kind = _report_for(request, project_id, report_id)
    context = {"project": project, "report": report, "kind": kind}
    if request.htmx:
        response = render(request, "reports/report_detail.html#status", context)
        if report.is_finished:
            # 286 tells htmx to stop polling; the body still replaces the status region.
            stop = HttpResponseStopPolling(response.content)
            return stop
        return response
    return render(request, "reports/report_detail.html", context)


@login_required
@require_http_methods(["GET"])
def report_download(request: HttpRequest, project_id: int, report_id: int) -> FileResponse:
    project, report, kind = _report_for(request, project_id, report_id)
    if report.status != Report.Status.DONE or not report.file:
        raise Http404
    filename = report.file.name.rsplit("/", 1)[-1]
    response = FileResponse(report.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response
