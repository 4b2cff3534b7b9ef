"""Writes of the current-state analysis (SPEC §6.4): the coordinator's summary and conclusions."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from trygga_platser.audit.services import audit_record, changed_fields
from trygga_platser.tenancy.models import Project

from ..models import CurrentStateAnalysis

TEXT_MAX = 20_000  # characters per field: several pages in the report, not a book


def current_state_save(*, user, project: Project, summary: str, conclusions: str) -> CurrentStateAnalysis:
    """Create or update the project's one analysis; the change is logged with what changed."""
    values = {"summary": summary.strip(), "conclusions": conclusions.strip()}
    with transaction.atomic():
        analysis, created = CurrentStateAnalysis.objects.select_for_update().get_or_create(
            project=project, defaults={**values, "updated_by": user})
        changes = {field: ("", value) for field, value in values.items() if value} if created else (
            changed_fields(analysis, values))
        if not created:
            if not changes:
                return analysis
            for field, value in values.items():
                setattr(analysis, field, value)
            analysis.updated_by = user
            analysis.save()
        audit_record(project=project, actor=user, action="current_state.updated", target=analysis,
                     summary=_("Updated the summary and conclusions of the current-state analysis."),
                     changes=changes)
    return analysis
