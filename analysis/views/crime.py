"""Views: crime statistics (SPEC §6.3): the trend page, the CSV import with preview, clearing.

Seeing the figures needs Perm.VIEW (they are public statistics, county boards too); importing and
clearing change the project's content, Perm.EDIT.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from projects.views.pages import confirm_page, csv_import_page
from trygga_platser.tenancy.access import Perm, project_get_for_user

from ..csv_crime import EXAMPLE_CSV, crime_csv_preview
from ..forms.crime import CrimeConfirmForm, CrimeUploadForm
from ..maps import crime_trend_svg
from ..selectors.crime import crime_trend
from ..services.crime import crime_statistics_clear, crime_statistics_import

TEMPLATE = "analysis/crime/crime.html"
IMPORT_TEMPLATE = "analysis/crime/import.html"


def _crime_url(project) -> str:
    return reverse("analysis:crime", kwargs={"project_id": project.pk})


@login_required
@require_http_methods(["GET"])
def crime(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    trend = crime_trend(project=project)
    return render(request, TEMPLATE, {
        "project": project,
        "trend": trend,
        "chart": crime_trend_svg(trend, svg_id="crime-chart"),
        "form": CrimeUploadForm() if project.access.can_edit else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def crime_import(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.EDIT)
    return csv_import_page(
        request, project=project, template=IMPORT_TEMPLATE, context={"crime_url": _crime_url(project)},
        upload_form=CrimeUploadForm, confirm_form=CrimeConfirmForm,
        preview=lambda data: crime_csv_preview(project=project, data=data),
        commit=lambda data: crime_statistics_import(user=request.user, project=project, data=data),
        success_message=lambda preview: _("The crime statistics are imported. New figures: %(new)s. Replaced: "
                                          "%(replaced)s.") % {"new": preview.new_count,
                                                              "replaced": preview.replace_count},
        done_url=_crime_url(project))


@login_required
@require_http_methods(["GET"])
def crime_example(request: HttpRequest, project_id: int) -> HttpResponse:
    project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    # With a byte-order mark, so Excel opens the Swedish letters right.
    response = HttpResponse(("\ufeff" + EXAMPLE_CSV).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="brottsstatistik-exempel.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def crime_clear(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.EDIT)
    return confirm_page(
        request, project=project,
        delete=lambda: crime_statistics_clear(user=request.user, project=project),
        success_message=_("The crime statistics were removed."),
        heading=_("Remove all crime statistics"),
        question=_("Remove every imported crime figure of this project?"),
        consequence=_("The trend disappears from the current-state analysis until you import a file again."),
        back_url=_crime_url(project), active="current_state",
    )
