"""Extract Syria's outline from the npm package world-atlas (Natural Earth 1:10m country outlines).

Run by hand, never at build or test time; the result is vendored beside this file:

    npm pack world-atlas@2.0.2 --pack-destination build
    .venv/bin/python -m build_report.geo.extract build/world-atlas-2.0.2.tgz

The tarball must have the integrity npm publishes for that version (recorded in provenance.json); the
TopoJSON arcs of the one country with ISO 3166-1 numeric id 760 (Syria) are decoded to GeoJSON, with
coordinates rounded to 4 decimal places (about 10 m, finer than the 1:10m source).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).parent
PACKAGE, VERSION = "world-atlas", "2.0.2"
INTEGRITY = "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
MEMBER, COUNTRY_ID = "package/countries-10m.json", "760"
OUTLINE = HERE / "syria.geojson"


def _arc(topo: dict, i: int) -> list[list[float]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    x = y = 0
    points = []
    for dx, dy in topo["arcs"][i if i >= 0 else ~i]:
        x, y = x + dx, y + dy
        points.append([round(x * sx + tx, 4), round(y * sy + ty, 4)])
    return points if i >= 0 else points[::-1]


def _ring(topo: dict, arcs: list[int]) -> list[list[float]]:
    ring: list[list[float]] = []
    for i in arcs:
        pts = _arc(topo, i)
        ring.extend(pts if not ring else pts[1:])  # consecutive arcs share their end point
    return ring


def extract(tarball: Path) -> dict:
    data = tarball.read_bytes()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"{tarball}: integrity {digest} is not npm's {INTEGRITY} for {PACKAGE}@{VERSION}")
    with tarfile.open(tarball) as tar:
        topo = json.load(tar.extractfile(MEMBER))
        licence = tar.extractfile("package/LICENSE").read().decode("utf-8")
    (geom,) = [g for g in topo["objects"]["countries"]["geometries"] if g.get("id") == COUNTRY_ID]
    polygons = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
    coordinates = [[_ring(topo, ring) for ring in polygon] for polygon in polygons]
    feature = {
        "type": "Feature",
        "id": COUNTRY_ID,
        "properties": {"name": geom["properties"]["name"]},
        "geometry": {"type": "Polygon", "coordinates": coordinates[0]}
        if len(coordinates) == 1
        else {"type": "MultiPolygon", "coordinates": coordinates},
    }
    return {"outline": {"type": "FeatureCollection", "features": [feature]}, "licence": licence}


def main(argv: list[str]) -> int:
    out = extract(Path(argv[0]))
    text = json.dumps(out["outline"], separators=(",", ":"), ensure_ascii=False) + "\n"
    OUTLINE.write_text(text, encoding="utf-8")
    (HERE / "world-atlas.LICENSE").write_text(out["licence"], encoding="utf-8")
    record = {
        "file": OUTLINE.name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "what": "Outline of Syria (ISO 3166-1 numeric 760) as drawn by Natural Earth 1:10m Admin 0 countries",
        "source": {
            "registry": "npm",
            "package": PACKAGE,
            "version": VERSION,
            "integrity": INTEGRITY,
            "tarball": f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz",
            "member": MEMBER,
            "object": f"countries, id {COUNTRY_ID}",
            "licence": "ISC (world-atlas); the Natural Earth data is in the public domain",
            "licence_file": "world-atlas.LICENSE",
            "upstream": "https://www.naturalearthdata.com/",
        },
        "extraction": f"npm pack {PACKAGE}@{VERSION} --pack-destination build && "
        f".venv/bin/python -m build_report.geo.extract build/{PACKAGE}-{VERSION}.tgz",
        "rounding": "4 decimal places",
    }
    (HERE / "provenance.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTLINE.name} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
