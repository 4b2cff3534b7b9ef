"""Writes of meetings and site walks (SPEC §3.6, §10), split by sub-domain (ARCHITECTURE.md: a module
past ~400 lines becomes a package).

Every function takes objects already resolved through `tenancy.access` (the views do that) and does
one thing in one transaction: validate, save, audit, and queue e-mail in the outbox. The outbox row
is written in the same transaction (so a rolled-back change sends nothing) and sent after commit;
its unique key makes every message at-most-once, so a retried request or a twice-run reminder task
sends nothing twice (trygga_platser.notifications).

- `meetings`: plan a meeting, change it, set its status, write its minutes.
- `participants`: members and guests, attendance, the site-walk crowding warning.
- `notifications`: invitations, updates, cancellations and reminders by e-mail (SPEC §10).
- `site_walks`: a site walk's route of stops and its observations.

Every public name is re-exported here, so callers keep `from projects.services import meetings as
services` and `services.meeting_create(...)`.
"""
from .meetings import (
    MEETING_ENDS_BEFORE_START,
    MEETING_NOT_STARTED,
    MEETING_TITLE_REQUIRED,
    TIME_FIELDS,
    meeting_create,
    meeting_minutes_update,
    meeting_set_status,
    meeting_update,
)
from .notifications import (
    MEETING_NOT_PLANNED,
    REMINDER_WINDOW,
    SendResult,
    meeting_invitations_send,
    meeting_organizer,
    meeting_reminders_send,
)
from .participants import (
    GUEST_NAME_REQUIRED,
    PARTICIPANT_ALREADY,
    PARTICIPANT_NOT_MEMBER,
    SITE_WALK_CROWDED,
    SITE_WALK_MAX_PARTICIPANTS,
    participant_add_guest,
    participant_add_members,
    participant_remove,
    participant_set_attendance,
    site_walk_crowding,
)
from .site_walks import (
    NOT_A_SITE_WALK,
    OBSERVATION_TEXT_REQUIRED,
    POINT_INCOMPLETE,
    STOP_NAME_REQUIRED,
    STOP_NOT_IN_MEETING,
    observation_can_change,
    observation_create,
    observation_delete,
    observation_keep_as_finding,
    observation_update,
    stop_create,
    stop_move,
    stop_remove,
    stop_update,
)

__all__ = [
    "GUEST_NAME_REQUIRED", "MEETING_ENDS_BEFORE_START", "MEETING_NOT_PLANNED", "MEETING_NOT_STARTED",
    "MEETING_TITLE_REQUIRED", "NOT_A_SITE_WALK", "OBSERVATION_TEXT_REQUIRED", "PARTICIPANT_ALREADY",
    "PARTICIPANT_NOT_MEMBER", "POINT_INCOMPLETE", "REMINDER_WINDOW", "SITE_WALK_CROWDED",
    "SITE_WALK_MAX_PARTICIPANTS", "STOP_NAME_REQUIRED", "STOP_NOT_IN_MEETING", "TIME_FIELDS", "SendResult",
    "meeting_create", "meeting_invitations_send", "meeting_minutes_update", "meeting_organizer",
    "meeting_reminders_send", "meeting_set_status", "meeting_update", "observation_can_change",
    "observation_create", "observation_delete", "observation_keep_as_finding", "observation_update",
    "participant_add_guest", "participant_add_members", "participant_remove", "participant_set_attendance",
    "site_walk_crowding", "stop_create", "stop_move", "stop_remove", "stop_update",
]
