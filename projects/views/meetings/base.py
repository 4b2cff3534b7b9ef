"""What every meeting and site-walk page shares: the meeting and its participants, stops and
observations resolved through `tenancy.access` (one of another municipality is a 404), a service's
errors put on the form, and the redirect back to the meeting."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from ...models import Meeting, MeetingParticipant


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
