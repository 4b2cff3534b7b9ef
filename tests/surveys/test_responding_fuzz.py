"""Random and malformed submissions (SPEC §5.3, §12.6): whatever is POSTed to a respondent page, the
answer is a page with errors (200), a refusal (400) or — for a complete valid last page — the
thank-you redirect (303); never a server error, and never a response stored in part."""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.forms import respond as forms
from surveys.models import Answer, Response
from surveys.selectors.definition import survey_definition

from .test_responding import POINT, make_survey

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])

texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "very_safe", "rather_unsafe", "traffic", "litter", "resident", "3", "dk", "42",
                     "-1e400", "NaN", "Infinity", "1e9999", "60.1, 16.1", "16.1, 60.1", "91, 181",
                     '{"type": "Point", "coordinates": [16.1, 60.1]}',
                     '{"type": "Polygon", "coordinates": [[[16.1, 60.1], [16.2, 60.2], [16.2, 60.1], [16.1, 60.2]]]}',
                     '{"type": "Point", "coordinates": "x"}', "{", "[]", "null", "\x00", "unsafe", "night", "area"]),
    st.text(min_size=2000, max_size=2100),
)


@pytest.fixture
def survey():
    return make_survey()


def field_names(survey_def) -> list[str]:
    names = ["action"]
    for question in survey_def.questions:
        names.append(question.field_name)
        for n in range(1, 5):
            names += [f"{question.field_name}-{n}-{part}" for part in ("coords", "category", "why", "time", "shape")]
    return names


def states(survey_def):
    """Valid signed states for each page (some with plausible earlier answers), and junk."""
    earlier = {"safe_evening": "rather_unsafe", "problems": ["traffic"], "age_years": "5",
               "unsafe_places": [{"geometry": POINT, "category": "unsafe", "why": "", "time_of_day": ""}]}
    valid = [forms.state_dump(survey_def, page=p, answers=a) for p in survey_def.pages for a in ({}, earlier)]
    forged = [forms.state_dump(survey_def, page=99, answers={}),
              forms.state_dump(survey_def, page=1, answers={"nope": 1}),
              forms.state_dump(survey_def, page=3, answers={"safe_evening": ["x"], "problems": "traffic"})]
    return st.one_of(st.sampled_from(valid + forged), texts)


def assert_whole_responses_only(survey):
    # Every stored response has the required answer: nothing was stored half-way.
    for response in Response.objects.filter(survey=survey):
        assert Answer.objects.filter(response=response, question__key="safe_evening").count() == 1


def test_random_posts_never_fail_the_server(survey):
    survey_def = survey_definition(survey_id=survey.pk)
    target = reverse("surveys:respond", kwargs={"token": survey.public_token})
    client = Client()
    names = field_names(survey_def)

    @FUZZ
    @given(state=states(survey_def),
           data=st.dictionaries(st.sampled_from(names), st.one_of(texts, st.lists(texts, max_size=4)), max_size=12))
    def run(state, data):
        response = client.post(target, {"state": state, **data})
        assert response.status_code in (200, 303, 400), response.status_code
        assert_whole_responses_only(survey)

    run()


def test_random_posts_to_an_invitation_never_fail_the_server(survey):
    from .factories import InvitationFactory

    survey_def = survey_definition(survey_id=survey.pk)
    client = Client()
    names = field_names(survey_def)

    @FUZZ
    @given(state=states(survey_def),
           data=st.dictionaries(st.sampled_from(names), st.one_of(texts, st.lists(texts, max_size=4)), max_size=12))
    def run(state, data):
        invitation = InvitationFactory(survey=survey)
        target = reverse("surveys:invitation", kwargs={"token": invitation.token})
        response = client.post(target, {"state": state, **data})
        assert response.status_code in (200, 303, 400), response.status_code
        used = type(invitation).objects.get(pk=invitation.pk).used_on is not None
        assert used == (response.status_code == 303)
        assert_whole_responses_only(survey)

    run()


@FUZZ
@given(answers=st.dictionaries(
    st.sampled_from(["safe_evening", "why_unsafe", "problems", "age_years", "attractiveness", "respondent_category",
                     "unsafe_places", "traffic_where", "gender", "age", "other"]),
    st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts),
                 lambda children: st.lists(children, max_size=3) | st.dictionaries(
                     st.sampled_from(["geometry", "category", "why", "time_of_day", "type", "coordinates"]),
                     children, max_size=4),
                 max_leaves=12),
    max_size=8))
def test_the_service_refuses_any_malformed_answers_cleanly(survey, answers):
    from django.core.exceptions import ValidationError

    from surveys.services import responding as r

    before = Response.objects.count()
    try:
        r.survey_response_submit(survey_def=survey_definition(survey_id=survey.pk), answers=answers)
    except ValidationError:
        assert Response.objects.count() == before
    assert_whole_responses_only(survey)
