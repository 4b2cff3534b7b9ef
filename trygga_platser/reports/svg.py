"""Server-rendered SVG shared by web pages and PDFs (ARCHITECTURE.md, "One picture for web and paper").

Drawn from data alone (no tiles, no network), each picture with a title and description so screen
readers and tagged PDFs carry a text alternative.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
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
    lat0 = sum(c[1] for c in coords) / len(coords)
    projected = [_project(x, y, lat0) for x, y in coords]
    minx, maxx = min(p[0] for p in projected), max(p[0] for p in projected)
    miny, maxy = min(p[1] for p in projected), max(p[1] for p in projected)
    pad = 24
    span = max(maxx - minx, maxy - miny, 1e-6)
    scale = min((width - 2 * pad) / max(maxx - minx, span * 0.2), (height - 2 * pad) / max(maxy - miny, span * 0.2))
    offx = (width - (maxx - minx) * scale) / 2
    offy = (height - (maxy - miny) * scale) / 2

    def xy(lon: float, lat: float) -> tuple[float, float]:
        px, py = _project(lon, lat, lat0)
        return (round(offx + (px - minx) * scale, 1), round(offy + (py - miny) * scale, 1))

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
