"""Safety inspection pages (SPEC §6.1): the list, an inspection with its map, aspect summary and
points, point entry on a phone and point photos (the aspect settings: views/aspects.py).

Thin: resolve the project (or the organisation) through `tenancy.access`, parse a form, call one
service or selector, render. Every form works as a plain POST and redirect without JavaScript.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from projects.views.pages import confirm_page, form_add_errors
from trygga_platser.reports.charts import RAG
from trygga_platser.reports.svg import MapMarker, markers_map_svg
from trygga_platser.tenancy.access import (
    Perm,
    organisations_user_coordinates,
    project_child_get,
    project_get_for_user,
)

from ..forms.inspections import (
    InspectionForm,
    PointForm,
)
from ..models import Factor, Inspection, InspectionPoint
from ..selectors.inspections import (
    GREEN,
    RED,
    YELLOW,
    aspect_comparison,
    aspects_for,
    inspection_detail,
    inspections_for_project,
    point_scores,
    score_colour,
    thresholds_for,
)
from ..services import inspections as services

NO_SCORE_COLOUR = "#4a4f55"
# Shape as well as colour and the number, so the map never depends on colour alone.
COLOUR_SHAPES = {RED: "triangle", YELLOW: "diamond", GREEN: "circle", None: "square"}


def colour_labels() -> dict:
    return {RED: _("Red"), YELLOW: _("Yellow"), GREEN: _("Green"), None: _("Not scored")}


def _project(request: HttpRequest, project_id: int, perm: Perm):
    return project_get_for_user(user=request.user, project_id=project_id, perm=perm)


def _inspection(project, inspection_id: int) -> Inspection:
    inspection = project_child_get(Inspection, project=project, pk=inspection_id)
    inspection.project = project
    return inspection


def _point(project, inspection: Inspection, point_id: int) -> InspectionPoint:
    point = project_child_get(InspectionPoint.objects.filter(inspection=inspection), project=project, pk=point_id,
                              project_field="inspection__project")
    point.inspection = inspection
    return point


def _inspection_url(inspection: Inspection, anchor: str = "") -> str:
    url = reverse("analysis:inspection", kwargs={"project_id": inspection.project_id,
                                                 "inspection_id": inspection.pk})
    return f"{url}#{anchor}" if anchor else url


def map_tiles() -> dict:
    return {"map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION}


# --- inspections -------------------------------------------------------------------------------

@login_required
@require_GET
def inspection_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.VIEW)
    thresholds = thresholds_for(organisation=project.municipality)
    inspections = inspections_for_project(project=project)
    for inspection in inspections:
        inspection.colour = score_colour(inspection.mean, thresholds)
    can_configure = organisations_user_coordinates(user=request.user).filter(pk=project.municipality_id).exists()
    return render(request, "analysis/inspections/inspection_list.html", {
        "project": project, "inspections": inspections, "thresholds": thresholds, "colour_labels": colour_labels(),
        "can_configure": can_configure, "comparison": aspect_comparison(project=project),
    })


def _inspection_form_page(request, project, form, inspection=None):
    if request.method == "POST" and form.is_valid():
        try:
            if inspection is None:
                inspection = services.inspection_create(user=request.user, project=project, data=form.cleaned_data)
                messages.success(request, _("The inspection is created. Add its first point."))
                return redirect("analysis:point_create", project_id=project.pk, inspection_id=inspection.pk)
            services.inspection_update(user=request.user, inspection=inspection, data=form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("The inspection is saved."))
            return redirect(_inspection_url(inspection))
    return render(request, "analysis/inspections/inspection_form.html",
                  {"project": project, "form": form, "inspection": inspection})


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    form = InspectionForm(request.POST or None, initial={"title": _("Safety inspection")})
    return _inspection_form_page(request, project, form)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request: HttpRequest, project_id: int, inspection_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    inspection = _inspection(project, inspection_id)
    form = InspectionForm(request.POST or None, initial=InspectionForm.initial_for(inspection))
    return _inspection_form_page(request, project, form, inspection)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_delete(request: HttpRequest, project_id: int, inspection_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    inspection = _inspection(project, inspection_id)
    return confirm_page(
        request, project=project, active="current_state",
        delete=lambda: services.inspection_delete(user=request.user, inspection=inspection),
        success_message=_("The inspection “%(title)s” is deleted.") % {"title": inspection.title},
        heading=_("Delete the inspection"),
        question=_("Delete “%(title)s” with all its points, scores and photos?") % {"title": inspection.title},
        back_url=reverse("analysis:inspections", kwargs={"project_id": project.pk}),
    )


def points_map(project, points, *, title: str, svg_id: str = "inspection-map"):
    markers = [MapMarker(lon=p.lon, lat=p.lat, text=str(p.number),
                         label=f"{p.number}. {p.name} – {colour_labels()[p.colour]}",
                         colour=RAG.get(p.colour, NO_SCORE_COLOUR) if p.colour else NO_SCORE_COLOUR,
                         shape=COLOUR_SHAPES[p.colour]) for p in points]
    description = _("Inspection points: %(count)s, each marked with its number; the colour and shape show the mean score.") % {
        "count": len(markers)}
    return markers_map_svg(area=project.area, markers=markers, title=title, description=description, svg_id=svg_id)


@login_required
@require_GET
def inspection_page(request: HttpRequest, project_id: int, inspection_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.VIEW)
    inspection = _inspection(project, inspection_id)
    detail = inspection_detail(inspection=inspection)
    labels = colour_labels()
    return render(request, "analysis/inspections/inspection_detail.html", {
        "project": project, "inspection": inspection, "detail": detail, "colour_labels": labels,
        "map_svg": points_map(project, detail.points, title=_("Points of “%(title)s”") % {"title": inspection.title}),
        "legend": [(c, labels[c], COLOUR_SHAPES[c]) for c in (GREEN, YELLOW, RED, None)],
        "aspect_keys": [a.key for a in detail.aspects if a.n],
    })


# --- points ------------------------------------------------------------------------------------

def _point_form_page(request, project, inspection, point=None):
    organisation = project.municipality
    aspects = aspects_for(organisation=organisation)
    scores = point_scores(point=point) if point is not None else {}
    active_ids = {f.pk for a in aspects for f in a.factor_list}
    extra = list(Factor.objects.select_related("aspect").filter(pk__in=set(scores) - active_ids))
    form = PointForm(request.POST or None, request.FILES or None, aspects=aspects, extra_factors=extra,
                     has_photo=bool(point and point.photo),
                     initial=PointForm.initial_for(point, scores) if point is not None else {})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.inspection_point_save(
                inspection=inspection, user=request.user, data=form.values(), scores=form.scores(),
                photo=form.cleaned_data.get("photo"), point=point,
                remove_photo=bool(form.cleaned_data.get("remove_photo")))
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Point %(number)s “%(name)s” is saved.") % {
                "number": saved.number, "name": saved.name})
            if request.POST.get("another"):
                return redirect("analysis:point_create", project_id=project.pk, inspection_id=inspection.pk)
            return redirect(_inspection_url(inspection, f"point-{saved.pk}"))
    return render(request, "analysis/inspections/point_form.html", {
        "project": project, "inspection": inspection, "point": point, "form": form,
        "groups": form.bound_groups(), "thresholds": thresholds_for(organisation=organisation), **map_tiles(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def point_create(request: HttpRequest, project_id: int, inspection_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    return _point_form_page(request, project, _inspection(project, inspection_id))


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request: HttpRequest, project_id: int, inspection_id: int, point_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    inspection = _inspection(project, inspection_id)
    return _point_form_page(request, project, inspection, _point(project, inspection, point_id))


@login_required
@require_http_methods(["GET", "POST"])
def point_delete(request: HttpRequest, project_id: int, inspection_id: int, point_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.EDIT)
    inspection = _inspection(project, inspection_id)
    point = _point(project, inspection, point_id)
    return confirm_page(
        request, project=project, active="current_state",
        delete=lambda: services.inspection_point_delete(user=request.user, point=point),
        success_message=_("Point %(number)s is deleted.") % {"number": point.number},
        heading=_("Delete the point"),
        question=_("Delete point %(number)s “%(name)s” with its scores and photo?") % {
            "number": point.number, "name": point.name},
        back_url=_inspection_url(inspection, "points"),
    )


@login_required
@require_GET
def point_photo(request: HttpRequest, project_id: int, inspection_id: int, point_id: int) -> FileResponse:
    """Photos of places are served only through the access module, never from MEDIA_URL."""
    project = _project(request, project_id, Perm.VIEW)
    inspection = _inspection(project, inspection_id)
    point = _point(project, inspection, point_id)
    if not point.photo:
        raise Http404("No photo.")
    response = FileResponse(point.photo.open("rb"), content_type="image/jpeg")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="punkt-{point.number}.jpg"'
    response["Cache-Control"] = "private, max-age=3600"
    return response
