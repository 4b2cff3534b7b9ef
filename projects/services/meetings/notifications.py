"""Invitations, updates, cancellations and reminders of meetings by e-mail (SPEC §10).

Each message is rendered in the recipient's language and queued in the outbox with a unique key
(trygga_platser.notifications), with an iCalendar attachment (projects.ics) except for reminders.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygga_platser.audit.services import audit_record
from trygga_platser.notifications.models import OutboundEmail
from trygga_platser.notifications.services import Attachment, email_queue
from trygga_platser.tenancy.models import ProjectMembership

from ...ics import METHOD_CANCEL, METHOD_REQUEST, meeting_calendar
from ...models import Meeting, MeetingParticipant

MEETING_NOT_PLANNED = gettext_lazy("Invitations are only sent for planned meetings.")
# Reminders go to meetings starting this far ahead (run daily, that is "the day before").
REMINDER_WINDOW = (timedelta(hours=24), timedelta(hours=48))


@dataclass(frozen=True)
class SendResult:
    queued: int  # new messages in the outbox
    unchanged: int  # already sent for this version of the meeting
    without_email: int  # participants we cannot reach


def meeting_organizer(meeting: Meeting):
    """The ORGANIZER: the project's coordinator, else whoever planned the meeting."""
    membership = (ProjectMembership.objects.filter(project_id=meeting.project_id, role=ProjectMembership.Role.COORDINATOR)
                  .select_related("user").order_by("joined_at", "pk").first())
    return membership.user if membership else meeting.created_by


def _recipient_language(participant: MeetingParticipant) -> str:
    return (participant.user.language if participant.user_id else "") or settings.LANGUAGE_CODE


def _meeting_email(*, meeting: Meeting, participant: MeetingParticipant, kind: str, key: str,
                   ics: bytes | None, method: str = METHOD_REQUEST) -> bool:
    """Render one message in the recipient's language and queue it; True when new."""
    with translation.override(_recipient_language(participant)):
        start = timezone.localtime(meeting.starts_at)
        subjects = {
            "invitation": _("Invitation: %(title)s, %(date)s"),
            "update": _("Updated: %(title)s, %(date)s"),
            "cancellation": _("Cancelled: %(title)s, %(date)s"),
            "reminder": _("Reminder: %(title)s, %(date)s"),
        }
        context = {
            "kind": kind,
            "meeting": meeting,
            "project": meeting.project,
            "participant": participant,
            "starts": start,
            "ends": timezone.localtime(meeting.ends_at),
            # Guests have no account: only members get a link into the project.
            "url": settings.SITE_URL + reverse("projects:meeting", kwargs={
                "project_id": meeting.project_id, "meeting_id": meeting.pk}) if participant.user_id else "",
        }
        date_text = formats.date_format(start, "j F Y") + " " + formats.time_format(start, "H:i")
        subject = str(subjects[kind]) % {"title": meeting.title, "date": date_text}
        attachments = ()
        if ics is not None:
            name = "cancel.ics" if method == METHOD_CANCEL else "invite.ics"
            attachments = (Attachment(name, ics, f"text/calendar; method={method}"),)
        _email, created = email_queue(
            key=key, to=participant.email, subject=subject,
            text=render_to_string("projects/meetings/email/meeting.txt", context),
            html=render_to_string("projects/meetings/email/meeting.html", context),
            attachments=attachments,
        )
    return created


def _notify(*, meeting: Meeting, only_invited: bool) -> SendResult:
    """Send the current version of the meeting to its participants: an invitation (or an update to
    those invited before) while planned, a cancellation once cancelled. Call inside a transaction."""
    cancelled = meeting.status == Meeting.Status.CANCELLED
    action = "cancel" if cancelled else "invite"
    everyone = list(meeting.participants.select_related("user"))
    participants = [p for p in everyone if p.invited_at is not None] if only_invited else everyone
    reachable = [p for p in participants if p.email]
    keys = {p.pk: f"meeting:{meeting.pk}:{action}:{p.pk}:{meeting.sequence}" for p in reachable}
    # Already in the outbox for this version: nothing to render.
    done = set(OutboundEmail.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    todo = [p for p in reachable if keys[p.pk] not in done]
    if not todo:
        return SendResult(0, len(reachable), len(participants) - len(reachable))
    method = METHOD_CANCEL if cancelled else METHOD_REQUEST
    ics = meeting_calendar(meeting=meeting, method=method, organizer=meeting_organizer(meeting), participants=everyone)
    now = timezone.now()
    queued = 0
    for participant in todo:
        kind = "cancellation" if cancelled else ("update" if participant.invited_at else "invitation")
        if _meeting_email(meeting=meeting, participant=participant, kind=kind, key=keys[participant.pk],
                          ics=ics, method=method):
            queued += 1
    if not cancelled:
        MeetingParticipant.objects.filter(pk__in=[p.pk for p in todo]).update(invited_at=now)
    return SendResult(queued, len(reachable) - len(todo), len(participants) - len(reachable))


def meeting_invitations_send(*, user, meeting: Meeting) -> SendResult:
    """Invite every participant with an e-mail address to the meeting as it is now; safe to repeat."""
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(MEETING_NOT_PLANNED)
    with transaction.atomic():
        result = _notify(meeting=meeting, only_invited=False)
        if result.queued:
            audit_record(project=meeting.project, actor=user, action="meeting.invitations_sent", target=meeting,
                         summary=_("Sent %(count)s invitations to “%(title)s”") % {
                             "count": result.queued, "title": meeting.title})
    return result


def meeting_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the participants of planned meetings that start in 24–48 hours (run daily by beat).

    The key names the meeting's date, so running twice sends once, and a meeting moved to another
    day is reminded again.
    """
    from ...selectors.meetings import participants_due_reminder

    now = now or timezone.now()
    queued = 0
    for participant in participants_due_reminder(now=now, window=REMINDER_WINDOW):
        meeting = participant.meeting
        day = timezone.localtime(meeting.starts_at).date().isoformat()
        with transaction.atomic():
            queued += _meeting_email(meeting=meeting, participant=participant, kind="reminder", ics=None,
                                     key=f"meeting:{meeting.pk}:reminder:{participant.pk}:{day}")
    return queued
