"""Meeting pages (SPEC §3.6): the list, planning and editing a meeting, its minutes and status, its
calendar file, and sending the invitations."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from ...forms.meetings import MeetingForm, MinutesForm, StatusForm
from ...ics import METHOD_PUBLISH, meeting_calendar
from ...models import Activity, EvidenceKind, Meeting
from ...reports_sitewalk import route_map_for
from ...selectors.meetings import meeting_participants, meetings_for_project, site_walk_route
from ...services import meetings as services
from .base import _add_errors, _meeting, _to_meeting


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
