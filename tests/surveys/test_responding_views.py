"""The respondent's pages (SPEC §5.3) without JavaScript: page by page with a signed state, errors
next to the field, back, the thank-you page, invitations, and the pages for a survey that is not open.
"""
from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from surveys.forms import respond as forms
from surveys.models import Answer, Invitation, Response, Survey
from surveys.selectors.definition import survey_definition
from surveys.services import responding as r

from .factories import InvitationFactory
from .test_responding import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return make_survey()


def url(survey) -> str:
    return reverse("surveys:respond", kwargs={"token": survey.public_token})


def state_of(response) -> str:
    match = re.search(r'name="state" value="([^"]+)"', response.content.decode())
    assert match, "no signed state on the page"
    return match.group(1)


def field(survey, key: str) -> str:
    return survey_definition(survey_id=survey.pk).question(key).field_name


def post(client, survey, state, data, action="next"):
    return client.post(url(survey), {"state": state, "action": action, **data})


def answer_all(client, survey, *, target=None):
    """Walk the three pages, answering; returns the final response."""
    target = target or url(survey)
    page = client.get(target)
    assert page.status_code == 200
    page = client.post(target, {"state": state_of(page), "action": "next",
                                field(survey, "safe_evening"): "rather_unsafe",
                                field(survey, "why_unsafe"): "Mörkt",
                                field(survey, "problems"): ["traffic"]})
    assert page.status_code == 200
    map_field = field(survey, "unsafe_places")
    page = client.post(target, {"state": state_of(page), "action": "next",
                                field(survey, "age_years"): "42,5",
                                field(survey, "attractiveness"): "3",
                                field(survey, "respondent_category"): "resident",
                                f"{map_field}-1-coords": "60.1488, 16.1687",
                                f"{map_field}-1-category": "unsafe",
                                f"{map_field}-1-why": "Ingen belysning",
                                f"{map_field}-1-time": "night"})
    assert page.status_code == 200
    return client.post(target, {"state": state_of(page), "action": "submit",
                                field(survey, "traffic_where"): "street",
                                field(survey, "gender"): "woman"})


def test_a_respondent_answers_page_by_page(client, survey):
    # Given the first page
    first = client.get(url(survey))
    assert first.status_code == 200
    html = first.content.decode()
    assert '<progress max="3" value="1"' in html
    assert gettext("Page %(n)s of %(count)s") % {"n": 1, "count": 3} in html
    assert "site-nav" not in html and "Sign out" not in html

    # When every page is answered and sent
    done = answer_all(client, survey)

    # Then the response is stored and the browser goes to the thank-you page
    assert done.status_code == 303
    assert done["Location"] == reverse("surveys:respond_done", kwargs={"token": survey.public_token})
    response = Response.objects.get(survey=survey)
    assert response.respondent_category == "resident"
    place = Answer.objects.get(response=response, question__key="unsafe_places")
    assert (place.lat, place.lon, place.time_of_day) == (60.1488, 16.1687, "night")
    assert str(Answer.objects.get(response=response, question__key="age_years").number) == "42.50"
    assert client.get(done["Location"]).status_code == 200


def test_nothing_is_written_before_the_last_page(client, survey):
    page = client.get(url(survey))
    client.post(url(survey), {"state": state_of(page), "action": "next",
                              field(survey, "safe_evening"): "very_safe"})
    assert Response.objects.count() == 0
    assert not client.session.keys()


def test_errors_are_shown_next_to_the_question(client, survey):
    # Given the first page sent without its required answer
    page = client.get(url(survey))
    again = post(client, survey, state_of(page), {field(survey, "problems"): ["litter", "graffiti", "traffic"]})

    # Then the same page comes back with the message tied to the question
    assert again.status_code == 200
    html = again.content.decode()
    name = field(survey, "safe_evening")
    assert f'aria-describedby="{name}-error' in html
    assert f'<p class="error" id="{name}-error">{r.REQUIRED}</p>' in html
    assert str(r.TOO_MANY_CHOICES % {"max": 2}) in html
    assert '<progress max="3" value="1"' in html
    # And the choices made are kept
    assert 'value="graffiti" checked' in html


def test_a_typo_in_the_position_is_explained_next_to_the_place(client, survey):
    page = client.get(url(survey))
    page = post(client, survey, state_of(page), {field(survey, "safe_evening"): "very_safe"})
    map_field = field(survey, "unsafe_places")
    again = post(client, survey, state_of(page), {f"{map_field}-1-coords": "16.1687, 60.1488",  # swapped
                                                  f"{map_field}-1-category": "unsafe"})
    assert again.status_code == 200
    html = again.content.decode()
    assert f'id="{map_field}-1-error"' in html
    assert str(r.MAP_OUT_OF_BOUNDS) in html
    assert "16.1687, 60.1488" in html  # kept for correction
    assert '<progress max="3" value="2"' in html


def test_back_keeps_the_answers(client, survey):
    page = client.get(url(survey))
    second = post(client, survey, state_of(page), {field(survey, "safe_evening"): "very_safe"})
    back = post(client, survey, state_of(second), {field(survey, "age_years"): "30"}, action="back")
    html = back.content.decode()
    assert '<progress max="3" value="1"' in html
    assert 'value="very_safe" checked' in html
    forward = post(client, survey, state_of(back), {field(survey, "safe_evening"): "very_safe"})
    assert 'value="30"' in forward.content.decode()


def test_a_same_page_condition_drops_the_answer_when_not_met(client, survey):
    # Given the text question (asked only for "rather unsafe") answered after "very safe"
    page = client.get(url(survey))
    second = post(client, survey, state_of(page), {field(survey, "safe_evening"): "very_safe",
                                                   field(survey, "why_unsafe"): "Något"})
    assert second.status_code == 200
    # Then the answer is not carried on
    _page, answers = forms.state_load(survey_definition(survey_id=survey.pk), state_of(second))
    assert "why_unsafe" not in answers


def test_an_earlier_page_condition_hides_a_whole_question(client, survey):
    # Given "traffic" not chosen on page 1, page 3 does not ask where
    page = client.get(url(survey))
    page = post(client, survey, state_of(page), {field(survey, "safe_evening"): "very_safe",
                                                 field(survey, "problems"): ["litter"]})
    page = post(client, survey, state_of(page), {})
    html = page.content.decode()
    assert '<progress max="3" value="3"' in html
    assert f'name="{field(survey, "traffic_where")}"' not in html
    # And answering it anyway is a forged request: 400, nothing stored
    forged = post(client, survey, state_of(page), {field(survey, "traffic_where"): "street"}, action="submit")
    assert forged.status_code == 400
    assert Response.objects.count() == 0


@pytest.mark.parametrize("tamper", ["bad-signature", "", "other-survey"])
def test_a_tampered_state_is_refused(client, survey, tamper):
    page = client.get(url(survey))
    state = {"bad-signature": state_of(page)[:-2] + "xx", "": "",
             "other-survey": forms.state_dump(survey_definition(survey_id=make_survey().pk), page=1, answers={})}[tamper]
    refused = post(client, survey, state, {field(survey, "safe_evening"): "very_safe"})
    assert refused.status_code == 400
    assert Response.objects.count() == 0


def test_an_unknown_option_is_refused(client, survey):
    page = client.get(url(survey))
    refused = post(client, survey, state_of(page), {field(survey, "safe_evening"): "<script>"})
    assert refused.status_code == 400


def test_the_public_link_can_be_off(client, survey):
    Survey.objects.filter(pk=survey.pk).update(public_link_enabled=False)
    assert client.get(url(survey)).status_code == 404


def test_unknown_tokens_are_404(client):
    assert client.get(reverse("surveys:respond", kwargs={"token": "nope"})).status_code == 404
    assert client.get(reverse("surveys:invitation", kwargs={"token": "nope"})).status_code == 404
    assert client.get(reverse("surveys:respond_done", kwargs={"token": "nope"})).status_code == 404


def test_closed_draft_and_scheduled_surveys_say_so(client):
    closed = make_survey(published=False, closed=True)
    response = client.get(url(closed))
    assert response.status_code == 410
    assert gettext("The survey is closed") in response.content.decode()

    draft = make_survey(published=False)
    response = client.get(url(draft))
    assert response.status_code == 200
    assert gettext("The survey has not opened yet") in response.content.decode()
    assert 'name="state"' not in response.content.decode()


def test_an_invitation_answers_once(client, survey):
    invitation = InvitationFactory(survey=survey)
    target = reverse("surveys:invitation", kwargs={"token": invitation.token})

    done = answer_all(client, survey, target=target)

    assert done.status_code == 303
    assert client.get(done["Location"]).status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).used_on is not None
    assert Response.objects.filter(survey=survey).count() == 1
    again = client.get(target)
    assert again.status_code == 200
    assert gettext("You have already answered") in again.content.decode()


def test_an_invitation_used_in_another_tab_is_refused_at_submit(client, survey):
    invitation = InvitationFactory(survey=survey)
    target = reverse("surveys:invitation", kwargs={"token": invitation.token})
    page = client.get(target)
    Invitation.objects.filter(pk=invitation.pk).update(used_on="2026-01-01")
    # The page still holds a valid state; the submit path checks again with the conditional UPDATE
    refused = client.post(target, {"state": state_of(page), "action": "next"})
    assert refused.status_code == 200
    assert gettext("You have already answered") in refused.content.decode()
    assert Response.objects.count() == 0


def test_the_respondent_pages_read_in_english(client, survey):
    client.cookies["django_language"] = "en"
    html = client.get(url(survey)).content.decode()
    assert 'lang="en"' in html
    assert survey.questions.get(key="safe_evening").text_en in html


def test_the_final_post_needs_at_most_five_queries(client, survey):
    # Given a respondent on the last page
    page = client.get(url(survey))
    page = post(client, survey, state_of(page), {field(survey, "safe_evening"): "very_safe"})
    page = post(client, survey, state_of(page), {})

    # When the answers are sent
    with CaptureQueriesContext(connection) as queries:
        done = post(client, survey, state_of(page), {field(survey, "gender"): "woman"}, action="submit")

    # Then the whole request (session, CSRF, rate limit, snapshot, insert) stays within five queries
    assert done.status_code == 303
    assert len(queries) <= 5, [q["sql"] for q in queries]


def test_an_invitation_opens_in_its_language(client, survey):
    invitation = InvitationFactory(survey=survey, language="en")
    html = client.get(reverse("surveys:invitation", kwargs={"token": invitation.token})).content.decode()
    assert 'lang="en"' in html
    # and a language the invitee chose wins
    client.cookies["django_language"] = "sv"
    html = client.get(reverse("surveys:invitation", kwargs={"token": invitation.token})).content.decode()
    assert 'lang="sv"' in html


def test_absurd_input_is_refused_not_crashed(client, survey):
    # Deeply nested brackets in the position field, and an overlong token
    page = client.get(url(survey))
    page = post(client, survey, state_of(page), {field(survey, "safe_evening"): "very_safe"})
    map_field = field(survey, "unsafe_places")
    nested = post(client, survey, state_of(page), {f"{map_field}-1-coords": '{"type": ' + "[" * 50_000 + "]" * 50_000 + "}"})
    assert nested.status_code in (200, 400)
    assert client.get(reverse("surveys:respond", kwargs={"token": "x" * 5000})).status_code == 404
    assert Response.objects.count() == 0


def test_answer_pages_are_not_cached(client, survey):
    # A shared tablet's back button must not show the previous respondent's answers
    assert "no-store" in client.get(url(survey))["Cache-Control"]
