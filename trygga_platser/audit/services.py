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


def audit_record(
    *,
    project,
    actor,
    action: str,
    summary: str,
    target: models.Model | None = None,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        project=project,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        changes={k: [_plain(old), _plain(new)] for k, (old, new) in (changes or {}).items()},
    )


def changed_fields(instance: models.Model, new_values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value differs, as {field: (old, new)}, before they are applied."""
    return {
        field: (getattr(instance, field), value)
        for field, value in new_values.items()
        if getattr(instance, field) != value
    }
