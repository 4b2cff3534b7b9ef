"""Record an audit entry inside the caller's transaction (ARCHITECTURE.md, habit 2)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from .models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def _entry(*, project, actor, action: str, summary: str, target: models.Model | None,
           changes: dict[str, tuple[Any, Any]] | None) -> AuditEntry:
    return AuditEntry(
        project=project,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        changes={k: [_plain(old), _plain(new)] for k, (old, new) in (changes or {}).items()},
    )


def audit_record(
    *,
    project,
    actor,
    action: str,
    summary: str,
    target: models.Model | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> AuditEntry:
    entry = _entry(project=project, actor=actor, action=action, summary=summary, target=target, changes=changes)
    entry.save(force_insert=True)
    return entry


def audit_record_for_organisation(
    *,
    organisation,
    actor,
    action: str,
    summary: str,
    target: models.Model | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> int:
    """Record a change to an organisation's settings in the log of each of its projects (the log is
    per project): a changed aspect list or colour threshold changes how every project's inspections
    are scored and coloured, so each project's history must show it. Returns how many entries."""
    from trygga_platser.tenancy.models import Project

    entries = [_entry(project=project, actor=actor, action=action, summary=summary, target=target, changes=changes)
               for project in Project.objects.filter(municipality=organisation).only("pk")]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)


def changed_fields(instance: models.Model, new_values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value differs, as {field: (old, new)}, before they are applied."""
    return {
        field: (getattr(instance, field), value)
        for field, value in new_values.items()
        if getattr(instance, field) != value
    }
