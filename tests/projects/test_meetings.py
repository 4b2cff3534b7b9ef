"""Meetings (SPEC §3.6): plan, edit, participants, attendance, status, minutes; roles and tenancy."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import Activity, Meeting, MeetingParticipant, Variant
from projects.services import meetings as services
from projects.services.workflow import plan_instantiate
from trygga_platser.audit.models import AuditEntry
from trygga_platser.tenancy.models import ProjectMembership, StakeholderCategory

from ..factories import ProjectMembershipFactory
from .factories_meetings import GuestFactory, MeetingFactory, SiteWalkFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, meeting=None, project=None, **kwargs) -> str:
    project = project or meeting.project
    kwargs["project_id"] = project.pk
    if meeting is not None:
        kwargs["meeting_id"] = meeting.pk
    return reverse(f"projects:{name}", kwargs=kwargs)


def meeting_data(**overrides) -> dict:
    return {"kind": "workshop", "title": "Uppstartsworkshop", "date": "2026-05-12", "start_time": "17:30",
            "end_time": "19:00", "location": "Biblioteket", "agenda": "Nuläget och nästa steg", **overrides}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# ------------------------------------------------------------------------------------------------
# Create and edit
# ------------------------------------------------------------------------------------------------

def test_coordinator_plans_a_meeting_in_local_time(world, client_for):
    # Given the project's coordinator
    client = client_for(world.project_coordinator)

    # When they plan a workshop on 12 May 17:30–19:00
    response = client.post(url("meeting_new", project=world.project), meeting_data())

    # Then it is stored with Stockholm times, logged, and they land on its page
    meeting = Meeting.objects.get(project=world.project)
    assert response.status_code == 302
    assert response["Location"] == url("meeting", meeting)
    assert meeting.starts_at == datetime(2026, 5, 12, 17, 30, tzinfo=STOCKHOLM)
    assert meeting.ends_at == datetime(2026, 5, 12, 19, 0, tzinfo=STOCKHOLM)
    assert (meeting.kind, meeting.location, meeting.created_by) == ("workshop", "Biblioteket", world.project_coordinator)
    assert AuditEntry.objects.filter(project=world.project, action="meeting.created").exists()


@pytest.mark.parametrize("end_time", ["17:30", "16:00"])
def test_a_meeting_must_end_after_it_starts(world, client_for, end_time):
    client = client_for(world.project_coordinator)
    response = client.post(url("meeting_new", project=world.project), meeting_data(end_time=end_time))
    # Then the message stands next to the end time and nothing is stored
    assert response.status_code == 200
    assert response.context["form"].errors["end_time"] == [str(services.MEETING_ENDS_BEFORE_START)]
    assert str(services.MEETING_ENDS_BEFORE_START) in response.content.decode()
    assert not Meeting.objects.exists()


def test_missing_fields_are_reported_and_nothing_is_stored(world, client_for):
    client = client_for(world.project_coordinator)
    response = client.post(url("meeting_new", project=world.project), meeting_data(title="", date="12 maj"))
    errors = response.context["form"].errors
    assert response.status_code == 200 and {"title", "date"} <= set(errors)
    assert not Meeting.objects.exists()


def test_the_form_uses_native_date_and_time_inputs(world, client_for):
    html = client_for(world.coach).get(url("meeting_new", project=world.project)).content.decode()
    assert 'type="date"' in html and html.count('type="time"') == 2


def _site_walk_activity(project) -> Activity:
    plan_instantiate(project=project, variant=Variant.objects.get(slug="instegsmodell"))
    return Activity.objects.filter(step__project=project, evidence_kind="site_walk").first()


def test_planning_from_an_activity_prefills_and_links_it(world, client_for):
    # Given a step activity that a site walk carries out
    activity = _site_walk_activity(world.project)
    client = client_for(world.project_coordinator)

    # When the coordinator follows "Plan the site walk"
    page = client.get(url("meeting_new", project=world.project) + f"?activity={activity.pk}")

    # Then the form is prefilled, and saving links the activity to the meeting
    assert page.context["form"].initial == {"kind": "site_walk", "title": activity.display_title}
    response = client.post(url("meeting_new", project=world.project) + f"?activity={activity.pk}",
                           meeting_data(kind="site_walk", title="Trygghetsvandring i centrum"))
    meeting = Meeting.objects.get()
    activity.refresh_from_db()
    assert response.status_code == 302
    assert activity.meeting == meeting and meeting.kind == "site_walk"


def test_an_activity_of_another_project_is_not_found(world, client_for):
    foreign = _site_walk_activity(world.other_project)
    response = client_for(world.project_coordinator).post(
        url("meeting_new", project=world.project) + f"?activity={foreign.pk}", meeting_data())
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_editing_the_time_raises_the_sequence_but_the_agenda_does_not(world, client_for):
    # Given a planned meeting and the process coach
    meeting = MeetingFactory(project=world.project, starts_at=datetime(2026, 6, 2, 9, 0, tzinfo=STOCKHOLM),
                             ends_at=datetime(2026, 6, 2, 11, 0, tzinfo=STOCKHOLM))
    client = client_for(world.coach)
    base = meeting_data(title=meeting.title, date="2026-06-02", start_time="09:00", end_time="11:00",
                        location=meeting.location)

    # When only the agenda changes, then the calendar sequence stays
    client.post(url("meeting_edit", meeting), {**base, "agenda": "Ny dagordning"})
    meeting.refresh_from_db()
    assert (meeting.agenda, meeting.sequence) == ("Ny dagordning", 0)

    # When the time changes, then it is a new version for calendars
    response = client.post(url("meeting_edit", meeting), {**base, "agenda": "Ny dagordning", "start_time": "10:00",
                                                          "end_time": "12:00"})
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.starts_at == datetime(2026, 6, 2, 10, 0, tzinfo=STOCKHOLM) and meeting.sequence == 1

    # And a new place is one too
    client.post(url("meeting_edit", meeting), {**base, "start_time": "10:00", "end_time": "12:00", "location": "Torget"})
    meeting.refresh_from_db()
    assert meeting.sequence == 2


def test_the_edit_form_shows_the_local_time(world, client_for):
    meeting = MeetingFactory(project=world.project, starts_at=datetime(2026, 6, 2, 9, 15, tzinfo=STOCKHOLM),
                             ends_at=datetime(2026, 6, 2, 11, 0, tzinfo=STOCKHOLM))
    html = client_for(world.coach).get(url("meeting_edit", meeting)).content.decode()
    assert 'value="2026-06-02"' in html and 'value="09:15"' in html and 'value="11:00"' in html


# ------------------------------------------------------------------------------------------------
# Roles and tenancy
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["project_coordinator", "org_coordinator", "coach", "member", "project_viewer",
                                 "org_member"])
def test_everyone_with_personal_access_sees_the_meetings(world, client_for, who):
    meeting = MeetingFactory(project=world.project)
    client = client_for(getattr(world, who))
    assert client.get(url("meetings", project=world.project)).status_code == 200
    assert client.get(url("meeting", meeting)).status_code == 200


@pytest.mark.parametrize("name", ["meetings", "meeting", "meeting_ics", "meeting_edit", "meeting_participants"])
def test_a_county_officer_gets_403_on_meeting_pages(world, client_for, name):
    # County boards follow progress, never names of participants or minutes (SPEC §2, §11)
    meeting = MeetingFactory(project=world.project)
    client = client_for(world.county_officer)
    target = url(name, project=world.project) if name == "meetings" else url(name, meeting)
    assert client.get(target).status_code == 403


@pytest.mark.parametrize("who", ["member", "project_viewer", "org_member"])
def test_members_and_viewers_cannot_plan_or_change_meetings(world, client_for, who):
    meeting = MeetingFactory(project=world.project)
    client = client_for(getattr(world, who))
    assert client.get(url("meeting_new", project=world.project)).status_code == 403
    assert client.post(url("meeting_new", project=world.project), meeting_data()).status_code == 403
    assert client.post(url("meeting_edit", meeting), meeting_data()).status_code == 403
    assert client.post(url("meeting_status", meeting), {"status": "cancelled"}).status_code == 403
    assert client.post(url("meeting_minutes", meeting), {"minutes": "x", "decisions": ""}).status_code == 403
    meeting.refresh_from_db()
    assert Meeting.objects.count() == 1 and meeting.status == "planned" and meeting.minutes == ""


def test_the_coach_plans_meetings(world, client_for):
    response = client_for(world.coach).post(url("meeting_new", project=world.project), meeting_data())
    assert response.status_code == 302 and Meeting.objects.filter(project=world.project).count() == 1


def test_another_municipalitys_meeting_is_not_found(world, client_for):
    meeting = MeetingFactory(project=world.other_project)
    client = client_for(world.org_coordinator)
    assert client.get(url("meeting", meeting)).status_code == 404
    # nor under the user's own project
    assert client.get(reverse("projects:meeting", kwargs={"project_id": world.project.pk,
                                                          "meeting_id": meeting.pk})).status_code == 404


def test_the_list_hides_new_meeting_from_members(world, client_for):
    assert sv("New meeting") not in client_for(world.member).get(url("meetings", project=world.project)).content.decode()
    assert sv("New meeting") in client_for(world.coach).get(url("meetings", project=world.project)).content.decode()


# ------------------------------------------------------------------------------------------------
# The list
# ------------------------------------------------------------------------------------------------

def test_the_list_splits_upcoming_and_past_with_participant_counts(world, client_for):
    now = timezone.now()
    soon = MeetingFactory(project=world.project, title="Snart", starts_at=now + timedelta(days=2),
                          ends_at=now + timedelta(days=2, hours=2))
    later = MeetingFactory(project=world.project, title="Senare", starts_at=now + timedelta(days=20),
                           ends_at=now + timedelta(days=20, hours=2))
    held = SiteWalkFactory(project=world.project, title="I våras", status="held", starts_at=now - timedelta(days=30),
                           ends_at=now - timedelta(days=30) + timedelta(hours=2))
    GuestFactory.create_batch(3, meeting=held)
    MeetingFactory(project=world.other_project, title="Falun")

    response = client_for(world.member).get(url("meetings", project=world.project))

    assert [m.title for m in response.context["upcoming"]] == [soon.title, later.title]
    assert [(m.title, m.participant_count) for m in response.context["past"]] == [(held.title, 3)]
    assert "Falun" not in response.content.decode()


def test_the_list_has_a_constant_number_of_queries(world, client_for):
    client = client_for(world.member)
    for meeting in MeetingFactory.create_batch(2, project=world.project):
        GuestFactory.create_batch(2, meeting=meeting)
    with CaptureQueriesContext(connection) as few:
        client.get(url("meetings", project=world.project))
    for meeting in MeetingFactory.create_batch(8, project=world.project):
        GuestFactory.create_batch(3, meeting=meeting)
    with CaptureQueriesContext(connection) as many:
        client.get(url("meetings", project=world.project))
    assert len(many) == len(few)


# ------------------------------------------------------------------------------------------------
# Participants
# ------------------------------------------------------------------------------------------------

def test_adding_members_copies_their_organisation_and_category(world, client_for):
    meeting = MeetingFactory(project=world.project)
    membership = ProjectMembership.objects.get(project=world.project, user=world.member)
    membership.organisation_name = "Polisen Avesta"
    membership.save()
    client = client_for(world.project_coordinator)

    response = client.post(url("meeting_participants", meeting), {"form": "members", "members": [membership.pk]})

    participant = MeetingParticipant.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert (participant.user, participant.organisation, participant.category) == (
        world.member, "Polisen Avesta", StakeholderCategory.POLICE)
    # and a member already taking part is no longer offered
    page = client.get(url("meeting_participants", meeting))
    assert membership not in page.context["members_form"].fields["members"].queryset


def test_members_of_another_project_cannot_be_added(world, client_for):
    meeting = MeetingFactory(project=world.project)
    foreign = ProjectMembershipFactory(project=world.other_project)
    response = client_for(world.project_coordinator).post(
        url("meeting_participants", meeting), {"form": "members", "members": [foreign.pk]})
    assert response.status_code == 200 and "members" in response.context["members_form"].errors
    assert not meeting.participants.exists()


def test_a_guest_is_added_with_organisation_and_category(world, client_for):
    meeting = MeetingFactory(project=world.project)
    response = client_for(world.coach).post(url("meeting_participants", meeting), {
        "form": "guest", "guest_name": "Eva Ek", "guest_email": "Eva@Example.org", "organisation": "Ek & Son",
        "category": StakeholderCategory.BUSINESS})
    guest = MeetingParticipant.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert (guest.guest_name, guest.guest_email, guest.organisation, guest.category) == (
        "Eva Ek", "eva@example.org", "Ek & Son", "naringsidkare")


def test_a_guest_needs_a_name_and_is_not_added_twice(world, client_for):
    meeting = MeetingFactory(project=world.project)
    GuestFactory(meeting=meeting, guest_email="eva@example.org")
    client = client_for(world.coach)
    nameless = client.post(url("meeting_participants", meeting), {"form": "guest", "guest_name": "", "category": "annan"})
    twice = client.post(url("meeting_participants", meeting), {"form": "guest", "guest_name": "Eva", "guest_email":
                                                               "EVA@example.org", "category": "annan"})
    assert nameless.status_code == 200 and "guest_name" in nameless.context["guest_form"].errors
    assert twice.context["guest_form"].errors["guest_email"] == [
        str(services.PARTICIPANT_ALREADY % {"name": "eva@example.org"})]
    assert meeting.participants.count() == 1


def test_a_participant_is_removed(world, client_for):
    meeting = MeetingFactory(project=world.project)
    guest = GuestFactory(meeting=meeting)
    response = client_for(world.coach).post(url("participant_remove", meeting, participant_id=guest.pk))
    assert response.status_code == 302 and not MeetingParticipant.objects.filter(pk=guest.pk).exists()


def test_a_member_cannot_change_participants(world, client_for):
    meeting = MeetingFactory(project=world.project)
    guest = GuestFactory(meeting=meeting)
    client = client_for(world.member)
    assert client.post(url("participant_remove", meeting, participant_id=guest.pk)).status_code == 403
    assert client.post(url("meeting_participants", meeting), {"form": "guest", "guest_name": "X",
                                                               "category": "annan"}).status_code == 403
    assert meeting.participants.count() == 1


def test_a_site_walk_over_twenty_people_warns_but_adds(world, client_for):
    # Given a site walk with 20 participants (Boverket: at most about 20)
    walk = SiteWalkFactory(project=world.project)
    GuestFactory.create_batch(20, meeting=walk)
    client = client_for(world.coach)

    # When a 21st is added
    response = client.post(url("meeting_participants", walk), {"form": "guest", "guest_name": "Nummer 21",
                                                               "category": "boende"})

    # Then they are added, with a warning, also shown on the meeting page
    warning = str(services.SITE_WALK_CROWDED % {"count": 21, "max": 20})
    assert walk.participants.count() == 21
    assert warning in messages_of(response)
    assert warning in client.get(url("meeting", walk)).content.decode()


def test_a_workshop_of_twenty_one_does_not_warn(world):
    workshop = MeetingFactory(project=world.project)
    assert services.site_walk_crowding(meeting=workshop, count=21) == ""


# ------------------------------------------------------------------------------------------------
# Attendance, status, minutes
# ------------------------------------------------------------------------------------------------

def test_attendance_is_marked_with_a_plain_form(world, client_for):
    meeting = MeetingFactory(project=world.project)
    guest = GuestFactory(meeting=meeting)
    response = client_for(world.coach).post(url("participant_attendance", meeting, participant_id=guest.pk),
                                            {"attended": "no"})
    guest.refresh_from_db()
    assert response.status_code == 302 and response["Location"].endswith(f"#participant-{guest.pk}")
    assert guest.attended is False


def test_attendance_with_htmx_returns_the_row(world, client_for):
    meeting = MeetingFactory(project=world.project)
    guest = GuestFactory(meeting=meeting, guest_name="Ada Andersson")
    response = client_for(world.coach).post(url("participant_attendance", meeting, participant_id=guest.pk),
                                            {"attended": "yes"}, **HTMX)
    guest.refresh_from_db()
    html = response.content.decode()
    assert guest.attended is True
    assert html.strip().startswith(f'<tr id="participant-{guest.pk}"') and "Ada Andersson" in html
    assert "<html" not in html and "HX-Request" in response["Vary"]


def test_a_member_cannot_mark_attendance(world, client_for):
    meeting = MeetingFactory(project=world.project)
    guest = GuestFactory(meeting=meeting)
    response = client_for(world.member).post(url("participant_attendance", meeting, participant_id=guest.pk),
                                             {"attended": "yes"})
    guest.refresh_from_db()
    assert response.status_code == 403 and guest.attended is None


def test_a_future_meeting_cannot_be_marked_held(world, client_for):
    meeting = MeetingFactory(project=world.project)
    response = client_for(world.coach).post(url("meeting_status", meeting), {"status": "held"})
    meeting.refresh_from_db()
    assert meeting.status == "planned"
    assert str(services.MEETING_NOT_STARTED) in messages_of(response)


def test_a_meeting_that_started_is_marked_held(world, client_for):
    start = timezone.now() - timedelta(hours=3)
    meeting = MeetingFactory(project=world.project, starts_at=start, ends_at=start + timedelta(hours=2))
    client_for(world.coach).post(url("meeting_status", meeting), {"status": "held"})
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.sequence == 0
    assert AuditEntry.objects.filter(action="meeting.held", target_id=str(meeting.pk)).exists()


def test_minutes_and_decisions_are_saved_by_editors(world, client_for):
    meeting = MeetingFactory(project=world.project)
    response = client_for(world.coach).post(url("meeting_minutes", meeting), {
        "minutes": "Vi gick runt torget.", "decisions": "Kommunen byter armaturer i gångtunneln."})
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.decisions == "Kommunen byter armaturer i gångtunneln."
    entry = AuditEntry.objects.get(action="meeting.minutes_updated")
    assert "torget" not in str(entry.changes)  # free text stays out of the log
    page = client_for(world.member).get(url("meeting", meeting)).content.decode()
    assert "Kommunen byter armaturer" in page and "Edit minutes and decisions" not in page


def test_attendance_is_offered_once_the_meeting_has_started(world, client_for):
    upcoming = MeetingFactory(project=world.project)
    start = timezone.now() - timedelta(minutes=30)
    started = MeetingFactory(project=world.project, starts_at=start, ends_at=start + timedelta(hours=2))
    for meeting in (upcoming, started):
        GuestFactory(meeting=meeting)
    client = client_for(world.coach)
    assert 'class="attendance-form"' not in client.get(url("meeting", upcoming)).content.decode()
    assert 'class="attendance-form"' in client.get(url("meeting", started)).content.decode()


def sv(text: str) -> str:
    """A UI string as the page shows it: pages and guests' e-mails are in the default language."""
    from django.conf import settings as django_settings
    from django.utils.translation import gettext, override

    with override(django_settings.LANGUAGE_CODE):
        return gettext(text)
