"""Meeting e-mail (SPEC §3.6, §10): invitations with an iCalendar file, updates, cancellations and
reminders, each queued once in the outbox under its own key."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from projects.models import MeetingParticipant
from projects.services import meetings as services
from trygga_platser.notifications.models import OutboundEmail
from trygga_platser.tenancy.models import ProjectMembership

from .factories_meetings import GuestFactory, MeetingFactory, SiteWalkFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def url(name: str, meeting) -> str:
    return reverse(f"projects:{name}", kwargs={"project_id": meeting.project_id, "meeting_id": meeting.pk})


def event_of(data: bytes):
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def attendees(event) -> set[str]:
    value = event.get("attendee")
    values = value if isinstance(value, list) else [value]
    return {str(a).lower() for a in values if a is not None}


def ics_of(email: OutboundEmail) -> bytes:
    attachment = email.attachments.get()
    assert attachment.mimetype.startswith("text/calendar")
    return bytes(attachment.content)


@pytest.fixture
def invited_meeting(world):
    """A planned site walk in May with a member (English-speaking) and two guests, one without e-mail."""
    meeting = SiteWalkFactory(project=world.project, title="Trygghetsvandring",
                              starts_at=datetime(2031, 5, 20, 18, 0, tzinfo=STOCKHOLM),
                              ends_at=datetime(2031, 5, 20, 20, 0, tzinfo=STOCKHOLM), location="Busstorget")
    world.member.language = "en"
    world.member.save()
    member = MeetingParticipant.objects.create(meeting=meeting, user=world.member)
    guest = GuestFactory(meeting=meeting, guest_name="Eva Ek", guest_email="eva@example.org")
    no_email = GuestFactory(meeting=meeting, guest_name="Utan Adress", guest_email="")
    return meeting, member, guest, no_email


# ------------------------------------------------------------------------------------------------
# The .ics download
# ------------------------------------------------------------------------------------------------

def test_the_ics_download_parses_back(world, client_for, invited_meeting):
    meeting, *_ = invited_meeting
    response = client_for(world.project_viewer).get(url("meeting_ics", meeting))

    calendar, event = event_of(response.content)
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"
    assert calendar["METHOD"] == "PUBLISH"
    assert str(event["UID"]) == f"{meeting.uid}@trygga-platser"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == datetime(2031, 5, 20, 16, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2031, 5, 20, 18, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Trygghetsvandring" and str(event["LOCATION"]) == "Busstorget"
    assert str(event["DESCRIPTION"]) == meeting.agenda
    # a download is not an invitation: no attendees (and no personal data) in it
    assert "ATTENDEE" not in event


def test_the_ics_download_is_not_for_county_officers(world, client_for, invited_meeting):
    meeting, *_ = invited_meeting
    assert client_for(world.county_officer).get(url("meeting_ics", meeting)).status_code == 403


# ------------------------------------------------------------------------------------------------
# Invitations
# ------------------------------------------------------------------------------------------------

def test_invitations_go_once_to_each_participant_with_an_address(world, client_for, invited_meeting):
    meeting, member, guest, no_email = invited_meeting
    client = client_for(world.project_coordinator)

    # When the coordinator sends the invitations, twice
    first = client.post(url("meeting_invite", meeting))
    second = client.post(url("meeting_invite", meeting))

    # Then there is one message per reachable participant, keyed by the meeting's version
    emails = OutboundEmail.objects.all()
    assert first.status_code == second.status_code == 302
    assert sorted(e.to for e in emails) == sorted(["eva@example.org", world.member.email])
    assert {e.key for e in emails} == {f"meeting:{meeting.pk}:invite:{member.pk}:0",
                                       f"meeting:{meeting.pk}:invite:{guest.pk}:0"}
    # and invited_at records it; the guest without an address is not invited
    member.refresh_from_db(), guest.refresh_from_db(), no_email.refresh_from_db()
    assert member.invited_at and guest.invited_at and no_email.invited_at is None


def test_the_invitation_carries_an_itip_request(world, invited_meeting):
    meeting, member, guest, _no_email = invited_meeting
    services.meeting_invitations_send(user=world.project_coordinator, meeting=meeting)

    email = OutboundEmail.objects.get(to="eva@example.org")
    calendar, event = event_of(ics_of(email))
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{meeting.uid}@trygga-platser" and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == datetime(2031, 5, 20, 16, 0, tzinfo=UTC)
    assert attendees(event) == {"mailto:eva@example.org", f"mailto:{world.member.email}".lower()}
    # The organiser is the project's coordinator
    assert str(event["ORGANIZER"]).lower() == f"mailto:{world.project_coordinator.email}".lower()
    assert email.attachments.get().mimetype == "text/calendar; method=REQUEST"


def test_the_invitation_is_in_the_recipients_language(world, invited_meeting):
    meeting, *_ = invited_meeting
    services.meeting_invitations_send(user=world.project_coordinator, meeting=meeting)
    english = OutboundEmail.objects.get(to=world.member.email)
    swedish = OutboundEmail.objects.get(to="eva@example.org")
    # Month names come from Django's own translations: May for the member, maj for the guest
    assert "20 May 2031 18:00" in english.subject and "20 maj 2031 18:00" in swedish.subject
    assert "Trygghetsvandring" in english.body_text and "<html lang=\"en\">" in english.body_html
    assert "<html lang=\"sv\">" in swedish.body_html
    # Only members get a link into the project
    link = reverse("projects:meeting", kwargs={"project_id": meeting.project_id, "meeting_id": meeting.pk})
    assert link in english.body_text and link not in swedish.body_text


def test_a_new_time_sends_an_update_to_those_invited(world, client_for, invited_meeting):
    meeting, member, guest, _no_email = invited_meeting
    services.meeting_invitations_send(user=world.project_coordinator, meeting=meeting)
    late = GuestFactory(meeting=meeting, guest_email="sen@example.org")  # added after the invitations

    # When the coordinator moves the walk an hour later
    client_for(world.project_coordinator).post(url("meeting_edit", meeting), {
        "kind": "site_walk", "title": meeting.title, "date": "2031-05-20", "start_time": "19:00",
        "end_time": "21:00", "location": meeting.location, "agenda": meeting.agenda})

    # Then everyone invited gets version 1, and the person not yet invited gets nothing yet
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    updates = OutboundEmail.objects.filter(key__endswith=":1")
    assert {e.key for e in updates} == {f"meeting:{meeting.pk}:invite:{member.pk}:1",
                                        f"meeting:{meeting.pk}:invite:{guest.pk}:1"}
    _calendar, event = event_of(ics_of(updates.get(to="eva@example.org")))
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART") == datetime(2031, 5, 20, 17, 0, tzinfo=UTC)
    assert updates.get(to="eva@example.org").subject.startswith(sv("Updated: %(title)s, %(date)s").split(":")[0])
    assert not OutboundEmail.objects.filter(to="sen@example.org").exists()

    # When invitations are sent again, only the late guest gets one
    result = services.meeting_invitations_send(user=world.project_coordinator, meeting=meeting)
    assert (result.queued, result.unchanged, result.without_email) == (1, 2, 1)
    assert OutboundEmail.objects.filter(key=f"meeting:{meeting.pk}:invite:{late.pk}:1").exists()
    assert OutboundEmail.objects.count() == 5


def test_cancelling_sends_an_itip_cancel_to_those_invited(world, client_for, invited_meeting):
    meeting, member, guest, _no_email = invited_meeting
    services.meeting_invitations_send(user=world.project_coordinator, meeting=meeting)

    client_for(world.coach).post(url("meeting_status", meeting), {"status": "cancelled"})

    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.sequence == 1
    cancellation = OutboundEmail.objects.get(key=f"meeting:{meeting.pk}:cancel:{guest.pk}:1")
    calendar, event = event_of(ics_of(cancellation))
    assert calendar["METHOD"] == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1 and str(event["UID"]) == f"{meeting.uid}@trygga-platser"
    assert cancellation.attachments.get().filename == "cancel.ics"
    assert OutboundEmail.objects.filter(key__contains=":cancel:").count() == 2


def test_no_invitations_for_a_cancelled_meeting(world, client_for, invited_meeting):
    meeting, *_ = invited_meeting
    meeting.status = "cancelled"
    meeting.save()
    client_for(world.project_coordinator).post(url("meeting_invite", meeting))
    assert not OutboundEmail.objects.exists()


def test_a_member_cannot_send_invitations(world, client_for, invited_meeting):
    meeting, *_ = invited_meeting
    assert client_for(world.member).post(url("meeting_invite", meeting)).status_code == 403
    assert not OutboundEmail.objects.exists()


# ------------------------------------------------------------------------------------------------
# Reminders
# ------------------------------------------------------------------------------------------------

def test_reminders_go_to_planned_meetings_24_to_48_hours_ahead_once(world):
    now = timezone.now()

    def meeting_at(hours: float, **fields):
        meeting = MeetingFactory(project=world.project, starts_at=now + timedelta(hours=hours),
                                 ends_at=now + timedelta(hours=hours + 2), **fields)
        return GuestFactory(meeting=meeting)

    due = meeting_at(30)
    also_due = meeting_at(47)
    too_soon = meeting_at(10)
    too_late = meeting_at(60)
    cancelled = meeting_at(30, status="cancelled")
    GuestFactory(meeting=due.meeting, guest_email="")  # no address: nobody to remind
    member = MeetingParticipant.objects.create(meeting=due.meeting, user=world.member)

    # When the beat task runs twice the same day
    first = services.meeting_reminders_send(now=now)
    second = services.meeting_reminders_send(now=now + timedelta(hours=1))

    # Then each participant of the meetings in the window has exactly one reminder
    day = timezone.localtime(due.meeting.starts_at).date().isoformat()
    assert (first, second) == (3, 0)
    keys = set(OutboundEmail.objects.values_list("key", flat=True))
    assert keys == {
        f"meeting:{due.meeting.pk}:reminder:{due.pk}:{day}",
        f"meeting:{due.meeting.pk}:reminder:{member.pk}:{day}",
        f"meeting:{also_due.meeting.pk}:reminder:{also_due.pk}:"
        f"{timezone.localtime(also_due.meeting.starts_at).date().isoformat()}",
    }
    assert not {too_soon.email, too_late.email, cancelled.email} & set(OutboundEmail.objects.values_list("to", flat=True))
    assert OutboundEmail.objects.get(to=due.email).subject.startswith(sv("Reminder: %(title)s, %(date)s").split(":")[0])


def test_the_reminder_task_is_thin_and_scheduled_in_beat(world):
    from projects.tasks import meeting_reminders
    from trygga_platser.celery import app

    due = GuestFactory(meeting=MeetingFactory(project=world.project, starts_at=timezone.now() + timedelta(hours=30),
                                              ends_at=timezone.now() + timedelta(hours=32)))
    assert meeting_reminders() == 1 and meeting_reminders() == 0
    assert OutboundEmail.objects.filter(to=due.email).count() == 1
    entry = app.conf.beat_schedule["projects.meeting-reminders"]
    assert entry["task"] == "projects.tasks.meeting_reminders"


def test_the_organiser_falls_back_to_who_planned_it(world):
    ProjectMembership.objects.filter(project=world.project, role="coordinator").delete()
    meeting = MeetingFactory(project=world.project, created_by=world.coach)
    assert services.meeting_organizer(meeting) == world.coach


def sv(text: str) -> str:
    """A UI string as the page shows it: pages and guests' e-mails are in the default language."""
    from django.conf import settings as django_settings
    from django.utils.translation import gettext, override

    with override(django_settings.LANGUAGE_CODE):
        return gettext(text)
