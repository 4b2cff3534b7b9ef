"""The question bank (SPEC §5.1): every template is a valid survey, uses the shared keys and values,
and speaks Swedish and English."""
from __future__ import annotations

import pytest

from surveys import indicator
from surveys.bank import FIXED_OPTIONS, TEMPLATES, template_for
from surveys.bank.common import ANYTHING_ELSE_KEY
from surveys.bank.config import clean_config
from surveys.models import Question, Survey
from trygga_platser.tenancy.models import StakeholderCategory

KINDS = list(Survey.Kind.values)


def test_every_kind_has_a_template():
    assert set(TEMPLATES) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_keys_unique_and_valid(kind):
    template = template_for(kind)
    keys = [q.key for q in template.questions]
    assert len(keys) == len(set(keys))
    for q in template.questions:
        assert q.kind in Question.Kind.values
        assert Question._meta.get_field("key").max_length >= len(q.key)
        # config passes the builder's own validation unchanged in meaning
        assert clean_config(q.kind, q.config) is not None


@pytest.mark.parametrize("kind", KINDS)
def test_two_to_four_pages_in_order(kind):
    template = template_for(kind)
    pages = [q.page for q in template.questions]
    assert pages == sorted(pages)
    assert 2 <= template.pages <= 4
    assert set(pages) == set(range(1, template.pages + 1))


@pytest.mark.parametrize("kind", KINDS)
def test_everything_has_english(kind):
    template = template_for(kind)
    assert template.title and template.title_en and template.intro and template.intro_en
    for q in template.questions:
        assert q.text and q.text_en, q.key
        assert bool(q.help_text) == bool(q.help_text_en), q.key
        for o in q.options or FIXED_OPTIONS.get(q.kind, ()):
            assert o.label and o.label_en, (q.key, o.value)
        for c in q.config.get("categories", []):
            assert c["label"] and c["label_en"], (q.key, c["value"])
        if q.kind == "scale":
            assert bool(q.config.get("low")) == bool(q.config.get("low_en"))


@pytest.mark.parametrize("kind", KINDS)
def test_choice_questions_have_options_and_others_none(kind):
    for q in template_for(kind).questions:
        if q.kind in Question.FIXED_OPTION_KINDS:
            assert not q.options, q.key  # they get the fixed set
        elif q.kind in Question.CHOICE_KINDS:
            values = [o.value for o in q.options]
            assert len(values) >= 2 and len(values) == len(set(values)), q.key
        else:
            assert not q.options, q.key


@pytest.mark.parametrize("kind", KINDS)
def test_conditions_point_backwards_to_real_options(kind):
    template = template_for(kind)
    seen: dict[str, object] = {}
    for q in template.questions:
        if q.condition:
            earlier = seen.get(q.condition.key)
            assert earlier is not None, f"{q.key} depends on a later or unknown question"
            assert earlier.kind in Question.CHOICE_KINDS
            values = {o.value for o in earlier.options or FIXED_OPTIONS[earlier.kind]}
            assert set(q.condition.values) <= values
        seen[q.key] = q


def test_safety_template_carries_the_indicator_questions():
    template = template_for(Survey.Kind.SAFETY)
    keys = {q.key for q in template.questions}
    assert {indicator.SAFE_DAY_KEY, indicator.SAFE_EVENING_KEY, indicator.AVOIDS_KEY, indicator.AVOID_MAP_KEY,
            indicator.WORRY_KEY, indicator.PROBLEMS_KEY, indicator.IMPROVE_KEY, indicator.ATTRACTIVE_KEY,
            indicator.VISIT_KEY, indicator.UNSAFE_MAP_KEY, indicator.CATEGORY_KEY, indicator.AGE_KEY,
            indicator.GENDER_KEY, ANYTHING_ELSE_KEY} <= keys
    evening = template.question(indicator.SAFE_EVENING_KEY)
    assert tuple(o.value for o in evening.options) == indicator.SAFETY_VALUES
    assert {o.value for o in evening.options if o.is_missing} == {"dk"}
    assert indicator.UNSAFE_VALUES | indicator.OUTSIDE_BASE_VALUES <= set(indicator.SAFETY_VALUES)
    day = template.question(indicator.SAFE_DAY_KEY)
    assert {o.value for o in day.options} <= set(indicator.SAFETY_VALUES)
    problems = template.question(indicator.PROBLEMS_KEY)
    assert [o.value for o in problems.options] == [*indicator.PROBLEM_VALUES, "none"]
    assert template.question(indicator.IMPROVE_KEY).config["max_choices"] == 3
    assert template.question(indicator.ATTRACTIVE_KEY).kind == Question.Kind.SCALE
    avoided = template.question(indicator.AVOID_MAP_KEY)
    assert avoided.kind == Question.Kind.MAP
    assert avoided.condition.key == indicator.AVOIDS_KEY
    assert set(avoided.condition.values) == {"yes_often", "yes_sometimes"}
    unsafe = template.question(indicator.UNSAFE_MAP_KEY)
    assert set(unsafe.config["geometries"]) == {"point", "line", "area"}
    assert unsafe.config["ask_time"] is True
    assert indicator.UNSAFE_CATEGORY in {c["value"] for c in unsafe.config["categories"]}


def test_followup_asks_exactly_what_the_safety_survey_asks():
    assert template_for(Survey.Kind.FOLLOWUP).questions == template_for(Survey.Kind.SAFETY).questions


def test_mapping_template_pins_places_with_categories_and_time():
    template = template_for(Survey.Kind.MAPPING)
    places = template.question(indicator.PLACES_MAP_KEY)
    assert places.kind == Question.Kind.MAP
    assert tuple(c["value"] for c in places.config["categories"]) == indicator.PLACE_CATEGORIES
    assert places.config["ask_time"] is True
    assert {indicator.CATEGORY_KEY, indicator.AGE_KEY, indicator.GENDER_KEY} <= {q.key for q in template.questions}


def test_partnership_template_is_mostly_scales():
    questions = template_for(Survey.Kind.PARTNERSHIP).questions
    scales = [q for q in questions if q.kind == Question.Kind.SCALE]
    assert len(scales) >= 7
    assert {"goals_clear", "roles_clear", "meetings_useful", "information_flow", "commitment", "trust",
            "results"} <= {q.key for q in scales}


def test_fixed_option_sets():
    scale = FIXED_OPTIONS["scale"]
    assert [o.value for o in scale] == ["1", "2", "3", "4", "5", "dk"]
    assert [o.value for o in scale if o.is_missing] == ["dk"]
    assert [o.value for o in FIXED_OPTIONS["category"]] == list(StakeholderCategory.values)
    gender_missing = [o for o in FIXED_OPTIONS["gender"] if o.is_missing]
    assert len(gender_missing) == 1
    assert sum(o.is_missing for o in FIXED_OPTIONS["age"]) == 1
    for options in FIXED_OPTIONS.values():
        values = [o.value for o in options]
        assert len(values) == len(set(values))
