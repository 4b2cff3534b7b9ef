"""Writes of projects (ARCHITECTURE.md: one service, one transaction)."""
from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygga_platser.tenancy.access import organisations_user_coordinates
from trygga_platser.tenancy.models import Organisation, Programme, Project, ProjectMembership, StakeholderCategory

from trygga_platser.audit.services import audit_record, changed_fields

from ..geo import area_parse
from ..models import Variant
from .workflow import plan_instantiate

EDITABLE_FIELDS = ("name", "place_name", "start_date", "status", "description", "area")


def project_create(
    *,
    user,
    municipality: Organisation,
    name: str,
    place_name: str,
    variant: Variant,
    start_date: date,
    description: str = "",
    area: Any = None,
    programmes: list[Programme] | tuple[Programme, ...] = (),
) -> Project:
    """Create a project in a municipality the user coordinates, with the variant's steps and
    activities; the creator becomes its coordinator."""
    if not organisations_user_coordinates(user=user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    if not name.strip() or not place_name.strip():
        raise ValidationError(_("A project needs a name and a place."))
    with transaction.atomic():
        project = Project.objects.create(
            name=name.strip(),
            place_name=place_name.strip(),
            municipality=municipality,
            variant=variant.slug,
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
        plan_instantiate(project=project, variant=variant)
        audit_record(project=project, actor=user, action="project.created", target=project,
                     summary=_("Created the project “%(name)s” (%(variant)s)") % {
                         "name": project.name, "variant": variant.title})
    return project


def project_update(*, user, project: Project, programmes: list[Programme] | None = None, **changes: Any) -> Project:
    """Change a project already resolved through the access module with Perm.MANAGE.

    The variant is chosen at creation: its steps are the project's plan, so it is not changed here.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    if "area" in changes:
        changes["area"] = area_parse(changes["area"])
    with transaction.atomic():
        diff = changed_fields(project, changes)
        for field, value in changes.items():
            setattr(project, field, value)
        project.full_clean(exclude=["municipality", "programmes"])
        project.save()
        if programmes is not None:
            before = set(project.programmes.values_list("pk", flat=True))
            project.programmes.set(programmes)
            after = {p.pk for p in programmes}
            if before != after:
                diff["programmes"] = (sorted(before), sorted(after))
        if diff:
            audit_record(project=project, actor=user, action="project.updated", target=project,
                         changes={k: v for k, v in diff.items() if k != "area"} | (
                             {"area": ("…", "…")} if "area" in diff else {}),
                         summary=_("Changed the project's %(fields)s") % {"fields": ", ".join(
                             str(Project._meta.get_field(f).verbose_name) for f in diff)})
    return project
