"""Server-rendered SVG shared by web pages and PDFs (ARCHITECTURE.md, "One picture for web and paper").

Drawn from data alone (no tiles, no network), each picture with a title and description so screen
readers and tagged PDFs carry a text alternative.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class MapPoint:
    lon: float
    lat: float
    label: str = ""
    colour: str = "#0b5394"


def _project(lon: float, lat: float, lat0: float) -> tuple[float, float]:
    # Equirectangular with the longitude scaled at the area's latitude: true enough for a town centre.
    return lon * math.cos(math.radians(lat0)), -lat


def map_frame(coords: list[tuple[float, float]], *, width: int, height: int, pad: int):
    """A function placing (lon, lat) in a width × height picture that holds every coordinate,
    north up, centred, keeping proportions (a very thin area still gets some room)."""
    lat0 = sum(c[1] for c in coords) / len(coords)
    projected = [_project(x, y, lat0) for x, y in coords]
    minx, maxx = min(p[0] for p in projected), max(p[0] for p in projected)
    miny, maxy = min(p[1] for p in projected), max(p[1] for p in projected)
    span = max(maxx - minx, maxy - miny, 1e-6)
    scale = min((width - 2 * pad) / max(maxx - minx, span * 0.2), (height - 2 * pad) / max(maxy - miny, span * 0.2))
    offx = (width - (maxx - minx) * scale) / 2
    offy = (height - (maxy - miny) * scale) / 2

    def xy(lon: float, lat: float) -> tuple[float, float]:
        px, py = _project(lon, lat, lat0)
        return (round(offx + (px - minx) * scale, 1), round(offy + (py - miny) * scale, 1))

    return xy


def area_map_svg(
    *,
    area: dict[str, Any] | None,
    points: Iterable[MapPoint] = (),
    title: str,
    description: str,
    width: int = 640,
    height: int = 400,
    svg_id: str = "area-map",
) -> SafeString:
    rings = (area or {}).get("coordinates") or []
    pts = list(points)
    coords = [tuple(c) for ring in rings for c in ring] + [(p.lon, p.lat) for p in pts]
    if not coords:
        return mark_safe("")
    xy = map_frame(coords, width=width, height=height, pad=24)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" class="area-map">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#f4f6f8"/>',
    ]
    for ring in rings:
        path = " ".join(f"{x},{y}" for x, y in (xy(*c[:2]) for c in ring))
        parts.append(f'<polygon points="{path}" fill="#0b5394" fill-opacity="0.15" stroke="#0b5394" stroke-width="2"/>')
    for p in pts:
        x, y = xy(p.lon, p.lat)
        parts.append(f'<circle cx="{x}" cy="{y}" r="6" fill="{escape(p.colour)}" stroke="#fff" stroke-width="1.5">'
                     f"<title>{escape(p.label)}</title></circle>")
    # A north arrow: the map is drawn north-up.
    parts.append(f'<g transform="translate({width - 28},30)" aria-hidden="true"><path d="M0,-14 L6,6 L0,2 L-6,6 Z" '
                 f'fill="#1a1a1a"/><text y="20" text-anchor="middle" font-size="11" fill="#1a1a1a">N</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class TimelineRow:
    label: str
    start: "date"
    end: "date"
    progress: float  # 0..1, share of activities done
    state: str  # "complete", "current", "behind" or "upcoming"


_TIMELINE_COLOURS = {
    # fill, text colour for the bar label; all pairs meet 4.5:1 contrast
    "complete": ("#1d6b33", "#ffffff"),
    "current": ("#0b5394", "#ffffff"),
    "behind": ("#a3191b", "#ffffff"),
    "upcoming": ("#dfe5ec", "#1a1a1a"),
}


def timeline_svg(
    *,
    rows: list[TimelineRow],
    today: "date",
    title: str,
    description: str,
    today_label: str,
    month_labels: list[str],
    width: int = 760,
    svg_id: str = "timeline",
) -> SafeString:
    """Steps against their planned dates with a today marker; `month_labels` are the 12 month
    abbreviations in the reader's language (the caller translates)."""
    from datetime import date as _date

    if not rows:
        return mark_safe("")
    start = min(r.start for r in rows)
    end = max(r.end for r in rows)
    start = _date(start.year, start.month, 1)
    span_days = max((end - start).days + 1, 1)
    label_w, pad_r, top, row_h, bar_h = 210, 16, 34, 34, 20
    height = top + row_h * len(rows) + 14
    plot_w = width - label_w - pad_r

    def x(day: "_date") -> float:
        return round(label_w + plot_w * ((day - start).days / span_days), 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" class="timeline" font-family="Liberation Sans, '
        f'DejaVu Sans, Arial, sans-serif">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
    ]
    # Month grid: a line and label at each month start; labels thinned so they never collide.
    months = []
    cursor = start
    while cursor <= end:
        months.append(cursor)
        cursor = _date(cursor.year + (cursor.month // 12), cursor.month % 12 + 1, 1)
    # A label with a year ("Sep 2025") needs about 60 px; thin the labels so none overlap, and name
    # the year on the first label and whenever it changes.
    step_every = max(1, math.ceil(60 / (plot_w / len(months))))
    last_year = None
    for index, month in enumerate(months):
        mx = x(month)
        parts.append(f'<line x1="{mx}" y1="{top - 6}" x2="{mx}" y2="{height - 10}" stroke="#c5ccd3" stroke-width="1"/>')
        if index % step_every == 0:
            text = month_labels[month.month - 1] + (f" {month.year}" if month.year != last_year else "")
            last_year = month.year
            parts.append(f'<text x="{mx + 3}" y="{top - 12}" font-size="11" fill="#4a4f55">{escape(text)}</text>')
    for index, row in enumerate(rows):
        y = top + index * row_h + (row_h - bar_h) / 2
        fill, ink = _TIMELINE_COLOURS.get(row.state, _TIMELINE_COLOURS["upcoming"])
        x0, x1 = x(row.start), x(row.end) + max(plot_w / span_days, 1)
        parts.append(f'<text x="0" y="{y + bar_h - 5}" font-size="12.5" fill="#1a1a1a">{escape(row.label)}</text>')
        parts.append(f'<rect x="{x0}" y="{y}" width="{max(x1 - x0, 2):.1f}" height="{bar_h}" rx="3" fill="{fill}"/>')
        if row.state != "complete" and row.progress > 0:
            # The done share drawn as a darker band inside the bar.
            parts.append(f'<rect x="{x0}" y="{y + bar_h - 5}" width="{max((x1 - x0) * row.progress, 1):.1f}" '
                         f'height="5" rx="1" fill="#1d6b33"/>')
        percent = f"{round(row.progress * 100)} %"
        if x1 - x0 > 44:
            parts.append(f'<text x="{x0 + 6}" y="{y + bar_h - 7}" font-size="11" font-weight="bold" fill="{ink}">'
                         f"{percent}</text>")
    if start <= today <= end:
        tx = x(today)
        parts.append(f'<line x1="{tx}" y1="{top - 6}" x2="{tx}" y2="{height - 6}" stroke="#1a1a1a" stroke-width="2" '
                     f'stroke-dasharray="4 3"/>')
        anchor = "end" if tx > width - 80 else "start"
        offset = -4 if anchor == "end" else 4
        parts.append(f'<text x="{tx + offset}" y="{height - 1}" font-size="11" font-weight="bold" fill="#1a1a1a" '
                     f'text-anchor="{anchor}">{escape(today_label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


# ------------------------------------------------------------------------------------------------
# Labelled markers: a map whose points carry a short text (a code) and a shape, so that neither
# the reader nor the legend depends on colour alone.
# ------------------------------------------------------------------------------------------------

MARKER_SHAPES = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True)
class MapMarker:
    lon: float
    lat: float
    text: str  # short, drawn next to the marker ("A12")
    label: str = ""  # the longer tooltip
    colour: str = "#0b5394"
    shape: str = "circle"  # one of MARKER_SHAPES


def marker_shape_svg(shape: str, x: float, y: float, r: float, colour: str, stroke: str = "#fff") -> str:
    """One marker shape centred on (x, y); also used for the legends next to such maps."""
    fill = f'fill="{escape(colour)}" stroke="{stroke}" stroke-width="1.5"'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {fill}/>'
    if shape == "diamond":
        k = r * 1.3
        return f'<path d="M{x:.1f},{y - k:.1f} L{x + k:.1f},{y:.1f} L{x:.1f},{y + k:.1f} L{x - k:.1f},{y:.1f} Z" {fill}/>'
    if shape == "triangle":
        k = r * 1.25
        return (f'<path d="M{x:.1f},{y - k:.1f} L{x + k:.1f},{y + k * 0.8:.1f} L{x - k:.1f},{y + k * 0.8:.1f} Z" '
                f'{fill}/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {fill}/>'


def marker_legend_svg(shape: str, colour: str, size: int = 14) -> SafeString:
    """A small standalone marker for an HTML legend (decorative: the text beside it says it)."""
    half = size / 2
    return mark_safe(f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
                     f'viewBox="0 0 {size} {size}" aria-hidden="true" focusable="false">'
                     f'{marker_shape_svg(shape, half, half, half * 0.72, colour, stroke="none")}</svg>')


def markers_map_svg(
    *,
    area: dict[str, Any] | None,
    markers: Iterable[MapMarker],
    title: str,
    description: str,
    width: int = 640,
    height: int = 400,
    svg_id: str = "markers-map",
) -> SafeString:
    """Like area_map_svg (same projection and frame), with shaped markers labelled by their text."""
    rings = (area or {}).get("coordinates") or []
    pts = list(markers)
    coords = [tuple(c[:2]) for ring in rings for c in ring] + [(p.lon, p.lat) for p in pts]
    if not coords:
        return mark_safe("")
    xy = map_frame(coords, width=width, height=height, pad=32)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" class="area-map" '
        f'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#f4f6f8"/>',
    ]
    for ring in rings:
        path = " ".join(f"{x},{y}" for x, y in (xy(*c[:2]) for c in ring))
        parts.append(f'<polygon points="{path}" fill="#0b5394" fill-opacity="0.12" stroke="#0b5394" '
                     f'stroke-width="1.5"/>')
    for p in pts:
        x, y = xy(p.lon, p.lat)
        shape = p.shape if p.shape in MARKER_SHAPES else "circle"
        # The label sits right of the marker on a white halo (drawn as its own text underneath: not
        # every renderer knows paint-order), so it reads on the area's fill.
        text = f'x="{x + 10}" y="{y + 4}" font-size="12" font-weight="bold"'
        parts.append(f'<g><title>{escape(p.label or p.text)}</title>{marker_shape_svg(shape, x, y, 7, p.colour)}'
                     f'<text {text} fill="#fff" stroke="#fff" stroke-width="3" aria-hidden="true">{escape(p.text)}'
                     f'</text><text {text} fill="#1a1a1a">{escape(p.text)}</text></g>')
    parts.append(f'<g transform="translate({width - 28},30)" aria-hidden="true"><path d="M0,-14 L6,6 L0,2 L-6,6 Z" '
                 f'fill="#1a1a1a"/><text y="20" text-anchor="middle" font-size="11" fill="#1a1a1a">N</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
