"""The project area: a GeoJSON Polygon in WGS84 (RFC 7946), checked with shapely."""
from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape
from shapely.validation import explain_validity

AREA_NOT_JSON = _("The area is not valid GeoJSON.")
AREA_NOT_POLYGON = _("The area must be one polygon (GeoJSON type Polygon).")
AREA_OUT_OF_RANGE = _("Coordinates must be longitude, latitude in degrees (WGS84).")
AREA_INVALID = _("The polygon is not valid: %(reason)s.")
AREA_TOO_LARGE = _("The area is larger than a place partnership covers (at most about 25 km²).")
AREA_TOO_FEW_POINTS = _("An area needs at least three corners.")
AREA_BAD_COORDINATE_LINE = _("Line %(line)s is not a coordinate pair “latitude, longitude”.")

# A generous upper bound: a place partnership covers a town centre, not a county.
_MAX_AREA_SQ_DEGREES = 0.01


def area_parse(value: str | dict | None) -> dict[str, Any] | None:
    """A normalised Polygon geometry, or None for an empty value; ValidationError otherwise."""
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text[0] in "{[":
            try:
                value = json.loads(text)
            except ValueError:
                raise ValidationError(AREA_NOT_JSON) from None
        else:
            value = _polygon_from_coordinate_lines(text)
    if not isinstance(value, dict):
        raise ValidationError(AREA_NOT_JSON)
    if value.get("type") == "FeatureCollection":
        features = value.get("features") or []
        if len(features) != 1:
            raise ValidationError(AREA_NOT_POLYGON)
        value = features[0]
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
    if value.get("type") != "Polygon":
        raise ValidationError(AREA_NOT_POLYGON)
    try:
        polygon = shape(value)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        raise ValidationError(AREA_NOT_JSON) from None
    minx, miny, maxx, maxy = polygon.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValidationError(AREA_OUT_OF_RANGE)
    if not polygon.is_valid or polygon.is_empty:
        raise ValidationError(AREA_INVALID, params={"reason": explain_validity(polygon)})
    if polygon.area > _MAX_AREA_SQ_DEGREES:
        raise ValidationError(AREA_TOO_LARGE)
    return {"type": "Polygon", "coordinates": [[list(map(float, pt)) for pt in ring] for ring in value["coordinates"]]}


def _polygon_from_coordinate_lines(text: str) -> dict[str, Any]:
    """One corner per line as "latitude, longitude" (the order map services copy them in), the
    keyboard alternative to drawing the area on the map."""
    ring: list[list[float]] = []
    for number, line in enumerate((ln for ln in text.splitlines() if ln.strip()), start=1):
        parts = [p for p in line.replace(";", ",").replace("\t", ",").split(",") if p.strip()]
        if len(parts) == 1:
            parts = parts[0].split()
        try:
            lat, lon = (float(p.strip()) for p in parts)
        except ValueError:
            if number == 1 and not any(ch.isdigit() for ch in line):
                raise ValidationError(AREA_NOT_JSON) from None
            raise ValidationError(AREA_BAD_COORDINATE_LINE, params={"line": number}) from None
        ring.append([lon, lat])
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    if len(ring) < 4:
        raise ValidationError(AREA_TOO_FEW_POINTS)
    return {"type": "Polygon", "coordinates": [ring]}


def area_centroid(area: dict[str, Any] | None) -> tuple[float, float] | None:
    """(lon, lat) of the area's centroid."""
    if not area:
        return None
    point = shape(area).centroid
    return (point.x, point.y)
