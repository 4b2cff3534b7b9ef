"""Site-walk pages (SPEC §3.6): the route of stops, and the observations made along it, with their
photos served only through the access module."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygga_platser.tenancy.access import Perm

from ...forms.meetings import FindingForm, ObservationForm, StopForm
from ...models import Observation, SiteWalkStop
from ...selectors.meetings import site_walk_stops
from ...services import meetings as services
from .base import _add_errors, _child, _meeting, _to_meeting


# ------------------------------------------------------------------------------------------------
# Site walks: stops
# ------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def stop_new(request: HttpRequest, project_id: int, meeting_id: int) -> HttpResponse:
    project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT, site_walk=True)
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stop = services.stop_create(user=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The stop “%(name)s” was added to the route.") % {"name": stop.name})
            return _to_meeting(meeting, "route")
    return render(request, "projects/meetings/stop_form.html",
                  {"project": project, "meeting": meeting, "form": form, "stop": None})


@login_required
@require_http_methods(["GET", "POST"])
def stop_edit(request: HttpRequest, project_id: int, meeting_id: int, stop_id: int) -> HttpResponse:
    project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT, site_walk=True)
    stop = _child(meeting, SiteWalkStop, stop_id)
    form = StopForm(request.POST or None, initial={"name": stop.name, "lon": stop.lon, "lat": stop.lat,
                                                    "note": stop.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_update(user=request.user, stop=stop, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The stop was saved."))
            return _to_meeting(meeting, f"stop-{stop.pk}")
    return render(request, "projects/meetings/stop_form.html",
                  {"project": project, "meeting": meeting, "form": form, "stop": stop})


@login_required
@require_POST
def stop_remove(request: HttpRequest, project_id: int, meeting_id: int, stop_id: int) -> HttpResponse:
    _project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT, site_walk=True)
    stop = _child(meeting, SiteWalkStop, stop_id)
    services.stop_remove(user=request.user, stop=stop)
    messages.success(request, _("The stop “%(name)s” was removed. Its observations are kept.") % {"name": stop.name})
    return _to_meeting(meeting, "route")


@login_required
@require_POST
def stop_move(request: HttpRequest, project_id: int, meeting_id: int, stop_id: int) -> HttpResponse:
    _project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT, site_walk=True)
    stop = _child(meeting, SiteWalkStop, stop_id)
    try:
        services.stop_move(user=request.user, stop=stop, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _to_meeting(meeting, f"stop-{stop.pk}")


# ------------------------------------------------------------------------------------------------
# Site walks: observations
# ------------------------------------------------------------------------------------------------

def _observation_page(request, project, meeting, form, observation=None) -> HttpResponse:
    stops = list(form.fields["stop"].queryset)
    return render(request, "projects/meetings/observation_form.html", {
        "project": project, "meeting": meeting, "form": form, "observation": observation, "stops": stops})


@login_required
@require_http_methods(["GET", "POST"])
def observation_new(request: HttpRequest, project_id: int, meeting_id: int) -> HttpResponse:
    project, meeting = _meeting(request, project_id, meeting_id, Perm.CONTRIBUTE, site_walk=True)
    stops = site_walk_stops(meeting=meeting)
    initial = {}
    chosen = stops.filter(pk=request.GET.get("stop")).first() if request.GET.get("stop", "").isdigit() else None
    if chosen is not None:
        initial = {"stop": chosen, "lon": chosen.lon, "lat": chosen.lat}
    form = ObservationForm(request.POST or None, request.FILES or None, stops=stops, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.observation_create(user=request.user, meeting=meeting, **form.values())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The observation was saved."))
            if "another" in request.POST:
                url = reverse("projects:observation_new", kwargs={"project_id": project.pk, "meeting_id": meeting.pk})
                return redirect(f"{url}?stop={observation.stop_id}" if observation.stop_id else url)
            return _to_meeting(meeting, f"observation-{observation.pk}")
    return _observation_page(request, project, meeting, form)


@login_required
@require_http_methods(["GET", "POST"])
def observation_edit(request: HttpRequest, project_id: int, meeting_id: int, observation_id: int) -> HttpResponse:
    project, meeting = _meeting(request, project_id, meeting_id, Perm.CONTRIBUTE, site_walk=True)
    observation = _child(meeting, Observation, observation_id)
    if not services.observation_can_change(user=request.user, access=project.access, observation=observation):
        raise PermissionDenied
    initial = {"stop": observation.stop_id, "text": observation.text, "category": observation.category,
               "lon": observation.lon, "lat": observation.lat}
    form = ObservationForm(request.POST or None, request.FILES or None, stops=site_walk_stops(meeting=meeting),
                           initial=initial, has_photo=bool(observation.photo))
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_update(user=request.user, access=project.access, observation=observation,
                                        remove_photo=form.cleaned_data.get("remove_photo", False), **form.values())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The observation was saved."))
            return _to_meeting(meeting, f"observation-{observation.pk}")
    return _observation_page(request, project, meeting, form, observation)


@login_required
@require_POST
def observation_delete(request: HttpRequest, project_id: int, meeting_id: int, observation_id: int) -> HttpResponse:
    project, meeting = _meeting(request, project_id, meeting_id, Perm.CONTRIBUTE, site_walk=True)
    observation = _child(meeting, Observation, observation_id)
    services.observation_delete(user=request.user, access=project.access, observation=observation)
    messages.success(request, _("The observation was deleted."))
    return _to_meeting(meeting, "observations")


@login_required
@require_POST
def observation_finding(request: HttpRequest, project_id: int, meeting_id: int, observation_id: int) -> HttpResponse:
    _project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT, site_walk=True)
    observation = _child(meeting, Observation, observation_id)
    form = FindingForm(request.POST)
    if form.is_valid():
        services.observation_keep_as_finding(user=request.user, observation=observation, keep=form.cleaned_data["keep"])
        messages.success(request, _("The observation is kept as a finding for the current-state analysis.")
                         if form.cleaned_data["keep"] else _("The observation is no longer a finding."))
    else:
        messages.error(request, _("Choose whether to keep the observation as a finding."))
    return _to_meeting(meeting, f"observation-{observation.pk}")


@login_required
@require_GET
def observation_photo(request: HttpRequest, project_id: int, meeting_id: int, observation_id: int) -> FileResponse:
    """Photos are personal data of a kind (faces, number plates): served only through the access
    module, never from MEDIA_URL, and kept out of shared caches."""
    _project, meeting = _meeting(request, project_id, meeting_id, Perm.VIEW_PERSONAL, site_walk=True)
    observation = _child(meeting, Observation, observation_id)
    if not observation.photo:
        raise Http404("No photo.")
    response = FileResponse(observation.photo.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="observation-{observation.pk}.jpg"'
    response["Cache-Control"] = "private, max-age=3600"
    return response
