"""Small-group suppression everywhere (SPEC §5.4): fewer than MIN_GROUP_SIZE respondents → no counts and
no shares, on the page, in the aggregate export, for the category filter, per group and in map cells."""
from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from surveys.models import MIN_GROUP_SIZE
from surveys.selectors.results import (
    ResultFilter,
    survey_indicator,
    survey_indicator_by_group,
)
from surveys.selectors.results_questions import survey_results

from ..factories import ProjectFactory
from .factories_results import K, respond_many, results_survey

pytestmark = pytest.mark.django_db

SMALL = MIN_GROUP_SIZE - 1


def url(name, built, **query):
    from urllib.parse import urlencode
    base = reverse(f"surveys:{name}", kwargs={"project_id": built.survey.project_id, "survey_id": built.survey.pk})
    return base + ("?" + urlencode(query) if query else "")


@pytest.fixture
def built(world):
    built = results_survey(world.project)
    respond_many(built, 7, category="boende", safe="very_unsafe", problems=["litter"],
                 places=[("unsafe", "evening", 60.1, 16.1, "a")])
    respond_many(built, SMALL, category="naringsidkare", safe="very_safe", problems=["graffiti"],
                 places=[("safe", "night", 60.2, 16.2, "b")])
    return built


def test_whole_survey_below_minimum_is_suppressed():
    built = results_survey(ProjectFactory())
    respond_many(built, SMALL, safe="very_unsafe")
    results = survey_results(survey=built.survey)
    assert results.suppressed and results.respondents == 0 and results.questions == []
    assert survey_indicator(survey=built.survey).suppressed


def test_small_category_filter_page_shows_no_figures(world, client_for, built):
    response = client_for(world.county_officer).get(url("results", built, category="naringsidkare"))
    data = response.context["data"]
    assert data.suppressed and data.indicator is None
    body = response.content.decode()
    assert "<svg" not in body and 'class="result-table' not in body


def test_small_group_is_suppressed_in_the_indicator_by_group(built):
    groups = {g.category: g for g in survey_indicator_by_group(survey=built.survey)}
    small = groups["naringsidkare"]
    assert small.suppressed and small.share is None and small.n == 0


def test_small_group_is_suppressed_under_a_date_filter_too(built):
    # the filters combine: residents only, and the business owners' indicator stays hidden
    indicator = survey_indicator(survey=built.survey, category="naringsidkare",
                                 filters=ResultFilter(date_from=built.survey.created_at.date()))
    assert indicator.suppressed


def test_map_cells_of_few_respondents_are_suppressed_in_the_aggregate(built):
    table = {qr.question.key: qr for qr in survey_results(survey=built.survey).questions}[K.MAP].map
    rows = {row.category: row for row in table.rows}
    night = [value for value, _label in table.columns].index("night")
    assert rows["safe"].cells[night].suppressed and rows["safe"].cells[night].count is None
    assert rows["safe"].total is None


def test_aggregate_export_of_a_small_filter_has_no_figures(world, client_for, built):
    response = client_for(world.county_officer).get(url("export_summary", built, category="naringsidkare"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 2
    assert not any(cell.strip().isdigit() for row in rows[1:] for cell in row)


def test_aggregate_export_suppresses_map_cells(world, client_for, built):
    response = client_for(world.county_officer).get(url("export_summary", built))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    map_rows = {r[2]: r[3] for r in rows if r[0] == K.MAP}
    assert "7" in map_rows.values()
    assert str(SMALL) not in map_rows.values()


def test_category_filter_choices_carry_no_counts(world, client_for, built):
    response = client_for(world.county_officer).get(url("results", built))
    choices = dict(response.context["form"].fields["category"].choices)
    assert set(choices) == {"", "boende", "naringsidkare"}
    assert all(str(SMALL) not in str(label) for label in choices.values())


def test_background_options_of_small_groups_are_hidden_with_secondary_suppression(built):
    # given 7 residents and 4 business owners answered the category question (respondent category)
    category = {qr.question.key: qr for qr in survey_results(survey=built.survey).questions}[K.CATEGORY]
    options = {o.value: o for o in category.options}
    # then the business owners (4) are hidden, and so are the residents: 11 − 7 would give the 4 away
    assert options["naringsidkare"].suppressed and options["naringsidkare"].count is None
    assert options["boende"].suppressed and options["boende"].share is None
    # an option nobody chose is not a group
    assert options["polis"].count == 0 and not options["polis"].suppressed


def test_background_options_of_large_groups_are_shown():
    built = results_survey(ProjectFactory())
    respond_many(built, 7, category="boende")
    respond_many(built, 5, category="polis")
    category = {qr.question.key: qr for qr in survey_results(survey=built.survey).questions}[K.CATEGORY]
    assert {o.value: o.count for o in category.options} == {"boende": 7, "polis": 5, "naringsidkare": 0}


def test_a_filter_that_leaves_out_fewer_than_five_shows_nothing(built):
    # Given 7 residents and 4 business owners: the residents alone are a group of 7, but the whole
    # survey minus the residents would describe the 4 business owners
    results = survey_results(survey=built.survey, filters=ResultFilter(category="boende"))
    # Then the residents' filtered result is suppressed too (complementary suppression)
    assert results.suppressed and results.questions == []
    # And when enough answered outside the filter, it is shown
    respond_many(built, 1, category="naringsidkare", safe="very_safe")
    shown = survey_results(survey=built.survey, filters=ResultFilter(category="boende"))
    assert not shown.suppressed and shown.respondents == 7


def test_one_hidden_group_hides_the_next_smallest_in_the_indicator_by_group(built):
    # Given residents (7) shown and business owners (4) hidden, the overall indicator minus the
    # residents would give the business owners away
    groups = {g.category: g for g in survey_indicator_by_group(survey=built.survey)}
    # Then the smallest shown group is hidden as well
    assert groups["naringsidkare"].suppressed and groups["boende"].suppressed
    # And with a third, larger group, only the smallest shown one is hidden with the small one
    respond_many(built, 9, category="polis", safe="rather_safe")
    groups = {g.category: g for g in survey_indicator_by_group(survey=built.survey)}
    assert groups["boende"].suppressed and not groups["polis"].suppressed and groups["polis"].n == 9


def test_free_text_under_a_filter_that_leaves_out_fewer_than_five_is_hidden(world, client_for, built):
    # Given 7 residents and 4 business owners: the residents' texts beside everyone's texts would
    # show which texts the 4 business owners wrote
    page = client_for(world.project_coordinator).get(url("free_text", built, category="boende"))
    # Then the filtered list is suppressed, while the unfiltered one shows the texts
    assert page.context["suppressed"] and page.context["page"] is None
    everyone = client_for(world.project_coordinator).get(url("free_text", built))
    assert not everyone.context["suppressed"] and len(everyone.context["page"].object_list) == 11
