"""Charts drawn on the server as inline SVG: no JavaScript, no external service, nothing fetched.

The API (three functions, each returns a safe ``<svg>`` string to put in a template):

``bar_chart(bars, labelledby="")``
    Horizontal bars, one per :class:`Bar`, in the order given, for categories (regions,
    types, countries). Each bar has its label above it and its ``text`` after it; a bar with
    an ``href`` is not a link (the data table beside the chart carries the links).
``column_chart(bars, labelledby="", max_text="")``
    Columns in the order given, for years: a label under a column now and then (every one up
    to 12 columns, else the first, the last and those divisible by 5), ``max_text`` (the
    tallest value, as shown) at the top of the scale; each column's ``<title>`` says its
    label and text.
``world_map(shaded, steps=5)``
    The world (iomcms/data/world_map.json, built once by bin/build_world_map.py from Natural
    Earth via the npm package world-atlas) with the countries of ``shaded``, ``{alpha-2 code:
    Bar}``, shaded by ``value`` in ``steps`` classes (quantiles of the values; the darker in
    the light scheme, the lighter in the dark one, the more). Each shaded country is a link
    to its ``href`` with its ``label``: ``text`` as ``<title>``. The SVG is hidden from
    assistive technology and its links from the Tab key: the page gives the same countries
    as a list (the accessible, keyboard-reachable alternative). :func:`map_legend` gives the
    ``[(class, low text, high text)]`` of the steps, to be written by the template.

``labelledby``: the ids (space separated) of the chart's title and one-sentence summary, which
the template writes around it (``aria-labelledby``; bar and column charts are ``role="img"``).
A chart is one part of a block that also shows its data as a table and links to a CSV of the
same numbers (templates/includes/chart.html).

Colours are CSS classes of static/css/site.css (``.chart``, ``.chart-bar``, ``.map-step-N``),
not inline styles (the Content Security Policy allows no style attribute): both colour schemes,
each at least 3:1 against the page (WCAG 1.4.11); text in the page's text colour.
"""

import functools
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import mark_safe

MAP_DATA = Path(__file__).resolve().parent / "data" / "world_map.json"

WIDTH = 640
LABEL_ROW = 18  # a bar's label line
BAR = 16  # a bar's thickness
GAP = 12  # between two bars
TEXT_ROOM = 230  # right of the longest bar, for its text
COLUMN_HEIGHT = 200
AXIS_ROOM = 22  # under the columns, for their labels
TOP_ROOM = 20  # above the columns, for the top of the scale
MAX_SLOT = 64  # a column's room at most: a few years stay columns, not blocks


@dataclass(frozen=True)
class Bar:
    """One value: ``label`` (a name), ``value`` (a number: its length), ``text`` (the value
    as the reader reads it), ``href`` (optional: the map links its shapes)."""

    label: str
    value: Decimal | int | float
    text: str
    href: str = ""


def _n(number):
    """A coordinate with one decimal at most: "12.5", "40"."""
    return f"{number:.1f}".removesuffix(".0")


def _length(value, largest, room):
    if not largest or value <= 0:
        return 0
    return max(1.0, float(value) / float(largest) * room)


def bar_chart(bars, labelledby=""):
    """Horizontal bars (see the module docstring)."""
    bars = list(bars)
    largest = max((bar.value for bar in bars), default=0)
    room = WIDTH - TEXT_ROOM
    step = LABEL_ROW + BAR + GAP
    parts = []
    for n, bar in enumerate(bars):
        top = n * step
        length = _length(bar.value, largest, room)
        parts.append(
            format_html(
                '<g><text class="chart-label" x="0" y="{}">{}</text>'
                '<rect class="chart-bar" x="0" y="{}" width="{}" height="{}"></rect>'
                '<text class="chart-value" x="{}" y="{}">{}</text></g>',
                top + 13,
                bar.label,
                top + LABEL_ROW,
                _n(length),
                BAR,
                _n(length + 6),
                top + LABEL_ROW + 13,
                bar.text,
            )
        )
    height = max(step * len(bars) - GAP, 1)
    return _svg_element(WIDTH, height, labelledby, mark_safe("".join(parts)))


def _svg_element(width, height, labelledby, body, css="chart", role="img"):
    attributes = format_html(' role="{}"', role) if role else mark_safe(' aria-hidden="true"')
    if labelledby and role:
        attributes += format_html(' aria-labelledby="{}"', labelledby)
    return format_html(
        '<svg class="{}"{} viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        css,
        attributes,
        width,
        height,
        body,
    )


def column_chart(bars, labelledby="", max_text=""):
    """Columns (see the module docstring)."""
    bars = list(bars)
    largest = max((bar.value for bar in bars), default=0)
    count = max(len(bars), 1)
    slot = min(WIDTH / count, MAX_SLOT)
    width = max(slot * 0.7, 1)
    base = TOP_ROOM + COLUMN_HEIGHT
    every = len(bars) <= 12  # else a few labels only
    parts = [
        format_html(
            '<line class="chart-axis" x1="0" y1="{}" x2="{}" y2="{}"></line>', base, WIDTH, base
        )
    ]
    if max_text:
        parts.append(
            format_html(
                '<line class="chart-grid" x1="0" y1="{}" x2="{}" y2="{}"></line>'
                '<text class="chart-value" x="0" y="{}">{}</text>',
                TOP_ROOM,
                WIDTH,
                TOP_ROOM,
                TOP_ROOM - 6,
                max_text,
            )
        )
    for n, bar in enumerate(bars):
        height = _length(bar.value, largest, COLUMN_HEIGHT)
        left = n * slot + (slot - width) / 2
        parts.append(
            format_html(
                '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}: {}</title></rect>",
                _n(left),
                _n(base - height),
                _n(width),
                _n(height),
                bar.label,
                bar.text,
            )
        )
        label = str(bar.label)
        if every or n in (0, len(bars) - 1) or (label.isdigit() and int(label) % 5 == 0):
            parts.append(
                format_html(
                    '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _n(n * slot + slot / 2),
                    base + 16,
                    label,
                )
            )
    return _svg_element(WIDTH, base + AXIS_ROOM, labelledby, mark_safe("".join(parts)))


PATH_DATA = re.compile(r"[MLZ0-9 .-]*")


@functools.cache
def map_shapes():
    """The map's data file, read once: ``{"width", "height", "countries": {code: path},
    "others": [path]}``. The paths are checked once to hold path commands and numbers only,
    and marked safe: written as they are, not escaped again on every page."""
    shapes = json.loads(MAP_DATA.read_text(encoding="utf-8"))
    for path in [*shapes["countries"].values(), *shapes["others"]]:
        if not PATH_DATA.fullmatch(path):
            raise ValueError(f"{MAP_DATA}: not SVG path data: {path[:40]}")
    shapes["countries"] = {code: mark_safe(path) for code, path in shapes["countries"].items()}
    shapes["others"] = [mark_safe(path) for path in shapes["others"]]
    return shapes


def map_steps(values, steps=5):
    """The upper bounds of ``steps`` classes of ``values`` (quantiles), ascending, deduplicated."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds = []
    for k in range(1, steps + 1):
        bound = ordered[min(len(ordered) - 1, -(-k * len(ordered) // steps) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def _step(value, bounds):
    for n, bound in enumerate(bounds):
        if value <= bound:
            return n + 1
    return len(bounds)


def map_legend(shaded, steps=5, text=str):
    """``[(css class, low, high)]``: each class of the map, the values it holds as ``text``
    writes them (low: the smallest value of the class)."""
    values = sorted(bar.value for bar in shaded.values())
    bounds = map_steps(values, steps)
    legend = []
    for n, bound in enumerate(bounds):
        inside = [v for v in values if _step(v, bounds) == n + 1]
        legend.append(
            (f"map-step-{_class(n + 1, len(bounds), steps)}", text(inside[0]), text(bound))
        )
    return legend


def _class(step, used, steps):
    """The colour of a class when fewer classes than ``steps`` are used: spread over the
    palette, the last one always the strongest."""
    if used <= 1:
        return steps
    return round(1 + (step - 1) * (steps - 1) / (used - 1))


def world_map(shaded, steps=5):
    """The world with ``shaded`` countries (see the module docstring)."""
    shapes = map_shapes()
    bounds = map_steps([bar.value for bar in shaded.values()], steps)
    parts = [
        format_html('<path class="map-land" d="{}"></path>', path) for path in shapes["others"]
    ]
    for code, path in shapes["countries"].items():
        bar = shaded.get(code)
        if bar is None:
            parts.append(f'<path class="map-land" d="{path}"></path>')  # checked: safe
            continue
        css = f"map-step-{_class(_step(bar.value, bounds), len(bounds), steps)}"
        shape = format_html(
            '<path class="{}" d="{}"><title>{}: {}</title></path>', css, path, bar.label, bar.text
        )
        if bar.href:
            shape = format_html('<a href="{}" tabindex="-1">{}</a>', bar.href, shape)
        parts.append(shape)
    return _svg_element(
        shapes["width"], shapes["height"], "", mark_safe("".join(parts)), css="chart map", role=""
    )
