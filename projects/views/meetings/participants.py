"""Participant pages of a meeting (SPEC §3.6): adding project members and guests, removing them,
and recording attendance (enhanced by htmx)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from trygga_platser.tenancy.access import Perm

from ...forms.meetings import AttendanceForm, GuestForm, MembersForm
from ...models import MeetingParticipant
from ...selectors.meetings import meeting_member_choices, meeting_participants
from ...services import meetings as services
from .base import _add_errors, _child, _meeting, _to_meeting


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
