"""Report kinds register themselves here, so the core renders reports without importing the domain.

A domain app calls `register(ReportKind(...))` from its AppConfig.ready().
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from django.utils.functional import Promise

if TYPE_CHECKING:
    from trygga_platser.tenancy.access import Perm
    from trygga_platser.tenancy.models import Project

    from .models import Report


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str | Promise
    template: str
    # Builds the template context from the report row and its project (resolved through access).
    context: Callable[["Report", "Project"], dict[str, Any]]
    # What the requesting user needs in the project, checked when requested and when rendered.
    perm: "Perm"
    filename: Callable[["Report", "Project"], str]


_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> None:
    if kind.key in _KINDS and _KINDS[kind.key] != kind:
        raise ValueError(f"Report kind {kind.key!r} is registered twice.")
    _KINDS[kind.key] = kind


def kind_get(key: str) -> ReportKind | None:
    return _KINDS.get(key)


def kinds_all() -> list[ReportKind]:
    return list(_KINDS.values())
