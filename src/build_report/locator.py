"""Locator maps: a small static SVG for each incident or tally page, drawn at build time from the map inputs
(geo/): Syria's governorates and outline, and the row's place as a dot where it has a coordinate from a recorded
origin, or its governorate shaded where the place is known only to the governorate (an area, never a false point).

The SVG is a separate file linked from the page by an <img> with a text alternative, so pages stay light and no
data string becomes markup: the only text inside the drawing is the place's name, escaped.
"""

from __future__ import annotations

import math
from html import escape

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


def svg(title: str, code: str | None, lat: float | None = None, lon: float | None = None) -> str:
    """The locator map of one place: a dot at (lat, lon) if given, else its governorate (code) shaded."""
    _, _, _, width, height = _frame()
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img">'
        ),
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="{AROUND}"/>',
    ]
    for f in geo.boundaries()["features"]:
        fill = SHADE if lat is None and f["id"] == code else LAND
        parts.append(f'<path d="{_path(f["geometry"])}" fill="{fill}" stroke="{LINE}" stroke-width="0.6"/>')
    for f in geo.outline()["features"]:
        parts.append(f'<path d="{_path(f["geometry"])}" fill="none" stroke="{BORDER}" stroke-width="1.2"/>')
    if lat is not None and lon is not None:
        x, y = _xy(lon, lat)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{DOT}" stroke="#FFFFFF" stroke-width="1.5"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
