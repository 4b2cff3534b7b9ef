"""The question keys and option values other code relies on (results, comparison, the nulägesanalys,
goals, the county board, the demo). The question bank (surveys/bank/) uses these names; a survey
built from scratch that wants the indicator uses the same key and values.

The safety indicator follows how Brå reports the national one (Nationella trygghetsundersökningen):
the share who feel rather or very unsafe going out alone late in the evening in their own area, or
who stay in because they feel unsafe. Those who stay in for other reasons and "don't know" are left
out of the base. https://bra.se/statistik/statistiska-undersokningar/nationella-trygghetsundersokningen.html
"""
from __future__ import annotations

# Safety survey and follow-up (SPEC §5.1).
SAFE_EVENING_KEY = "safe_evening"  # the question comparable with the national indicator
SAFE_DAY_KEY = "safe_day"
SAFETY_VALUES = ("very_safe", "rather_safe", "rather_unsafe", "very_unsafe", "not_out_unsafe", "not_out_other", "dk")
UNSAFE_VALUES = frozenset({"rather_unsafe", "very_unsafe", "not_out_unsafe"})
OUTSIDE_BASE_VALUES = frozenset({"not_out_other", "dk"})

AVOIDS_KEY = "avoids_place"  # whether one avoids the place or certain routes (single: yes_often/yes_sometimes/no)
AVOID_MAP_KEY = "avoided_places"  # map: where
WORRY_KEY = "worry_crimes"  # multiple: worry about specific crimes
PROBLEMS_KEY = "problems"  # multiple: perceived problems in the area
PROBLEM_VALUES = ("litter", "graffiti", "vandalism", "poor_lighting", "drug_dealing", "disturbances", "groups",
                  "traffic")
IMPROVE_KEY = "improve_top3"  # multiple, at most three: what would most increase safety
ATTRACTIVE_KEY = "attractiveness"  # scale 1–5
VISIT_KEY = "visit_reasons"  # multiple: what one visits the place for
UNSAFE_MAP_KEY = "unsafe_places"  # map: where one feels unsafe, and why

# Mapping survey (kartläggning, SPEC §5.1): pin places with why and when.
PLACES_MAP_KEY = "places"
PLACE_CATEGORIES = ("unsafe", "safe", "attractive")

# Respondent background (fixed option sets, SPEC §4.3 categories).
CATEGORY_KEY = "respondent_category"
AGE_KEY = "age"
GENDER_KEY = "gender"

# Map answers: a category value of "unsafe" marks a problem place on the nulägesanalys map.
UNSAFE_CATEGORY = "unsafe"
