from __future__ import annotations

from collections import OrderedDict

from django.db.models import QuerySet

from trygga_platser.tenancy.access import ProjectAccess, projects_with_access
from trygga_platser.tenancy.models import Organisation, Programme, Project, ProjectMembership


def projects_grouped_by_organisation(*, user) -> "OrderedDict[Organisation, list[tuple[Project, ProjectAccess]]]":
    """The start page: every visible project under its municipality, in a fixed number of queries."""
    from .workflow import variant_titles

    titles = variant_titles()
    groups: OrderedDict[Organisation, list[tuple[Project, ProjectAccess]]] = OrderedDict()
    for project, access in projects_with_access(user=user):
        project.variant_title = titles.get(project.variant, project.variant)  # type: ignore[attr-defined]
        groups.setdefault(project.municipality, []).append((project, access))
    return groups


def project_members(*, project: Project) -> QuerySet[ProjectMembership]:
    return project.memberships.select_related("user").order_by("role", "user__full_name", "user__email")


def programmes_open_to_join() -> QuerySet[Programme]:
    return Programme.objects.all().prefetch_related("county_boards")
