"""Survey results (SPEC §5.5, §5.6): the results page with filters, charts and tables; the free-text
answers; the map answers; the exports; the comparison of a follow-up with its baseline.

Who sees what (SPEC §2, §5.4, §12.5):
- aggregates (results, map answers as points and counts, comparison, the aggregate CSV): Perm.VIEW,
  county boards included — every group of fewer than MIN_GROUP_SIZE respondents suppressed;
- free text (text answers, the "why" of map answers) and the row-level exports: Perm.MANAGE only.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from trygga_platser.tenancy.access import Perm, project_child_get, project_get_for_user

from .. import exports
from ..forms.results import ResultFilterForm
from ..indicator import SAFE_EVENING_KEY
from ..models import MIN_GROUP_SIZE, Answer, Survey
from ..results_charts import (
    comparison_charts,
    indicator_by_group_chart,
    map_answers_svg,
    map_legend,
    question_chart,
)
from ..selectors.comparison import COMPARISON_METHOD, EXPECTED_MIN, survey_comparison
from ..selectors.results import (
    MapAnswerPoint,
    filter_suppresses,
    map_category_labels,
    respondent_categories,
    survey_indicator_by_group,
)
from ..selectors.results_map import TIME_COLUMNS, survey_map_answers
from ..selectors.results_questions import free_text_answers, survey_results

SURVEY_NAV = "surveys/_survey_nav.html"
FREE_TEXT_PER_PAGE = 50
MAP_ANSWERS_PER_PAGE = 100


def _survey(request: HttpRequest, project_id: int, survey_id: int, perm: Perm):
    project = project_get_for_user(user=request.user, project_id=project_id, perm=perm)
    survey = project_child_get(Survey.objects.select_related("baseline"), project=project, pk=survey_id)
    survey.project = project  # the resolved project, carrying `.access`
    return project, survey


def _survey_nav() -> str:
    """The surveys' sub-navigation, once its template exists (another module writes it)."""
    try:
        get_template(SURVEY_NAV)
    except TemplateDoesNotExist:
        return ""
    return SURVEY_NAV


def _page_context(project, survey, **extra) -> dict:
    return {"project": project, "survey": survey, "survey_nav": _survey_nav(), "min_group": MIN_GROUP_SIZE, **extra}


def _filter_form(request: HttpRequest, survey: Survey) -> ResultFilterForm:
    data = request.GET if any(k in request.GET for k in ("category", "date_from", "date_to")) else None
    return ResultFilterForm(data, categories=respondent_categories(survey=survey))


def _attachment(response: HttpResponse, survey: Survey, suffix: str) -> HttpResponse:
    filename = f"{slugify(survey.title) or 'enkat'}-{suffix}-{timezone.localdate().isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _action_create_url(project) -> str:
    try:
        return reverse("actionplans:create", kwargs={"project_id": project.pk})
    except NoReverseMatch:
        return ""


# ------------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------------
@login_required
@require_GET
@vary_on_headers("HX-Request")
def results(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project, survey = _survey(request, project_id, survey_id, Perm.VIEW)
    form = _filter_form(request, survey)
    filters = form.result_filter()
    data = survey_results(survey=survey, filters=filters)
    groups = [] if data.suppressed or filters.category else survey_indicator_by_group(survey=survey, filters=filters)
    rows = [{"result": qr, "chart": question_chart(qr)} for qr in data.questions]
    context = _page_context(
        project, survey, form=form, filters=filters, data=data, rows=rows, groups=groups,
        groups_chart=indicator_by_group_chart(data.indicator, groups), query=request.GET.urlencode(),
        has_indicator=any(qr.question.key == SAFE_EVENING_KEY for qr in data.questions))
    if request.htmx:
        return render(request, "surveys/results/results.html#results", context)
    return render(request, "surveys/results/results.html", context)


@login_required
@require_GET
def free_text(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project, survey = _survey(request, project_id, survey_id, Perm.MANAGE)
    form = _filter_form(request, survey)
    filters = form.result_filter()
    # A filter that matches, or leaves out, fewer than MIN_GROUP_SIZE respondents shows no texts either:
    # a few texts of a small known group point at people (SPEC §5.4).
    suppressed = filter_suppresses(survey=survey, filters=filters)
    page = None
    if not suppressed:
        page = Paginator(free_text_answers(survey=survey, filters=filters), FREE_TEXT_PER_PAGE).get_page(
            request.GET.get("page"))
        for answer in page.object_list:
            if answer.map_category:
                labels = map_category_labels(answer.question.config)
                answer.category_label = labels.get(answer.map_category, answer.map_category)
    return render(request, "surveys/results/free_text.html", _page_context(
        project, survey, form=form, page=page, suppressed=suppressed, query=_without_page(request)))


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# ------------------------------------------------------------------------------------------------
# Map answers
# ------------------------------------------------------------------------------------------------
@login_required
@require_GET
def map_answers(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project, survey = _survey(request, project_id, survey_id, Perm.VIEW)
    can_manage = project.access.can_manage
    found = survey_map_answers(survey=survey, category=request.GET.get("category", ""),
                               time_of_day=request.GET.get("time_of_day", ""), with_text=can_manage)
    legend = map_legend(list(found.categories.items()))
    points = [_point(row) for row in found.rows]
    time_labels = {value: str(label) for value, label in TIME_COLUMNS}
    create_url = _action_create_url(project) if project.access.can_edit else ""
    page = Paginator(found.rows, MAP_ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row["time_label"] = time_labels.get(row["time_of_day"], "")
        row["action_url"] = f"{create_url}?map_answer={row['pk']}" if create_url else ""
    map_data = {
        "categories": [{"value": e["value"], "label": str(e["label"]), "colour": e["colour"], "shape": e["shape"]}
                       for e in legend],
        "times": time_labels,
        # Every place (the script filters them as the selects change, without a reload).
        "points": [{"lat": lat, "lon": lon, "c": c, "t": t} for lat, lon, c, t in found.all_points],
    }
    svg_map = map_answers_svg(area=project.area, points=points, legend=legend,
                              title=_("Marked places: %(survey)s") % {"survey": survey.title})
    return render(request, "surveys/results/map_answers.html", _page_context(
        project, survey, legend=legend, page=page, count=len(found.rows),
        tables=[(q, found.tables.get(q.pk)) for q in found.questions],
        svg_map=svg_map, map_data=map_data, map_tile_url=settings.MAP_TILE_URL,
        map_tile_attribution=settings.MAP_TILE_ATTRIBUTION, can_manage=can_manage,
        categories=list(found.categories.items()), times=list(Answer.TimeOfDay.choices),
        chosen_category=found.category, chosen_time=found.time_of_day, query=_without_page(request)))


def _point(row: dict) -> MapAnswerPoint:
    return MapAnswerPoint(pk=row["pk"], lat=row["lat"], lon=row["lon"], category=row["map_category"],
                          category_label=row["category_label"], time_of_day=row["time_of_day"], survey_id=0)


# ------------------------------------------------------------------------------------------------
# Exports
# ------------------------------------------------------------------------------------------------
@login_required
@require_GET
def export_csv(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    _project, survey = _survey(request, project_id, survey_id, Perm.MANAGE)
    response = StreamingHttpResponse(exports.responses_csv_stream(survey=survey), content_type="text/csv; charset=utf-8")
    return _attachment(response, survey, "svar.csv")


@login_required
@require_GET
def export_xlsx(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    _project, survey = _survey(request, project_id, survey_id, Perm.MANAGE)
    response = HttpResponse(exports.responses_xlsx(survey=survey),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return _attachment(response, survey, "svar.xlsx")


@login_required
@require_GET
def export_geojson(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project, survey = _survey(request, project_id, survey_id, Perm.MANAGE)
    response = StreamingHttpResponse(
        exports.map_answers_geojson_stream(survey=survey, include_why=project.access.can_manage),
        content_type="application/geo+json")
    return _attachment(response, survey, "kartsvar.geojson")


@login_required
@require_GET
def export_summary(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    """The results page's figures under its filters, suppressed like the page (Perm.VIEW)."""
    _project, survey = _survey(request, project_id, survey_id, Perm.VIEW)
    filters = _filter_form(request, survey).result_filter()
    data = survey_results(survey=survey, filters=filters)
    response = HttpResponse(exports.results_summary_csv(data), content_type="text/csv; charset=utf-8")
    return _attachment(response, survey, "resultat.csv")


# ------------------------------------------------------------------------------------------------
# Comparison
# ------------------------------------------------------------------------------------------------
@login_required
@require_GET
def comparison(request: HttpRequest, project_id: int, survey_id: int) -> HttpResponse:
    project, survey = _survey(request, project_id, survey_id, Perm.VIEW)
    data = survey_comparison(survey=survey)
    charts = comparison_charts(data) if data else {}
    return render(request, "surveys/results/comparison.html", _page_context(
        project, survey, comparison=data, indicator_chart=charts.get("indicator", ""),
        indicator_rows=[data.indicator] if data else [],
        questions=[{"question": q, "chart": charts.get(q.key, "")} for q in (data.questions if data else [])],
        method=COMPARISON_METHOD % {"min": MIN_GROUP_SIZE, "expected": EXPECTED_MIN}))
