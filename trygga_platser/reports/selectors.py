from __future__ import annotations

from django.db.models import QuerySet

from trygga_platser.tenancy.access import ProjectAccess
from trygga_platser.tenancy.models import Project

from .models import Report
from .registry import ReportKind, kind_get, kinds_all


def report_kinds_for(*, access: ProjectAccess) -> list[ReportKind]:
    return [kind for kind in kinds_all() if access.allows(kind.perm)]


def reports_for_project(*, project: Project, access: ProjectAccess, limit: int = 50) -> QuerySet[Report]:
    allowed = [kind.key for kind in report_kinds_for(access=access)]
    return Report.objects.filter(project=project, kind__in=allowed).select_related("author")[:limit]


def report_title(*, report: Report) -> str:
    kind = kind_get(report.kind)
    return str(kind.title) if kind else report.kind
