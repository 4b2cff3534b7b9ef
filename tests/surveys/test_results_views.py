"""Results pages (SPEC §5.5, §5.6, §11): who sees what, filters, suppression on the page, flat queries."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from surveys.models import MIN_GROUP_SIZE, Answer, Survey

from .factories_results import K, respond, respond_many, results_survey

pytestmark = pytest.mark.django_db

WHY = "Mörk gångtunnel där det luktar urin"
TEXT = "Det behövs fler papperskorgar vid torget"


@pytest.fixture
def built(world):
    built = results_survey(world.project)
    respond_many(built, 6, category="boende", safe="very_unsafe", problems=["litter"], scale="4", number=3,
                 text=TEXT, places=[("unsafe", "evening", 60.15, 16.17, WHY)])
    respond_many(built, 3, category="polis", safe="very_safe", scale="2")
    return built


def url(name, built, **query):
    base = reverse(f"surveys:{name}", kwargs={"project_id": built.survey.project_id, "survey_id": built.survey.pk})
    if query:
        from urllib.parse import urlencode
        base += "?" + urlencode(query)
    return base


ALL_PAGES = ("results", "map_answers", "comparison", "export_summary")
MANAGE_ONLY = ("free_text", "export_csv", "export_xlsx", "export_geojson")


@pytest.mark.parametrize("name", ALL_PAGES + MANAGE_ONLY)
def test_coordinator_sees_every_page(world, client_for, built, name):
    response = client_for(world.project_coordinator).get(url(name, built))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ALL_PAGES)
def test_county_board_sees_aggregates(world, client_for, built, name):
    response = client_for(world.county_officer).get(url(name, built))
    assert response.status_code == 200
    if name != "export_summary":
        body = response.content.decode()
        # then no free text, anywhere on the aggregate pages
        assert WHY not in body and TEXT not in body


@pytest.mark.parametrize("user", ["county_officer", "project_viewer", "member", "coach"])
@pytest.mark.parametrize("name", MANAGE_ONLY)
def test_free_text_and_row_exports_are_for_coordinators_only(world, client_for, built, name, user):
    response = client_for(getattr(world, user)).get(url(name, built))
    assert response.status_code == 403


@pytest.mark.parametrize("name", ALL_PAGES + MANAGE_ONLY)
def test_other_municipality_gets_404(world, client_for, built, name):
    assert client_for(world.other_coordinator).get(url(name, built)).status_code == 404


def test_survey_of_another_project_under_own_project_is_404(world, client_for):
    other = results_survey(world.other_project)
    wrong = reverse("surveys:results", kwargs={"project_id": world.project.pk, "survey_id": other.survey.pk})
    assert client_for(world.project_coordinator).get(wrong).status_code == 404


def test_results_page_shows_indicator_and_suppresses_small_groups(world, client_for, built):
    # given 6 residents feel very unsafe, 3 police very safe and 2 without a category: the indicator is 6/11
    respond_many(built, 2, safe="very_safe")
    response = client_for(world.county_officer).get(url("results", built))
    ctx = response.context
    assert ctx["data"].indicator.unsafe == 6 and ctx["data"].indicator.n == 11
    groups = {g.category: g for g in ctx["groups"]}
    # then the police (3) are suppressed in the group breakdown, the residents shown (everyone but the
    # residents is five people, so the overall figure does not give the police away)
    assert groups["polis"].suppressed and not groups["boende"].suppressed
    assert b"<svg" in response.content and b"role=\"img\"" in response.content


def test_category_filter_below_minimum_shows_nothing(world, client_for, built):
    # when filtering on the police (3 respondents)
    response = client_for(world.county_officer).get(url("results", built, category="polis"))
    # then the whole result is suppressed: no counts, no indicator
    data = response.context["data"]
    assert data.suppressed and data.respondents == 0 and data.questions == [] and data.indicator is None
    assert response.context["groups"] == []


def test_category_filter_at_minimum_shows_the_group(world, client_for, built):
    # (two business owners, so that the filter leaves out five: the three police would be derivable)
    respond_many(built, 2, category="naringsidkare", safe="very_safe")
    response = client_for(world.county_officer).get(url("results", built, category="boende"))
    data = response.context["data"]
    assert not data.suppressed and data.respondents == 6
    assert data.indicator.share == 1.0


def test_date_filter(world, client_for, built):
    old = timezone.localdate() - timedelta(days=30)
    respond_many(built, 5, category="boende", safe="very_safe", on=old)
    response = client_for(world.project_coordinator).get(url("results", built, date_to=old.isoformat()))
    data = response.context["data"]
    assert data.respondents == 5 and data.indicator.unsafe == 0


def test_invalid_date_range_is_ignored_with_an_error(world, client_for, built):
    today = timezone.localdate()
    response = client_for(world.project_coordinator).get(
        url("results", built, date_from=today.isoformat(), date_to=(today - timedelta(days=3)).isoformat()))
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    assert response.context["data"].respondents == 9


def test_htmx_request_renders_the_partial(world, client_for, built):
    response = client_for(world.project_coordinator).get(url("results", built, category="boende"),
                                                         HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body


def test_free_text_page_lists_texts_for_coordinators(world, client_for, built):
    response = client_for(world.project_coordinator).get(url("free_text", built))
    body = response.content.decode()
    assert TEXT in body and WHY in body


def test_free_text_filtered_to_a_small_group_shows_nothing(world, client_for, built):
    respond(built, category="polis", text="Polisens egen kommentar")
    response = client_for(world.project_coordinator).get(url("free_text", built, category="polis"))
    assert response.context["suppressed"] is True
    assert "Polisens egen kommentar" not in response.content.decode()


def test_map_answers_page_why_only_for_coordinators(world, client_for, built):
    coordinator = client_for(world.project_coordinator).get(url("map_answers", built))
    assert WHY in coordinator.content.decode()
    answer = Answer.objects.filter(question=built.q[K.MAP]).first()
    create = reverse("actionplans:create", kwargs={"project_id": world.project.pk})
    assert f"{create}?map_answer={answer.pk}" in coordinator.content.decode()
    viewer = client_for(world.project_viewer).get(url("map_answers", built))
    body = viewer.content.decode()
    assert WHY not in body and "?map_answer=" not in body
    assert viewer.context["map_data"]["points"]


def test_map_table_suppresses_cells_of_few_respondents(world, client_for, built):
    # given 6 respondents marked "unsafe" in the evening, and 2 marked "safe" in the day
    respond_many(built, 2, places=[("safe", "day", 60.151, 16.171, "ok")])
    response = client_for(world.county_officer).get(url("map_answers", built))
    (_question, table), = response.context["tables"]
    rows = {row.category: row for row in table.rows}
    day, evening = 0, 1
    assert rows["unsafe"].cells[evening].count == 6 and rows["unsafe"].total == 6
    assert rows["safe"].cells[day].suppressed and rows["safe"].cells[day].count is None
    # the row total would give the suppressed cell away
    assert rows["safe"].suppressed and rows["safe"].total is None


def test_comparison_page_without_baseline_says_so(world, client_for, built):
    response = client_for(world.county_officer).get(url("comparison", built))
    assert response.status_code == 200 and response.context["comparison"] is None


def test_comparison_page_with_baseline(world, client_for, built):
    followup = results_survey(world.project, kind=Survey.Kind.FOLLOWUP, baseline=built.survey, title="Uppföljning")
    respond_many(followup, 10, category="boende", safe="very_safe", scale="5")
    page = reverse("surveys:comparison", kwargs={"project_id": world.project.pk, "survey_id": followup.survey.pk})
    response = client_for(world.county_officer).get(page)
    comparison = response.context["comparison"]
    assert comparison.indicator.x0 == 6 and comparison.indicator.x1 == 0
    assert b"chart-cmp-indicator" in response.content


def _results_queries(client, built) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url("results", built)).status_code == 200
    return len(ctx.captured_queries)


def test_results_page_query_count_is_flat(world, client_for):
    # given a survey with few responses, then with many more responses and more questions
    built = results_survey(world.project)
    respond_many(built, MIN_GROUP_SIZE, category="boende", safe="very_unsafe", problems=["litter"], scale="3",
                 number=2, text="x", places=[("unsafe", "day", 60.1, 16.1, "y")])
    client = client_for(world.project_coordinator)
    small = _results_queries(client, built)
    respond_many(built, 40, category="polis", safe="rather_safe", problems=["graffiti", "traffic"], scale="5",
                 number=7, text="z", places=[("safe", "night", 60.2, 16.2, "w"), ("unsafe", "day", 60.1, 16.1, "v")])
    more_questions = results_survey(world.project)  # another survey's questions must not matter either
    respond_many(more_questions, 5, safe="dk")
    large = _results_queries(client, built)
    # then the number of queries does not grow
    assert large == small, (small, large)
