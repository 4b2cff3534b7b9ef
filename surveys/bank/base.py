"""The shapes of the question bank: a template is a title, an introduction and its questions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class OptionSpec:
    value: str
    label: str
    label_en: str
    is_missing: bool = False


@dataclass(frozen=True)
class ConditionSpec:
    """Show the question only when the question `key` (earlier in the template) got one of `values`."""

    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str  # a surveys.models.Question.Kind value
    text: str
    text_en: str
    page: int = 1
    help_text: str = ""
    help_text_en: str = ""
    required: bool = False
    config: dict[str, Any] = field(default_factory=dict)
    # Choice questions: their options. Kinds with fixed options (scale, category, age, gender) leave
    # this empty and get the fixed set (surveys.bank.options).
    options: tuple[OptionSpec, ...] = ()
    condition: ConditionSpec | None = None


@dataclass(frozen=True)
class SurveyTemplate:
    kind: str
    title: str
    title_en: str
    intro: str
    intro_en: str
    questions: tuple[QuestionSpec, ...]

    def question(self, key: str) -> QuestionSpec:
        return next(q for q in self.questions if q.key == key)

    @property
    def pages(self) -> int:
        return max((q.page for q in self.questions), default=1)
