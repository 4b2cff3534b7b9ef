"""Exports (SPEC §5.5): row-level CSV, XLSX with a codebook, GeoJSON; the aggregate CSV. Each is parsed
back and checked value by value."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from surveys import exports
from surveys.selectors.results import ResultFilter
from surveys.selectors.results_questions import survey_results

from ..factories import ProjectFactory
from .factories_results import K, respond, respond_many, results_survey

pytestmark = pytest.mark.django_db

DAY = date(2026, 5, 4)


@pytest.fixture
def built():
    built = results_survey(ProjectFactory())
    respond(built, category="boende", safe="very_unsafe", problems=["litter", "graffiti"], scale="4", number=2.5,
            text="=HYPERLINK(\"http://evil\")", places=[("unsafe", "evening", 60.1, 16.2, "Mörkt"),
                                                     ("safe", "day", 60.2, 16.3, "Ljust")], on=DAY)
    respond(built, category="polis", safe="dk", problems=[], scale="dk", on=DAY)
    return built


def _csv_rows(built) -> list[dict]:
    data = b"".join(exports.responses_csv_stream(survey=built.survey))
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_one_row_per_response_with_option_columns(built):
    rows = _csv_rows(built)
    assert len(rows) == 2
    first = next(r for r in rows if r["respondent_category"] == "boende")
    second = next(r for r in rows if r["respondent_category"] == "polis")
    assert first["date"] == "2026-05-04"
    assert first[K.SAFE] == "very_unsafe" and second[K.SAFE] == "dk"
    assert first[K.CATEGORY] == "boende"
    # multiple choice: one 0/1 column per option; empty when the question was not answered
    assert first[f"{K.PROBLEMS}__litter"] == "1" and first[f"{K.PROBLEMS}__graffiti"] == "1"
    assert first[f"{K.PROBLEMS}__traffic"] == "0"
    assert second[f"{K.PROBLEMS}__litter"] == ""
    assert first[K.SCALE] == "4" and second[K.SCALE] == "dk"
    assert first[K.NUMBER] == "2.5" and second[K.NUMBER] == ""
    assert first[K.MAP] == "2"
    # free text that Excel would run as a formula is defused
    assert first[K.TEXT] == "'=HYPERLINK(\"http://evil\")"
    assert sorted(r["nr"] for r in rows) == ["1", "2"]


def test_csv_header_order_follows_the_questions(built):
    header = b"".join(exports.responses_csv_stream(survey=built.survey)).decode("utf-8-sig").splitlines()[0]
    columns = header.split(";")
    assert columns[:3] == ["nr", "date", "respondent_category"]
    assert columns.index(K.CATEGORY) < columns.index(K.SAFE) < columns.index(f"{K.PROBLEMS}__litter")


def test_csv_query_count_is_flat():
    built = results_survey(ProjectFactory())
    respond_many(built, 3, safe="very_safe", problems=["litter"])
    with CaptureQueriesContext(connection) as small:
        b"".join(exports.responses_csv_stream(survey=built.survey))
    respond_many(built, 30, safe="very_unsafe", problems=["litter", "traffic"], number=4, text="t")
    with CaptureQueriesContext(connection) as large:
        rows = b"".join(exports.responses_csv_stream(survey=built.survey)).decode("utf-8-sig").splitlines()
    assert len(rows) == 34
    assert len(large.captured_queries) == len(small.captured_queries)


def test_xlsx_has_responses_and_codebook(built):
    workbook = load_workbook(io.BytesIO(exports.responses_xlsx(survey=built.survey)))
    responses, codebook = workbook.worksheets
    table = [list(row) for row in responses.iter_rows(values_only=True)]
    header, rows = table[0], table[1:]
    assert len(rows) == 2
    first = dict(zip(header, next(r for r in rows if r[2] == "boende")))
    assert first[K.NUMBER] == 2.5 and first[f"{K.PROBLEMS}__litter"] == 1 and first[f"{K.PROBLEMS}__traffic"] == 0
    assert first[K.SAFE] == "very_unsafe"
    assert first[K.TEXT].startswith("'=")
    book = {row[0]: row for row in codebook.iter_rows(min_row=2, values_only=True)}
    assert set(header) <= set(book)
    assert "very_unsafe = Etikett very_unsafe" in book[K.SAFE][3]
    assert book[K.SAFE][1] == built.q[K.SAFE].text
    assert book[f"{K.PROBLEMS}__litter"][1].endswith("Etikett litter")


def test_geojson_feature_collection(built):
    data = json.loads(b"".join(exports.map_answers_geojson_stream(survey=built.survey, include_why=True)))
    assert data["type"] == "FeatureCollection"
    features = sorted(data["features"], key=lambda f: f["properties"]["category"])
    assert [f["properties"]["category"] for f in features] == ["safe", "unsafe"]
    unsafe = features[1]
    assert unsafe["geometry"] == {"type": "Point", "coordinates": [16.2, 60.1]}
    assert unsafe["properties"] | {"id": 0} == {"id": 0, "question": K.MAP, "category": "unsafe",
                                                 "category_label": "Otrygg", "time_of_day": "evening",
                                                 "date": "2026-05-04", "why": "Mörkt"}
    without = json.loads(b"".join(exports.map_answers_geojson_stream(survey=built.survey, include_why=False)))
    assert all("why" not in f["properties"] for f in without["features"])


def test_geojson_empty_survey_is_valid():
    built = results_survey(ProjectFactory())
    data = json.loads(b"".join(exports.map_answers_geojson_stream(survey=built.survey, include_why=False)))
    assert data == {"type": "FeatureCollection", "features": []}


def _summary(results) -> list[list[str]]:
    text = exports.results_summary_csv(results).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_aggregate_csv_has_counts_and_shares():
    built = results_survey(ProjectFactory())
    respond_many(built, 6, category="boende", safe="very_unsafe")
    respond_many(built, 2, category="boende", safe="very_safe")
    rows = _summary(survey_results(survey=built.survey))
    safe = {r[2]: r for r in rows if r[0] == K.SAFE}
    assert safe["Etikett very_unsafe"][3:] == ["6", "75,0", "8"]
    assert safe["Etikett very_safe"][3:] == ["2", "25,0", "8"]


def test_aggregate_csv_suppresses_a_small_category_filter():
    built = results_survey(ProjectFactory())
    respond_many(built, 6, category="boende", safe="very_unsafe")
    respond_many(built, 3, category="polis", safe="very_safe")
    rows = _summary(survey_results(survey=built.survey, filters=ResultFilter(category="polis")))
    # header + one line saying nothing is shown; no figures at all
    assert len(rows) == 2 and not any(cell.isdigit() for cell in rows[1])


def test_aggregate_csv_suppresses_small_questions():
    built = results_survey(ProjectFactory())
    respond_many(built, 6, safe="very_unsafe")
    respond_many(built, 2, problems=["litter"])  # only 2 answered the problems question
    rows = _summary(survey_results(survey=built.survey))
    problems = [r for r in rows if r[0] == K.PROBLEMS]
    assert len(problems) == 1 and problems[0][3] == str(exports.SUPPRESSED_CELL) and problems[0][2] == ""


def _download(client, name, survey):
    from django.urls import reverse
    return client.get(reverse(f"surveys:{name}", kwargs={"project_id": survey.project_id, "survey_id": survey.pk}))


def test_downloads_through_the_views(world, client_for):
    built = results_survey(world.project)
    respond_many(built, 5, category="boende", safe="very_unsafe", places=[("unsafe", "night", 60.1, 16.1, "Mörkt")])
    client = client_for(world.project_coordinator)

    response = _download(client, "export_csv", built.survey)
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"), newline=""),
                               delimiter=";"))
    assert len(rows) == 5 and {r[K.SAFE] for r in rows} == {"very_unsafe"}

    response = _download(client, "export_xlsx", built.survey)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.worksheets[0].max_row == 6 and len(workbook.worksheets) == 2

    response = _download(client, "export_geojson", built.survey)
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(b"".join(response.streaming_content))
    assert len(data["features"]) == 5 and data["features"][0]["properties"]["why"] == "Mörkt"
