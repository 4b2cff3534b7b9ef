"""Pictures of the action plan, one for the web page and the PDF (ARCHITECTURE.md, "One picture for
web and paper"): the priority matrix (impact × effort) and the map of actions coloured by status.

Each SVG carries role="img" with a title and description, and the pages put a table with the same
data next to it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from trygga_platser.reports.svg import MapMarker, marker_legend_svg, markers_map_svg

from .models import Action

LEVELS = (1, 2, 3)

# Fill per priority (1 do first … 5 reconsider), all light enough for black text at 4.5:1.
PRIORITY_FILLS = {1: "#cde8d4", 2: "#e1f0e4", 3: "#f4f6f8", 4: "#fbeed0", 5: "#f6d9d9"}

# Status on the map as colour AND shape; the legend and the table say the status in words as well.
STATUS_COLOURS = {
    Action.Status.PLANNED: "#8a5a00",
    Action.Status.IN_PROGRESS: "#0b5394",
    Action.Status.DONE: "#1d6b33",
    Action.Status.CANCELLED: "#6b6f75",
}
STATUS_SHAPES = {
    Action.Status.PLANNED: "circle",
    Action.Status.IN_PROGRESS: "triangle",
    Action.Status.DONE: "square",
    Action.Status.CANCELLED: "diamond",
}


def level_label(level: int) -> str:
    return {1: _("Small"), 2: _("Medium"), 3: _("Large")}[level]


@dataclass
class MatrixCell:
    impact: int
    effort: int
    actions: list[Action] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.actions)

    @property
    def codes(self) -> list[str]:
        return [a.code for a in self.actions]

    @property
    def priority(self) -> int:
        return 3 - self.impact + self.effort


@dataclass
class Matrix:
    """Rows from large impact (top) to small; columns from small effort (left) to large."""

    rows: list[list[MatrixCell]]
    total: int

    def cell(self, *, impact: int, effort: int) -> MatrixCell:
        return self.rows[3 - impact][effort - 1]


def priority_matrix(actions: Iterable[Action]) -> Matrix:
    """Count the actions per impact × effort; cancelled actions are left out."""
    rows = [[MatrixCell(impact=impact, effort=effort) for effort in LEVELS] for impact in reversed(LEVELS)]
    total = 0
    for action in sorted(actions, key=lambda a: a.number):
        if action.status == Action.Status.CANCELLED:
            continue
        rows[3 - action.impact][action.effort - 1].actions.append(action)
        total += 1
    return Matrix(rows=rows, total=total)


def _wrap_codes(codes: list[str], per_line: int, max_lines: int) -> list[str]:
    if len(codes) > per_line * max_lines:
        shown = codes[:per_line * (max_lines - 1)]
        rest = [_("+%(count)s more") % {"count": len(codes) - len(shown)}]
    else:
        shown, rest = codes, []
    return [", ".join(shown[i:i + per_line]) for i in range(0, len(shown), per_line)] + rest


def priority_matrix_svg(matrix: Matrix, *, title: str | None = None, width: int = 640,
                        svg_id: str = "priority-matrix") -> SafeString:
    """A 3×3 grid: impact up the side (large at the top), effort along the bottom (small on the
    left), each cell with its count and the codes of its actions. Top left is "do first"."""
    left, top, bottom, right = 92, 12, 62, 8
    cell_w = (width - left - right) / 3
    cell_h = 118
    height = top + 3 * cell_h + bottom
    title = title or _("Priority matrix: impact against effort")
    counts = "; ".join(
        _("impact %(impact)s, effort %(effort)s: %(count)s") % {
            "impact": level_label(c.impact).lower(), "effort": level_label(c.effort).lower(), "count": c.count}
        for row in matrix.rows for c in row if c.count
    )
    description = _("%(total)s actions (cancelled left out) placed by impact and effort. %(counts)s.") % {
        "total": matrix.total, "counts": counts or _("No actions")}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" class="priority-matrix" '
        f'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
    ]
    per_line = max(3, int((cell_w - 16) / 34))
    # Translated outside the f-strings: xgettext cannot find a _() inside an f-string's braces.
    do_first, reconsider, impact, effort = _("Do first"), _("Reconsider"), _("Impact"), _("Effort")
    for r, row in enumerate(matrix.rows):
        for c, cell in enumerate(row):
            x, y = left + c * cell_w, top + r * cell_h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w:.1f}" height="{cell_h}" '
                         f'fill="{PRIORITY_FILLS[cell.priority]}" stroke="#4a4f55" stroke-width="1"/>')
            parts.append(f'<text x="{x + 10:.1f}" y="{y + 34:.1f}" font-size="26" font-weight="bold" '
                         f'fill="#1a1a1a">{cell.count}</text>')
            if cell.priority == 1:
                parts.append(f'<text x="{x + cell_w - 10:.1f}" y="{y + 20:.1f}" font-size="11" text-anchor="end" '
                             f'font-weight="bold" fill="#1d4d2a">{escape(do_first)}</text>')
            elif cell.priority == 5:
                parts.append(f'<text x="{x + cell_w - 10:.1f}" y="{y + 20:.1f}" font-size="11" text-anchor="end" '
                             f'font-weight="bold" fill="#7a1214">{escape(reconsider)}</text>')
            for i, line in enumerate(_wrap_codes(cell.codes, per_line, 4)):
                parts.append(f'<text x="{x + 10:.1f}" y="{y + 56 + i * 16:.1f}" font-size="12.5" '
                             f'fill="#1a1a1a">{escape(line)}</text>')
    # Axis labels: levels next to each row and column, then the axis names.
    for r, level in enumerate(reversed(LEVELS)):
        y = top + r * cell_h + cell_h / 2 + 4
        parts.append(f'<text x="{left - 8}" y="{y:.1f}" font-size="12" text-anchor="end" fill="#1a1a1a">'
                     f'{escape(level_label(level))}</text>')
    for c, level in enumerate(LEVELS):
        x = left + c * cell_w + cell_w / 2
        parts.append(f'<text x="{x:.1f}" y="{top + 3 * cell_h + 18}" font-size="12" text-anchor="middle" '
                     f'fill="#1a1a1a">{escape(level_label(level))}</text>')
    mid_y = top + 3 * cell_h / 2
    parts.append(f'<text x="16" y="{mid_y:.1f}" font-size="13" font-weight="bold" text-anchor="middle" '
                 f'transform="rotate(-90 16 {mid_y:.1f})" fill="#1a1a1a">{escape(impact)} →</text>')
    parts.append(f'<text x="{left + 3 * cell_w / 2:.1f}" y="{height - 14}" font-size="13" font-weight="bold" '
                 f'text-anchor="middle" fill="#1a1a1a">{escape(effort)} →</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


# ------------------------------------------------------------------------------------------------
# The map
# ------------------------------------------------------------------------------------------------

def actions_with_point(actions: Iterable[Action]) -> list[Action]:
    return [a for a in actions if a.lon is not None and a.lat is not None]


def status_legend() -> list[tuple[str, str, SafeString]]:
    """(status code, label, marker SVG) for the legend under the map."""
    return [(code, str(label), marker_legend_svg(STATUS_SHAPES[code], STATUS_COLOURS[code]))
            for code, label in Action.Status.choices]


def action_map_svg(*, project, actions: Iterable[Action], width: int = 640, height: int = 400,
                   svg_id: str = "action-map") -> SafeString:
    """The project area with each located action as a marker labelled with its code, its status
    told by shape and colour."""
    located = actions_with_point(actions)
    markers = [MapMarker(lon=a.lon, lat=a.lat, text=a.code, colour=STATUS_COLOURS[a.status],
                         shape=STATUS_SHAPES[a.status], label=f"{a.code} {a.title} ({a.get_status_display()})")
               for a in located]
    listing = "; ".join(f"{a.code} {a.get_status_display().lower()}" for a in located)
    description = _("The project area, north up, with %(count)s actions that have a place: %(list)s.") % {
        "count": len(located), "list": listing or _("none")}
    return markers_map_svg(area=project.area, markers=markers, width=width, height=height, svg_id=svg_id,
                           title=_("Map of the action plan: %(place)s") % {"place": project.place_name},
                           description=description)
