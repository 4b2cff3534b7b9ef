"""Writes of meetings (SPEC §3.6): plan a meeting, change it, set its status, write its minutes.

A new time or place, a cancellation or an un-cancellation raises the iCalendar SEQUENCE and is sent
to everyone already invited (`notifications`).
"""
from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygga_platser.audit.services import audit_record, changed_fields

from ...models import Activity, Meeting
from .notifications import _notify

MEETING_ENDS_BEFORE_START = gettext_lazy("The meeting must end after it starts.")
MEETING_TITLE_REQUIRED = gettext_lazy("Give the meeting a title.")
MEETING_NOT_STARTED = gettext_lazy("A meeting can be marked as held once it has started.")
TIME_FIELDS = ("starts_at", "ends_at", "location")  # a change here is a new SEQUENCE (RFC 5545)


def _meeting_validate(meeting: Meeting) -> None:
    if not meeting.title.strip():
        raise ValidationError({"title": MEETING_TITLE_REQUIRED})
    if meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": MEETING_ENDS_BEFORE_START})
    meeting.full_clean(exclude=["project", "created_by", "uid"])


def meeting_create(*, user, project, kind: str, title: str, starts_at: datetime, ends_at: datetime,
                   location: str = "", agenda: str = "", activity: Activity | None = None) -> Meeting:
    """Plan a meeting; when it carries out a step activity, link the activity to it."""
    meeting = Meeting(project=project, kind=kind, title=title.strip(), starts_at=starts_at, ends_at=ends_at,
                      location=location.strip(), agenda=agenda, created_by=user)
    _meeting_validate(meeting)
    with transaction.atomic():
        meeting.save()
        audit_record(project=project, actor=user, action="meeting.created", target=meeting,
                     summary=_("Planned the meeting “%(title)s”") % {"title": meeting.title})
        if activity is not None:
            activity.meeting = meeting
            activity.save(update_fields=["meeting"])
            audit_record(project=project, actor=user, action="activity.meeting_linked", target=activity,
                         summary=_("Linked the activity “%(activity)s” to the meeting “%(title)s”") % {
                             "activity": activity.title, "title": meeting.title})
    return meeting


def meeting_update(*, user, meeting: Meeting, **values) -> Meeting:
    """Change a meeting. A new time or place raises the iCalendar SEQUENCE and sends the update to
    everyone already invited."""
    allowed = {"kind", "title", "starts_at", "ends_at", "location", "agenda"}
    if set(values) - allowed:
        raise TypeError(f"Not editable: {', '.join(sorted(set(values) - allowed))}")
    values = {k: v.strip() if k in {"title", "location"} else v for k, v in values.items()}
    diff = changed_fields(meeting, values)
    if not diff:
        return meeting
    for field, value in values.items():
        setattr(meeting, field, value)
    _meeting_validate(meeting)
    rescheduled = bool(set(diff) & set(TIME_FIELDS))
    with transaction.atomic():
        if rescheduled:
            meeting.sequence += 1
        meeting.save()
        audit_record(project=meeting.project, actor=user, action="meeting.updated", target=meeting,
                     changes={k: v for k, v in diff.items() if k != "agenda"},
                     summary=_("Changed the meeting “%(title)s”: %(fields)s") % {
                         "title": meeting.title,
                         "fields": ", ".join(str(Meeting._meta.get_field(f).verbose_name) for f in diff)})
        if rescheduled and meeting.status == Meeting.Status.PLANNED:
            _notify(meeting=meeting, only_invited=True)
    return meeting


def meeting_set_status(*, user, meeting: Meeting, status: str) -> Meeting:
    """Held, cancelled or planned again. Cancelling tells everyone invited (iTIP CANCEL)."""
    if status not in Meeting.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == meeting.status:
        return meeting
    if status == Meeting.Status.HELD and meeting.starts_at > timezone.now():
        raise ValidationError({"status": MEETING_NOT_STARTED})
    before = meeting.status
    with transaction.atomic():
        meeting.status = status
        # Cancelling and un-cancelling change what calendars show: a new SEQUENCE.
        if Meeting.Status.CANCELLED in (before, status):
            meeting.sequence += 1
        meeting.save(update_fields=["status", "sequence", "updated_at"])
        audit_record(project=meeting.project, actor=user, action=f"meeting.{status}", target=meeting,
                     changes={"status": (before, status)},
                     summary=_("Set the meeting “%(title)s” to %(status)s") % {
                         "title": meeting.title, "status": meeting.get_status_display()})
        if status == Meeting.Status.CANCELLED or before == Meeting.Status.CANCELLED:
            _notify(meeting=meeting, only_invited=True)
    return meeting


def meeting_minutes_update(*, user, meeting: Meeting, minutes: str, decisions: str) -> Meeting:
    diff = changed_fields(meeting, {"minutes": minutes, "decisions": decisions})
    if not diff:
        return meeting
    with transaction.atomic():
        meeting.minutes, meeting.decisions = minutes, decisions
        meeting.save(update_fields=["minutes", "decisions", "updated_at"])
        # Free text stays out of the log: only which parts changed.
        audit_record(project=meeting.project, actor=user, action="meeting.minutes_updated", target=meeting,
                     summary=_("Updated the %(parts)s of “%(title)s”") % {
                         "title": meeting.title,
                         "parts": _(" and ").join(str(Meeting._meta.get_field(f).verbose_name) for f in diff)})
    return meeting
