"""Point-audit pages (SPEC §6.2): the list with a map and "which parameters go with a low
feeling", recording an audit on a phone, editing one's own, and the audit photo.

Who sees what: everyone with Perm.VIEW sees the map, the scores and the analysis (no names);
members record audits and change their own; editors and coordinators see authors and change all;
notes are free text and shown only from Perm.VIEW_PERSONAL (never to a county board).
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from projects.views.pages import confirm_page, form_add_errors
from trygga_platser.reports.charts import RAG
from trygga_platser.reports.svg import MapMarker, markers_map_svg
from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from ..forms.audits import FEELING, AuditForm
from ..models import PointAudit
from ..selectors.audits import (
    MIN_CORRELATION_N,
    audit_parameter_feeling,
    audit_summaries,
    audits_for_project,
)
from ..selectors.inspections import GREEN, RED, YELLOW, thresholds_for
from ..services import audits as services
from .inspections import COLOUR_SHAPES, NO_SCORE_COLOUR, colour_labels, map_tiles


def _project(request: HttpRequest, project_id: int, perm: Perm):
    return project_get_for_user(user=request.user, project_id=project_id, perm=perm)


def _audit(project, audit_id: int) -> PointAudit:
    audit = project_child_get(PointAudit, project=project, pk=audit_id)
    audit.project = project
    return audit


def _list_url(project, anchor: str = "") -> str:
    url = reverse("analysis:audits", kwargs={"project_id": project.pk})
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def audit_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.VIEW)
    access = project.access
    thresholds = thresholds_for(organisation=project.municipality)
    audits = audits_for_project(project=project)
    summaries = audit_summaries(audits, thresholds=thresholds)
    feelings = list(FEELING[1])
    rows = []
    for number, (audit, summary) in enumerate(zip(audits, summaries), start=1):
        rows.append({
            "number": number, "audit": audit, "summary": summary, "feeling_label": feelings[audit.feeling],
            "own": audit.author_id == request.user.pk,
            "can_change": services.audit_can_change(user=request.user, access=access, audit=audit),
            "author": (audit.author.get_full_name() or audit.author.email)
            if access.can_edit and audit.author else "",
        })
    labels = colour_labels()
    markers = [MapMarker(lon=r["summary"].lon, lat=r["summary"].lat, text=str(r["number"]),
                         label=_("%(number)s: %(score)s of 100 – %(colour)s") % {
                             "number": r["number"], "score": round(r["summary"].score),
                             "colour": labels[r["summary"].colour]},
                         colour=RAG.get(r["summary"].colour, NO_SCORE_COLOUR),
                         shape=COLOUR_SHAPES[r["summary"].colour]) for r in rows]
    map_svg = markers_map_svg(
        area=project.area, markers=markers, title=_("Point audits"), svg_id="audit-map",
        description=_("Audited points: %(count)s, each marked with its number; the colour and shape show the "
                      "score.") % {"count": len(markers)}) if markers else ""
    parameters = audit_parameter_feeling(project=project)
    return render(request, "analysis/audits/audit_list.html", {
        "project": project, "rows": rows, "map_svg": map_svg, "thresholds": thresholds,
        "legend": [(c, labels[c], COLOUR_SHAPES[c]) for c in (GREEN, YELLOW, RED)],
        "red_from": thresholds.red_below * 5, "green_from": thresholds.green_from * 5,
        "parameters": parameters, "low_n": parameters[0].n_low if parameters else 0,
        "rest_n": parameters[0].n_rest if parameters else 0, "min_n": MIN_CORRELATION_N,
        "has_rho": any(p.rho is not None for p in parameters),
        "show_notes": access.can_view_personal, "show_authors": access.can_edit,
    })


def _form_page(request, project, audit=None):
    initial = AuditForm.initial_for(audit) if audit is not None else {"date": timezone.localdate()}
    form = AuditForm(request.POST or None, request.FILES or None, initial=initial,
                     has_photo=bool(audit and audit.photo))
    if request.method == "POST" and form.is_valid():
        try:
            if audit is None:
                services.point_audit_create(user=request.user, project=project, data=form.values(),
                                            photo=form.cleaned_data.get("photo"))
            else:
                services.point_audit_update(user=request.user, access=project.access, audit=audit,
                                            data=form.values(), photo=form.cleaned_data.get("photo"),
                                            remove_photo=bool(form.cleaned_data.get("remove_photo")))
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Thank you. The audit is saved."))
            if request.POST.get("another"):
                return redirect("analysis:audit_create", project_id=project.pk)
            return redirect(_list_url(project, "audits"))
    return render(request, "analysis/audits/audit_form.html", {
        "project": project, "audit": audit, "form": form, "levels": form.level_fields(),
        "feeling": form["feeling"], **map_tiles(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def audit_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.CONTRIBUTE)
    return _form_page(request, project)


@login_required
@require_http_methods(["GET", "POST"])
def audit_edit(request: HttpRequest, project_id: int, audit_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.CONTRIBUTE)
    audit = _audit(project, audit_id)
    if not services.audit_can_change(user=request.user, access=project.access, audit=audit):
        raise PermissionDenied
    return _form_page(request, project, audit)


@login_required
@require_http_methods(["GET", "POST"])
def audit_delete(request: HttpRequest, project_id: int, audit_id: int) -> HttpResponse:
    project = _project(request, project_id, Perm.CONTRIBUTE)
    audit = _audit(project, audit_id)
    if not services.audit_can_change(user=request.user, access=project.access, audit=audit):
        raise PermissionDenied
    return confirm_page(
        request, project=project, active="current_state",
        delete=lambda: services.point_audit_delete(user=request.user, access=project.access, audit=audit),
        success_message=_("The audit is deleted."), heading=_("Delete the audit"),
        question=_("Delete the audit of %(date)s with its photo?") % {"date": audit.date.isoformat()},
        back_url=_list_url(project, "audits"),
    )


@login_required
@require_GET
def audit_photo(request: HttpRequest, project_id: int, audit_id: int) -> FileResponse:
    """A photo of the place (no names): served to everyone who sees the project, only through the
    access module."""
    project = _project(request, project_id, Perm.VIEW)
    audit = _audit(project, audit_id)
    if not audit.photo:
        raise Http404("No photo.")
    response = FileResponse(audit.photo.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="punktgranskning-{audit.pk}.jpg"'
    response["Cache-Control"] = "private, max-age=3600"
    return response

