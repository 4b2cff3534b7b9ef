"""The site-walk protocol (SPEC §3.6, §9) and the route map shared by the meeting page and the PDF.

`register_meetings()` is called from ProjectsConfig.ready(): it registers the protocol as a report
kind and the project's meetings as the evidence of workshop, site-walk and training activities.
"""
from __future__ import annotations

import io
import logging
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from trygga_platser.reports import rendering
from trygga_platser.reports.registry import ReportKind, register
from trygga_platser.reports.svg import map_frame
from trygga_platser.tenancy.access import Perm, project_child_get

from . import evidence
from .models import Meeting
from .selectors.meetings import (
    Route,
    latest_site_walk,
    meeting_participants,
    meetings_as_evidence,
    site_walk_route,
)

# ------------------------------------------------------------------------------------------------
# The route map: the area, the route through the numbered stops, and the observation points
# ------------------------------------------------------------------------------------------------

ROUTE_COLOUR = "#073763"
STOP_COLOUR = "#0b5394"
OBSERVATION_COLOUR = "#a3191b"


def route_map_svg(*, area: dict[str, Any] | None, route: Route, title: str, description: str,
                  width: int = 640, height: int = 420, legend: bool = True, svg_id: str = "route-map") -> SafeString:
    """North-up SVG drawn from data alone (no tiles). Stops are numbered circles joined by the
    route; observations are diamonds, so shape (not only colour) tells them apart.

    Uses the same projection and frame as trygga_platser.reports.svg.area_map_svg (map_frame).
    """
    rings = (area or {}).get("coordinates") or []
    stops = [(s.number, s.stop) for s in route.stops]
    observations = [o for o in route.observations if o.lon is not None and o.lat is not None]
    coords = ([tuple(c[:2]) for ring in rings for c in ring] + [(s.lon, s.lat) for _n, s in stops]
              + [(o.lon, o.lat) for o in observations])
    if not coords:
        return mark_safe("")
    legend_h = 26 if legend else 0
    xy = map_frame(coords, width=width, height=height - legend_h, pad=28)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" class="area-map route-map" '
        f'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#f4f6f8"/>',
    ]
    for ring in rings:
        points = " ".join(f"{x},{y}" for x, y in (xy(*c[:2]) for c in ring))
        parts.append(f'<polygon points="{points}" fill="#0b5394" fill-opacity="0.12" stroke="#0b5394" '
                     f'stroke-width="1.5"/>')
    if len(stops) > 1:
        line = " ".join(f"{x},{y}" for x, y in (xy(s.lon, s.lat) for _n, s in stops))
        parts.append(f'<polyline points="{line}" fill="none" stroke="{ROUTE_COLOUR}" stroke-width="3" '
                     f'stroke-linejoin="round" stroke-dasharray="8 5"/>')
    for o in observations:
        x, y = xy(o.lon, o.lat)
        parts.append(f'<path d="M{x},{y - 6} L{x + 6},{y} L{x},{y + 6} L{x - 6},{y} Z" fill="{OBSERVATION_COLOUR}" '
                     f'stroke="#fff" stroke-width="1.2"><title>{escape(o.text[:80])}</title></path>')
    for number, s in stops:
        x, y = xy(s.lon, s.lat)
        parts.append(f'<g><title>{escape(f"{number}. {s.name}")}</title>'
                     f'<circle cx="{x}" cy="{y}" r="12" fill="{STOP_COLOUR}" stroke="#fff" stroke-width="2"/>'
                     f'<text x="{x}" y="{y + 4.5}" text-anchor="middle" font-size="13" font-weight="bold" '
                     f'fill="#fff">{number}</text></g>')
    # Legend (the web page says it in the caption instead) and north arrow (the map is north-up).
    # Text widths are estimated (~6 px a letter).
    ly = height - legend_h / 2
    stop_label, obs_label, route_label = _("Stop (numbered in route order)"), _("Observation"), _("Route")
    x_obs = 28 + len(stop_label) * 6 + 22
    x_route = x_obs + 18 + len(obs_label) * 6 + 22
    parts.append("" if not legend else
        f'<g font-size="11" fill="#1a1a1a"><circle cx="16" cy="{ly}" r="7" fill="{STOP_COLOUR}"/>'
        f'<text x="28" y="{ly + 4}">{escape(stop_label)}</text>'
        f'<path d="M{x_obs},{ly - 6} L{x_obs + 6},{ly} L{x_obs},{ly + 6} L{x_obs - 6},{ly} Z" '
        f'fill="{OBSERVATION_COLOUR}"/><text x="{x_obs + 12}" y="{ly + 4}">{escape(obs_label)}</text>'
        f'<line x1="{x_route}" y1="{ly}" x2="{x_route + 30}" y2="{ly}" stroke="{ROUTE_COLOUR}" stroke-width="3" '
        f'stroke-dasharray="8 5"/><text x="{x_route + 36}" y="{ly + 4}">{escape(route_label)}</text></g>'
    )
    parts.append(f'<g transform="translate({width - 28},30)" aria-hidden="true"><path d="M0,-14 L6,6 L0,2 L-6,6 Z" '
                 f'fill="#1a1a1a"/><text y="20" text-anchor="middle" font-size="11" fill="#1a1a1a">N</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def route_map_for(*, meeting: Meeting, route: Route, width: int = 640, height: int = 420,
                  legend: bool = True) -> SafeString:
    names = ", ".join(f"{s.number}. {s.stop.name}" for s in route.stops)
    description = (_("The site walk's route through %(count)s stops in order: %(stops)s. "
                     "%(observations)s observations with a map point are marked.") % {
        "count": len(route.stops), "stops": names or _("none"),
        "observations": sum(1 for o in route.observations if o.lon is not None)})
    return route_map_svg(area=meeting.project.area, route=route, width=width, height=height, legend=legend,
                         title=_("Route of the site walk: %(title)s") % {"title": meeting.title},
                         description=description)


# ------------------------------------------------------------------------------------------------
# The protocol as a report kind
# ------------------------------------------------------------------------------------------------

logger = logging.getLogger(__name__)

PDF_PHOTO_EDGE = 1000  # pixels: sharp in print at the size shown, without a huge PDF


def _protocol_meeting(report, project) -> Meeting | None:
    # A report row may name its meeting in its params; otherwise the protocol is of the project's
    # latest site walk.
    meeting_id = (report.params or {}).get("meeting_id")
    if meeting_id:
        return project_child_get(Meeting.objects.filter(kind=Meeting.Kind.SITE_WALK), project=project, pk=meeting_id)
    return latest_site_walk(project=project)


def _pdf_photo(observation) -> bytes:
    with observation.photo.open("rb") as handle, Image.open(handle) as image:
        image = image.convert("RGB")
        image.thumbnail((PDF_PHOTO_EDGE, PDF_PHOTO_EDGE))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _protocol_context(report, project) -> dict[str, Any]:
    meeting = _protocol_meeting(report, project)
    if meeting is None:
        return {"meeting": None}
    participants = meeting_participants(meeting=meeting)
    route = site_walk_route(meeting=meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "starts": timezone.localtime(meeting.starts_at),
        "ends": timezone.localtime(meeting.ends_at),
        "participants": participants,
        "attended_count": sum(1 for p in participants if p.attended),
        "route": route,
        "map_svg": route_map_for(meeting=meeting, route=route, width=640, height=440),
    }
    # Photos travel with the render as resources (the fetcher never reads files on its own); this
    # runs after the job re-checked the author's access to the project.
    resources = {}
    for observation in route.observations:
        if observation.photo:
            try:
                data = _pdf_photo(observation)
            except (OSError, UnidentifiedImageError):
                # A photo missing from storage must not cost the whole protocol; the page says so.
                logger.warning("report.photo_missing", extra={"observation_id": observation.pk})
                continue
            name = f"observation-{observation.pk}.jpg"
            resources[name] = (data, "image/jpeg")
            observation.pdf_photo_src = rendering.RESOURCE_PREFIX.lstrip("/") + name
    context["embed_photos"] = True
    context["pdf_resources"] = resources
    return context


def _protocol_filename(report, project) -> str:
    meeting = _protocol_meeting(report, project)
    title = slugify(meeting.title) if meeting else slugify(project.name)
    return f"platsvandringsprotokoll-{title}-{report.pk}.pdf"


SITE_WALK_PROTOCOL = ReportKind(
    key="site_walk_protocol",
    title=gettext_lazy("Site-walk protocol"),
    template="projects/meetings/pdf/site_walk_protocol.html",
    context=_protocol_context,
    perm=Perm.VIEW_PERSONAL,
    filename=_protocol_filename,
)


def register_meetings() -> None:
    register(SITE_WALK_PROTOCOL)
    for kind in (Meeting.Kind.WORKSHOP, Meeting.Kind.SITE_WALK, Meeting.Kind.TRAINING):
        evidence.register(str(kind), partial(meetings_as_evidence, kind=str(kind)))
