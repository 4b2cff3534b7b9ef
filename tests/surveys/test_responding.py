"""Anonymous responding (SPEC §5.3, §5.4): the survey snapshot, validation of every question type,
display conditions, invitations that answer once, and the query budget of a submit."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys.models import Answer, Invitation, Question, Response, Survey
from surveys.selectors.definition import survey_definition
from surveys.services import responding as r

from .factories import InvitationFactory, OptionFactory, QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db

MAP_CONFIG = {
    "geometries": ["point", "line", "area"],
    "categories": [{"value": "unsafe", "label": "Otrygg", "label_en": "Unsafe"},
                   {"value": "safe", "label": "Trygg", "label_en": "Safe"}],
    "ask_time": True,
    "max_features": 3,
}
POINT = {"type": "Point", "coordinates": [16.1687, 60.1488]}  # Avesta, [lon, lat]


def make_survey(**survey_kwargs) -> Survey:
    """An open survey over three pages with every question type, a same-page condition (page 1)
    and a condition on an earlier page (page 3)."""
    survey_kwargs.setdefault("published", True)
    survey = SurveyFactory(**survey_kwargs)

    def question(key, kind, page, options=(), **kwargs):
        q = QuestionFactory(survey=survey, key=key, kind=kind, page=page, **kwargs)
        for value in options:
            OptionFactory(question=q, value=value)
        return q

    safe = question("safe_evening", Question.Kind.SINGLE, 1, ("very_safe", "rather_unsafe", "dk"), required=True)
    question("why_unsafe", Question.Kind.TEXT, 1, condition_question=safe, condition_values=["rather_unsafe"],
             config={"max_length": 200})
    problems = question("problems", Question.Kind.MULTIPLE, 1, ("litter", "graffiti", "traffic"),
                        config={"max_choices": 2})
    question("age_years", Question.Kind.NUMBER, 2, config={"min": 0, "max": 120})
    question("attractiveness", Question.Kind.SCALE, 2, ("1", "2", "3", "4", "5", "dk"))
    question("respondent_category", Question.Kind.CATEGORY, 2, ("resident", "business_owner"))
    question("unsafe_places", Question.Kind.MAP, 2, config=MAP_CONFIG)
    question("traffic_where", Question.Kind.SINGLE, 3, ("street", "square"), condition_question=problems,
             condition_values=["traffic"])
    question("gender", Question.Kind.GENDER, 3, ("woman", "man", "other", "no_answer"))
    question("age", Question.Kind.AGE, 3, ("16_29", "30_64", "65_"))
    survey.save()  # as the builder does: the snapshot key follows updated_at
    return survey


def full_answers() -> dict:
    return {
        "safe_evening": "rather_unsafe",
        "why_unsafe": "Mörkt vid tunneln",
        "problems": ["litter", "traffic"],
        "age_years": "42",
        "attractiveness": "4",
        "respondent_category": "resident",
        "unsafe_places": [{"geometry": POINT, "category": "unsafe", "why": "Mörkt", "time_of_day": "evening"}],
        "traffic_where": "street",
        "gender": "no_answer",
        "age": "30_64",
    }


@pytest.fixture
def survey():
    return make_survey()


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# ------------------------------------------------------------------------------------------------
# The snapshot
# ------------------------------------------------------------------------------------------------
def test_definition_is_cached_and_follows_updated_at(survey):
    # Given a snapshot read once
    first = survey_definition(token=survey.public_token)
    assert [q.key for q in first.questions_on(1)] == ["safe_evening", "why_unsafe", "problems"]
    assert first.pages == (1, 2, 3)

    # When it is read again by its public token, nothing is read from the database
    with CaptureQueriesContext(connection) as queries:
        again = survey_definition(token=survey.public_token)
    assert len(queries) == 0
    assert again == first
    # And by id, only the version is looked up
    with CaptureQueriesContext(connection) as queries:
        assert survey_definition(survey_id=survey.pk) == first
    assert len(queries) == 1

    # And when the survey changes (the builder saves the survey), the next read sees the change
    Question.objects.filter(survey=survey, key="why_unsafe").update(text="Varför?")
    survey.save()
    changed = survey_definition(survey_id=survey.pk)
    assert changed.question("why_unsafe").text == "Varför?"


# ------------------------------------------------------------------------------------------------
# Submitting
# ------------------------------------------------------------------------------------------------
def test_submit_stores_one_row_per_value_with_the_day_only(survey):
    # Given every question answered
    survey_def = survey_definition(survey_id=survey.pk)

    # When the response is submitted
    response = r.survey_response_submit(survey_def=survey_def, answers=full_answers())

    # Then there is one response of the day, with the category copied, and one row per value
    response = Response.objects.get(pk=response.pk)
    assert response.submitted_on == timezone.localdate()
    assert response.respondent_category == "resident"
    answers = Answer.objects.filter(response=response)
    assert answers.count() == 11  # two problems = two rows
    assert answers.get(question__key="age_years").number == Decimal("42.00")
    assert set(answers.filter(question__key="problems").values_list("option__value", flat=True)) == {"litter",
                                                                                                     "traffic"}
    place = answers.get(question__key="unsafe_places")
    assert place.geometry == POINT
    assert (place.lat, place.lon) == (60.1488, 16.1687)
    assert (place.map_category, place.text, place.time_of_day) == ("unsafe", "Mörkt", "evening")


def test_public_submit_needs_at_most_five_queries(survey):
    # Given a snapshot in the cache (as after the first page)
    survey_definition(token=survey.public_token)

    # When a response is submitted through the public link the way the view does it
    with CaptureQueriesContext(connection) as queries:
        survey_def = survey_definition(token=survey.public_token)
        r.survey_response_submit(survey_def=survey_def, answers=full_answers())

    # Then: the token, (savepoint,) the response, the answers (, release)
    assert len(queries) <= 5, [q["sql"] for q in queries]


def test_an_invitation_answers_once_and_is_never_linked(survey):
    # Given a personal invitation
    invitation = InvitationFactory(survey=survey)
    survey_def = survey_definition(survey_id=survey.pk)

    # When it is used
    r.survey_response_submit(survey_def=survey_def, answers=full_answers(), invitation_token=invitation.token)

    # Then it records only the day it was used
    invitation.refresh_from_db()
    assert invitation.used_on == timezone.localdate()
    assert Response.objects.filter(survey=survey).count() == 1

    # And a second submit with it is refused, storing nothing
    with pytest.raises(ValidationError) as excinfo:
        r.survey_response_submit(survey_def=survey_def, answers=full_answers(), invitation_token=invitation.token)
    assert excinfo.value.messages == [str(r.ALREADY_ANSWERED)]
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey).count() == 11


def test_a_closed_survey_takes_no_answers():
    survey = make_survey(published=False, closed=True)
    survey_def = survey_definition(survey_id=survey.pk)
    with pytest.raises(ValidationError) as excinfo:
        r.survey_response_submit(survey_def=survey_def, answers=full_answers())
    assert excinfo.value.messages == [str(r.SURVEY_NOT_OPEN)]
    # A survey that opens tomorrow is not open today either
    assert not survey_def.is_open(timezone.localdate() + timedelta(days=-61))
    assert Response.objects.count() == 0


def test_the_public_link_can_be_switched_off(survey):
    Survey.objects.filter(pk=survey.pk).update(public_link_enabled=False)
    survey_def = survey_definition(survey_id=survey.pk)
    with pytest.raises(ValidationError):
        r.survey_response_submit(survey_def=survey_def, answers=full_answers())
    assert Response.objects.count() == 0


# ------------------------------------------------------------------------------------------------
# Validation, question by question
# ------------------------------------------------------------------------------------------------
def clean(survey, **changes):
    answers = full_answers()
    for key, value in changes.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    return r.answers_clean(survey_def=survey_definition(survey_id=survey.pk), answers=answers)


@pytest.mark.parametrize("key, value, message, malformed", [
    ("safe_evening", None, r.REQUIRED, False),
    ("safe_evening", "maybe", r.UNKNOWN_OPTION, True),
    ("safe_evening", ["very_safe"], r.WRONG_TYPE, True),
    ("problems", ["litter", "graffiti", "traffic"], r.TOO_MANY_CHOICES % {"max": 2}, False),
    ("problems", ["litter", "nope"], r.UNKNOWN_OPTION, True),
    ("age_years", "many", r.NOT_A_NUMBER, False),
    ("age_years", "-1", r.NUMBER_TOO_SMALL % {"min": 0}, False),
    ("age_years", "121", r.NUMBER_TOO_LARGE % {"max": 120}, False),
    ("age_years", "NaN", r.NOT_A_NUMBER, False),
    ("age_years", {"a": 1}, r.WRONG_TYPE, True),
    ("attractiveness", "6", r.UNKNOWN_OPTION, True),
    ("why_unsafe", "x" * 201, r.TEXT_TOO_LONG % {"max": 200, "length": 201}, False),
    ("unsafe_places", "here", r.WRONG_TYPE, True),
])
def test_each_question_type_is_checked(survey, key, value, message, malformed):
    # (without the safety answer, the question that depends on it is not asked either)
    dependants = {"why_unsafe": None} if key == "safe_evening" else {}
    with pytest.raises(ValidationError) as excinfo:
        clean(survey, **{key: value}, **dependants)
    assert errors_of(excinfo)[key] == [str(message)]
    assert r.is_malformed(excinfo.value) is malformed


def place(**changes):
    item = {"geometry": POINT, "category": "unsafe", "why": "", "time_of_day": ""}
    item.update(changes)
    return item


@pytest.mark.parametrize("item, message", [
    (place(geometry={"type": "Point", "coordinates": [2.35, 48.85]}), r.MAP_OUT_OF_BOUNDS),  # Paris
    (place(geometry={"type": "Point", "coordinates": [60.1488, 16.1687]}), r.MAP_OUT_OF_BOUNDS),  # swapped
    (place(geometry={"type": "Point", "coordinates": [float("inf"), 60.0]}), r.MAP_UNREADABLE),
    (place(geometry={"type": "Point", "coordinates": ["16", "60"]}), r.MAP_UNREADABLE),
    (place(geometry={"type": "MultiPoint", "coordinates": [[16.1, 60.1]]}), r.MAP_UNREADABLE),
    (place(geometry={"type": "LineString", "coordinates": [[16.1, 60.1]]}), r.MAP_TOO_FEW_POINTS),
    # A bow tie: the ring crosses itself
    (place(geometry={"type": "Polygon", "coordinates": [[[16.1, 60.1], [16.2, 60.2], [16.2, 60.1],
                                                          [16.1, 60.2], [16.1, 60.1]]]}), r.MAP_INVALID_AREA),
    (place(category="parking"), r.MAP_CATEGORY),
    (place(why="x" * 301), r.MAP_WHY_TOO_LONG % {"max": 300}),
    (place(time_of_day="noon"), r.MAP_TIME),
])
def test_map_places_are_checked(survey, item, message):
    with pytest.raises(ValidationError) as excinfo:
        clean(survey, unsafe_places=[item])
    assert errors_of(excinfo)["unsafe_places"] == [str(message)]


def test_map_lines_and_areas_get_a_centroid_and_a_limit(survey):
    line = place(geometry={"type": "LineString", "coordinates": [[16.16, 60.14], [16.18, 60.16]]})
    area = place(geometry={"type": "Polygon", "coordinates": [[[16.16, 60.14], [16.18, 60.14], [16.18, 60.16],
                                                                 [16.16, 60.16]]]})  # ring closed for us
    cleaned = clean(survey, unsafe_places=[line, area])["unsafe_places"]
    assert (cleaned[0].lat, cleaned[0].lon) == (60.15, 16.17)
    assert cleaned[1].geometry["coordinates"][0][-1] == [16.16, 60.14]
    with pytest.raises(ValidationError) as excinfo:
        clean(survey, unsafe_places=[place()] * 4)
    assert errors_of(excinfo)["unsafe_places"] == [str(r.MAP_TOO_MANY % {"max": 3})]


def test_answers_to_hidden_questions_are_refused(survey):
    # Given "traffic" not among the problems, the traffic question is hidden
    with pytest.raises(ValidationError) as excinfo:
        clean(survey, problems=["litter"])
    assert errors_of(excinfo)["traffic_where"] == [str(r.HIDDEN_QUESTION)]
    assert r.is_malformed(excinfo.value)
    # And without an answer to it, the answers are fine
    assert "traffic_where" not in clean(survey, problems=["litter"], traffic_where=None)


def test_unknown_questions_are_refused(survey):
    with pytest.raises(ValidationError) as excinfo:
        clean(survey, nonsense="1")
    assert r.is_malformed(excinfo.value)


def test_invitation_is_used_only_with_the_response():
    # Given a survey where the answers fail validation
    survey = make_survey()
    invitation = InvitationFactory(survey=survey)
    with pytest.raises(ValidationError):
        r.survey_response_submit(survey_def=survey_definition(survey_id=survey.pk), answers={},
                                 invitation_token=invitation.token)
    # Then the invitation is still unused
    assert Invitation.objects.get(pk=invitation.pk).used_on is None


# Committed: foreign keys are checked when the submit commits, as in production (inside a test's
# transaction they would wait for its end).
@pytest.mark.django_db(transaction=True)
def test_an_option_removed_after_the_page_was_read_stores_nothing(survey):
    # Given a respondent's snapshot, and then the coordinator removes an option they chose
    survey_def = survey_definition(survey_id=survey.pk)
    Answer.objects.all().delete()
    Question.objects.get(survey=survey, key="problems").options.filter(value="traffic").delete()

    # When the response is submitted against the old snapshot
    with pytest.raises(ValidationError) as refused:
        r.survey_response_submit(survey_def=survey_def, answers=full_answers())

    # Then it is refused as a changed survey, and neither the response nor any answer is stored
    assert refused.value.code == "changed"
    assert not Response.objects.filter(survey=survey).exists()
    assert not Answer.objects.filter(question__survey=survey).exists()
