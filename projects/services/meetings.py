"""Writes of meetings and site walks (SPEC §3.6, §10).

Every function takes objects already resolved through `tenancy.access` (the views do that) and does
one thing in one transaction: validate, save, audit, and queue e-mail in the outbox. The outbox row
is written in the same transaction (so a rolled-back change sends nothing) and sent after commit;
its unique key makes every message at-most-once, so a retried request or a twice-run reminder task
sends nothing twice (trygga_platser.notifications).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygga_platser.audit.services import audit_record, changed_fields
from trygga_platser.notifications.models import OutboundEmail
from trygga_platser.notifications.services import Attachment, email_queue
from trygga_platser.tenancy.access import ProjectAccess
from trygga_platser.tenancy.models import ProjectMembership
from trygga_platser.uploads.photos import photo_clean

from ..ics import METHOD_CANCEL, METHOD_REQUEST, meeting_calendar
from ..models import Activity, Meeting, MeetingParticipant, Observation, SiteWalkStop

MEETING_ENDS_BEFORE_START = gettext_lazy("The meeting must end after it starts.")
MEETING_TITLE_REQUIRED = gettext_lazy("Give the meeting a title.")
MEETING_NOT_STARTED = gettext_lazy("A meeting can be marked as held once it has started.")
MEETING_NOT_PLANNED = gettext_lazy("Invitations are only sent for planned meetings.")
PARTICIPANT_ALREADY = gettext_lazy("%(name)s is already a participant.")
PARTICIPANT_NOT_MEMBER = gettext_lazy("Only members of this project can be added as members.")
GUEST_NAME_REQUIRED = gettext_lazy("Give the guest's name.")
NOT_A_SITE_WALK = gettext_lazy("Only a site walk has stops and observations.")
STOP_NAME_REQUIRED = gettext_lazy("Give the stop a name.")
STOP_NOT_IN_MEETING = gettext_lazy("Choose one of this site walk's stops.")
POINT_INCOMPLETE = gettext_lazy("Give both longitude and latitude, or leave both empty.")
OBSERVATION_TEXT_REQUIRED = gettext_lazy("Describe what you saw.")
# Boverket's practice for safety walks: small groups, at most about 20 people (SPEC §3.6).
SITE_WALK_MAX_PARTICIPANTS = 20
SITE_WALK_CROWDED = gettext_lazy(
    "This site walk has %(count)s participants. Boverket recommends at most about %(max)s people per walk, "
    "so that everyone can see, hear and take part; consider splitting it into two walks."
)
# Reminders go to meetings starting this far ahead (run daily, that is "the day before").
REMINDER_WINDOW = (timedelta(hours=24), timedelta(hours=48))
TIME_FIELDS = ("starts_at", "ends_at", "location")  # a change here is a new SEQUENCE (RFC 5545)


# ------------------------------------------------------------------------------------------------
# Meetings
# ------------------------------------------------------------------------------------------------

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


# ------------------------------------------------------------------------------------------------
# Participants
# ------------------------------------------------------------------------------------------------

def site_walk_crowding(*, meeting: Meeting, count: int) -> str:
    """A warning (never a refusal) when a site walk grows past Boverket's ~20 people."""
    if meeting.is_site_walk and count > SITE_WALK_MAX_PARTICIPANTS:
        return str(SITE_WALK_CROWDED % {"count": count, "max": SITE_WALK_MAX_PARTICIPANTS})
    return ""


def participant_add_members(*, user, meeting: Meeting, memberships: list[ProjectMembership]) -> list[MeetingParticipant]:
    """Add project members, with the organisation and category they have in the project."""
    if any(m.project_id != meeting.project_id for m in memberships):
        raise ValidationError(PARTICIPANT_NOT_MEMBER)
    existing = set(meeting.participants.filter(user__isnull=False).values_list("user_id", flat=True))
    new = [m for m in memberships if m.user_id not in existing]
    with transaction.atomic():
        added = MeetingParticipant.objects.bulk_create(
            MeetingParticipant(meeting=meeting, user_id=m.user_id, organisation=m.organisation_name,
                               category=m.stakeholder_category) for m in new)
        if added:
            audit_record(project=meeting.project, actor=user, action="meeting.participants_added", target=meeting,
                         summary=_("Added %(count)s members to “%(title)s”") % {
                             "count": len(added), "title": meeting.title})
    return added


def participant_add_guest(*, user, meeting: Meeting, name: str, email: str = "", organisation: str = "",
                          category: str) -> MeetingParticipant:
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise ValidationError({"guest_name": GUEST_NAME_REQUIRED})
    if email and (meeting.participants.filter(guest_email__iexact=email).exists()
                  or meeting.participants.filter(user__email__iexact=email).exists()):
        raise ValidationError({"guest_email": PARTICIPANT_ALREADY % {"name": email}})
    participant = MeetingParticipant(meeting=meeting, guest_name=name, guest_email=email,
                                     organisation=organisation.strip(), category=category)
    participant.full_clean(exclude=["meeting", "user"])
    with transaction.atomic():
        participant.save()
        audit_record(project=meeting.project, actor=user, action="meeting.guest_added", target=participant,
                     summary=_("Added a guest to “%(title)s”") % {"title": meeting.title})
    return participant


def participant_remove(*, user, participant: MeetingParticipant) -> None:
    meeting = participant.meeting
    with transaction.atomic():
        audit_record(project=meeting.project, actor=user, action="meeting.participant_removed", target=participant,
                     summary=_("Removed a participant from “%(title)s”") % {"title": meeting.title})
        participant.delete()


def participant_set_attendance(*, user, participant: MeetingParticipant, attended: bool | None) -> MeetingParticipant:
    if participant.attended == attended:
        return participant
    with transaction.atomic():
        before = participant.attended
        participant.attended = attended
        participant.save(update_fields=["attended"])
        audit_record(project=participant.meeting.project, actor=user, action="meeting.attendance", target=participant,
                     changes={"attended": (before, attended)},
                     summary=_("Recorded attendance at “%(title)s”") % {"title": participant.meeting.title})
    return participant


# ------------------------------------------------------------------------------------------------
# Invitations, updates, cancellations and reminders (SPEC §10)
# ------------------------------------------------------------------------------------------------

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
    from ..selectors.meetings import participants_due_reminder

    now = now or timezone.now()
    queued = 0
    for participant in participants_due_reminder(now=now, window=REMINDER_WINDOW):
        meeting = participant.meeting
        day = timezone.localtime(meeting.starts_at).date().isoformat()
        with transaction.atomic():
            queued += _meeting_email(meeting=meeting, participant=participant, kind="reminder", ics=None,
                                     key=f"meeting:{meeting.pk}:reminder:{participant.pk}:{day}")
    return queued


# ------------------------------------------------------------------------------------------------
# Site walks: the route of stops
# ------------------------------------------------------------------------------------------------

def _require_site_walk(meeting: Meeting) -> None:
    if not meeting.is_site_walk:
        raise ValidationError(NOT_A_SITE_WALK)


def stop_create(*, user, meeting: Meeting, name: str, lon: float, lat: float, note: str = "") -> SiteWalkStop:
    _require_site_walk(meeting)
    if not name.strip():
        raise ValidationError({"name": STOP_NAME_REQUIRED})
    with transaction.atomic():
        last = meeting.stops.aggregate(last=Max("order"))["last"] or 0
        stop = SiteWalkStop(meeting=meeting, name=name.strip(), lon=lon, lat=lat, note=note, order=last + 1)
        stop.full_clean(exclude=["meeting"])
        stop.save()
        audit_record(project=meeting.project, actor=user, action="meeting.stop_added", target=stop,
                     summary=_("Added the stop “%(stop)s” to “%(title)s”") % {"stop": stop.name, "title": meeting.title})
    return stop


def stop_update(*, user, stop: SiteWalkStop, name: str, lon: float, lat: float, note: str = "") -> SiteWalkStop:
    if not name.strip():
        raise ValidationError({"name": STOP_NAME_REQUIRED})
    values = {"name": name.strip(), "lon": lon, "lat": lat, "note": note}
    diff = changed_fields(stop, values)
    if not diff:
        return stop
    for field, value in values.items():
        setattr(stop, field, value)
    stop.full_clean(exclude=["meeting"])
    with transaction.atomic():
        stop.save()
        audit_record(project=stop.meeting.project, actor=user, action="meeting.stop_updated", target=stop,
                     changes={k: v for k, v in diff.items() if k != "note"},
                     summary=_("Changed the stop “%(stop)s”") % {"stop": stop.name})
    return stop


def stop_remove(*, user, stop: SiteWalkStop) -> None:
    """Remove a stop; its observations stay, without a stop."""
    with transaction.atomic():
        audit_record(project=stop.meeting.project, actor=user, action="meeting.stop_removed", target=stop,
                     summary=_("Removed the stop “%(stop)s”") % {"stop": stop.name})
        stop.delete()


def stop_move(*, user, stop: SiteWalkStop, direction: str) -> None:
    """Move a stop one place earlier ("up") or later ("down") in the route."""
    if direction not in {"up", "down"}:
        raise ValidationError(_("Choose to move the stop up or down."))
    with transaction.atomic():
        stops = list(SiteWalkStop.objects.select_for_update().filter(meeting_id=stop.meeting_id).order_by("order", "pk"))
        index = next(i for i, s in enumerate(stops) if s.pk == stop.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(stops):
            return
        stops[index], stops[other] = stops[other], stops[index]
        for position, item in enumerate(stops, start=1):
            item.order = position
        SiteWalkStop.objects.bulk_update(stops, ["order"])
        audit_record(project=stop.meeting.project, actor=user, action="meeting.stop_moved", target=stop,
                     summary=_("Moved the stop “%(stop)s” to place %(place)s") % {
                         "stop": stop.name, "place": other + 1})


# ------------------------------------------------------------------------------------------------
# Observations
# ------------------------------------------------------------------------------------------------

def observation_can_change(*, user, access: ProjectAccess, observation: Observation) -> bool:
    """Editors change any observation; a member the ones they wrote."""
    return access.can_edit or (access.can_contribute and observation.created_by_id == getattr(user, "pk", None))


def _observation_fill(observation: Observation, *, text: str, category: str, stop: SiteWalkStop | None,
                      lon: float | None, lat: float | None) -> None:
    if not text.strip():
        raise ValidationError({"text": OBSERVATION_TEXT_REQUIRED})
    if stop is not None and stop.meeting_id != observation.meeting_id:
        raise ValidationError({"stop": STOP_NOT_IN_MEETING})
    if (lon is None) != (lat is None):
        raise ValidationError({"lon": POINT_INCOMPLETE})
    observation.text, observation.category, observation.stop = text.strip(), category, stop
    observation.lon, observation.lat = lon, lat
    observation.full_clean(exclude=["meeting", "photo", "created_by"])


def _delete_file_after_commit(name: str) -> None:
    if name:
        storage = Observation._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(name))


def observation_create(*, user, meeting: Meeting, text: str, category: str, stop: SiteWalkStop | None = None,
                       lon: float | None = None, lat: float | None = None, photo=None) -> Observation:
    """Record what was seen at a site walk. The photo is checked and re-encoded without its
    metadata (uploads.photos) before anything is stored."""
    _require_site_walk(meeting)
    observation = Observation(meeting=meeting, created_by=user)
    _observation_fill(observation, text=text, category=category, stop=stop, lon=lon, lat=lat)
    cleaned = _photo(photo)
    with transaction.atomic():
        if cleaned is not None:
            observation.photo.save(cleaned.name, cleaned, save=False)
        observation.save()
        audit_record(project=meeting.project, actor=user, action="observation.created", target=observation,
                     summary=_("Added an observation to “%(title)s”") % {"title": meeting.title})
    return observation


def _photo(upload):
    if upload is None:
        return None
    try:
        return photo_clean(upload)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None


def observation_update(*, user, access: ProjectAccess, observation: Observation, text: str, category: str,
                       stop: SiteWalkStop | None = None, lon: float | None = None, lat: float | None = None,
                       photo=None, remove_photo: bool = False) -> Observation:
    if not observation_can_change(user=user, access=access, observation=observation):
        raise PermissionDenied
    _observation_fill(observation, text=text, category=category, stop=stop, lon=lon, lat=lat)
    cleaned = _photo(photo)
    old_photo = observation.photo.name
    with transaction.atomic():
        if cleaned is not None:
            observation.photo.save(cleaned.name, cleaned, save=False)
        elif remove_photo:
            observation.photo = ""
        observation.save()
        if old_photo and old_photo != observation.photo.name:
            _delete_file_after_commit(old_photo)
        audit_record(project=observation.meeting.project, actor=user, action="observation.updated",
                     target=observation, summary=_("Changed an observation at “%(title)s”") % {
                         "title": observation.meeting.title})
    return observation


def observation_delete(*, user, access: ProjectAccess, observation: Observation) -> None:
    if not observation_can_change(user=user, access=access, observation=observation):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(project=observation.meeting.project, actor=user, action="observation.deleted",
                     target=observation, summary=_("Deleted an observation at “%(title)s”") % {
                         "title": observation.meeting.title})
        _delete_file_after_commit(observation.photo.name)
        observation.delete()


def observation_keep_as_finding(*, user, observation: Observation, keep: bool) -> Observation:
    """Keep an observation as a finding for the current-state analysis (SPEC §6.4), or undo that.
    One that became an action stays an action."""
    if observation.finding_status == Observation.FindingStatus.ACTION:
        return observation
    status = Observation.FindingStatus.FINDING if keep else Observation.FindingStatus.NOTED
    if observation.finding_status == status:
        return observation
    with transaction.atomic():
        before = observation.finding_status
        observation.finding_status = status
        observation.save(update_fields=["finding_status"])
        audit_record(project=observation.meeting.project, actor=user, action="observation.finding",
                     target=observation, changes={"finding_status": (before, status)},
                     summary=(_("Kept an observation from “%(title)s” as a finding") if keep else
                              _("An observation from “%(title)s” is no longer a finding")) % {
                         "title": observation.meeting.title})
    return observation
