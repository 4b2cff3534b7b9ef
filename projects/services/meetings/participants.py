"""Writes of a meeting's participants (SPEC §3.6): project members and guests, their attendance, and
the warning when a site walk grows past Boverket's recommended size."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygga_platser.audit.services import audit_record
from trygga_platser.tenancy.models import ProjectMembership

from ...models import Meeting, MeetingParticipant

PARTICIPANT_ALREADY = gettext_lazy("%(name)s is already a participant.")
PARTICIPANT_NOT_MEMBER = gettext_lazy("Only members of this project can be added as members.")
GUEST_NAME_REQUIRED = gettext_lazy("Give the guest's name.")
# Boverket's practice for safety walks: small groups, at most about 20 people (SPEC §3.6).
SITE_WALK_MAX_PARTICIPANTS = 20
SITE_WALK_CROWDED = gettext_lazy(
    "This site walk has %(count)s participants. Boverket recommends at most about %(max)s people per walk, "
    "so that everyone can see, hear and take part; consider splitting it into two walks."
)


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
