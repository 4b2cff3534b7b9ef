"""The question bank (SPEC §5.1): a shipped template per survey kind, as plain Python data in our own
wording, Swedish with English.

A template is copied into a survey when the survey is created (`surveys.services.builder.survey_create`)
and is edited there; the bank itself never changes a survey. The keys and option values the rest of
the product reads (the safety indicator, results, comparisons, the nulägesanalys) come from
`surveys.indicator`; a follow-up uses the safety template, so its questions match the baseline's.
"""
from __future__ import annotations

from .base import ConditionSpec, OptionSpec, QuestionSpec, SurveyTemplate
from .options import FIXED_OPTIONS, fixed_options
from .templates import TEMPLATES, template_for

__all__ = [
    "FIXED_OPTIONS",
    "TEMPLATES",
    "ConditionSpec",
    "OptionSpec",
    "QuestionSpec",
    "SurveyTemplate",
    "fixed_options",
    "template_for",
]
