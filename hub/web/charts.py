"""Charts drawn on the server as inline SVG (no scripts, no external assets, CSP intact).

Each chart is an `<svg role="img">` with a `<title>` and `<desc>` for screen readers, a
`viewBox` so it scales to any width (it never makes a 390 px page scroll sideways), and the
numbers it shows also printed in the table beside it. Text is escaped here; the templates
insert the markup with `|safe`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

#: Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphics).
COLOURS = ("#0b4f9c", "#b00020", "#1b6e20", "#8a4b00", "#5b2a86", "#555555")
WIDTH = 640
ROW = 26


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 < value:
        step *= 10
    for m in (1, 2, 5, 10):
        if m * step >= value:
            return float(m * step)
    return float(10 * step)


def _head(title: str, desc: str, height: int) -> str:
    # Ids from the title: several charts on one page each name their own title and desc.
    key = hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()[:8]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="t-{key} d-{key}" class="chart" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="t-{key}">{escape(title)}</title><desc id="d-{key}">{escape(desc)}</desc>'
    )


def line_chart(title: str, desc: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """A trend: one polyline per series over evenly spaced labels (weeks, months)."""
    height, left, right, top, bottom = 260, 44, 12, 16, 56
    top_value = _nice_max(max((v for s in series for v in s.values), default=0))
    n = max(len(labels), 1)
    span_x = WIDTH - left - right
    span_y = height - top - bottom

    def x(i: int) -> float:
        return left + (span_x * i / (n - 1) if n > 1 else span_x / 2)

    def y(v: float) -> float:
        return top + span_y * (1 - v / top_value)

    parts = [_head(title, desc, height)]
    for k in range(5):  # gridlines and the y axis' numbers
        v = top_value * k / 4
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="#c8c8c8" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="#333">{v:g}</text>'
        )
    every = max(1, (n + 7) // 8)  # at most about eight labels on the x axis
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 18}" font-size="12" '
                f'text-anchor="middle" fill="#333">{escape(label)}</text>'
            )
    for j, s in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.values))
        dash = "" if j == 0 else ' stroke-dasharray="6 3"'
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash} points="{points}"/>'
        )
        for i, v in enumerate(s.values):
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(labels[i] if i < len(labels) else '')} {escape(s.name)}: "
                f"{v:g}</title></circle>"
            )
        parts.append(
            f'<rect x="{left + j * 150}" y="{height - 22}" width="14" height="4" '
            f'fill="{colour}"/><text x="{left + j * 150 + 20}" y="{height - 16}" '
            f'font-size="12" fill="#333">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(title: str, desc: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """One horizontal bar per label (an institution), split by series (outcomes)."""
    left, right, top = 200, 48, 8
    legend = 28
    height = top + ROW * max(len(labels), 1) + legend + 8
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top_value = _nice_max(max(totals, default=0))
    span = WIDTH - left - right
    parts = [_head(title, desc, height)]
    for i, label in enumerate(labels):
        y = top + i * ROW
        short = label if len(label) <= 14 else label[:13] + "…"
        parts.append(
            f'<text x="{left - 6}" y="{y + 17}" font-size="12" text-anchor="end" '
            f'fill="#333">{escape(short)}<title>{escape(label)}</title></text>'
        )
        offset = 0.0
        for j, s in enumerate(series):
            v = s.values[i]
            if v <= 0:
                continue
            w = span * v / top_value
            parts.append(
                f'<rect x="{left + offset:.1f}" y="{y + 4}" width="{w:.1f}" height="{ROW - 8}" '
                f'fill="{COLOURS[j % len(COLOURS)]}"><title>{escape(label)} '
                f"{escape(s.name)}: {v:g}</title></rect>"
            )
            offset += w
        parts.append(
            f'<text x="{left + offset + 4:.1f}" y="{y + 17}" font-size="12" '
            f'fill="#333">{totals[i]:g}</text>'
        )
    y = height - legend + 6
    for j, s in enumerate(series):
        parts.append(
            f'<rect x="{left + j * 110}" y="{y}" width="12" height="12" '
            f'fill="{COLOURS[j % len(COLOURS)]}"/><text x="{left + j * 110 + 16}" y="{y + 11}" '
            f'font-size="12" fill="#333">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
