"""Pictures of the current-state analysis shared by the web pages and the PDF (ARCHITECTURE.md, "One
picture for web and paper"): the crime trend chart and the layered map of the area.

The map is drawn like trygga_platser.reports.svg.markers_map_svg (same projection and frame, same
marker shapes) but with every layer in its own <g class="map-layer map-layer-<key>">, so the page
can switch layers by hiding groups (static/js/current-state-map.js) and the PDF shows them all.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from trygga_platser.reports.charts import (
    PALETTE,
    RAG,
    Bar,
    Series,
    bar_chart_svg,
    line_chart_svg,
)
from trygga_platser.reports.svg import (
    MARKER_SHAPES,
    map_frame,
    marker_legend_svg,
    marker_shape_svg,
)

from .selectors.crime import CrimeTrend

CHART_MAX_CATEGORIES = 6  # more lines than this cannot be told apart; the table holds them all


def crime_trend_svg(trend: CrimeTrend, *, svg_id: str = "crime-chart", width: int = 640,
                    height: int = 280) -> SafeString:
    """Reported crimes per year: one line per category (the largest ones when there are many) and
    the total when there is more than one category."""
    if trend.is_empty:
        return mark_safe("")
    series = sorted(trend.series, key=lambda s: -sum(v or 0 for v in s[1]))[:CHART_MAX_CATEGORIES]
    lines = [Series(label=label, values=values, colour=PALETTE[i % len(PALETTE)])
             for i, (label, values) in enumerate(series)]
    if len(trend.series) > 1:
        lines.append(Series(label=_("All categories"), values=trend.total, colour=PALETTE[-1]))
    return line_chart_svg(lines, x_labels=[str(y) for y in trend.years], svg_id=svg_id, width=width, height=height,
                          title=_("Police-reported crimes per year"))


# ------------------------------------------------------------------------------------------------
# The layered map
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LayerMarker:
    lon: float
    lat: float
    text: str = ""  # short label drawn beside the marker ("3"), may be empty
    label: str = ""  # tooltip
    colour: str = "#0b5394"


@dataclass
class MapLayer:
    key: str  # "answers", "inspection", "audits", "observations": the CSS class and the checkbox
    label: str
    shape: str  # one of MARKER_SHAPES: the layers are told apart by shape, not colour alone
    colour: str  # the legend colour (markers may be coloured by score)
    markers: Sequence[LayerMarker]
    # Hundreds of survey places drawn as small see-through dots read as density and leave the few
    # scored points on top visible; full-size markers would bury them.
    radius: float = 6
    opacity: float = 1.0

    @property
    def count(self) -> int:
        return len(self.markers)

    @property
    def legend_svg(self) -> SafeString:
        return marker_legend_svg(self.shape, self.colour)


def layered_map_svg(*, area: dict[str, Any] | None, layers: Sequence[MapLayer], title: str, description: str,
                    width: int = 640, height: int = 420, svg_id: str = "current-state-map",
                    legend: bool = False) -> SafeString:
    """The area's polygon and one group of shaped markers per layer; `legend` draws the legend
    inside the picture (for the PDF; the page has an HTML legend with the checkboxes)."""
    rings = (area or {}).get("coordinates") or []
    coords = [tuple(c[:2]) for ring in rings for c in ring] + [(m.lon, m.lat) for layer in layers
                                                                for m in layer.markers]
    if not coords:
        return mark_safe("")
    legend_h = 24 * ((len(layers) + 1) // 2) + 8 if legend else 0
    xy = map_frame(coords, width=width, height=height - legend_h, pad=28)
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
         f'role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" class="area-map layered-map" '
         f'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif">'),
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#f4f6f8"/>',
    ]
    for ring in rings:
        path = " ".join(f"{x},{y}" for x, y in (xy(*c[:2]) for c in ring))
        parts.append(f'<polygon class="map-area" points="{path}" fill="#0b5394" fill-opacity="0.12" '
                     f'stroke="#0b5394" stroke-width="1.5"/>')
    for layer in layers:
        shape = layer.shape if layer.shape in MARKER_SHAPES else "circle"
        see_through = f' fill-opacity="{layer.opacity:g}"' if layer.opacity < 1 else ""
        parts.append(f'<g class="map-layer map-layer-{escape(layer.key)}" data-layer="{escape(layer.key)}"{see_through}>')
        for m in layer.markers:
            x, y = xy(m.lon, m.lat)
            marker = marker_shape_svg(shape, x, y, layer.radius, m.colour,
                                      stroke="#fff" if layer.opacity >= 1 else "none")
            label = ""
            if m.text:
                text = f'x="{x + 9}" y="{y + 4}" font-size="11" font-weight="bold"'
                label = (f'<text {text} fill="#fff" stroke="#fff" stroke-width="3" aria-hidden="true">'
                         f'{escape(m.text)}</text><text {text} fill="#1a1a1a">{escape(m.text)}</text>')
            parts.append(f'<g class="map-marker" data-x="{x}" data-y="{y}"><title>{escape(m.label or m.text)}'
                         f'</title>{marker}{label}</g>')
        parts.append("</g>")
    if legend:
        top = height - legend_h + 8
        for i, layer in enumerate(layers):
            lx, ly = 16 + (i % 2) * (width / 2), top + (i // 2) * 24 + 8
            text = _("%(layer)s (%(count)s)") % {"layer": layer.label, "count": layer.count}
            parts.append(marker_shape_svg(layer.shape, lx, ly, 6, layer.colour, stroke="none"))
            parts.append(f'<text x="{lx + 14}" y="{ly + 4}" font-size="11" fill="#1a1a1a">{escape(text)}</text>')
    parts.append(f'<g transform="translate({width - 28},30)" aria-hidden="true"><path d="M0,-14 L6,6 L0,2 L-6,6 Z" '
                 f'fill="#1a1a1a"/><text y="20" text-anchor="middle" font-size="11" fill="#1a1a1a">N</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


# ------------------------------------------------------------------------------------------------
# The current-state analysis: its layers, its map and its charts
# ------------------------------------------------------------------------------------------------

UNSCORED = "#4a4f55"  # a point without scores: grey, with its "no score" in the tooltip and table
LAYER_STYLE = {
    # key: (shape, legend colour). Inspection points and audits are coloured by score. Drawn in this
    # order: the many survey places first, the numbered inspection points last (on top).
    "answers": ("circle", "#6a3d9a"),
    "observations": ("diamond", "#8a1f5c"),
    "audits": ("triangle", "#00707a"),
    "inspection": ("square", "#0b5394"),
}
LAYER_KEYS = tuple(LAYER_STYLE)
SMALL_MARKERS = {"answers": {"radius": 3.5, "opacity": 0.6}}


def layer_labels() -> dict[str, str]:
    return {
        "answers": _("Places marked in surveys"),
        "observations": _("Site-walk observations"),
        "audits": _("Point audits"),
        "inspection": _("Inspection points"),
    }


def _score_text(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)


def current_state_layers(state) -> list[MapLayer]:
    """The four layers of the nulägesanalys map; tooltips carry no free text and no names."""
    labels = layer_labels()
    colour_words = colour_labels()

    def rag(colour: str | None) -> str:
        return RAG.get(colour or "", UNSCORED)

    def style(key: str) -> tuple[str, str]:
        return LAYER_STYLE[key]

    answers = [LayerMarker(lon=a.lon, lat=a.lat, label=a.category_label, colour=style("answers")[1])
               for a in state.survey.map_answers]
    points = [LayerMarker(
        lon=p.lon, lat=p.lat, text=str(p.number), colour=rag(p.colour),
        label=_("Point %(number)s, %(name)s: mean %(mean)s (%(level)s)") % {
            "number": p.number, "name": p.name, "mean": _score_text(p.mean),
            "level": colour_words.get(p.colour or "", _("not scored"))})
        for p in state.inspection.points]
    audits = [LayerMarker(
        lon=a.lon, lat=a.lat, colour=rag(a.colour),
        label=_("Point audit %(date)s: %(score)s of 100 (%(level)s)") % {
            "date": a.date.isoformat(), "score": _score_text(a.score, 0),
            "level": colour_words.get(a.colour or "", "–")})
        for a in state.audits.audits]
    observations = [LayerMarker(lon=o.lon, lat=o.lat, label=_("Observation: %(category)s") % {
        "category": o.category_label}, colour=style("observations")[1]) for o in state.observations.points]
    markers = {"answers": answers, "inspection": points, "audits": audits, "observations": observations}
    return [MapLayer(key=key, label=labels[key], shape=style(key)[0], colour=style(key)[1], markers=markers[key],
                     **SMALL_MARKERS.get(key, {}))
            for key in LAYER_KEYS]


def colour_labels() -> dict[str, str]:
    return {"red": _("red"), "yellow": _("yellow"), "green": _("green")}


def current_state_map_svg(state, layers: list[MapLayer], *, hidden: Sequence[str] = (), svg_id: str = "cs-map",
                          width: int = 640, height: int = 420, legend: bool = False) -> SafeString:
    counts = "; ".join(f"{layer.label}: {layer.count}" for layer in layers)
    svg = layered_map_svg(
        area=state.project.area, layers=layers, svg_id=svg_id, width=width, height=height, legend=legend,
        title=_("Map of %(place)s with the current-state analysis") % {"place": state.project.place_name
                                                                       or state.project.name},
        description=_("The project area, north up, with %(counts)s. Inspection points and point audits are "
                      "coloured by score: red, yellow or green.") % {"counts": counts},
    )
    for key in hidden:
        # Hidden layers stay in the picture (the script shows them again without a reload).
        svg = mark_safe(svg.replace(f'class="map-layer map-layer-{key}"', f'class="map-layer map-layer-{key} is-hidden"'))
    return svg


def current_state_map_data(state, layers: list[MapLayer]) -> dict[str, Any]:
    """What static/js/current-state-map.js draws on Leaflet (passed with json_script)."""
    return {
        "area": state.project.area or None,
        "layers": [{"key": layer.key, "label": layer.label, "shape": layer.shape, "colour": layer.colour,
                    "radius": layer.radius, "opacity": layer.opacity,
                    "points": [{"lat": m.lat, "lon": m.lon, "label": m.label, "text": m.text, "colour": m.colour}
                               for m in layer.markers]}
                   for layer in layers],
    }


def aspect_chart_svg(state, *, svg_id: str = "cs-aspects", width: int = 640) -> SafeString:
    words = colour_labels()
    rows = [Bar(label=a.name, value=a.mean, colour=RAG.get(a.colour or "", UNSCORED), note=_("Not scored"),
                value_text=f"{_score_text(a.mean)} ({words.get(a.colour or '', '–')})" if a.mean is not None else "")
            for a in state.inspection.aspects]
    if not rows:
        return mark_safe("")
    return bar_chart_svg(rows, title=_("Mean score per aspect (0 alarming – 20 good)"), unit="", max_value=20,
                         decimals=1, svg_id=svg_id, width=width)


def group_chart_svg(state, *, svg_id: str = "cs-groups", width: int = 640) -> SafeString:
    section = state.survey
    if section.indicator is None:
        return mark_safe("")
    too_few = _("Too few answers")
    rows = [Bar(label=_("Everyone"), value=section.indicator.percent, note=too_few)]
    rows += [Bar(label=g.label, value=g.percent, note=too_few) for g in section.groups]
    return bar_chart_svg(rows, title=_("Share who feel unsafe in the evening, by respondent group"), unit="%",
                         max_value=100, svg_id=svg_id, width=width)


def problems_chart_svg(state, *, svg_id: str = "cs-problems", width: int = 640) -> SafeString:
    problems = state.survey.problems
    if not problems:
        return mark_safe("")
    rows = [Bar(label=p.label, value=p.share * 100) for p in problems]
    return bar_chart_svg(rows, title=_("The most often named problems (share of respondents)"), unit="%",
                         max_value=100, svg_id=svg_id, width=width)


def audit_parameter_chart_svg(state, *, svg_id: str = "cs-audit-parameters", width: int = 640) -> SafeString:
    rows = [Bar(label=p.label, value=p.mean) for p in state.audits.parameters]
    if not rows:
        return mark_safe("")
    return bar_chart_svg(rows, title=_("Mean rating per parameter in the point audits (0–3)"), unit="", max_value=3,
                         decimals=1, svg_id=svg_id, width=width)


def current_state_pictures(state, *, prefix: str = "cs", width: int = 640, hidden: Sequence[str] = (),
                           map_height: int = 420, map_legend: bool = False) -> dict[str, Any]:
    """Every picture of the nulägesanalys, for the page (prefix "cs") and the PDF ("pdf")."""
    layers = current_state_layers(state)
    return {
        "layers": layers,
        "score_legend": score_legend(red_below=state.inspection.red_below, green_from=state.inspection.green_from),
        "map_svg": current_state_map_svg(state, layers, hidden=hidden, svg_id=f"{prefix}-map", width=width,
                                         height=map_height, legend=map_legend),
        "group_chart": group_chart_svg(state, svg_id=f"{prefix}-groups", width=width),
        "problems_chart": problems_chart_svg(state, svg_id=f"{prefix}-problems", width=width),
        "aspect_chart": aspect_chart_svg(state, svg_id=f"{prefix}-aspects", width=width),
        "audit_chart": audit_parameter_chart_svg(state, svg_id=f"{prefix}-audit-parameters", width=width),
        "crime_chart": crime_trend_svg(state.crime, svg_id=f"{prefix}-crime", width=width),
    }


def score_legend(*, red_below: int, green_from: int) -> list[dict[str, Any]]:
    """The red/yellow/green levels in words, with their ranges on the 0–20 scale, for legends."""
    words = colour_labels()
    ranges = {"red": f"0–{red_below - 1}", "yellow": f"{red_below}–{green_from - 1}", "green": f"{green_from}–20"}
    return [{"colour": colour, "word": words[colour], "range": ranges[colour],
             "swatch": marker_legend_svg("square", RAG[colour])} for colour in ("red", "yellow", "green")]
