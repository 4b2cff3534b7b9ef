"""Sections other apps add to the project home (the action plan's KPI, survey indicators…).

The projects app must not import the apps built on it, so they register a panel from their
AppConfig.ready(): a template and a function that builds its context for one project. The home
renders each panel the user may see, in order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from trygga_platser.tenancy.access import Perm
from trygga_platser.tenancy.models import Project


@dataclass(frozen=True)
class HomePanel:
    key: str
    order: int
    template: str
    context: Callable[[Project], dict[str, Any]]
    perm: Perm = Perm.VIEW


_PANELS: dict[str, HomePanel] = {}


def register(panel: HomePanel) -> None:
    _PANELS[panel.key] = panel


def panels_for(*, project: Project) -> list[tuple[HomePanel, dict[str, Any]]]:
    """The panels the project's resolved access allows, each with its context."""
    access = project.access  # type: ignore[attr-defined]
    return [(panel, panel.context(project)) for panel in sorted(_PANELS.values(), key=lambda p: p.order)
            if access.allows(panel.perm)]
