"""Server-rendered SVG charts shared by web pages and PDFs (ARCHITECTURE.md, "One picture for web and
paper"): horizontal bars (survey shares, aspect scores, indicators by group), grouped bars (baseline
against follow-up) and lines (crime trends).

Each chart carries a <title> and a <desc> with the figures, so a screen reader and a tagged PDF have
a text alternative; the pages put a data table beside every chart as well (SPEC §12.3). Colours are
chosen to keep 3:1 contrast against white for the graphics (WCAG 1.4.11), and bars always carry
their value as text, so colour is never the only carrier of meaning.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Sequence

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
TEXT = "#1a1a1a"
MUTED = "#4a4f55"  # 8:1 on white
GRID = "#c9ced4"
# Red / yellow / green for scores (SPEC §6.1). The yellow is a dark amber so that it still keeps
# 3:1 against white; the text label beside it says the level in words.
RAG = {"red": "#b3261e", "yellow": "#a86400", "green": "#1e7a3c"}
RAG_FILLS = {"red": "#f6d5d3", "yellow": "#fbe7c2", "green": "#d3ecd9"}  # light backgrounds for table cells
# Series colours with ≥ 3:1 contrast on white, distinguishable in grey scale by order. The RAG
# colours come late: a second series (a follow-up, a second year) must not read as "bad" or "good".
PALETTE = ("#0b5394", "#6a3d9a", "#00707a", "#8a1f5c", "#a86400", "#b3261e", "#1e7a3c", "#4a4f55")
BAR_DEFAULT = PALETTE[0]


@dataclass(frozen=True)
class Bar:
    """One bar. `value` None draws no bar and writes `note` instead (e.g. "too few answers")."""

    label: str
    value: float | None
    colour: str | None = None
    note: str = ""
    value_text: str = ""  # overrides the formatted value (e.g. "42 % (n = 118)")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]
    colour: str | None = None


@dataclass(frozen=True)
class _Frame:
    width: int
    height: int
    parts: list[str] = field(default_factory=list)


def _fmt(value: float, unit: str, decimals: int) -> str:
    text = number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)
    if not unit:
        return text
    # Swedish typography: a (non-breaking) space before % and units.
    return f"{text}\u00a0{unit}"


def _open(svg_id: str, width: int, height: int, title: str, description: str, css_class: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" class="chart {css_class}" '
        f'font-family="{FONT}">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
    ]


def _wrap(text: str, width_chars: int, max_lines: int = 2) -> list[str]:
    """Break a label into at most `max_lines` lines of about `width_chars` characters."""
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if len(candidate) <= width_chars or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, width_chars - 1)].rstrip() + "…"
    return lines or [""]


def _nice_max(value: float) -> float:
    """A round axis end at or above `value` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10 ** exponent
        if candidate >= value:
            return candidate
    return 10 ** (exponent + 1)


def bar_chart_svg(rows: Sequence[Bar], *, title: str, unit: str = "%", max_value: float | None = None,
                  width: int = 640, decimals: int = 0, svg_id: str = "bar-chart", label_width: int = 210,
                  description: str = "") -> SafeString:
    """Horizontal bars: the label on the left (wrapped to two lines), the bar, its value on the right.

    `max_value` fixes the scale (100 for shares, 20 for inspection scores); by default it is the
    largest value rounded up to a round number."""
    row_h, top, bottom, value_w = 34, 8, 8, 120
    height = top + bottom + row_h * max(1, len(rows))
    scale_max = max_value if max_value is not None else _nice_max(max((r.value or 0) for r in rows) if rows else 1)
    plot_w = max(60, width - label_width - value_w)
    described = "; ".join(
        f"{r.label}: {r.value_text or (_fmt(r.value, unit, decimals) if r.value is not None else r.note or '–')}"
        for r in rows)
    parts = _open(svg_id, width, height, title, description or described or _("No data"), "bar-chart")
    chars = max(12, int(label_width / 7.2))
    no_answers = _("No answers")
    for i, row in enumerate(rows):
        y = top + i * row_h
        lines = _wrap(row.label, chars)
        first_y = y + row_h / 2 + 4 - (len(lines) - 1) * 7
        for n, line in enumerate(lines):
            parts.append(f'<text x="{label_width - 8}" y="{first_y + n * 14:.1f}" font-size="12" '
                         f'text-anchor="end" fill="{TEXT}">{escape(line)}</text>')
        parts.append(f'<line x1="{label_width}" y1="{y + 4}" x2="{label_width}" y2="{y + row_h - 4}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        if row.value is None:
            note = row.note or no_answers
            parts.append(f'<text x="{label_width + 6}" y="{y + row_h / 2 + 4:.1f}" font-size="12" font-style="italic" '
                         f'fill="{MUTED}">{escape(note)}</text>')
            continue
        bar_w = max(0.0, min(1.0, row.value / scale_max if scale_max else 0)) * plot_w
        colour = row.colour or BAR_DEFAULT
        parts.append(f'<rect x="{label_width}" y="{y + 7}" width="{max(bar_w, 1.5):.1f}" height="{row_h - 14}" '
                     f'fill="{colour}" rx="2"><title>{escape(row.label)}</title></rect>')
        text = row.value_text or _fmt(row.value, unit, decimals)
        parts.append(f'<text x="{label_width + bar_w + 6:.1f}" y="{y + row_h / 2 + 4:.1f}" font-size="12" '
                     f'font-weight="bold" fill="{TEXT}">{escape(text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def grouped_bar_chart_svg(labels: Sequence[str], series: Sequence[Series], *, title: str, unit: str = "%",
                          max_value: float | None = None, width: int = 640, decimals: int = 0,
                          svg_id: str = "grouped-bar-chart", label_width: int = 210,
                          missing_note: str = "") -> SafeString:
    """Horizontal bars in groups: for each label one bar per series (baseline against follow-up),
    with a legend on top."""
    bar_h, gap, top, bottom, value_w = 14, 12, 30, 8, 110
    group_h = bar_h * len(series) + gap
    height = top + bottom + group_h * max(1, len(labels))
    values = [v for s in series for v in s.values if v is not None]
    scale_max = max_value if max_value is not None else _nice_max(max(values) if values else 1)
    plot_w = max(60, width - label_width - value_w)
    colours = [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]
    described = "; ".join(
        f"{label}: " + ", ".join(
            f"{s.label} {_fmt(s.values[i], unit, decimals) if s.values[i] is not None else (missing_note or '–')}"
            for s in series)
        for i, label in enumerate(labels))
    parts = _open(svg_id, width, height, title, described or _("No data"), "bar-chart grouped")
    x = label_width
    for s, colour in zip(series, colours):
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="16" font-size="12" fill="{TEXT}">{escape(s.label)}</text>')
        x += 26 + int(len(s.label) * 7)
    chars = max(12, int(label_width / 7.2))
    missing = missing_note or _("No answers")
    for i, label in enumerate(labels):
        y = top + i * group_h
        lines = _wrap(label, chars)
        first_y = y + (group_h - gap) / 2 + 4 - (len(lines) - 1) * 7
        for n, line in enumerate(lines):
            parts.append(f'<text x="{label_width - 8}" y="{first_y + n * 14:.1f}" font-size="12" '
                         f'text-anchor="end" fill="{TEXT}">{escape(line)}</text>')
        for j, (s, colour) in enumerate(zip(series, colours)):
            by = y + j * bar_h
            value = s.values[i] if i < len(s.values) else None
            if value is None:
                parts.append(f'<text x="{label_width + 6}" y="{by + bar_h - 3}" font-size="11" font-style="italic" '
                             f'fill="{MUTED}">{escape(missing)}</text>')
                continue
            bar_w = max(0.0, min(1.0, value / scale_max if scale_max else 0)) * plot_w
            parts.append(f'<rect x="{label_width}" y="{by + 1}" width="{max(bar_w, 1.5):.1f}" height="{bar_h - 2}" '
                         f'fill="{colour}"><title>{escape(s.label)}</title></rect>')
            parts.append(f'<text x="{label_width + bar_w + 5:.1f}" y="{by + bar_h - 3}" font-size="11" '
                         f'fill="{TEXT}">{escape(_fmt(value, unit, decimals))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart_svg(series: Sequence[Series], *, x_labels: Sequence[str], title: str, width: int = 640,
                   height: int = 260, unit: str = "", decimals: int = 0, svg_id: str = "line-chart",
                   y_max: float | None = None) -> SafeString:
    """Lines over x labels (years), a y axis from zero with round ticks, a legend below, each point
    marked (a different marker per series, so the lines are told apart without colour)."""
    left, right, top = 48, 16, 14
    legend_rows = math.ceil(len(series) / 3) if series else 0
    bottom = 30 + 20 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    scale_max = y_max if y_max is not None else _nice_max(max(values) if values else 1)
    n = max(1, len(x_labels))
    step = plot_w / max(1, n - 1) if n > 1 else 0

    def xy(i: int, value: float) -> tuple[float, float]:
        x = left + (i * step if n > 1 else plot_w / 2)
        return round(x, 1), round(top + plot_h - (value / scale_max) * plot_h, 1)

    described = "; ".join(
        f"{s.label}: " + ", ".join(f"{x_labels[i]} {_fmt(v, unit, decimals) if v is not None else '–'}"
                                   for i, v in enumerate(s.values) if i < len(x_labels))
        for s in series)
    parts = _open(svg_id, width, height, title, described or _("No data"), "line-chart")
    for k in range(5):  # the y grid: 0, ¼, ½, ¾, max
        value = scale_max * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" '
                     f'stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="{MUTED}">'
                     f'{escape(_fmt(value, "", 0 if scale_max >= 8 else 1))}</text>')
    every = max(1, math.ceil(n / 12))  # at most ~12 x labels
    for i, label in enumerate(x_labels):
        if i % every:
            continue
        x, _y = xy(i, 0)
        parts.append(f'<text x="{x}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle" fill="{MUTED}">'
                     f'{escape(label)}</text>')
    shapes = itertools.cycle(("circle", "square", "diamond", "triangle"))
    for idx, (s, shape) in enumerate(zip(series, shapes)):
        colour = s.colour or PALETTE[idx % len(PALETTE)]
        points = [xy(i, v) for i, v in enumerate(s.values) if v is not None and i < n]
        if len(points) > 1:
            path = " ".join(f"{x},{y}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for x, y in points:
            parts.append(_marker(shape, x, y, colour))
        lx = left + (idx % 3) * (plot_w / 3)
        ly = top + plot_h + 34 + (idx // 3) * 20
        parts.append(_marker(shape, lx + 6, ly - 4, colour))
        parts.append(f'<text x="{lx + 16}" y="{ly}" font-size="12" fill="{TEXT}">{escape(s.label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _marker(shape: str, x: float, y: float, colour: str, r: float = 4.5) -> str:
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{colour}"/>'
    if shape == "diamond":
        return (f'<polygon points="{x},{y - r - 1} {x + r + 1},{y} {x},{y + r + 1} {x - r - 1},{y}" '
                f'fill="{colour}"/>')
    if shape == "triangle":
        return f'<polygon points="{x},{y - r - 1} {x + r + 1},{y + r} {x - r - 1},{y + r}" fill="{colour}"/>'
    return f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colour}"/>'
