"""Views: the action plan as CSV (export, import with preview), the priority matrix and the map.

The CSV holds the responsible people's e-mail addresses, so exporting needs Perm.VIEW_PERSONAL;
importing changes the plan, Perm.EDIT. The matrix and the map show codes, titles and statuses
only, which county boards may read (Perm.VIEW).
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from projects.views.pages import csv_import_page
from trygga_platser.tenancy.access import Perm, project_get_for_user

from ..charts import (
    action_map_svg,
    actions_with_point,
    level_label,
    priority_matrix,
    priority_matrix_svg,
    status_legend,
)
from ..csv_io import actions_csv_export, csv_import_commit, csv_import_preview
from ..forms.exports import CsvConfirmForm, CsvUploadForm
from ..models import Action


def _plan_url(project) -> str:
    try:
        return reverse("actionplans:list", kwargs={"project_id": project.pk})
    except NoReverseMatch:
        return reverse("projects:detail", kwargs={"project_id": project.pk})


@login_required
@require_http_methods(["GET"])
def export_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW_PERSONAL)
    response = HttpResponse(actions_csv_export(project=project), content_type="text/csv; charset=utf-8")
    filename = f"handlingsplan-{slugify(project.name)}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.EDIT)
    return csv_import_page(
        request, project=project, template="actionplans/exports/import.html",
        context={"plan_url": _plan_url(project)}, upload_form=CsvUploadForm, confirm_form=CsvConfirmForm,
        preview=lambda data: csv_import_preview(project=project, data=data),
        commit=lambda data: csv_import_commit(user=request.user, project=project, data=data),
        success_message=lambda preview: _("Imported the file: %(new)s new actions, %(updated)s updated.") % {
            "new": preview.new_count, "updated": preview.update_count},
        done_url=_plan_url(project))


def _project_actions(project) -> list[Action]:
    return list(Action.objects.filter(project=project).order_by("number"))


@login_required
@require_http_methods(["GET"])
def matrix(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    grid = priority_matrix(_project_actions(project))
    return render(request, "actionplans/exports/matrix.html", {
        "project": project,
        "plan_url": _plan_url(project),
        "matrix": grid,
        "matrix_svg": priority_matrix_svg(grid),
        "effort_labels": [level_label(level) for level in (1, 2, 3)],
        "matrix_rows": [(level_label(row[0].impact), row) for row in grid.rows],
    })


@login_required
@require_http_methods(["GET"])
def map_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    actions = _project_actions(project)
    return render(request, "actionplans/exports/map.html", {
        "project": project,
        "plan_url": _plan_url(project),
        "map_svg": action_map_svg(project=project, actions=actions),
        "located": actions_with_point(actions),
        "unlocated_count": sum(1 for a in actions if a.lon is None or a.lat is None),
        "legend": status_legend(),
    })
