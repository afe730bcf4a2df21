#!/usr/bin/env python
"""Build iomcms/data/world_map.json, the country shapes of the statistics page's map, once.

Usage (from the project root; the npm package world-atlas installed by ``npm install``, see
package.json, or anywhere with ``--source``):

    .venv/bin/python bin/build_world_map.py [--source node_modules/world-atlas/countries-110m.json]

The source is world-atlas's ``countries-110m.json`` (ISC licence; the shapes are Natural Earth's
1:110m Admin 0 countries, public domain): TopoJSON whose countries carry their ISO 3166-1 numeric
code. Each is decoded (quantized, delta-encoded arcs), projected with the Equal Earth projection
(Šavrič, Patterson and Jenny 2018: equal areas, so a big country is not made bigger than it is),
scaled to a 1000-unit-wide box and written as one SVG path per country, keyed by its alpha-2 code
(django-countries maps numeric to alpha-2), whole units only (about 40 km at the equator).
Antarctica is left out (no project benefits it; it would take a fifth of the height). Shapes
without a code (N. Cyprus, Somaliland, Kosovo in this edition) are kept, unlinked, in
``"others"``. The output is committed: nothing is read or fetched at run time but that file
(iomcms/charts.py, :func:`~iomcms.charts.world_map`).
"""

import argparse
import itertools
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "iomcms" / "data" / "world_map.json"
WIDTH = 1000
LEFT_OUT = {"010"}  # Antarctica

# Equal Earth (EPSG:8857) coefficients.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topology):
    """Each arc as a list of (lon, lat): the quantized deltas summed and transformed."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    """A ring from its arcs (a negative index ~i is arc i reversed), shared ends once."""
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points):
    """A ring that crosses the antimeridian (Russia's Chukotka, Fiji) kept on the side most
    of it is on: the points across are held at ±180°, a sliver, not a stripe over the map."""
    if not any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(points)):
        return points
    east = sum(1 for lon, _ in points if lon > 0) >= len(points) / 2
    return [((180 if east else -180) if (lon < 0) == east else lon, lat) for lon, lat in points]


def build(source):
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)  # django-countries' tables only, no project
    from django_countries import countries

    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    rings = {}  # key -> [[(x, y)]]
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if numeric in LEFT_OUT:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        projected = [
            [equal_earth(*point) for point in unwrap(ring(arcs, indexes))]
            for polygon in polygons
            for indexes in polygon
        ]
        code = countries.alpha2(int(numeric)) if numeric else ""
        key = code or f"others:{geometry['properties'].get('name', '')}"
        rings.setdefault(key, []).extend(projected)
    xs = [x for shapes in rings.values() for shape in shapes for x, _ in shape]
    ys = [y for shapes in rings.values() for shape in shapes for _, y in shape]
    scale = WIDTH / (max(xs) - min(xs))
    left, top = min(xs), max(ys)
    height = math.ceil((max(ys) - min(ys)) * scale)

    def path(shapes):
        parts = []
        for shape in shapes:
            points = []
            for x, y in shape:
                point = (round((x - left) * scale), round((top - y) * scale))
                if not points or points[-1] != point:
                    points.append(point)
            if len(points) < 3:
                continue
            parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
        return "".join(parts)

    return {
        "source": "world-atlas 2.0.2 countries-110m.json (ISC licence), "
        "Natural Earth 1:110m (public domain)",
        "projection": "Equal Earth",
        "width": WIDTH,
        "height": height,
        "countries": {key: path(shapes) for key, shapes in sorted(rings.items()) if ":" not in key},
        "others": [path(shapes) for key, shapes in sorted(rings.items()) if ":" in key],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source", default=str(ROOT / "node_modules" / "world-atlas" / "countries-110m.json")
    )
    args = parser.parse_args()
    data = build(args.source)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{OUT.relative_to(ROOT)}: {len(data['countries'])} countries, {OUT.stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
