"""Meeting and site-walk pages (SPEC §3.6), split by sub-domain (ARCHITECTURE.md: a module past ~400
lines becomes a package). Thin: parse a form, resolve access, call one service or selector, render.
Every form works as a plain POST and redirect; htmx only enhances attendance.

- `base`: what every page here shares: resolving the meeting and its children through
  `tenancy.access`, putting a service's errors on a form, redirecting back to the meeting.
- `meetings`: the list, planning and editing, minutes, status, calendar file and invitations.
- `participants`: adding members and guests, removing them, recording attendance.
- `site_walks`: a site walk's route of stops and its observations, with their photos.

Every view is re-exported here, so projects/urls/meetings.py keeps `views.<name>`.
"""
from .meetings import (
    meeting_detail,
    meeting_edit,
    meeting_ics,
    meeting_invite,
    meeting_list,
    meeting_minutes,
    meeting_new,
    meeting_status,
)
from .participants import meeting_participants_view, participant_attendance, participant_remove
from .site_walks import (
    observation_delete,
    observation_edit,
    observation_finding,
    observation_new,
    observation_photo,
    stop_edit,
    stop_move,
    stop_new,
    stop_remove,
)

__all__ = [
    "meeting_detail", "meeting_edit", "meeting_ics", "meeting_invite", "meeting_list", "meeting_minutes",
    "meeting_new", "meeting_participants_view", "meeting_status", "observation_delete", "observation_edit",
    "observation_finding", "observation_new", "observation_photo", "participant_attendance",
    "participant_remove", "stop_edit", "stop_move", "stop_new", "stop_remove",
]
