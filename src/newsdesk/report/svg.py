"""Inline SVG charts for the HTML brief: entity co-occurrence graph and timeline.

Why hand-built SVG: the brief must open offline as one file (no JS, no CDN), and
a deterministic layout computed here gives the same picture on every run, so two
briefs of the same story can be diffed. Every label is XML-escaped here; the
strings returned are safe to insert verbatim.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

__all__ = ["entity_graph_svg", "timeline_svg"]

_FONT = "font-family='system-ui, sans-serif' font-size='11'"


def _shorten(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def entity_graph_svg(
    nodes: Sequence[tuple[str, int]],
    edges: Mapping[tuple[str, str], int],
    width: int = 620,
    height: int = 440,
) -> str:
    """Entities on a circle (in the order given: most central first, at the top),
    node area proportional to mentions, edge width to sentences shared."""
    if not nodes:
        return ""
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 70
    top = max(n for _, n in nodes) or 1
    pos: dict[str, tuple[float, float]] = {}
    for i, (name, _count) in enumerate(nodes):
        angle = 2 * math.pi * i / len(nodes) - math.pi / 2
        pos[name] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    heaviest = max(edges.values(), default=1)
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='entity-graph' width='{width}' "
        f"height='{height}' viewBox='0 0 {width} {height}' role='img' "
        "aria-label='Entities named in the same sentence'>",
        "<title>Entity co-occurrence: entities linked when a sentence names both</title>",
    ]
    for (a, b), count in sorted(edges.items()):
        if a not in pos or b not in pos:
            continue
        (x1, y1), (x2, y2) = pos[a], pos[b]
        w = 0.8 + 4.2 * count / heaviest
        parts.append(
            f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='#7a8ca3' "
            f"stroke-opacity='0.55' stroke-width='{w:.1f}'><title>{escape(a)} – {escape(b)}: "
            f"{count} sentence(s)</title></line>"
        )
    for name, count in nodes:
        x, y = pos[name]
        r = 5 + 13 * math.sqrt(count / top)
        anchor = "start" if x > cx + 1 else "end" if x < cx - 1 else "middle"
        dx = (r + 4) * (1 if anchor == "start" else -1 if anchor == "end" else 0)
        dy = -(r + 4) if anchor == "middle" and y < cy else (r + 12) if anchor == "middle" else 4
        parts.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}' fill='#2b6cb0' fill-opacity='0.85'>"
            f"<title>{escape(name)}: {count} mention(s)</title></circle>"
            f"<text x='{x + dx:.1f}' y='{y + dy:.1f}' text-anchor='{anchor}' {_FONT}>"
            f"{escape(_shorten(name))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def timeline_svg(events: Sequence[Mapping[str, Any]], width: int = 620) -> str:
    """Dated events on a time axis, one row per outlet; each dot links to its
    sentence (``#`` + the event's ``anchor`` when present). Background events
    (``period`` "background": dates long before the story) are not charted, so the
    axis spans the story's days; each charted day gets a tick."""
    events = [e for e in events if e.get("period", "timeline") != "background"]
    if not events:
        return ""
    outlets = list(dict.fromkeys(str(e["outlet"]) for e in events))
    days = [date.fromisoformat(e["date"]) for e in events]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    left, right, row_h, top = 150, 30, 28, 30
    height = top + row_h * len(outlets) + 52

    def x_of(d: date) -> float:
        if first == last:
            return left + (width - left - right) / 2
        return left + (width - left - right) * (d - first).days / span

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='timeline-chart' width='{width}' "
        f"height='{height}' viewBox='0 0 {width} {height}' role='img' aria-label='Dated events by outlet'>",
        "<title>Timeline: dated events by outlet</title>",
    ]
    axis_y = top + row_h * len(outlets)
    parts.append(f"<line x1='{left}' y1='{axis_y}' x2='{width - right}' y2='{axis_y}' stroke='#333'/>")
    distinct = sorted(set(days))
    ticks = distinct if len(distinct) <= 8 else sorted({first, last})
    for label_day in ticks:
        parts.append(
            f"<line x1='{x_of(label_day):.1f}' y1='{top - 6}' x2='{x_of(label_day):.1f}' y2='{axis_y}' "
            "stroke='#edf2f7'/>"
        )
    for k, label_day in enumerate(ticks):
        parts.append(
            f"<text x='{x_of(label_day):.1f}' y='{axis_y + 16 + 12 * (k % 2)}' text-anchor='middle' {_FONT}>"
            f"{label_day.strftime('%d %b')}</text>"
        )
    for row, outlet in enumerate(outlets):
        y = top + row_h * row + row_h / 2
        parts.append(
            f"<text x='{left - 10}' y='{y + 4:.1f}' text-anchor='end' {_FONT}>{escape(_shorten(outlet))}</text>"
            f"<line x1='{left}' y1='{y:.1f}' x2='{width - right}' y2='{y:.1f}' stroke='#ddd'/>"
        )
    for event, day in zip(events, days):
        y = top + row_h * outlets.index(str(event["outlet"])) + row_h / 2
        tip = f"{event['date']} ({event.get('timex', '')}): {event['text']}"
        dot = f"<circle cx='{x_of(day):.1f}' cy='{y:.1f}' r='6' fill='#c05621'><title>{escape(tip)}</title></circle>"
        anchor = event.get("anchor")
        parts.append(f"<a href='#{escape(str(anchor))}'>{dot}</a>" if anchor else dot)
    parts.append("</svg>")
    return "".join(parts)
