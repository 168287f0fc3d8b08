"""Locator maps: a small static SVG for each incident or tally page, drawn at build time from the map inputs
(geo/): Syria's governorates and outline, and the row's place as a dot where it has a coordinate from a recorded
origin, or its governorate shaded where the place is known only to the governorate (an area, never a false point).

The SVG is a separate file linked from the page as an image with a text alternative, so pages stay light. This
module gives the drawing as data; the template locator.svg.j2 writes it (escaped, like every page), so no data
string becomes markup.
"""

from __future__ import annotations

import math

from . import geo

WIDTH, PAD = 240, 6
LAND, SHADE, LINE, BORDER, DOT = "#FFFFFF", "#FCF3E0", "#8A8A8A", "#595959", "#D55E00"
AROUND = "#E4E4E4"  # everything outside Syria, land or sea alike (a locator map draws no neighbour)


def _merc(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), -math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _frame() -> tuple[float, float, float, float, float]:
    """(x0, y0, scale, width, height): Mercator's origin and pixels per unit that fit Syria into WIDTH."""
    west, south, east, north = geo.bounds(geo.outline())
    (x0, y0), (x1, y1) = _merc(west, north), _merc(east, south)
    scale = (WIDTH - 2 * PAD) / (x1 - x0)
    return x0, y0, scale, WIDTH, math.ceil((y1 - y0) * scale + 2 * PAD)


def _xy(lon: float, lat: float) -> tuple[float, float]:
    x0, y0, scale, _, _ = _frame()
    x, y = _merc(lon, lat)
    return PAD + (x - x0) * scale, PAD + (y - y0) * scale


def _path(geometry: dict) -> str:
    """SVG path data of a (multi)polygon, points closer than a pixel to the last one kept dropped."""
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for poly in polys:
        for ring in poly:
            kept: list[tuple[float, float]] = []
            for lon, lat in ring:
                p = _xy(lon, lat)
                if not kept or math.dist(p, kept[-1]) >= 1:
                    kept.append(p)
            if len(kept) >= 3:
                out.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z")
    return "".join(out)


def drawing(code: str | None, lat: float | None = None, lon: float | None = None) -> dict:
    """The locator map of one place, as data for locator.svg.j2: a dot at (lat, lon) if given, else its
    governorate (code) shaded."""
    _, _, _, width, height = _frame()
    areas = [
        {"d": _path(f["geometry"]), "fill": SHADE if lat is None and f["id"] == code else LAND}
        for f in geo.boundaries()["features"]
    ]
    outline = [_path(f["geometry"]) for f in geo.outline()["features"]]
    dot = None
    if lat is not None and lon is not None:
        x, y = _xy(lon, lat)
        dot = {"x": f"{x:.1f}", "y": f"{y:.1f}"}
    colours = {"around": AROUND, "line": LINE, "border": BORDER, "dot": DOT}
    return {"width": width, "height": height, "areas": areas, "outline": outline, "dot": dot, "colours": colours}
