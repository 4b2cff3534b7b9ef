"""Writes of site walks (SPEC §3.6): the route of stops, and the observations made along it, with
their photos and whether they are kept as findings for the current-state analysis."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygga_platser.audit.services import audit_record, changed_fields
from trygga_platser.tenancy.access import ProjectAccess
from trygga_platser.uploads.photos import photo_clean

from ...models import Meeting, Observation, SiteWalkStop

NOT_A_SITE_WALK = gettext_lazy("Only a site walk has stops and observations.")
STOP_NAME_REQUIRED = gettext_lazy("Give the stop a name.")
STOP_NOT_IN_MEETING = gettext_lazy("Choose one of this site walk's stops.")
POINT_INCOMPLETE = gettext_lazy("Give both longitude and latitude, or leave both empty.")
OBSERVATION_TEXT_REQUIRED = gettext_lazy("Describe what you saw.")


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
