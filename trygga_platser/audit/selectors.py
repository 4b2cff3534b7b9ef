from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEntry


def audit_entries_for_project(*, project, limit: int = 100) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(project=project).select_related("actor")[:limit]
