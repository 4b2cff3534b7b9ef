"""Builder services (SPEC §5.1): creating a survey from the bank or from a baseline, editing
questions, options and display conditions, and the freeze once there are responses."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from surveys import indicator
from surveys.bank import FIXED_OPTIONS, template_for
from surveys.bank.config import MIN_ABOVE_MAX
from surveys.models import Option, Question, Survey
from surveys.services import builder as b
from surveys.services import builder_options as bo
from trygga_platser.audit.models import AuditEntry

from .factories import OptionFactory, QuestionFactory, ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def _messages(exc_info) -> list[str]:
    return exc_info.value.messages


def _keys(survey) -> list[str]:
    return list(survey.questions.order_by("page", "position").values_list("key", flat=True))


@pytest.fixture
def safety(world):
    return b.survey_create(project=world.project, kind=Survey.Kind.SAFETY, user=world.project_coordinator)


# --- creating -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(Survey.Kind.values))
def test_survey_create_copies_the_template(world, kind):
    # When a survey is created of each kind
    survey = b.survey_create(project=world.project, kind=kind, user=world.coach)
    # Then it is a draft with the template's questions, options and conditions
    template = template_for(kind)
    assert survey.state() == Survey.State.DRAFT
    assert survey.title == template.title and survey.title_en == template.title_en
    assert _keys(survey) == [q.key for q in template.questions]
    for spec in template.questions:
        question = survey.questions.get(key=spec.key)
        expected = spec.options or FIXED_OPTIONS.get(spec.kind, ())
        assert list(question.options.values_list("value", flat=True)) == [o.value for o in expected]
        if spec.condition:
            assert question.condition_question.key == spec.condition.key
            assert question.condition_values == list(spec.condition.values)
    assert AuditEntry.objects.filter(project=world.project, action="survey.created").count() == 1


def test_survey_create_with_own_title(world):
    survey = b.survey_create(project=world.project, kind="mapping", user=world.coach, title="  Torget 2026 ")
    assert survey.title == "Torget 2026"
    assert survey.title_en == ""  # the template's English title does not fit a title of one's own


def test_survey_create_rejects_unknown_kind(world):
    with pytest.raises(ValidationError) as exc:
        b.survey_create(project=world.project, kind="poll", user=world.coach)
    assert str(b.UNKNOWN_KIND) in _messages(exc)


def test_followup_copies_the_baseline_so_keys_match(world, safety):
    # Given a baseline whose questions were edited
    b.question_add(survey=safety, kind="single", user=world.coach, text="Egen fråga", key="own_question",
                   options=[("Ja", "Yes"), ("Nej", "No")])
    b.question_delete(question=safety.questions.get(key="visit_reasons"), user=world.coach)
    # When a follow-up is created of it
    followup = b.survey_create(project=world.project, kind="followup", user=world.coach, baseline=safety)
    # Then the follow-up asks exactly the baseline's questions, options and conditions
    assert followup.baseline == safety
    assert _keys(followup) == _keys(safety)
    assert list(followup.questions.get(key="own_question").options.values_list("value", "label_en")) == [
        ("ja", "Yes"), ("nej", "No")]
    avoided = followup.questions.get(key=indicator.AVOID_MAP_KEY)
    assert avoided.condition_question.survey == followup
    assert avoided.condition_question.key == indicator.AVOIDS_KEY
    # and the baseline is untouched
    assert safety.questions.count() == followup.questions.count()


def test_followup_without_baseline_uses_the_safety_questions(world):
    followup = b.survey_create(project=world.project, kind="followup", user=world.coach)
    assert _keys(followup) == [q.key for q in template_for("safety").questions]


def test_baseline_must_be_a_safety_survey_of_the_project(world, safety):
    mapping = b.survey_create(project=world.project, kind="mapping", user=world.coach)
    foreign = SurveyFactory(project=world.other_project, kind="safety")
    for baseline in (mapping, foreign):
        with pytest.raises(ValidationError) as exc:
            b.survey_create(project=world.project, kind="followup", user=world.coach, baseline=baseline)
        assert str(b.BASELINE_INVALID) in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        b.survey_create(project=world.project, kind="safety", user=world.coach, baseline=safety)
    assert str(b.BASELINE_ONLY_FOR_FOLLOWUP) in _messages(exc)


def test_settings_update_and_delete(world, safety):
    b.survey_update_settings(survey=safety, user=world.coach, title="Ny titel", intro_en="Hello")
    safety.refresh_from_db()
    assert (safety.title, safety.intro_en) == ("Ny titel", "Hello")
    with pytest.raises(ValidationError) as exc:
        b.survey_update_settings(survey=safety, user=world.coach, title=" ")
    assert str(b.TITLE_REQUIRED) in _messages(exc)
    with pytest.raises(TypeError):
        b.survey_update_settings(survey=safety, user=world.coach, kind="mapping")
    ResponseFactory(survey=safety)
    b.survey_delete(survey=safety, user=world.project_coordinator)
    assert not Survey.objects.filter(pk=safety.pk).exists()
    assert AuditEntry.objects.filter(action="survey.deleted").exists()


# --- questions ----------------------------------------------------------------------------------

def test_question_add_fixed_kinds_get_their_options(world, safety):
    for kind in Question.FIXED_OPTION_KINDS:
        question = b.question_add(survey=safety, kind=kind, user=world.coach, text=f"Fråga {kind}",
                                  options=[("ignored", "")])
        assert list(question.options.values_list("value", flat=True)) == [o.value for o in FIXED_OPTIONS[kind]]


def test_question_add_choice_with_options_and_generated_key(world, safety):
    question = b.question_add(survey=safety, kind="multiple", user=world.coach, text="Vilka dagar?",
                              options=[("Måndag", "Monday"), ("", ""), ("Måndag", "")])
    assert question.key == "vilka_dagar"
    assert list(question.options.values_list("value", flat=True)) == ["mandag", "mandag_2"]
    # added at the end of the last page
    assert _keys(safety)[-1] == "vilka_dagar"
    assert question.page == template_for("safety").pages


def test_question_add_validates(world, safety):
    with pytest.raises(ValidationError) as exc:
        b.question_add(survey=safety, kind="single", user=world.coach, text="X", key=indicator.SAFE_EVENING_KEY)
    assert str(b.KEY_TAKEN) in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        b.question_add(survey=safety, kind="single", user=world.coach, text="X", key="Not OK")
    assert str(b.KEY_INVALID) in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        b.question_add(survey=safety, kind="single", user=world.coach, text="  ")
    assert str(b.TEXT_REQUIRED) in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        b.question_add(survey=safety, kind="single", user=world.coach, text="X", page=9)
    assert str(b.PAGE_INVALID) in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        b.question_add(survey=safety, kind="nonsense", user=world.coach, text="X")
    assert str(b.UNKNOWN_QUESTION_KIND) in _messages(exc)


def test_question_add_on_a_new_page_and_default_configs(world):
    survey = SurveyFactory(project=world.project)
    first = b.question_add(survey=survey, kind="text", user=world.coach, text="Första")
    second = b.question_add(survey=survey, kind="map", user=world.coach, text="Karta", page=2)
    assert (first.page, second.page) == (1, 2)
    assert first.config == {"max_length": 2000}
    assert set(second.config["geometries"]) == {"point", "line", "area"}
    assert second.config["ask_time"] is True


def test_question_update_wording_kind_and_config(world):
    survey = SurveyFactory(project=world.project)
    question = b.question_add(survey=survey, kind="single", user=world.coach, text="Hur?",
                              options=[("A", ""), ("B", "")])
    b.question_update(question=question, user=world.coach, text="Hur då?", text_en="How then?", kind="multiple",
                      config={"max_choices": 2})
    question.refresh_from_db()
    assert (question.text, question.kind, question.config) == ("Hur då?", "multiple", {"max_choices": 2})
    assert question.options.count() == 2  # single -> multiple keeps the options
    b.question_update(question=question, user=world.coach, kind="scale")
    assert list(question.options.values_list("value", flat=True)) == [o.value for o in FIXED_OPTIONS["scale"]]
    with pytest.raises(ValidationError):
        b.question_update(question=question, user=world.coach, kind="number", config={"min": 5, "max": 1})
    question.refresh_from_db()
    # the kind change and the config went in one transaction: refused config, nothing changed
    assert question.kind == "scale"


def test_config_validation(world):
    survey = SurveyFactory(project=world.project)
    question = b.question_add(survey=survey, kind="number", user=world.coach, text="Antal?")
    with pytest.raises(ValidationError) as exc:
        b.question_update(question=question, user=world.coach, config={"min": 5, "max": 1})
    assert str(MIN_ABOVE_MAX) in _messages(exc)
    map_question = b.question_add(survey=survey, kind="map", user=world.coach, text="Var?")
    b.question_update(question=map_question, user=world.coach, config={"geometries": ["point"], "ask_time": False})
    map_question.refresh_from_db()
    assert map_question.config["geometries"] == ["point"] and map_question.config["ask_time"] is False
    assert map_question.config["categories"]  # kept from the default


def test_question_move_within_and_across_pages(world):
    survey = SurveyFactory(project=world.project)
    a = b.question_add(survey=survey, kind="text", user=world.coach, text="A", key="a")
    bq = b.question_add(survey=survey, kind="text", user=world.coach, text="B", key="b")
    c = b.question_add(survey=survey, kind="text", user=world.coach, text="C", key="c", page=2)
    b.question_move(question=bq, user=world.coach, direction="up")
    assert _keys(survey) == ["b", "a", "c"]
    # down from the end of page 1 goes to the top of page 2
    b.question_move(question=a, user=world.coach, direction="down")
    a.refresh_from_db()
    assert a.page == 2 and _keys(survey) == ["b", "a", "c"]
    # up from the top of a page goes to the end of the page before
    b.question_move(question=a, user=world.coach, direction="up")
    a.refresh_from_db()
    assert a.page == 1
    # pages stay numbered without gaps: c alone moves up to page 1, so there is no page 2 left... then back
    b.question_move(question=c, user=world.coach, direction="up")
    c.refresh_from_db()
    assert c.page == 1 and set(survey.questions.values_list("page", flat=True)) == {1}
    b.question_move(question=c, user=world.coach, position=0)
    assert _keys(survey) == ["c", "b", "a"]
    # at the edges nothing happens
    b.question_move(question=c, user=world.coach, direction="up")
    assert _keys(survey) == ["c", "b", "a"]


def test_move_refused_before_the_question_it_depends_on(world, safety):
    avoided = safety.questions.get(key=indicator.AVOID_MAP_KEY)
    with pytest.raises(ValidationError) as exc:
        b.question_move(question=avoided, user=world.coach, direction="up")
    assert str(b.ORDER_BREAKS_CONDITION) in _messages(exc)
    avoids = safety.questions.get(key=indicator.AVOIDS_KEY)
    with pytest.raises(ValidationError):
        b.question_move(question=avoids, user=world.coach, direction="down")
    with pytest.raises(ValidationError):
        b.question_update(question=avoids, user=world.coach, page=3)
    avoided.refresh_from_db()
    assert avoided.condition_question_id == avoids.pk


def test_question_delete_and_its_guards(world, safety):
    avoids = safety.questions.get(key=indicator.AVOIDS_KEY)
    with pytest.raises(ValidationError) as exc:
        b.question_delete(question=avoids, user=world.coach)
    assert str(b.HAS_DEPENDANTS).split("(")[0] in exc.value.messages[0]
    b.question_delete(question=safety.questions.get(key="visit_reasons"), user=world.coach)
    assert "visit_reasons" not in _keys(safety)
    positions = list(safety.questions.order_by("page", "position").values_list("position", flat=True))
    assert positions == list(range(len(positions)))


# --- conditions ---------------------------------------------------------------------------------

def test_set_condition_only_on_earlier_choice_questions(world):
    survey = SurveyFactory(project=world.project)
    first = b.question_add(survey=survey, kind="single", user=world.coach, text="Bor du här?",
                           options=[("Ja", "Yes"), ("Nej", "No")])
    text = b.question_add(survey=survey, kind="text", user=world.coach, text="Fritext")
    later = b.question_add(survey=survey, kind="text", user=world.coach, text="Varför?")
    b.question_set_condition(question=later, user=world.coach, condition_question=first, values=["ja"])
    later.refresh_from_db()
    assert (later.condition_question, later.condition_values) == (first, ["ja"])
    cases = [
        (first, later, ["x"], b.CONDITION_NOT_EARLIER),  # later question as a condition of an earlier one
        (first, first, ["ja"], b.CONDITION_NOT_EARLIER),  # itself
        (later, text, [], b.CONDITION_NOT_CHOICE),
        (later, first, [], b.CONDITION_VALUES_REQUIRED),
        (later, first, ["maybe"], b.CONDITION_UNKNOWN_VALUE),
    ]
    for question, condition, values, error in cases:
        with pytest.raises(ValidationError) as exc:
            b.question_set_condition(question=question, user=world.coach, condition_question=condition,
                                     values=values)
        assert str(error) in _messages(exc)
    foreign = QuestionFactory(survey=SurveyFactory(project=world.project))
    with pytest.raises(ValidationError):
        b.question_set_condition(question=later, user=world.coach, condition_question=foreign, values=["x"])
    b.question_set_condition(question=later, user=world.coach, condition_question=None)
    later.refresh_from_db()
    assert later.condition_question is None and later.condition_values == []


# --- options ------------------------------------------------------------------------------------

def test_options_add_update_move_delete(world):
    survey = SurveyFactory(project=world.project)
    question = b.question_add(survey=survey, kind="single", user=world.coach, text="Färg?",
                              options=[("Röd", "Red")])
    blue = bo.option_add(question=question, user=world.coach, label="Blå", label_en="Blue")
    assert blue.value == "bla"
    with pytest.raises(ValidationError) as exc:
        bo.option_add(question=question, user=world.coach, label="Blå igen", value="bla")
    assert str(b.VALUE_TAKEN) in _messages(exc)
    with pytest.raises(ValidationError):
        bo.option_add(question=question, user=world.coach, label=" ")
    bo.option_update(option=blue, user=world.coach, label="Mörkblå", value="dark_blue", is_missing=False)
    bo.option_move(option=blue, user=world.coach, direction="up")
    assert list(question.options.order_by("position").values_list("value", flat=True)) == ["dark_blue", "rod"]
    bo.option_delete(option=blue, user=world.coach)
    assert list(question.options.values_list("value", flat=True)) == ["rod"]


def test_fixed_and_non_choice_options_cannot_be_edited(world, safety):
    age = safety.questions.get(key=indicator.AGE_KEY)
    with pytest.raises(ValidationError) as exc:
        bo.option_add(question=age, user=world.coach, label="100+")
    assert str(b.FIXED_OPTIONS) in _messages(exc)
    with pytest.raises(ValidationError):
        bo.option_delete(option=age.options.first(), user=world.coach)
    text = safety.questions.get(key="anything_else")
    with pytest.raises(ValidationError) as exc:
        bo.option_add(question=text, user=world.coach, label="X")
    assert str(b.NOT_CHOICE) in _messages(exc)


def test_option_used_by_a_condition_cannot_go(world, safety):
    often = Option.objects.get(question__survey=safety, question__key=indicator.AVOIDS_KEY, value="yes_often")
    with pytest.raises(ValidationError) as exc:
        bo.option_delete(option=often, user=world.coach)
    assert str(b.OPTION_IN_CONDITION).split("(")[0] in exc.value.messages[0]
    with pytest.raises(ValidationError):
        bo.option_update(option=often, user=world.coach, value="often")


# --- frozen once answered ------------------------------------------------------------------------

def test_structure_frozen_once_the_survey_has_responses(world, safety):
    ResponseFactory(survey=safety)
    question = safety.questions.get(key=indicator.WORRY_KEY)
    option = question.options.first()
    refused = [
        lambda: b.question_delete(question=question, user=world.coach),
        lambda: b.question_update(question=question, user=world.coach, kind="single"),
        lambda: b.question_update(question=question, user=world.coach, key="worries"),
        lambda: bo.option_delete(option=option, user=world.coach),
        lambda: bo.option_update(option=option, user=world.coach, value="other_value"),
    ]
    for change in refused:
        with pytest.raises(ValidationError) as exc:
            change()
        assert str(b.HAS_RESPONSES) in _messages(exc)
    # wording stays editable, and adding is fine
    b.question_update(question=question, user=world.coach, text="Ny formulering", text_en="New wording")
    bo.option_update(option=option, user=world.coach, label="Ny etikett")
    bo.option_add(question=question, user=world.coach, label="Något annat")
    b.question_add(survey=safety, kind="text", user=world.coach, text="Extra")
    question.refresh_from_db()
    assert question.text == "Ny formulering" and question.key == indicator.WORRY_KEY


def test_option_factory_in_another_survey_is_independent(world):
    option = OptionFactory()
    assert option.question.survey.project != world.project


# --- the indicator question ---------------------------------------------------------------------

def test_the_indicator_question_keeps_its_structure(world, safety):
    evening = safety.questions.get(key=indicator.SAFE_EVENING_KEY)
    option = evening.options.get(value="very_unsafe")
    refused = [
        lambda: b.question_update(question=evening, user=world.coach, kind="multiple"),
        lambda: b.question_update(question=evening, user=world.coach, key="evening"),
        lambda: bo.option_add(question=evening, user=world.coach, label="Ibland"),
        lambda: bo.option_delete(option=option, user=world.coach),
        lambda: bo.option_update(option=option, user=world.coach, value="unsafe"),
        lambda: bo.option_update(option=option, user=world.coach, is_missing=True),
    ]
    for change in refused:
        with pytest.raises(ValidationError) as exc:
            change()
        assert str(b.INDICATOR_PROTECTED) in _messages(exc)
    # wording is fine
    bo.option_update(option=option, user=world.coach, label="Väldigt otrygg", label_en="Very unsafe")
    b.question_update(question=evening, user=world.coach, text="Hur trygg känner du dig sent på kvällen?")
    assert tuple(evening.options.values_list("value", flat=True)) == indicator.SAFETY_VALUES
    # another question cannot take its key
    day = safety.questions.get(key=indicator.SAFE_DAY_KEY)
    with pytest.raises(ValidationError) as exc:
        b.question_update(question=day, user=world.coach, key=indicator.SAFE_EVENING_KEY)
    assert str(b.KEY_RESERVED) in _messages(exc)


def test_adding_the_indicator_question_by_its_key_brings_its_options(world):
    survey = SurveyFactory(project=world.project, kind="mapping")
    question = b.question_add(survey=survey, kind="multiple", user=world.coach, text="Sent på kvällen?",
                              key=indicator.SAFE_EVENING_KEY, options=[("Ja", "")])
    assert question.kind == Question.Kind.SINGLE
    assert tuple(question.options.values_list("value", flat=True)) == indicator.SAFETY_VALUES
    other = b.question_add(survey=survey, kind="text", user=world.coach, text="Övrigt", key="other")
    with pytest.raises(ValidationError) as exc:
        b.question_update(question=other, user=world.coach, key=indicator.SAFE_EVENING_KEY)
    assert str(b.KEY_RESERVED) in _messages(exc)


def test_map_categories_can_grow_but_not_lose_values_once_answered(world):
    survey = b.survey_create(project=world.project, kind="mapping", user=world.coach)
    places = survey.questions.get(key=indicator.PLACES_MAP_KEY)
    ResponseFactory(survey=survey)
    categories = places.config["categories"]
    grown = {**places.config, "categories": [*categories, {"value": "noisy", "label": "Bullrig", "label_en": "Noisy"}]}
    b.question_update(question=places, user=world.coach, config=grown)
    places.refresh_from_db()
    assert [c["value"] for c in places.config["categories"]] == [*indicator.PLACE_CATEGORIES, "noisy"]
    shrunk = {**places.config, "categories": categories[:1]}
    with pytest.raises(ValidationError) as exc:
        b.question_update(question=places, user=world.coach, config=shrunk)
    assert str(b.HAS_RESPONSES) in _messages(exc)


# --- the respondents' cached snapshot ----------------------------------------------------------------

def test_every_builder_change_reaches_the_cached_respondent_snapshot(world, safety):
    from surveys.selectors.definition import survey_definition

    def texts() -> list[str]:
        return [q.text for q in survey_definition(survey_id=safety.pk).questions]

    # Given a survey whose respondent snapshot is cached
    before = texts()
    question = safety.questions.exclude(key="safe_evening").filter(kind=Question.Kind.SINGLE).first()
    # When a coordinator rewords a question, adds one and rewords an option
    b.question_update(question=question, user=world.project_coordinator, text="Nytt ord")
    b.question_add(survey=safety, kind=Question.Kind.TEXT, user=world.project_coordinator, text="Något mer?")
    option = question.options.first()
    bo.option_update(option=option, user=world.project_coordinator, label="Ny etikett")
    # Then the next respondent sees all three changes at once, not after the cache expires
    after = survey_definition(survey_id=safety.pk)
    assert texts() != before and "Nytt ord" in texts() and "Något mer?" in texts()
    reworded = next(q for q in after.questions if q.text == "Nytt ord")
    assert "Ny etikett" in [o.label for o in reworded.options]
