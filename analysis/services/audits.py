"""Writes of point audits (SPEC §6.2): a member records what a place feels like, on a phone.

Who may change an audit: its author (Perm.CONTRIBUTE) and the project's editors and coordinators.
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from trygga_platser.audit.services import audit_record
from trygga_platser.tenancy.access import ProjectAccess
from trygga_platser.tenancy.models import Project
from trygga_platser.uploads.photos import photo_clean

from ..models import AUDIT_MAX, AUDIT_MIN, PointAudit

AUDIT_VALUE_OUT_OF_RANGE = _("Choose a value from 0 to 3.")
AUDIT_POSITION_REQUIRED = _("Place the point on the map or enter its latitude and longitude.")

AUDIT_FIELDS = PointAudit.PARAMETERS + ("feeling", "date", "time_of_day", "lat", "lon", "note")
RATED_FIELDS = PointAudit.PARAMETERS + ("feeling",)


def audit_can_change(*, user, access: ProjectAccess, audit: PointAudit) -> bool:
    """Editors change any audit; a member the ones they recorded."""
    return access.can_edit or (access.can_contribute and audit.author_id == getattr(user, "pk", None))


def audit_can_see_all(*, access: ProjectAccess) -> bool:
    """Coordinators and editors see every audit in the list; a member sees their own in full."""
    return access.can_edit


def _fill(audit: PointAudit, data: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    for name in AUDIT_FIELDS:
        if name in data:
            value = data[name]
            setattr(audit, name, value.strip() if isinstance(value, str) else value)
    for name in RATED_FIELDS:
        value = getattr(audit, name)
        if value is None or not isinstance(value, int) or not AUDIT_MIN <= value <= AUDIT_MAX:
            errors[name] = AUDIT_VALUE_OUT_OF_RANGE
    if audit.lat is None or audit.lon is None:
        errors["lat"] = AUDIT_POSITION_REQUIRED
    if errors:
        raise ValidationError(errors)
    audit.full_clean(exclude=["project", "author", "photo"])


def _photo(upload):
    if upload is None:
        return None
    try:
        return photo_clean(upload)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None


def point_audit_create(*, user, project: Project, data: dict[str, Any], photo=None) -> PointAudit:
    audit = PointAudit(project=project, author=user)
    _fill(audit, data)
    cleaned = _photo(photo)
    with transaction.atomic():
        if cleaned is not None:
            audit.photo.save(cleaned.name, cleaned, save=False)
        audit.save()
        audit_record(project=project, actor=user, action="point_audit.created", target=audit,
                     summary=_("Recorded a point audit"))
    return audit


def point_audit_update(*, user, access: ProjectAccess, audit: PointAudit, data: dict[str, Any], photo=None,
                       remove_photo: bool = False) -> PointAudit:
    if not audit_can_change(user=user, access=access, audit=audit):
        raise PermissionDenied
    _fill(audit, data)
    cleaned = _photo(photo)
    old_photo, storage = audit.photo.name, audit.photo.storage
    with transaction.atomic():
        if cleaned is not None:
            audit.photo.save(cleaned.name, cleaned, save=False)
        elif remove_photo:
            audit.photo = ""
        audit.save()
        if old_photo and old_photo != audit.photo.name:
            transaction.on_commit(lambda: storage.delete(old_photo))
        audit_record(project=audit.project, actor=user, action="point_audit.updated", target=audit,
                     summary=_("Changed a point audit"))
    return audit


def point_audit_delete(*, user, access: ProjectAccess, audit: PointAudit) -> None:
    if not audit_can_change(user=user, access=access, audit=audit):
        raise PermissionDenied
    name, storage = audit.photo.name, audit.photo.storage
    with transaction.atomic():
        if name:
            transaction.on_commit(lambda: storage.delete(name))
        audit_record(project=audit.project, actor=user, action="point_audit.deleted", target=audit,
                     summary=_("Deleted a point audit"))
        audit.delete()
