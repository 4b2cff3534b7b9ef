"""Questions several templates share: the respondent's background and the closing free text."""
from __future__ import annotations

from surveys.indicator import AGE_KEY, CATEGORY_KEY, GENDER_KEY

from .base import QuestionSpec

ANYTHING_ELSE_KEY = "anything_else"
TIMES_OF_DAY = ("day", "evening", "night")  # surveys.models.Answer.TimeOfDay values


def map_category(value: str, label: str, label_en: str) -> dict[str, str]:
    return {"value": value, "label": label, "label_en": label_en}


def map_config(*categories: dict[str, str], max_features: int = 5) -> dict:
    """A map question: point, line or area, one of `categories`, a short "why", and when."""
    return {"geometries": ["point", "line", "area"], "categories": list(categories), "ask_time": True,
            "max_features": max_features}


def background(page: int, *, with_age_gender: bool = True) -> tuple[QuestionSpec, ...]:
    questions = [
        QuestionSpec(
            CATEGORY_KEY, "category", "Vilket av följande stämmer bäst in på dig?",
            "Which of the following describes you best?", page=page,
            help_text="Välj det som passar bäst, även om flera stämmer.",
            help_text_en="Choose the one that fits best, even if several do."),
    ]
    if with_age_gender:
        questions += [
            QuestionSpec(AGE_KEY, "age", "Hur gammal är du?", "How old are you?", page=page),
            QuestionSpec(GENDER_KEY, "gender", "Vilket kön identifierar du dig som?",
                         "Which gender do you identify as?", page=page),
        ]
    return tuple(questions)


def anything_else(page: int) -> QuestionSpec:
    return QuestionSpec(
        ANYTHING_ELSE_KEY, "text", "Är det något mer du vill berätta om platsen?",
        "Is there anything else you would like to tell us about the place?", page=page,
        help_text="Skriv inte namn eller annat som kan peka ut en person.",
        help_text_en="Do not write names or anything else that could identify a person.",
        config={"max_length": 2000})
