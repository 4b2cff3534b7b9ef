"""Option sets the product defines: the 1–5 scale with "don't know", the respondent category (SPEC
§4.3), age bands and gender. The builder adds them to a question of that kind and does not edit them,
so results and comparisons can rely on the values."""
from __future__ import annotations

from trygga_platser.tenancy.models import StakeholderCategory

from .base import OptionSpec

DONT_KNOW = OptionSpec("dk", "Vet ej", "Don't know", is_missing=True)

SCALE = (
    OptionSpec("1", "1", "1"),
    OptionSpec("2", "2", "2"),
    OptionSpec("3", "3", "3"),
    OptionSpec("4", "4", "4"),
    OptionSpec("5", "5", "5"),
    DONT_KNOW,
)

_CATEGORY_LABELS = {
    StakeholderCategory.MUNICIPAL_OFFICIAL: ("Anställd i kommunen", "Municipal employee"),
    StakeholderCategory.POLITICIAN: ("Förtroendevald politiker", "Elected politician"),
    StakeholderCategory.PROPERTY_OWNER: ("Fastighetsägare", "Property owner"),
    StakeholderCategory.BUSINESS: ("Näringsidkare eller anställd i en butik eller ett företag här",
                                   "Business owner or employed at a shop or business here"),
    StakeholderCategory.POLICE: ("Polis", "Police"),
    StakeholderCategory.RESCUE_SERVICE: ("Räddningstjänst", "Rescue service"),
    StakeholderCategory.CIVIL_SOCIETY: ("Förening eller civilsamhälle", "Association or civil society"),
    StakeholderCategory.CENTRE_ORGANISATION: ("Centrumförening eller cityorganisation", "Town centre organisation"),
    StakeholderCategory.RESIDENT: ("Boende i området", "Resident in the area"),
    StakeholderCategory.VISITOR: ("Besökare", "Visitor"),
    StakeholderCategory.OTHER: ("Annat", "Other"),
}
CATEGORY = tuple(OptionSpec(value, *_CATEGORY_LABELS[StakeholderCategory(value)])
                 for value in StakeholderCategory.values)

AGE = (
    OptionSpec("under_16", "Yngre än 16 år", "Under 16"),
    OptionSpec("16_24", "16–24 år", "16–24"),
    OptionSpec("25_44", "25–44 år", "25–44"),
    OptionSpec("45_64", "45–64 år", "45–64"),
    OptionSpec("65_79", "65–79 år", "65–79"),
    OptionSpec("80_plus", "80 år eller äldre", "80 or older"),
    OptionSpec("no_answer", "Vill inte uppge", "Prefer not to say", is_missing=True),
)

GENDER = (
    OptionSpec("woman", "Kvinna", "Woman"),
    OptionSpec("man", "Man", "Man"),
    OptionSpec("other", "Annan könsidentitet", "Another gender identity"),
    OptionSpec("no_answer", "Vill inte uppge", "Prefer not to say", is_missing=True),
)

# Question kind -> its fixed options (the keys are surveys.models.Question.Kind values).
FIXED_OPTIONS: dict[str, tuple[OptionSpec, ...]] = {
    "scale": SCALE,
    "category": CATEGORY,
    "age": AGE,
    "gender": GENDER,
}


def fixed_options(kind: str) -> tuple[OptionSpec, ...]:
    """The fixed options of a kind, or () for kinds whose options the builder edits."""
    return FIXED_OPTIONS.get(kind, ())
