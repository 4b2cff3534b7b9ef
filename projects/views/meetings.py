"""Meeting and site-walk pages (SPEC §3.6). Thin: parse a form, resolve access, call one service or
selector, render. Every form works as a plain POST and redirect; htmx only enhances attendance."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from ..forms.meetings import (
    AttendanceForm,
    FindingForm,
    GuestForm,
    MeetingForm,
    MembersForm,
    MinutesForm,
    ObservationForm,
    StatusForm,
    StopForm,
)
from ..ics import METHOD_PUBLISH, meeting_calendar
from ..models import Activity, EvidenceKind, Meeting, MeetingParticipant, Observation, SiteWalkStop
from ..reports_sitewalk import route_map_for
from ..selectors.meetings import (
    latest_site_walk,
    meeting_member_choices,
    meeting_participants,
    meetings_for_project,
    site_walk_route,
    site_walk_stops,
)
from ..services import meetings as services


def _meeting(request: HttpRequest, project_id: int, meeting_id: int, perm: Perm, *, site_walk: bool = False):
    project = project_get_for_user(user=request.user, project_id=project_id, perm=perm)
    meeting = project_child_get(Meeting, project=project, pk=meeting_id)
    if site_walk and not meeting.is_site_walk:
        raise Http404("Not a site walk.")
    meeting.project = project  # the resolved project, carrying `.access`
    return project, meeting


def _child(meeting: Meeting, model, pk: int):
    """A participant, stop or observation of this meeting (and so of the resolved project)."""
    queryset = model.objects.filter(meeting=meeting)
    if model is MeetingParticipant:
        queryset = queryset.select_related("user")
    return project_child_get(queryset, project=meeting.project, pk=pk, project_field="meeting__project")


def _add_errors(form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        name = (rename or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def _to_meeting(meeting: Meeting, anchor: str = "") -> HttpResponse:
    url = reverse("projects:meeting", kwargs={"project_id": meeting.project_id, "meeting_id": meeting.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


# ------------------------------------------------------------------------------------------------
# Meetings
# ------------------------------------------------------------------------------------------------

@login_required
@require_GET
def meeting_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.VIEW_PERSONAL)
    upcoming, past = meetings_for_project(project=project)
    return render(request, "projects/meetings/meeting_list.html",
                  {"project": project, "upcoming": upcoming, "past": past})


_ACTIVITY_KINDS = {EvidenceKind.WORKSHOP: Meeting.Kind.WORKSHOP, EvidenceKind.SITE_WALK: Meeting.Kind.SITE_WALK,
                   EvidenceKind.TRAINING: Meeting.Kind.TRAINING}


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, project_id=project_id, perm=Perm.EDIT)
    activity = None
    activity_id = request.POST.get("activity") or request.GET.get("activity")
    if activity_id:
        activity = project_child_get(Activity.objects.select_related("step"), project=project, pk=activity_id,
                                     project_field="step__project")
    initial = {"kind": _ACTIVITY_KINDS.get(activity.evidence_kind, Meeting.Kind.OTHER),
               "title": activity.display_title} if activity else {"kind": Meeting.Kind.WORKSHOP}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(user=request.user, project=project, activity=activity, **form.values())
        except ValidationError as exc:
            _add_errors(form, exc, MeetingForm.SERVICE_FIELDS)
        else:
            messages.success(request, _("The meeting was planned. Add participants and send the invitations."))
            return _to_meeting(meeting)
    return render(request, "projects/meetings/meeting_form.html",
                  {"project": project, "form": form, "activity": activity, "meeting": None})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, project_id: int, meeting_id: int) -> HttpResponse:
    project, meeting = _meeting(request, project_id, meeting_id, Perm.VIEW_PERSONAL)
    participants = meeting_participants(meeting=meeting)
    context = {
        "project": project,
        "meeting": meeting,
        "participants": participants,
        "crowding": services.site_walk_crowding(meeting=meeting, count=len(participants)),
        "activities": list(meeting.activities.select_related("step")),
        "has_started": meeting.starts_at <= timezone.now(),
    }
    if meeting.is_site_walk:
        route = site_walk_route(meeting=meeting)
        for observation in route.observations:
            observation.can_change = services.observation_can_change(
                user=request.user, access=project.access, observation=observation)
        context.update(
            route=route,
            # The page's caption explains the symbols, so the small map spends no room on a legend.
            map_svg=route_map_for(meeting=meeting, route=route, width=520, height=380, legend=False),
            protocol_available=project.access.can_view_personal,
        )
    return render(request, "projects/meetings/meeting_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, project_id: int, meeting_id: int) -> HttpResponse:
    project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        sequence = meeting.sequence
        try:
            services.meeting_update(user=request.user, meeting=meeting, **form.values())
        except ValidationError as exc:
            _add_errors(form, exc, MeetingForm.SERVICE_FIELDS)
        else:
            if meeting.sequence != sequence and meeting.participants.filter(invited_at__isnull=False).exists():
                messages.success(request, _("The changes were saved. Everyone invited gets the new time or place."))
            else:
                messages.success(request, _("The changes were saved."))
            return _to_meeting(meeting)
    return render(request, "projects/meetings/meeting_form.html", {
        "project": project, "form": form, "meeting": meeting,
        "has_invited": meeting.participants.filter(invited_at__isnull=False).exists()})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes(request: HttpRequest, project_id: int, meeting_id: int) -> HttpResponse:
    project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT)
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes, "decisions": meeting.decisions})
    if request.method == "POST" and form.is_valid():
        services.meeting_minutes_update(user=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("The minutes were saved."))
        return _to_meeting(meeting, "minutes")
    return render(request, "projects/meetings/minutes_form.html", {"project": project, "meeting": meeting, "form": form})


@login_required
@require_POST
def meeting_status(request: HttpRequest, project_id: int, meeting_id: int) -> HttpResponse:
    _project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return _to_meeting(meeting)
    try:
        services.meeting_set_status(user=request.user, meeting=meeting, status=form.cleaned_data["status"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if meeting.status == Meeting.Status.CANCELLED:
            messages.success(request, _("The meeting was cancelled. Everyone invited is told."))
        else:
            messages.success(request, _("The meeting is now: %(status)s.") % {"status": meeting.get_status_display()})
    return _to_meeting(meeting)


@login_required
@require_GET
def meeting_ics(request: HttpRequest, project_id: int, meeting_id: int) -> HttpResponse:
    _project, meeting = _meeting(request, project_id, meeting_id, Perm.VIEW_PERSONAL)
    url = request.build_absolute_uri(reverse("projects:meeting", kwargs={"project_id": project_id,
                                                                         "meeting_id": meeting.pk}))
    response = HttpResponse(meeting_calendar(meeting=meeting, method=METHOD_PUBLISH, url=url),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(meeting.title) or "mote"}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def meeting_invite(request: HttpRequest, project_id: int, meeting_id: int) -> HttpResponse:
    _project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT)
    try:
        result = services.meeting_invitations_send(user=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _to_meeting(meeting, "participants")
    if result.queued:
        messages.success(request, _("Invitations were sent to %(count)s participants.") % {"count": result.queued})
    elif result.unchanged:
        messages.info(request, _("Everyone with an e-mail address already has the invitation for this time and place."))
    if result.without_email:
        messages.warning(request, _("%(count)s participants have no e-mail address and were not invited.") % {
            "count": result.without_email})
    return _to_meeting(meeting, "participants")


# ------------------------------------------------------------------------------------------------
# Participants
# ------------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def meeting_participants_view(request: HttpRequest, project_id: int, meeting_id: int) -> HttpResponse:
    project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT)
    which = request.POST.get("form") if request.method == "POST" else None
    members_form = MembersForm(request.POST if which == "members" else None,
                               choices=meeting_member_choices(meeting=meeting))
    guest_form = GuestForm(request.POST if which == "guest" else None, auto_id="guest_%s")
    added = False
    if which == "members" and members_form.is_valid():
        added = bool(services.participant_add_members(user=request.user, meeting=meeting,
                                                      memberships=list(members_form.cleaned_data["members"])))
    elif which == "guest" and guest_form.is_valid():
        data = guest_form.cleaned_data
        try:
            services.participant_add_guest(user=request.user, meeting=meeting, name=data["guest_name"],
                                           email=data["guest_email"], organisation=data["organisation"],
                                           category=data["category"])
            added = True
        except ValidationError as exc:
            _add_errors(guest_form, exc)
    if added:
        messages.success(request, _("The participants were added."))
        crowding = services.site_walk_crowding(meeting=meeting, count=meeting.participants.count())
        if crowding:
            messages.warning(request, crowding)
        return redirect("projects:meeting_participants", project_id=project.pk, meeting_id=meeting.pk)
    participants = meeting_participants(meeting=meeting)
    return render(request, "projects/meetings/participants.html", {
        "project": project, "meeting": meeting, "participants": participants, "members_form": members_form,
        "guest_form": guest_form, "crowding": services.site_walk_crowding(meeting=meeting, count=len(participants)),
    })


@login_required
@require_POST
def participant_remove(request: HttpRequest, project_id: int, meeting_id: int, participant_id: int) -> HttpResponse:
    project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT)
    participant = _child(meeting, MeetingParticipant, participant_id)
    name = participant.display_name
    services.participant_remove(user=request.user, participant=participant)
    messages.success(request, _("%(name)s was removed from the meeting.") % {"name": name})
    return redirect("projects:meeting_participants", project_id=project.pk, meeting_id=meeting.pk)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def participant_attendance(request: HttpRequest, project_id: int, meeting_id: int, participant_id: int) -> HttpResponse:
    project, meeting = _meeting(request, project_id, meeting_id, Perm.EDIT)
    participant = _child(meeting, MeetingParticipant, participant_id)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        services.participant_set_attendance(user=request.user, participant=participant, attended=form.value)
    elif not request.htmx:
        messages.error(request, _("Choose whether the participant attended."))
    if request.htmx:
        return render(request, "projects/meetings/meeting_detail.html#participant_row",
                      {"project": project, "meeting": meeting, "participant": participant,
                       "has_started": meeting.starts_at <= timezone.now()})
    return _to_meeting(meeting, f"participant-{participant.pk}")


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
