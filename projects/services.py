"""Writes of projects (ARCHITECTURE.md: one service, one transaction)."""
from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygga_platser.tenancy.access import organisations_user_coordinates
from trygga_platser.tenancy.models import Organisation, Programme, Project, ProjectMembership, StakeholderCategory

from .geo import area_parse

EDITABLE_FIELDS = ("name", "place_name", "variant", "start_date", "status", "description", "area")


def project_create(
    *,
    user,
    municipality: Organisation,
    name: str,
    place_name: str,
    variant: str,
    start_date: date,
    description: str = "",
    area: Any = None,
    programmes: list[Programme] | tuple[Programme, ...] = (),
) -> Project:
    """Create a project in a municipality the user coordinates; the creator becomes its coordinator."""
    if not organisations_user_coordinates(user=user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    if not name.strip() or not place_name.strip():
        raise ValidationError(_("A project needs a name and a place."))
    with transaction.atomic():
        project = Project.objects.create(
            name=name.strip(),
            place_name=place_name.strip(),
            municipality=municipality,
            variant=variant,
            start_date=start_date,
            description=description,
            area=area_parse(area),
            created_by=user,
        )
        project.programmes.set(programmes)
        ProjectMembership.objects.create(
            project=project,
            user=user,
            role=ProjectMembership.Role.COORDINATOR,
            stakeholder_category=StakeholderCategory.MUNICIPAL_OFFICIAL,
            organisation_name=municipality.name,
        )
    return project


def project_update(*, project: Project, programmes: list[Programme] | None = None, **changes: Any) -> Project:
    """Change a project already resolved through the access module with Perm.MANAGE."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    if "area" in changes:
        changes["area"] = area_parse(changes["area"])
    with transaction.atomic():
        for field, value in changes.items():
            setattr(project, field, value)
        project.full_clean(exclude=["municipality", "programmes"])
        project.save()
        if programmes is not None:
            project.programmes.set(programmes)
    return project
