"""Survey exports (SPEC §5.5).

Row-level (Perm.MANAGE: they hold free text, SPEC §12.5):
- CSV, one row per response, a column per question key; a multiple choice as one 0/1 column per
  option (`key__value`; empty when the respondent did not answer the question at all); UTF-8 with a
  BOM and ";" so Swedish Excel opens it; free text that looks like a formula is defused.
- XLSX with the same "Responses" sheet and a "Codebook" sheet (column, question, type, values → labels).
- GeoJSON FeatureCollection of the map answers.

Aggregate (Perm.VIEW): the results page's figures as CSV, suppressed like the page (SPEC §5.4).

The row-level exports read two ordered iterators (responses, answers) and merge them, so the query
count stays at a handful and memory flat whatever the number of responses.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Answer, Option, Question, Response, Survey
from .selectors.results import map_category_labels
from .selectors.results_questions import SurveyResults

# A cell starting with one of these is a formula to Excel: free text is written with a leading
# apostrophe, which Excel shows as text (as actionplans/csv_io.py does).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SUPPRESSED_CELL = gettext_lazy("fewer than 5")
BASE_COLUMNS = ("nr", "date", "respondent_category")
CHUNK = 2000


def defuse(value: str) -> str:
    if value and (value.startswith(FORMULA_STARTS) or value.startswith("'")):
        return "'" + value
    return value


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")  # 2.50 → "2.5", 100.00 → "100"


# ------------------------------------------------------------------------------------------------
# Columns and codebook
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str
    question: Question | None
    option: Option | None = None  # multiple choice: one column per option


def _questions(survey: Survey) -> list[Question]:
    return list(Question.objects.filter(survey=survey).order_by("page", "position", "pk").prefetch_related("options"))


def export_columns(questions: list[Question]) -> list[Column]:
    columns = [Column(name, None) for name in BASE_COLUMNS]
    for question in questions:
        if question.kind == Question.Kind.MULTIPLE:
            columns += [Column(f"{question.key}__{o.value}", question, o) for o in question.options.all()]
        else:
            columns.append(Column(question.key, question))
    return columns


def codebook_rows(questions: list[Question]) -> list[list[str]]:
    """[column, question, type, values → labels] for each column of the export."""
    rows = [
        ["nr", _("Row number (not the order of submission)"), "", ""],
        ["date", _("The day the response was submitted"), _("Date"), "YYYY-MM-DD"],
        ["respondent_category", _("Respondent category"), _("Respondent category"), ""],
    ]
    for question in questions:
        kind = str(question.get_kind_display())
        if question.kind == Question.Kind.MULTIPLE:
            for option in question.options.all():
                rows.append([f"{question.key}__{option.value}", f"{question.text} – {option.label}", kind,
                             _("1 = chosen; 0 = not chosen; empty = did not answer the question")])
        elif question.is_choice:
            values = "; ".join(f"{o.value} = {o.label}" for o in question.options.all())
            rows.append([question.key, question.text, kind, values])
        elif question.kind == Question.Kind.MAP:
            labels = "; ".join(f"{k} = {v}" for k, v in map_category_labels(question.config).items())
            rows.append([question.key, question.text, kind,
                         _("The number of places marked (the places themselves are in the GeoJSON export). "
                           "Categories: %(labels)s") % {"labels": labels}])
        elif question.kind == Question.Kind.NUMBER:
            rows.append([question.key, question.text, kind, (question.config or {}).get("unit", "")])
        else:
            rows.append([question.key, question.text, kind, _("Free text")])
    return rows


# ------------------------------------------------------------------------------------------------
# Rows
# ------------------------------------------------------------------------------------------------
def _response_rows(survey: Survey, questions: list[Question], columns: list[Column]) -> Iterator[list]:
    """One list of cell values per response, typed (int, Decimal-as-str, str)."""
    by_pk = {q.pk: q for q in questions}
    option_values = {o.pk: o.value for q in questions for o in q.options.all()}
    index = {c.name: i for i, c in enumerate(columns)}
    multiple_columns = {q.pk: [index[f"{q.key}__{o.value}"] for o in q.options.all()]
                        for q in questions if q.kind == Question.Kind.MULTIPLE}
    responses = (Response.objects.filter(survey=survey).order_by("pk")
                 .values_list("pk", "submitted_on", "respondent_category").iterator(chunk_size=CHUNK))
    answers = (Answer.objects.filter(response__survey=survey).order_by("response_id", "pk")
               .values_list("response_id", "question_id", "option_id", "number", "text").iterator(chunk_size=CHUNK))
    pending = next(answers, None)
    for nr, (pk, submitted_on, category) in enumerate(responses, start=1):
        row: list = [""] * len(columns)
        row[0], row[1], row[2] = nr, submitted_on.isoformat(), category
        while pending is not None and pending[0] == pk:
            _rid, qid, option_id, number, text = pending
            question = by_pk.get(qid)
            if question is not None:
                if question.kind == Question.Kind.MULTIPLE:
                    for i in multiple_columns[qid]:
                        row[i] = row[i] or 0
                    if option_id:
                        row[index[f"{question.key}__{option_values[option_id]}"]] = 1
                elif question.is_choice and option_id:
                    row[index[question.key]] = option_values[option_id]
                elif question.kind == Question.Kind.NUMBER:
                    row[index[question.key]] = _number(number)
                elif question.kind == Question.Kind.MAP:
                    row[index[question.key]] = (row[index[question.key]] or 0) + 1
                elif question.kind == Question.Kind.TEXT:
                    row[index[question.key]] = defuse(text)
            pending = next(answers, None)
        yield row


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def responses_csv_stream(*, survey: Survey) -> Iterator[bytes]:
    """The CSV export as chunks of bytes (for a StreamingHttpResponse)."""
    questions = _questions(survey)
    columns = export_columns(questions)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    yield ("\ufeff" + writer.writerow([c.name for c in columns])).encode("utf-8")
    for row in _response_rows(survey, questions, columns):
        yield writer.writerow(row).encode("utf-8")


def responses_xlsx(*, survey: Survey) -> bytes:
    """The XLSX export: a Responses sheet and a Codebook sheet (openpyxl's write-only mode keeps
    memory flat)."""
    from openpyxl import Workbook

    questions = _questions(survey)
    columns = export_columns(questions)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Responses"))[:31])
    sheet.append([c.name for c in columns])
    number_columns = {i for i, c in enumerate(columns) if c.question and c.question.kind == Question.Kind.NUMBER}
    for row in _response_rows(survey, questions, columns):
        for i in number_columns:
            if row[i] != "":
                row[i] = float(row[i])
        sheet.append([None if v == "" else v for v in row])
    codebook = workbook.create_sheet(str(_("Codebook"))[:31])
    codebook.append([str(_("Column")), str(_("Question")), str(_("Type")), str(_("Values"))])
    for row in codebook_rows(questions):
        codebook.append([defuse(str(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def map_answers_geojson_stream(*, survey: Survey, include_why: bool) -> Iterator[bytes]:
    """The survey's map answers as a GeoJSON FeatureCollection (WGS84). The respondent's "why" only
    when `include_why` (coordinators)."""
    labels = {q.pk: map_category_labels(q.config)
              for q in Question.objects.filter(survey=survey, kind=Question.Kind.MAP)}
    rows = (Answer.objects.filter(question__survey=survey, question__kind=Question.Kind.MAP)
            .order_by("question__position", "response_id", "pk")
            .values_list("pk", "question_id", "question__key", "geometry", "lat", "lon", "map_category",
                         "time_of_day", "text", "response__submitted_on").iterator(chunk_size=CHUNK))
    yield b'{"type": "FeatureCollection", "features": ['
    first = True
    for pk, qid, key, geometry, lat, lon, category, time_of_day, text, submitted_on in rows:
        if not geometry:
            if lat is None or lon is None:
                continue
            geometry = {"type": "Point", "coordinates": [lon, lat]}
        properties = {"id": pk, "question": key, "category": category,
                      "category_label": labels.get(qid, {}).get(category, category),
                      "time_of_day": time_of_day, "date": submitted_on.isoformat()}
        if include_why:
            properties["why"] = text
        feature = json.dumps({"type": "Feature", "geometry": geometry, "properties": properties}, ensure_ascii=False)
        yield (("" if first else ",") + feature).encode("utf-8")
        first = False
    yield b"]}"


# ------------------------------------------------------------------------------------------------
# Aggregates (Perm.VIEW)
# ------------------------------------------------------------------------------------------------
def _percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}".replace(".", ",")


def results_summary_rows(results: SurveyResults) -> Iterable[list[str]]:
    yield [str(_("Question key")), str(_("Question")), str(_("Answer")), str(_("Count")), str(_("Share (%)")),
           str(_("Respondents to the question"))]
    if results.suppressed:
        yield ["", str(_("Fewer than 5 respondents match the filters: nothing is shown.")), "", "", "", ""]
        return
    for qr in results.questions:
        text = qr.question.text
        if qr.suppressed:
            yield [qr.question.key, text, "", str(SUPPRESSED_CELL), "", str(SUPPRESSED_CELL)]
            continue
        n = str(qr.respondents)
        if qr.options:
            for option in qr.options:
                count = str(SUPPRESSED_CELL) if option.suppressed else str(option.count)
                yield [qr.question.key, text, option.label, count, _percent(option.share), n]
        elif qr.numbers:
            s = qr.numbers
            for label, value in ((_("Mean"), s.mean), (_("Median"), s.median), (_("Minimum"), s.minimum),
                                 (_("Maximum"), s.maximum)):
                yield [qr.question.key, text, str(label), "" if value is None else f"{value:g}".replace(".", ","),
                       "", n]
        elif qr.map:
            for row in qr.map.rows:
                for (tod, tod_label), cell in zip(qr.map.columns, row.cells):
                    count = str(SUPPRESSED_CELL) if cell.suppressed else str(cell.count)
                    yield [qr.question.key, text, f"{row.label} – {tod_label}", count, "", n]
        else:
            yield [qr.question.key, text, str(_("Free text (not exported)")), "", "", n]


def results_summary_csv(results: SurveyResults) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in results_summary_rows(results):
        writer.writerow([defuse(str(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
