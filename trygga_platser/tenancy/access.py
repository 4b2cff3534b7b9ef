"""The one place that decides who sees and does what (SPEC §2, "Isolation").

Every view, export, download and background job resolves a project through this module. A project
the user cannot see answers exactly like one that does not exist (404); a project the user can see
but not change answers 403. Nothing else in the code filters projects by tenant.

A user reaches a project along one of these paths, and the strongest one wins:

==============================================  ==================
path                                            level
==============================================  ==================
admin or coordinator of the owning municipality  COORDINATOR
project coordinator                              COORDINATOR
process coach assigned to the project            EDITOR
project member                                   MEMBER
member or viewer of the owning municipality      VIEWER
project viewer                                   VIEWER
officer of a county board running a programme    COUNTY_BOARD
  the project belongs to
==============================================  ==================

Platform staff work in the Django admin; being staff opens no project in the application.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Membership, Organisation, Programme, Project, ProjectMembership

if TYPE_CHECKING:
    from trygga_platser.accounts.models import User

M = TypeVar("M", bound=models.Model)


class Level(enum.IntEnum):
    COUNTY_BOARD = 10
    VIEWER = 20
    MEMBER = 30
    EDITOR = 40
    COORDINATOR = 50


class Perm(enum.Enum):
    """What a view or job needs; each maps to the lowest level that may do it."""

    VIEW = Level.COUNTY_BOARD  # the project, its progress and aggregated results
    VIEW_PERSONAL = Level.VIEWER  # names of members, meeting participants, people responsible
    CONTRIBUTE = Level.MEMBER  # take part: update own actions, answer member surveys
    EDIT = Level.EDITOR  # change the project's content
    MANAGE = Level.COORDINATOR  # members, settings, step completion, free-text answers


_ORG_ROLE_LEVEL = {
    Membership.Role.ADMIN: Level.COORDINATOR,
    Membership.Role.COORDINATOR: Level.COORDINATOR,
    Membership.Role.MEMBER: Level.VIEWER,
    Membership.Role.VIEWER: Level.VIEWER,
}
_PROJECT_ROLE_LEVEL = {
    ProjectMembership.Role.COORDINATOR: Level.COORDINATOR,
    ProjectMembership.Role.COACH: Level.EDITOR,
    ProjectMembership.Role.MEMBER: Level.MEMBER,
    ProjectMembership.Role.VIEWER: Level.VIEWER,
}


@dataclass(frozen=True)
class ProjectAccess:
    """What one user may do in one project; templates read the `can_*` flags."""

    level: Level

    def allows(self, perm: Perm) -> bool:
        return self.level >= perm.value

    @property
    def can_view_personal(self) -> bool:
        return self.allows(Perm.VIEW_PERSONAL)

    @property
    def can_contribute(self) -> bool:
        return self.allows(Perm.CONTRIBUTE)

    @property
    def can_edit(self) -> bool:
        return self.allows(Perm.EDIT)

    @property
    def can_manage(self) -> bool:
        return self.allows(Perm.MANAGE)

    @property
    def is_county_board(self) -> bool:
        return self.level == Level.COUNTY_BOARD


@dataclass
class UserScope:
    """A user's paths into projects, read once (three queries) and reused for a whole page."""

    org_levels: dict[int, Level] = field(default_factory=dict)
    project_levels: dict[int, Level] = field(default_factory=dict)
    county_programme_ids: set[int] = field(default_factory=set)

    def level_for(self, *, project_id: int, municipality_id: int, programme_ids: set[int]) -> Level | None:
        candidates = [
            self.org_levels.get(municipality_id),
            self.project_levels.get(project_id),
            Level.COUNTY_BOARD if programme_ids & self.county_programme_ids else None,
        ]
        present = [level for level in candidates if level is not None]
        return max(present) if present else None


def _is_person(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def user_scope_get(*, user: "User") -> UserScope:
    scope = UserScope()
    if not _is_person(user):
        return scope
    for org_id, role in Membership.objects.filter(
        user=user, organisation__kind=Organisation.Kind.MUNICIPALITY
    ).values_list("organisation_id", "role"):
        scope.org_levels[org_id] = _ORG_ROLE_LEVEL[role]
    for project_id, role in ProjectMembership.objects.filter(user=user).values_list("project_id", "role"):
        scope.project_levels[project_id] = _PROJECT_ROLE_LEVEL[role]
    scope.county_programme_ids = set(
        Programme.objects.filter(
            county_boards__memberships__user=user, county_boards__kind=Organisation.Kind.COUNTY_BOARD
        ).values_list("pk", flat=True)
    )
    return scope


def _visibility_filter(user: "User") -> Q:
    municipality_roles = Membership.objects.filter(user=user, organisation__kind=Organisation.Kind.MUNICIPALITY)
    county_board_programmes = Membership.objects.filter(
        user=user, organisation__kind=Organisation.Kind.COUNTY_BOARD
    ).values("organisation__programmes_run")
    return (
        Q(municipality__in=municipality_roles.values("organisation"))
        | Q(pk__in=ProjectMembership.objects.filter(user=user).values("project"))
        | Q(programmes__in=county_board_programmes)
    )


def projects_visible_to(*, user: "User") -> QuerySet[Project]:
    """Every project the user may see, by any path; one query with subqueries."""
    if not _is_person(user):
        return Project.objects.none()
    visible_ids = Project.objects.filter(_visibility_filter(user)).values("pk")
    return Project.objects.filter(pk__in=visible_ids)


def project_access_for(*, user: "User", project: Project, scope: UserScope | None = None) -> ProjectAccess | None:
    """The user's access to a project, or None when the project is invisible to them."""
    if not _is_person(user):
        return None
    scope = scope if scope is not None else user_scope_get(user=user)
    programme_ids = getattr(project, "_programme_ids", None)
    if programme_ids is None:
        programme_ids = set(project.programmes.values_list("pk", flat=True))
    level = scope.level_for(project_id=project.pk, municipality_id=project.municipality_id, programme_ids=programme_ids)
    return ProjectAccess(level) if level is not None else None


def project_get_for_user(*, user: "User", project_id: int | str, perm: Perm = Perm.VIEW) -> Project:
    """The project, with `.access` set; 404 when invisible (as if missing), 403 when not allowed."""
    try:
        project = Project.objects.select_related("municipality").get(pk=int(project_id))
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404("No such project.") from None
    access = project_access_for(user=user, project=project)
    if access is None:
        raise Http404("No such project.")
    if not access.allows(perm):
        raise PermissionDenied
    project.access = access  # type: ignore[attr-defined]
    return project


def project_child_get(queryset: QuerySet[M] | type[M], *, project: Project, pk: Any, project_field: str = "project") -> M:
    """An object that belongs to `project` (already resolved through this module), or 404.

    An id that exists but belongs to another project answers exactly like a missing one.
    """
    manager = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        return manager.get(**{project_field: project, "pk": pk})
    except (manager.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such object.") from None


def projects_with_access(*, user: "User", queryset: QuerySet[Project] | None = None) -> list[tuple[Project, ProjectAccess]]:
    """Visible projects each with the user's access, in a fixed number of queries."""
    qs = queryset if queryset is not None else projects_visible_to(user=user)
    projects = list(qs.select_related("municipality").prefetch_related("programmes"))
    scope = user_scope_get(user=user)
    result = []
    for project in projects:
        project._programme_ids = {p.pk for p in project.programmes.all()}  # type: ignore[attr-defined]
        access = project_access_for(user=user, project=project, scope=scope)
        if access is not None:
            result.append((project, access))
    return result


def organisations_user_coordinates(*, user: "User") -> QuerySet[Organisation]:
    """Municipalities in which the user may create projects (admin or coordinator)."""
    if not _is_person(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY,
        memberships__user=user,
        memberships__role__in=[Membership.Role.ADMIN, Membership.Role.COORDINATOR],
    ).distinct()


def organisation_child_get(queryset: QuerySet[M] | type[M], *, user: "User", pk: Any,
                           organisation_field: str = "organisation") -> M:
    """An object owned by a municipality the user coordinates (an organisation's own settings, such
    as its inspection aspects), or 404: another organisation's object answers like a missing one."""
    manager = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        return manager.get(**{f"{organisation_field}__in": organisations_user_coordinates(user=user), "pk": pk})
    except (manager.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such object.") from None
