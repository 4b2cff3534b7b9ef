"""Project pages. Thin: parse input, resolve through tenancy.access, call a service or selector."""
from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygga_platser.accounts.services import invitation_create
from trygga_platser.audit.selectors import audit_entries_for_project
from trygga_platser.reports.svg import area_map_svg
from trygga_platser.tenancy.access import Perm, organisations_user_coordinates, project_get_for_user

from ..forms.project import InviteForm, ProjectForm
from ..panels import panels_for
from ..selectors.partnership import partnership_summary
from ..selectors.project import project_members
from ..selectors.workflow import plan_timeline_svg, project_next_due, project_plan, variant_title
from ..services import project_create, project_update


def _area_svg(project) -> str:
    return area_map_svg(
        area=project.area,
        title=_("Map of the area: %(place)s") % {"place": project.place_name},
        description=_("The project's area drawn as a polygon, north up."),
    )


def _map_settings(municipalities=()) -> dict:
    """Tiles from settings, and where the map opens for each municipality the form offers."""
    centres = {str(m.pk): [m.map_center_lat, m.map_center_lon] for m in municipalities
               if m.map_center_lat is not None and m.map_center_lon is not None}
    return {"map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "map_centres_json": json.dumps(centres)}


@login_required
@require_http_methods(["GET"])
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW)
    plan = project_plan(project=project)
    personal = project.access.can_view_personal
    context = {
        "project": project,
        "access": project.access,
        "variant_title": variant_title(project.variant),
        "plan": plan,
        "timeline": plan_timeline_svg(plan=plan),
        "next_due": project_next_due(project=project, plan=plan),
        "area_svg": _area_svg(project),
        "programmes": list(project.programmes.all()),
        "member_count": project.memberships.count(),
        # Numbers only, so county boards see how the partnership is built without names.
        "partnership": partnership_summary(project=project),
        # Sections from the apps built on projects (the action plan's KPI, …): projects/panels.py.
        "panels": panels_for(project=project),
        # The log names people and may quote reasons: not for county boards (SPEC §2).
        "recent": list(audit_entries_for_project(project=project, limit=8)) if personal else None,
    }
    return render(request, "projects/project_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_create_view(request: HttpRequest) -> HttpResponse:
    municipalities = organisations_user_coordinates(user=request.user)
    if not municipalities.exists():
        raise PermissionDenied
    form = ProjectForm(request.POST or None, municipalities=municipalities,
                       initial={"municipality": municipalities.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = project_create(
                user=request.user,
                municipality=data["municipality"],
                name=data["name"],
                place_name=data["place_name"],
                variant=data["variant"],
                start_date=data["start_date"],
                description=data["description"],
                area=data["area"],
                programmes=list(data["programmes"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The project %(name)s was created.") % {"name": project.name})
            return redirect("projects:detail", project_id=project.pk)
    return render(request, "projects/project_form.html",
                  {"form": form, "creating": True, **_map_settings(municipalities)})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.MANAGE)
    initial = {
        "name": project.name,
        "place_name": project.place_name,
        "start_date": project.start_date,
        "status": project.status,
        "description": project.description,
        "area": json.dumps(project.area) if project.area else "",
        "programmes": list(project.programmes.all()),
    }
    form = ProjectForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        programmes = list(data.pop("programmes"))
        try:
            project_update(user=request.user, project=project, programmes=programmes, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("projects:detail", project_id=project.pk)
    return render(request, "projects/project_form.html",
                  {"form": form, "project": project, "creating": False,
                   **_map_settings([project.municipality])})


@login_required
@require_http_methods(["GET", "POST"])
def project_members_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW_PERSONAL)
    form = None
    if project.access.can_manage:
        form = InviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                invitation = invitation_create(invited_by=request.user, project=project, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
                return redirect("projects:members", project_id=project.pk)
    elif request.method == "POST":
        raise PermissionDenied
    pending = project.invitations.filter(accepted_at__isnull=True).order_by("-created_at") if project.access.can_manage else []
    return render(
        request,
        "projects/project_members.html",
        {"project": project, "members": project_members(project=project), "form": form, "pending": pending},
    )
