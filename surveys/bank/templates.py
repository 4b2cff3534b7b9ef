"""Every survey kind's template (SPEC §5.1)."""
from __future__ import annotations

from .base import SurveyTemplate
from .mapping import MAPPING
from .partnership import PARTNERSHIP
from .safety import FOLLOWUP, SAFETY

TEMPLATES: dict[str, SurveyTemplate] = {t.kind: t for t in (MAPPING, SAFETY, FOLLOWUP, PARTNERSHIP)}


def template_for(kind: str) -> SurveyTemplate:
    """The shipped template of a survey kind (a surveys.models.Survey.Kind value); KeyError if none."""
    return TEMPLATES[kind]
