"""Writes of safety inspections (SPEC §6.1): inspections, their points with factor scores and
photos, and an organisation's own aspect set and thresholds.

Points are numbered 1, 2, 3… within an inspection in the order they are recorded; a deleted point
leaves a gap rather than renumbering the others, because the numbers are already on photos,
printed protocols and action descriptions.
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from trygga_platser.audit.services import (
    audit_record,
    audit_record_for_organisation,
    changed_fields,
)
from trygga_platser.tenancy.models import Organisation, Project
from trygga_platser.uploads.photos import photo_clean

from ..models import (
    SCORE_MAX,
    SCORE_MIN,
    Aspect,
    Factor,
    FactorScore,
    Inspection,
    InspectionPoint,
    ScoreThresholds,
)
from ..selectors.inspections import active_factor_ids, thresholds_for

SCORE_OUT_OF_RANGE = _("A score must be a whole number from 0 to 20.")
FACTOR_NOT_IN_SET = _("The factor is not in your organisation's aspect list.")
POSITION_REQUIRED = _("Place the point on the map or enter its latitude and longitude.")
TITLE_REQUIRED = _("Give the inspection a title.")
NAME_REQUIRED = _("Name the place.")
THRESHOLDS_ORDER = _("Red must end below where green begins (0–20).")
SHIPPED_SET_READ_ONLY = _("The standard aspect list cannot be changed. Make your organisation's own copy first.")
ALREADY_CUSTOMISED = _("Your organisation already has its own aspect list.")

INSPECTION_FIELDS = ("title", "date", "time_of_day", "purpose", "inspectors", "notes")
POINT_FIELDS = ("name", "lat", "lon", "note", "finding")


def _delete_file_after_commit(field_file) -> None:
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _photo(upload):
    if upload is None:
        return None
    try:
        return photo_clean(upload)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None


# --- inspections -------------------------------------------------------------------------------

def _inspection_fill(inspection: Inspection, data: dict[str, Any]) -> None:
    for name in INSPECTION_FIELDS:
        if name in data:
            value = data[name]
            setattr(inspection, name, value.strip() if isinstance(value, str) else value)
    if not inspection.title:
        raise ValidationError({"title": TITLE_REQUIRED})
    inspection.full_clean(exclude=["project", "created_by"])


def inspection_create(*, user, project: Project, data: dict[str, Any]) -> Inspection:
    inspection = Inspection(project=project, created_by=user)
    _inspection_fill(inspection, data)
    with transaction.atomic():
        inspection.save()
        audit_record(project=project, actor=user, action="inspection.created", target=inspection,
                     summary=_("Created the safety inspection “%(title)s”") % {"title": inspection.title})
    return inspection


def inspection_update(*, user, inspection: Inspection, data: dict[str, Any]) -> Inspection:
    changes = changed_fields(inspection, {k: v for k, v in data.items() if k in INSPECTION_FIELDS})
    _inspection_fill(inspection, data)
    with transaction.atomic():
        inspection.save()
        audit_record(project=inspection.project, actor=user, action="inspection.updated", target=inspection,
                     changes=changes,
                     summary=_("Changed the safety inspection “%(title)s”") % {"title": inspection.title})
    return inspection


def inspection_delete(*, user, inspection: Inspection) -> None:
    with transaction.atomic():
        for point in inspection.points.exclude(photo=""):
            _delete_file_after_commit(point.photo)
        audit_record(project=inspection.project, actor=user, action="inspection.deleted", target=inspection,
                     summary=_("Deleted the safety inspection “%(title)s”") % {"title": inspection.title})
        inspection.delete()


# --- points ------------------------------------------------------------------------------------

def _scores_clean(scores: dict[Any, Any], *, allowed: set[int]) -> dict[int, int | None]:
    cleaned: dict[int, int | None] = {}
    errors = []
    for raw_id, raw_value in scores.items():
        try:
            factor_id = int(raw_id)
        except (TypeError, ValueError):
            errors.append(FACTOR_NOT_IN_SET)
            continue
        if factor_id not in allowed:
            errors.append(FACTOR_NOT_IN_SET)
            continue
        if raw_value is None or raw_value == "":
            cleaned[factor_id] = None
            continue
        try:
            value = int(raw_value)
        except (TypeError, ValueError):
            errors.append(SCORE_OUT_OF_RANGE)
            continue
        if isinstance(raw_value, float) and raw_value != value or not SCORE_MIN <= value <= SCORE_MAX:
            errors.append(SCORE_OUT_OF_RANGE)
            continue
        cleaned[factor_id] = value
    if errors:
        raise ValidationError({"scores": sorted({str(e) for e in errors})})
    return cleaned


def _point_fill(point: InspectionPoint, data: dict[str, Any]) -> None:
    for name in POINT_FIELDS:
        if name in data:
            value = data[name]
            setattr(point, name, value.strip() if isinstance(value, str) else value)
    errors: dict[str, Any] = {}
    if not point.name:
        errors["name"] = NAME_REQUIRED
    if point.lat is None or point.lon is None:
        errors["lat"] = POSITION_REQUIRED
    if errors:
        raise ValidationError(errors)
    point.full_clean(exclude=["inspection", "number", "photo"])


def inspection_point_save(*, inspection: Inspection, user, data: dict[str, Any],
                          scores: dict[int, int | None], photo=None, point: InspectionPoint | None = None,
                          remove_photo: bool = False) -> InspectionPoint:
    """Create (point=None) or update a point with its factor scores.

    `scores` maps factor id → 0–20, or None to clear that score. Factors must belong to the
    organisation's active set; a point may keep a score on a factor retired since it was scored.
    The photo is decoded, re-encoded and stripped of metadata before anything is stored.
    """
    creating = point is None
    point = point if point is not None else InspectionPoint(inspection=inspection)
    _point_fill(point, data)
    allowed = active_factor_ids(organisation=inspection.project.municipality)
    if not creating:
        allowed |= set(point.scores.values_list("factor_id", flat=True))
    cleaned_scores = _scores_clean(scores, allowed=allowed)
    cleaned_photo = _photo(photo)
    with transaction.atomic():
        if creating:
            # Lock the inspection so two phones on site never take the same number.
            Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
            top = inspection.points.aggregate(top=Max("number"))["top"] or 0
            point.number = top + 1
        old_photo = point.photo.name if not creating else ""
        if cleaned_photo is not None:
            point.photo.save(cleaned_photo.name, cleaned_photo, save=False)
        elif remove_photo:
            point.photo = ""
        point.save()
        if old_photo and old_photo != point.photo.name:
            storage = point.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo))
        clear = [fid for fid, value in cleaned_scores.items() if value is None]
        if clear:
            FactorScore.objects.filter(point=point, factor_id__in=clear).delete()
        existing = {s.factor_id: s for s in point.scores.all()} if not creating else {}
        to_create, to_update = [], []
        for factor_id, value in cleaned_scores.items():
            if value is None:
                continue
            if factor_id in existing:
                if existing[factor_id].score != value:
                    existing[factor_id].score = value
                    to_update.append(existing[factor_id])
            else:
                to_create.append(FactorScore(point=point, factor_id=factor_id, score=value))
        FactorScore.objects.bulk_create(to_create)
        FactorScore.objects.bulk_update(to_update, ["score"])
        audit_record(project=inspection.project, actor=user,
                     action="inspection.point_added" if creating else "inspection.point_updated", target=point,
                     summary=(_("Added point %(number)s “%(name)s” to “%(title)s”") if creating else
                              _("Changed point %(number)s “%(name)s” of “%(title)s”")) % {
                         "number": point.number, "name": point.name, "title": inspection.title})
    return point


def inspection_point_delete(*, user, point: InspectionPoint) -> None:
    inspection = point.inspection
    with transaction.atomic():
        _delete_file_after_commit(point.photo)
        audit_record(project=inspection.project, actor=user, action="inspection.point_deleted", target=point,
                     summary=_("Deleted point %(number)s “%(name)s” of “%(title)s”") % {
                         "number": point.number, "name": point.name, "title": inspection.title})
        point.delete()


# --- an organisation's aspect set and thresholds ----------------------------------------------
# Organisation settings, but they decide how every project's inspections are scored and coloured:
# each change is written to the log of each of the organisation's projects.

def _log(organisation, user, action: str, summary: str, target=None, changes=None) -> None:
    audit_record_for_organisation(organisation=organisation, actor=user, action=f"inspection_settings.{action}",
                                  summary=summary, target=target, changes=changes)


def _own(obj_organisation_id: int | None) -> None:
    if obj_organisation_id is None:
        raise ValidationError(SHIPPED_SET_READ_ONLY)


def aspects_customise(*, organisation: Organisation, user) -> list[Aspect]:
    """Copy the shipped aspects and factors (active ones, keys kept) to the organisation."""
    with transaction.atomic():
        if Aspect.objects.select_for_update().filter(organisation=organisation).exists():
            raise ValidationError(ALREADY_CUSTOMISED)
        copies = []
        for shipped in Aspect.objects.filter(organisation__isnull=True, active=True).prefetch_related("factors"):
            aspect = Aspect.objects.create(
                organisation=organisation, key=shipped.key, name=shipped.name, name_en=shipped.name_en,
                description=shipped.description, description_en=shipped.description_en, position=shipped.position)
            Factor.objects.bulk_create([
                Factor(aspect=aspect, name=f.name, name_en=f.name_en, guidance=f.guidance, guidance_en=f.guidance_en,
                       position=f.position)
                for f in shipped.factors.all() if f.active
            ])
            copies.append(aspect)
        _log(organisation, user, "customised",
             _("Made the organisation's own copy of the aspect list for safety inspections"))
    return copies


ASPECT_FIELDS = ("name", "name_en", "description", "description_en", "position")
FACTOR_FIELDS = ("name", "name_en", "guidance", "guidance_en", "position")


def _fill(obj, data: dict[str, Any], fields: tuple[str, ...], exclude: list[str]) -> None:
    for name in fields:
        if name in data and data[name] is not None:
            value = data[name]
            setattr(obj, name, value.strip() if isinstance(value, str) else value)
    if not obj.name:
        raise ValidationError({"name": NAME_REQUIRED})
    obj.full_clean(exclude=exclude)


def aspect_update(*, aspect: Aspect, user, data: dict[str, Any]) -> Aspect:
    _own(aspect.organisation_id)
    changes = changed_fields(aspect, {k: v for k, v in data.items() if k in ASPECT_FIELDS and v is not None})
    _fill(aspect, data, ASPECT_FIELDS, ["organisation", "key"])
    with transaction.atomic():
        aspect.save()
        if changes:
            _log(aspect.organisation, user, "aspect_updated",
                 _("Changed the inspection aspect “%(name)s”") % {"name": aspect.name}, aspect, changes)
    return aspect


def aspect_add(*, organisation: Organisation, user, data: dict[str, Any]) -> Aspect:
    """A new aspect of the organisation's own set (copy the shipped set first if it has none)."""
    if not Aspect.objects.filter(organisation=organisation).exists():
        aspects_customise(organisation=organisation, user=user)
    aspect = Aspect(organisation=organisation)
    _fill(aspect, data, ASPECT_FIELDS, ["organisation", "key"])
    base = slugify(aspect.name)[:50] or "aspekt"
    taken = set(Aspect.objects.filter(organisation=organisation).values_list("key", flat=True))
    taken |= set(Aspect.objects.filter(organisation__isnull=True).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    aspect.key = key
    if "position" not in data:
        aspect.position = (Aspect.objects.filter(organisation=organisation).aggregate(p=Max("position"))["p"] or 0) + 1
    with transaction.atomic():
        aspect.save()
        _log(organisation, user, "aspect_added",
             _("Added the inspection aspect “%(name)s”") % {"name": aspect.name}, aspect)
    return aspect


def aspect_retire(*, aspect: Aspect, user) -> bool:
    """Take an aspect out of use; deleted if none of its factors was ever scored. True if deleted."""
    _own(aspect.organisation_id)
    with transaction.atomic():
        _log(aspect.organisation, user, "aspect_retired",
             _("Took the inspection aspect “%(name)s” out of use") % {"name": aspect.name}, aspect)
        if FactorScore.objects.filter(factor__aspect=aspect).exists():
            aspect.active = False
            aspect.save(update_fields=["active"])
            return False
        aspect.delete()
        return True


def aspect_restore(*, aspect: Aspect, user) -> Aspect:
    _own(aspect.organisation_id)
    aspect.active = True
    with transaction.atomic():
        aspect.save(update_fields=["active"])
        _log(aspect.organisation, user, "aspect_restored",
             _("Took the inspection aspect “%(name)s” into use again") % {"name": aspect.name}, aspect)
    return aspect


def factor_update(*, factor: Factor, user, data: dict[str, Any]) -> Factor:
    _own(factor.aspect.organisation_id)
    changes = changed_fields(factor, {k: v for k, v in data.items() if k in FACTOR_FIELDS and v is not None})
    _fill(factor, data, FACTOR_FIELDS, ["aspect"])
    with transaction.atomic():
        factor.save()
        if changes:
            _log(factor.aspect.organisation, user, "factor_updated",
                 _("Changed the factor “%(name)s” of the inspection aspect “%(aspect)s”")
                 % {"name": factor.name, "aspect": factor.aspect.name}, factor, changes)
    return factor


def factor_add(*, aspect: Aspect, user, data: dict[str, Any]) -> Factor:
    _own(aspect.organisation_id)
    factor = Factor(aspect=aspect)
    _fill(factor, data, FACTOR_FIELDS, ["aspect"])
    if "position" not in data:
        factor.position = (aspect.factors.aggregate(p=Max("position"))["p"] or 0) + 1
    with transaction.atomic():
        factor.save()
        _log(aspect.organisation, user, "factor_added",
             _("Added the factor “%(name)s” to the inspection aspect “%(aspect)s”")
             % {"name": factor.name, "aspect": aspect.name}, factor)
    return factor


def factor_retire(*, factor: Factor, user) -> bool:
    """Take a factor out of use: `active=False` once scored (old inspections keep their scores),
    deleted otherwise. True if deleted."""
    _own(factor.aspect.organisation_id)
    with transaction.atomic():
        _log(factor.aspect.organisation, user, "factor_retired",
             _("Took the factor “%(name)s” of the inspection aspect “%(aspect)s” out of use")
             % {"name": factor.name, "aspect": factor.aspect.name}, factor)
        if factor.scores.exists():
            factor.active = False
            factor.save(update_fields=["active"])
            return False
        factor.delete()
        return True


def factor_restore(*, factor: Factor, user) -> Factor:
    _own(factor.aspect.organisation_id)
    factor.active = True
    with transaction.atomic():
        factor.save(update_fields=["active"])
        _log(factor.aspect.organisation, user, "factor_restored",
             _("Took the factor “%(name)s” of the inspection aspect “%(aspect)s” into use again")
             % {"name": factor.name, "aspect": factor.aspect.name}, factor)
    return factor


def thresholds_update(*, organisation: Organisation, user, red_below: int, green_from: int) -> ScoreThresholds:
    """The organisation's own thresholds (1 ≤ red_below < green_from ≤ 20)."""
    try:
        red_below, green_from = int(red_below), int(green_from)
    except (TypeError, ValueError):
        raise ValidationError({"red_below": THRESHOLDS_ORDER}) from None
    if not (1 <= red_below < green_from <= SCORE_MAX):
        raise ValidationError({"green_from": THRESHOLDS_ORDER})
    with transaction.atomic():
        before = thresholds_for(organisation=organisation)
        changes = changed_fields(before, {"red_below": red_below, "green_from": green_from})
        thresholds, _created = ScoreThresholds.objects.update_or_create(
            organisation=organisation, defaults={"red_below": red_below, "green_from": green_from})
        if changes:
            _log(organisation, user, "thresholds_changed",
                 _("Changed the colour thresholds of safety inspections: red below %(red)s, green from %(green)s")
                 % {"red": red_below, "green": green_from}, changes=changes)
    return thresholds


def thresholds_reset(*, organisation: Organisation, user) -> None:
    with transaction.atomic():
        deleted, _detail = ScoreThresholds.objects.filter(organisation=organisation).delete()
        if deleted:
            standard = thresholds_for(organisation=None)
            _log(organisation, user, "thresholds_reset",
                 _("Returned to the standard colour thresholds of safety inspections: red below %(red)s, green "
                   "from %(green)s") % {"red": standard.red_below, "green": standard.green_from})
