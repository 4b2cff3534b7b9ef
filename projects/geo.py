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

# A generous upper bound: a place partnership covers a town centre, not a county.
_MAX_AREA_SQ_DEGREES = 0.01


def area_parse(value: str | dict | None) -> dict[str, Any] | None:
    """A normalised Polygon geometry, or None for an empty value; ValidationError otherwise."""
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationError(AREA_NOT_JSON) from None
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


def area_centroid(area: dict[str, Any] | None) -> tuple[float, float] | None:
    """(lon, lat) of the area's centroid."""
    if not area:
        return None
    point = shape(area).centroid
    return (point.x, point.y)
