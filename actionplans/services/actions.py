"""Writes of the action plan: one service, one transaction, an audit entry (ARCHITECTURE.md)."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Observation
from trygga_platser.audit.services import audit_record, changed_fields
from trygga_platser.tenancy.models import Project, ProjectMembership
from trygga_platser.uploads.photos import photo_clean

from ..models import Action, ActionFinding, ActionUpdate
from ..selectors.actions import action_can_update

RESPONSIBLE_NOT_MEMBER = gettext_lazy("The responsible person must be a member of the project.")
DUE_BEFORE_START = gettext_lazy("The due date must be on or after the start.")
TITLE_REQUIRED = gettext_lazy("Give the action a title.")
NOTE_REQUIRED = gettext_lazy("Describe what has happened.")

EDITABLE = ("title", "description", "category", "lon", "lat", "responsible_organisation", "responsible", "impact",
            "effort", "horizon", "goal", "start_date", "due_date", "status", "cost_estimate", "funding", "joint_case")


def _validate(project: Project, fields: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    if "title" in fields and not (fields["title"] or "").strip():
        errors["title"] = TITLE_REQUIRED
    responsible = fields.get("responsible")
    if responsible is not None and not ProjectMembership.objects.filter(project=project, user=responsible).exists():
        errors["responsible"] = RESPONSIBLE_NOT_MEMBER
    start, due = fields.get("start_date"), fields.get("due_date")
    if start and due and due < start:
        errors["due_date"] = DUE_BEFORE_START
    for key in ("goal", "joint_case"):
        obj = fields.get(key)
        if obj is not None and obj.project_id != project.pk:
            errors[key] = _("Choose one of this project's own.")
    if errors:
        raise ValidationError(errors)


def action_create(*, user, project: Project, findings: Iterable[tuple[str, str, str]] = (),
                  other_actors: Iterable = (), **fields: Any) -> Action:
    """Create an action numbered within the project; `findings` are (kind, ref, label) links."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not an action field: {', '.join(sorted(unknown))}")
    _validate(project, fields)
    with transaction.atomic():
        # Lock the project row so two coordinators adding actions at once get distinct numbers.
        Project.objects.select_for_update().filter(pk=project.pk).first()
        number = (Action.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
        action = Action(project=project, number=number, created_by=user, **fields)
        if not action.is_open:
            action.closed_at = timezone.now()
        action.full_clean(exclude=["project", "other_actors"])
        action.save()
        action.other_actors.set([a for a in other_actors if a.project_id == project.pk])
        for kind, ref, label in findings:
            ActionFinding.objects.get_or_create(action=action, kind=kind, ref=str(ref), defaults={"label": label[:300]})
            if kind == ActionFinding.Kind.OBSERVATION:
                # The observation now says it became this action (SPEC §3.6).
                Observation.objects.filter(pk=ref, meeting__project=project).update(
                    finding_status=Observation.FindingStatus.ACTION, action_ref=action.code)
        audit_record(project=project, actor=user, action="action.created", target=action,
                     summary=_("Created the action %(code)s “%(title)s”") % {"code": action.code, "title": action.title})
    return action


def action_update(*, user, project: Project, action: Action, other_actors: Iterable | None = None,
                  **fields: Any) -> Action:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not an action field: {', '.join(sorted(unknown))}")
    _validate(project, fields)
    with transaction.atomic():
        diff = changed_fields(action, fields)
        for key, value in fields.items():
            setattr(action, key, value)
        if "status" in diff:
            action.closed_at = None if action.is_open else timezone.now()
        action.full_clean(exclude=["project", "other_actors"])
        action.save()
        if other_actors is not None:
            action.other_actors.set([a for a in other_actors if a.project_id == project.pk])
        if diff:
            audit_record(project=project, actor=user, action="action.updated", target=action,
                         changes={k: v for k, v in diff.items() if k not in ("description",)},
                         summary=_("Changed %(code)s: %(fields)s") % {"code": action.code, "fields": ", ".join(
                             str(Action._meta.get_field(f).verbose_name) for f in diff)})
    return action


def action_progress(*, user, access, action: Action, note: str, status: str = "", photo=None,
                    on: date | None = None) -> ActionUpdate:
    """A progress update by someone allowed to update the action, optionally changing its status."""
    if not action_can_update(user=user, access=access, action=action):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": NOTE_REQUIRED})
    if status and status not in Action.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    cleaned_photo = photo_clean(photo) if photo else None
    with transaction.atomic():
        before = action.status
        update = ActionUpdate(action=action, note=note, author=user, date=on or timezone.localdate(),
                              status_before=before, status_after=status or before)
        if cleaned_photo is not None:
            update.photo.save(cleaned_photo.name, cleaned_photo, save=False)
        update.save()
        if status and status != before:
            action.status = status
            action.closed_at = None if action.is_open else timezone.now()
            action.save(update_fields=["status", "closed_at", "updated_at"])
        summary = _("Progress on %(code)s: %(note)s") % {"code": action.code, "note": note[:120]}
        audit_record(project=action.project, actor=user, action="action.progress", target=action, summary=summary,
                     changes={"status": (before, action.status)} if status and status != before else None)
    return update


def action_delete(*, user, project: Project, action: Action) -> None:
    with transaction.atomic():
        audit_record(project=project, actor=user, action="action.deleted", target=action,
                     summary=_("Deleted the action %(code)s “%(title)s”") % {"code": action.code, "title": action.title})
        Observation.objects.filter(meeting__project=project, action_ref=action.code).update(
            finding_status=Observation.FindingStatus.FINDING, action_ref="")
        action.delete()
