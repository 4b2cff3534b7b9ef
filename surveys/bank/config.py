"""The settings of a question by kind (`Question.config`, see surveys.models): defaults for a new
question and the validation the builder applies. Map categories keep their values, which results and
the nulägesanalys read ("unsafe" marks a problem place)."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from surveys.models import Question

from .common import map_category, map_config

MAX_CHOICES_INVALID = gettext_lazy("The maximum number of choices must be at least 1.")
MIN_ABOVE_MAX = gettext_lazy("The lowest value must not be above the highest.")
MAX_LENGTH_INVALID = gettext_lazy("The maximum length must be between 1 and 10 000 characters.")
GEOMETRIES_REQUIRED = gettext_lazy("Allow at least one way to mark on the map.")
CATEGORIES_REQUIRED = gettext_lazy("A map question needs at least one category.")

GEOMETRIES = ("point", "line", "area")


def default_config(kind: str) -> dict:
    if kind == Question.Kind.MAP:
        return map_config(map_category("unsafe", "Otrygg", "Unsafe"), map_category("safe", "Trygg", "Safe"),
                          map_category("attractive", "Attraktiv", "Attractive"))
    if kind == Question.Kind.TEXT:
        return {"max_length": 2000}
    return {}


def _number(value: Any) -> float | None:
    if value in (None, ""):
        return None
    return float(value)


def clean_config(kind: str, config: dict | None) -> dict:
    """The settings a question of `kind` uses (see Question.config), validated; others dropped."""
    config = dict(config or {})
    if kind == Question.Kind.MULTIPLE:
        max_choices = config.get("max_choices")
        if max_choices in (None, ""):
            return {}
        if int(max_choices) < 1:
            raise ValidationError({"config": MAX_CHOICES_INVALID})
        return {"max_choices": int(max_choices)}
    if kind == Question.Kind.SCALE:
        return {k: str(config[k]) for k in ("low", "low_en", "high", "high_en") if config.get(k)}
    if kind == Question.Kind.NUMBER:
        low, high = _number(config.get("min")), _number(config.get("max"))
        if low is not None and high is not None and low > high:
            raise ValidationError({"config": MIN_ABOVE_MAX})
        result = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
        if config.get("unit"):
            result["unit"] = str(config["unit"])
        return result
    if kind == Question.Kind.TEXT:
        max_length = int(config.get("max_length") or 2000)
        if not 1 <= max_length <= 10000:
            raise ValidationError({"config": MAX_LENGTH_INVALID})
        return {"max_length": max_length}
    if kind == Question.Kind.MAP:
        default = default_config(kind)
        geometries = [g for g in GEOMETRIES if g in (config.get("geometries") or default["geometries"])]
        if not geometries:
            raise ValidationError({"config": GEOMETRIES_REQUIRED})
        categories = [c for c in (config.get("categories") or default["categories"])
                      if isinstance(c, dict) and c.get("value") and c.get("label")]
        if not categories:
            raise ValidationError({"config": CATEGORIES_REQUIRED})
        return {"geometries": geometries, "categories": categories, "ask_time": bool(config.get("ask_time", True)),
                "max_features": max(1, int(config.get("max_features") or default["max_features"]))}
    return {}


