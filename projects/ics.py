"""iCalendar files for meetings (SPEC §3.6, §10: "meeting invitation (with .ics)").

An invitation is an iTIP REQUEST (RFC 5546 §3.2.2) and a cancellation an iTIP CANCEL (§3.2.5); the
download is a PUBLISH without attendees (§3.2.1), so importing it never looks like an invitation to
answer. UID stays the meeting's for its whole life and SEQUENCE grows when the time or place changes
(RFC 5545 §3.8.7.4), which is how calendars know an update replaces the entry they have.
Times are written in UTC ("…Z"), which every calendar reads without a VTIMEZONE block.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting, MeetingParticipant

PRODID = "-//Trygga Platser//Meetings//SV"
METHOD_PUBLISH = "PUBLISH"
METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"
# The organiser address when the meeting has no coordinator with an address: replies go nowhere
# harmful (we ask for none: RSVP=FALSE).
FALLBACK_ORGANIZER = "noreply@trygga-platser.example"


def _address(email: str, *, name: str = "", **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key.upper()] = vText(value)
    return address


def meeting_calendar(
    *,
    meeting: Meeting,
    method: str,
    organizer=None,
    participants: Iterable[MeetingParticipant] = (),
    url: str = "",
    now: datetime | None = None,
) -> bytes:
    """The meeting as an iCalendar object with one VEVENT, ready to attach or download."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = Event()
    event.add("uid", f"{meeting.uid}@trygga-platser")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.title)
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.agenda:
        event.add("description", meeting.agenda)
    if url:
        event.add("url", url)
    cancelled = method == METHOD_CANCEL or meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if method != METHOD_PUBLISH:
        # iTIP requires an ORGANIZER and the ATTENDEEs in REQUEST and CANCEL.
        organizer_email = getattr(organizer, "email", "") or FALLBACK_ORGANIZER
        organizer_name = organizer.get_full_name() if organizer is not None else "Trygga Platser"
        event.add("organizer", _address(organizer_email, name=organizer_name))
        for participant in participants:
            if participant.email:
                event.add("attendee", _address(
                    participant.email, name=participant.display_name, role="REQ-PARTICIPANT",
                    partstat="NEEDS-ACTION", rsvp="FALSE", cutype="INDIVIDUAL",
                ))
    calendar.add_component(event)
    return calendar.to_ical()

