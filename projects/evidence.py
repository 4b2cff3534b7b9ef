"""Where an activity's evidence lives in the product (SPEC §3: "links to the evidence").

Each evidence kind has a resolver that, given a project, returns links to the things that show the
activity was carried out. The projects app registers its own (meetings, partnership, goals, case,
coaching); surveys, analysis and action plans register theirs from their AppConfig.ready(), so
this app never imports them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from trygga_platser.tenancy.models import Project


@dataclass(frozen=True)
class EvidenceLink:
    label: str
    url: str
    done: bool = False  # the evidence itself is finished (the meeting was held, the survey closed…)
    # The page it leads to shows personal data (names, free text): hidden from county boards.
    personal: bool = False


Resolver = Callable[[Project], list[EvidenceLink]]
_RESOLVERS: dict[str, Resolver] = {}


def register(kind: str, resolver: Resolver) -> None:
    _RESOLVERS[kind] = resolver


def evidence_for(*, project: Project, kinds: set[str]) -> dict[str, list[EvidenceLink]]:
    """Links per evidence kind, one resolver call per kind present on the page."""
    return {kind: _RESOLVERS[kind](project) for kind in kinds if kind in _RESOLVERS}


def is_registered(kind: str) -> bool:
    return kind in _RESOLVERS
