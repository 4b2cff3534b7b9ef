"""Writes of crime statistics (SPEC §6.3): import a CSV file all-or-nothing, clear them."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygga_platser.audit.services import audit_record
from trygga_platser.tenancy.models import Project

from ..csv_crime import FILE_HAS_ERRORS, CrimePreview, crime_csv_preview
from ..models import CrimeStatistic


def crime_statistics_import(*, user, project: Project, data: bytes) -> CrimePreview:
    """Store every row of the file or none. A row with the year, category and area of a stored
    figure replaces its count. Raises ValidationError (nothing stored) when any row is wrong."""
    with transaction.atomic():
        # Read the bytes again inside the transaction: the stored figures may have changed since
        # the preview, and the preview's answer must be the one applied.
        preview = crime_csv_preview(project=project, data=data)
        if preview.has_errors:
            raise ValidationError(str(FILE_HAS_ERRORS))
        new = [CrimeStatistic(project=project, year=row.year, category=row.category, area=row.area, count=row.count)
               for row in preview.rows if row.is_new]
        replaced = []
        for row in preview.rows:
            if row.existing is not None and not row.is_unchanged:
                row.existing.count, row.existing.category, row.existing.area = row.count, row.category, row.area
                replaced.append(row.existing)
        CrimeStatistic.objects.bulk_create(new)
        # bulk_update skips auto_now: save the import time explicitly.
        if replaced:
            now = timezone.now()
            for statistic in replaced:
                statistic.imported_at = now
            CrimeStatistic.objects.bulk_update(replaced, ["count", "category", "area", "imported_at"])
        audit_record(
            project=project, actor=user, action="crime.imported",
            summary=_("Imported crime statistics. New figures: %(new)s. Replaced: %(replaced)s. Unchanged: "
                      "%(unchanged)s.") % {"new": len(new), "replaced": len(replaced),
                                       "unchanged": preview.unchanged_count},
        )
    return preview


def crime_statistics_clear(*, user, project: Project) -> int:
    """Remove every crime figure of the project; returns how many there were."""
    with transaction.atomic():
        deleted, _detail = CrimeStatistic.objects.filter(project=project).delete()
        audit_record(project=project, actor=user, action="crime.cleared",
                     summary=_("Removed all crime statistics (figures: %(count)s).") % {"count": deleted})
    return deleted
