"""The results' pictures, built from the aggregates with the shared SVG primitives
(trygga_platser/reports/charts.py, svg.py), so the web page and a PDF draw the same thing.
Suppressed figures are drawn as "fewer than 5" notes, never as bars."""
from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from trygga_platser.reports.charts import (
    PALETTE,
    Bar,
    Series,
    bar_chart_svg,
    grouped_bar_chart_svg,
)
from trygga_platser.reports.svg import (
    MARKER_SHAPES,
    MapMarker,
    marker_legend_svg,
    markers_map_svg,
)

from .models import MIN_GROUP_SIZE
from .selectors.comparison import Comparison, ProportionChange, QuestionComparison
from .selectors.results import GroupIndicator, Indicator, MapAnswerPoint
from .selectors.results_questions import QuestionResult

# At most this many places are drawn on the printable map (the interactive map shows them all).
SVG_MAP_MAX_MARKERS = 1500


def too_few_note() -> str:
    return _("Fewer than %(min)s answers: not shown") % {"min": MIN_GROUP_SIZE}


def question_chart(result: QuestionResult) -> SafeString | str:
    svg_id = f"chart-q{result.question.pk}"
    title = result.question.localized_text()
    if result.suppressed:
        return ""
    if result.options:
        bars = [Bar(label=o.label, value=o.percent, note=too_few_note() if o.suppressed else "")
                for o in result.options]
        return bar_chart_svg(bars, title=title, unit="%", max_value=100, svg_id=svg_id)
    if result.map and result.map.rows:
        bars = [Bar(label=row.label, value=row.total, note=too_few_note(), colour=category_colour(i))
                for i, row in enumerate(result.map.rows)]
        return bar_chart_svg(bars, title=title, unit="", svg_id=svg_id)
    return ""


def indicator_by_group_chart(overall: Indicator | None, groups: list[GroupIndicator]) -> SafeString | str:
    if not groups:
        return ""
    bars = []
    if overall is not None:
        bars.append(Bar(label=_("All respondents"), value=overall.percent, note=too_few_note(), colour=PALETTE[1]))
    bars += [Bar(label=g.label, value=g.percent, note=too_few_note()) for g in groups]
    return bar_chart_svg(bars, title=_("Feel unsafe late in the evening, by respondent category"), unit="%",
                         max_value=100, svg_id="chart-indicator-groups")


def category_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def category_shape(index: int) -> str:
    return MARKER_SHAPES[index % len(MARKER_SHAPES)]


def map_legend(categories: list[tuple[str, str]]) -> list[dict]:
    """[(value, label)] → legend entries with colour, shape and a small SVG swatch."""
    return [{"value": value, "label": label, "colour": category_colour(i), "shape": category_shape(i),
             "swatch": marker_legend_svg(category_shape(i), category_colour(i))}
            for i, (value, label) in enumerate(categories)]


def map_answers_svg(*, area: dict | None, points: list[MapAnswerPoint], legend: list[dict],
                    title: str) -> SafeString | str:
    style = {entry["value"]: entry for entry in legend}
    markers = []
    for point in points[:SVG_MAP_MAX_MARKERS]:
        entry = style.get(point.category, {})
        markers.append(MapMarker(lon=point.lon, lat=point.lat, text="", label=point.category_label,
                                 colour=entry.get("colour", PALETTE[-1]), shape=entry.get("shape", "circle")))
    description = _("Marked places: %(count)s. The table below counts them by category and time of day.") % {
        "count": len(points)}
    return markers_map_svg(area=area, markers=markers, title=title, description=description, svg_id="answers-map")


def comparison_chart(question: QuestionComparison, baseline_label: str, followup_label: str) -> SafeString | str:
    rows = [r for r in question.rows]
    if not rows or question.is_too_few:
        return ""
    return grouped_bar_chart_svg(
        [r.label for r in rows],
        [Series(label=baseline_label, values=[r.percent0 for r in rows]),
         Series(label=followup_label, values=[r.percent1 for r in rows])],
        title=question.text, unit="%", max_value=100, svg_id=f"chart-cmp-{question.key}",
        missing_note=too_few_note())


def indicator_comparison_chart(change: ProportionChange, baseline_label: str, followup_label: str) -> SafeString | str:
    if change.is_too_few:
        return ""
    return bar_chart_svg([Bar(label=baseline_label, value=change.percent0, colour=PALETTE[0]),
                          Bar(label=followup_label, value=change.percent1, colour=PALETTE[1])],
                         title=change.label, unit="%", max_value=100, svg_id="chart-cmp-indicator")


def comparison_charts(comparison: Comparison) -> dict[str, SafeString | str]:
    baseline_label, followup_label = _("Baseline"), _("Follow-up")
    charts = {"indicator": indicator_comparison_chart(comparison.indicator, baseline_label, followup_label)}
    for question in comparison.questions:
        charts[question.key] = comparison_chart(question, baseline_label, followup_label)
    return charts
