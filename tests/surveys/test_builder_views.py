"""Builder pages (SPEC §5.1): who may see and change what, the plain POST and the htmx paths, and a
survey list whose query count does not grow with the surveys."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from surveys import indicator
from surveys.models import Option, Question, Survey
from surveys.services import builder as b

from .factories import QuestionFactory, ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, survey=None, project=None, **kwargs):
    project = project or survey.project
    kwargs["project_id"] = project.pk
    if survey is not None:
        kwargs["survey_id"] = survey.pk
    return reverse(f"surveys:{name}", kwargs=kwargs)


@pytest.fixture
def survey(world):
    return b.survey_create(project=world.project, kind=Survey.Kind.SAFETY, user=world.project_coordinator)


def _question(survey, key):
    return survey.questions.get(key=key)


def _routes(survey):
    """Every builder route of `survey`, with the method to try."""
    question = _question(survey, indicator.WORRY_KEY)
    option = question.options.first()
    return [
        ("GET", url("create", project=survey.project)),
        ("GET", url("settings", survey)),
        ("GET", url("builder", survey)),
        ("GET", url("question_add", survey)),
        ("GET", url("question_edit", survey, question_id=question.pk)),
        ("POST", url("question_move", survey, question_id=question.pk)),
        ("GET", url("question_delete", survey, question_id=question.pk)),
        ("GET", url("question_condition", survey, question_id=question.pk)),
        ("POST", url("option_add", survey, question_id=question.pk)),
        ("GET", url("option_edit", survey, option_id=option.pk)),
        ("POST", url("option_move", survey, option_id=option.pk)),
        ("POST", url("option_delete", survey, option_id=option.pk)),
        ("GET", url("delete", survey)),
    ]


# --- access -------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["member", "project_viewer", "county_officer"])
def test_builder_is_forbidden_below_edit(world, client_for, survey, role):
    client = client_for(getattr(world, role))
    for method, address in _routes(survey):
        response = client.get(address) if method == "GET" else client.post(address, {"direction": "up"})
        assert response.status_code == 403, address
    assert Question.objects.filter(survey=survey).count() == len(b.template_for("safety").questions)


@pytest.mark.parametrize("role", ["other_coordinator", "outsider"])
def test_another_municipality_sees_nothing(world, client_for, survey, role):
    client = client_for(getattr(world, role))
    for method, address in [*_routes(survey), ("GET", url("list", project=world.project)),
                            ("GET", url("detail", survey)), ("GET", url("preview", survey))]:
        response = client.get(address) if method == "GET" else client.post(address, {"direction": "up"})
        assert response.status_code == 404, address


def test_a_question_of_another_survey_in_the_same_project_is_not_found(world, client_for, survey):
    other = SurveyFactory(project=world.project)
    question = QuestionFactory(survey=other)
    client = client_for(world.project_coordinator)
    assert client.get(url("question_edit", survey, question_id=question.pk)).status_code == 404
    assert client.post(url("question_move", survey, question_id=question.pk), {"direction": "up"}).status_code == 404


@pytest.mark.parametrize("role", ["member", "project_viewer", "county_officer", "coach"])
def test_list_overview_and_preview_for_everyone_in_the_project(world, client_for, survey, role):
    client = client_for(getattr(world, role))
    listing = client.get(url("list", project=world.project))
    assert listing.status_code == 200
    assert survey.title in listing.content.decode()
    can_create = url("create", project=world.project) in listing.content.decode()
    assert can_create == (role == "coach")
    assert client.get(url("detail", survey)).status_code == 200
    preview = client.get(url("preview", survey))
    assert preview.status_code == 200
    assert _question(survey, indicator.SAFE_EVENING_KEY).text in preview.content.decode()


def test_survey_list_query_count_is_flat(world, client_for):
    client = client_for(world.project_coordinator)

    def make(n):
        for i in range(n):
            survey = SurveyFactory(project=world.project, baseline=Survey.objects.filter(project=world.project).first())
            QuestionFactory.create_batch(2, survey=survey)
            ResponseFactory.create_batch(2, survey=survey)

    # Given two surveys
    make(2)
    client.get(url("list", project=world.project))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("list", project=world.project)).status_code == 200
    # When there are twelve
    make(10)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("list", project=world.project))
    # Then the page asks as many queries, and shows the counts
    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert response.context["surveys"][0].response_count == 2


def test_builder_query_count_is_flat(world, client_for):
    client = client_for(world.coach)
    small_survey = b.survey_create(project=world.project, kind="mapping", user=world.coach)
    large_survey = b.survey_create(project=world.project, kind="safety", user=world.coach)
    client.get(url("builder", small_survey))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("builder", small_survey)).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert client.get(url("builder", large_survey)).status_code == 200
    assert len(large) == len(small)


# --- creating and settings ------------------------------------------------------------------------

def test_create_from_the_bank(world, client_for):
    client = client_for(world.coach)
    assert client.get(url("create", project=world.project)).status_code == 200
    response = client.post(url("create", project=world.project), {"kind": "mapping", "title": ""})
    survey = Survey.objects.get(project=world.project)
    assert response.status_code == 302 and response["Location"] == url("builder", survey)
    assert survey.kind == "mapping" and survey.questions.filter(key=indicator.PLACES_MAP_KEY).exists()


def test_create_a_followup_of_a_baseline(world, client_for, survey):
    client = client_for(world.coach)
    response = client.post(url("create", project=world.project), {"kind": "followup", "baseline": survey.pk})
    assert response.status_code == 302
    followup = Survey.objects.get(project=world.project, kind="followup")
    assert followup.baseline == survey


def test_create_refuses_a_foreign_baseline_and_no_kind(world, client_for):
    foreign = SurveyFactory(project=world.other_project)
    client = client_for(world.coach)
    response = client.post(url("create", project=world.project), {"kind": "followup", "baseline": foreign.pk})
    assert response.status_code == 200 and response.context["form"].errors["baseline"]
    response = client.post(url("create", project=world.project), {})
    assert str(b.UNKNOWN_KIND) in response.context["form"].errors["kind"]
    assert not Survey.objects.filter(project=world.project).exists()


def test_settings(world, client_for, survey):
    client = client_for(world.coach)
    assert client.get(url("settings", survey)).status_code == 200
    response = client.post(url("settings", survey), {"title": "Torget", "title_en": "The square", "intro": "Hej",
                                                     "intro_en": "Hello"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.title, survey.title_en, survey.intro_en) == ("Torget", "The square", "Hello")
    response = client.post(url("settings", survey), {"title": ""})
    assert str(b.TITLE_REQUIRED) in response.context["form"].errors["title"]


def test_delete_survey(world, client_for, survey):
    coach = client_for(world.coach)
    assert coach.get(url("delete", survey)).status_code == 200
    ResponseFactory(survey=survey)
    # a survey with responses: only the coordinator may delete it
    assert coach.post(url("delete", survey)).status_code == 403
    coordinator = client_for(world.project_coordinator)
    response = coordinator.post(url("delete", survey))
    assert response.status_code == 302 and response["Location"] == url("list", project=world.project)
    assert not Survey.objects.filter(pk=survey.pk).exists()


# --- the builder ----------------------------------------------------------------------------------

def test_builder_shows_questions_by_page(world, client_for, survey):
    response = client_for(world.coach).get(url("builder", survey))
    assert response.status_code == 200
    pages = response.context["pages"]
    assert [p.number for p in pages] == [1, 2, 3]
    body = response.content.decode()
    avoided = _question(survey, indicator.AVOID_MAP_KEY)
    assert f'id="question-{avoided.pk}"' in body
    assert response.context["frozen"] is False


def test_add_question_plain_post_and_htmx(world, client_for, survey):
    client = client_for(world.coach)
    response = client.post(url("question_add", survey), {"kind": "single", "text": "Hur ofta?", "page": 1,
                                                         "options_text": "Ofta | Often\nSällan"})
    question = survey.questions.get(text="Hur ofta?")
    assert response.status_code == 302 and response["Location"].endswith(f"#question-{question.pk}")
    assert list(question.options.values_list("label", "label_en")) == [("Ofta", "Often"), ("Sällan", "")]
    assert question.page == 1
    # htmx: the question list comes back, with focus on the new question
    response = client.post(url("question_add", survey), {"kind": "scale", "text": "Hur nöjd?", "page": 4}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'id="builder-questions"' in body
    added = survey.questions.get(text="Hur nöjd?")
    assert f'data-focus-id="question-{added.pk}-heading"' in body
    assert added.page == 4 and added.options.count() == 6
    # htmx with an error: the list again, the form with its error
    response = client.post(url("question_add", survey), {"kind": "single", "text": "", "page": 1}, **HTMX)
    assert response.status_code == 200
    assert str(b.TEXT_REQUIRED) in response.content.decode()


def test_full_question_form_sets_config(world, client_for, survey):
    client = client_for(world.coach)
    assert client.get(url("question_add", survey)).status_code == 200
    response = client.post(url("question_add", survey), {
        "kind": "number", "text": "Hur många gånger?", "page": 1, "config_shown": "1", "min": "0", "max": "10",
        "unit": "ggr"})
    assert response.status_code == 302
    question = survey.questions.get(text="Hur många gånger?")
    assert question.config == {"min": 0.0, "max": 10.0, "unit": "ggr"}


def test_edit_question(world, client_for, survey):
    client = client_for(world.coach)
    question = _question(survey, indicator.IMPROVE_KEY)
    assert client.get(url("question_edit", survey, question_id=question.pk)).status_code == 200
    data = {"kind": "multiple", "text": "Vad hjälper?", "text_en": "What helps?", "page": question.page,
            "key": question.key, "config_shown": "1", "max_choices": "2"}
    response = client.post(url("question_edit", survey, question_id=question.pk), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.config) == ("Vad hjälper?", {"max_choices": 2})


def test_edit_question_once_answered_keeps_kind_and_key(world, client_for, survey):
    ResponseFactory(survey=survey)
    client = client_for(world.coach)
    question = _question(survey, indicator.WORRY_KEY)
    response = client.get(url("question_edit", survey, question_id=question.pk))
    assert response.context["form"].fields["kind"].disabled
    data = {"kind": "text", "key": "changed", "text": "Oroar du dig?", "page": question.page}
    assert client.post(url("question_edit", survey, question_id=question.pk), data).status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.key, question.text) == ("multiple", indicator.WORRY_KEY, "Oroar du dig?")


def test_move_question_plain_and_htmx(world, client_for, survey):
    client = client_for(world.coach)
    worry = _question(survey, indicator.WORRY_KEY)
    response = client.post(url("question_move", survey, question_id=worry.pk), {"direction": "up"})
    assert response.status_code == 302
    keys = list(survey.questions.order_by("page", "position").values_list("key", flat=True))
    assert keys.index(indicator.WORRY_KEY) < keys.index(indicator.SAFE_EVENING_KEY)
    response = client.post(url("question_move", survey, question_id=worry.pk), {"direction": "down"}, **HTMX)
    assert response.status_code == 200
    assert f'data-focus-id="question-{worry.pk}-down"' in response.content.decode()
    # refused: before the question it depends on; the message comes back in the status region
    avoided = _question(survey, indicator.AVOID_MAP_KEY)
    response = client.post(url("question_move", survey, question_id=avoided.pk), {"direction": "up"}, **HTMX)
    assert str(b.ORDER_BREAKS_CONDITION) in response.content.decode()
    assert 'hx-swap-oob="innerHTML:#builder-status"' in response.content.decode()


def test_delete_question(world, client_for, survey):
    client = client_for(world.coach)
    visit = _question(survey, indicator.VISIT_KEY)
    assert client.get(url("question_delete", survey, question_id=visit.pk)).status_code == 200
    assert client.post(url("question_delete", survey, question_id=visit.pk)).status_code == 302
    assert not survey.questions.filter(key=indicator.VISIT_KEY).exists()
    attractive = _question(survey, indicator.ATTRACTIVE_KEY)
    response = client.post(url("question_delete", survey, question_id=attractive.pk), **HTMX)
    assert response.status_code == 200 and 'id="builder-questions"' in response.content.decode()
    assert not survey.questions.filter(pk=attractive.pk).exists()


def test_delete_question_refused_once_answered(world, client_for, survey):
    ResponseFactory(survey=survey)
    client = client_for(world.coach)
    visit = _question(survey, indicator.VISIT_KEY)
    response = client.post(url("question_delete", survey, question_id=visit.pk), follow=True)
    assert str(b.HAS_RESPONSES) in response.content.decode()
    assert survey.questions.filter(pk=visit.pk).exists()
    # and the builder no longer offers to remove
    body = client.get(url("builder", survey)).content.decode()
    assert url("question_delete", survey, question_id=visit.pk) not in body


def test_condition(world, client_for, survey):
    client = client_for(world.coach)
    anything = _question(survey, "anything_else")
    avoids = _question(survey, indicator.AVOIDS_KEY)
    response = client.get(url("question_condition", survey, question_id=anything.pk))
    assert response.status_code == 200
    candidates = [q.key for q, _choices in response.context["form"].groups]
    assert indicator.AVOIDS_KEY in candidates and "anything_else" not in candidates
    assert indicator.UNSAFE_MAP_KEY not in candidates  # a map is not a choice
    response = client.post(url("question_condition", survey, question_id=anything.pk),
                           {"answers": [f"{avoids.pk}:yes_often"]})
    assert response.status_code == 302
    anything.refresh_from_db()
    assert (anything.condition_question, anything.condition_values) == (avoids, ["yes_often"])
    safe_day = _question(survey, indicator.SAFE_DAY_KEY)
    response = client.post(url("question_condition", survey, question_id=anything.pk),
                           {"answers": [f"{avoids.pk}:no", f"{safe_day.pk}:very_safe"]})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url("question_condition", survey, question_id=anything.pk), {})
    anything.refresh_from_db()
    assert anything.condition_question is None


def test_options(world, client_for, survey):
    client = client_for(world.coach)
    worry = _question(survey, indicator.WORRY_KEY)
    response = client.post(url("option_add", survey, question_id=worry.pk), {"label": "Bedrägeri",
                                                                             "label_en": "Fraud"}, **HTMX)
    assert response.status_code == 200
    assert f'data-focus-id="question-{worry.pk}-new-option"' in response.content.decode()
    fraud = worry.options.get(label="Bedrägeri")
    assert client.get(url("option_edit", survey, option_id=fraud.pk)).status_code == 200
    response = client.post(url("option_edit", survey, option_id=fraud.pk), {"label": "Bedrägerier",
                                                                            "label_en": "Frauds", "value": "fraud"})
    assert response.status_code == 302
    fraud.refresh_from_db()
    assert (fraud.label, fraud.value) == ("Bedrägerier", "fraud")
    assert client.post(url("option_move", survey, option_id=fraud.pk), {"direction": "up"}).status_code == 302
    values = list(worry.options.order_by("position").values_list("value", flat=True))
    assert values[-2] == "fraud"
    assert client.post(url("option_delete", survey, option_id=fraud.pk)).status_code == 302
    assert not Option.objects.filter(pk=fraud.pk).exists()
    # a fixed option cannot be removed: the message says why
    age_option = _question(survey, indicator.AGE_KEY).options.first()
    response = client.post(url("option_delete", survey, option_id=age_option.pk), **HTMX)
    assert str(b.FIXED_OPTIONS) in response.content.decode()


def test_preview_shows_conditions(world, client_for, survey):
    response = client_for(world.coach).get(url("preview", survey))
    body = response.content.decode()
    avoids = _question(survey, indicator.AVOIDS_KEY)
    assert avoids.text in body and "disabled" in body
    assert len(response.context["pages"]) == 3


def test_survey_nav_links(world, client_for, survey):
    body = client_for(world.coach).get(url("detail", survey)).content.decode()
    assert url("builder", survey) in body
    assert 'aria-current="page"' in body
    assert _("Overview") in body


def test_indicator_question_form_keeps_its_structure(world, client_for, survey):
    client = client_for(world.coach)
    evening = _question(survey, indicator.SAFE_EVENING_KEY)
    response = client.get(url("question_edit", survey, question_id=evening.pk))
    assert response.context["form"].fields["kind"].disabled and response.context["form"].fields["key"].disabled
    data = {"kind": "text", "key": "x", "text": "Hur trygg sent?", "page": evening.page}
    assert client.post(url("question_edit", survey, question_id=evening.pk), data).status_code == 302
    evening.refresh_from_db()
    assert (evening.kind, evening.key, evening.text) == ("single", indicator.SAFE_EVENING_KEY, "Hur trygg sent?")
    option = evening.options.get(value="dk")
    data = {"label": "Vet inte", "label_en": "Don't know", "value": "other", "is_missing": ""}
    assert client.post(url("option_edit", survey, option_id=option.pk), data).status_code == 302
    option.refresh_from_db()
    assert (option.label, option.value, option.is_missing) == ("Vet inte", "dk", True)
    body = client.get(url("builder", survey)).content.decode()
    assert url("option_delete", survey, option_id=option.pk) not in body
    assert url("option_add", survey, question_id=evening.pk) not in body


def test_preview_in_english(world, client_for, survey):
    client = client_for(world.coach)
    evening = _question(survey, indicator.SAFE_EVENING_KEY)
    swedish = client.get(url("preview", survey)).content.decode()
    english = client.get(url("preview", survey) + "?sprak=en").content.decode()
    assert evening.text in swedish and evening.text_en not in swedish
    assert evening.text_en in english and evening.text not in english
    assert 'lang="en"' in english


def test_map_categories_in_the_question_form(world, client_for):
    survey = b.survey_create(project=world.project, kind="mapping", user=world.coach)
    places = _question(survey, indicator.PLACES_MAP_KEY)
    client = client_for(world.coach)
    form = client.get(url("question_edit", survey, question_id=places.pk)).context["form"]
    assert form.initial["categories_text"].splitlines()[0] == "unsafe | Otrygg | Unsafe"
    data = {"kind": "map", "key": places.key, "text": places.text, "page": 1, "config_shown": "1",
            "geometries": ["point", "area"], "ask_time": "on",
            "categories_text": "unsafe | Otrygg | Unsafe\nBullrigt\n"}
    assert client.post(url("question_edit", survey, question_id=places.pk), data).status_code == 302
    places.refresh_from_db()
    assert places.config["geometries"] == ["point", "area"]
    assert [c["value"] for c in places.config["categories"]] == ["unsafe", "bullrigt"]
    data["categories_text"] = "unsafe | Otrygg\nunsafe | Igen"
    response = client.post(url("question_edit", survey, question_id=places.pk), data)
    assert response.status_code == 200 and response.context["form"].errors["categories_text"]
