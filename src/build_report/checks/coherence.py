"""Coherence: rules derived from the data model (model.py), not typed one by one.

The descriptor is checked against the model; then, on the typed tables, every reference the model declares
(whatever the descriptor still declares), every ordered pair, every date bound and chain of dates, one ID per
entity, IDs in one canonical form, URL hosts against their source's domains, points inside Syria, governorates
and gazetteer IDs against the words and names they were read from, and the fields that others depend on.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
from collections.abc import Callable
from typing import Any

import duckdb

from .. import geo, model, releases
from ..package import REPORT_GROUPS, Package, _q, records
from . import Failure, provenance

CHECK = "coherence"

# Natural Earth draws its Admin 1 boundaries for 1:10,000,000, where half a millimetre of line is 5 km on the
# ground, and the vendored copy is rounded to about 100 m. A village near a border may fall on the wrong side
# of so generalised a line, so a point within this distance of its governorate's boundary passes; farther out,
# the coordinate or the governorate is wrong.
GOVERNORATE_TOLERANCE_KM = 5.0

RULES = {
    "descriptor-matches-model": "the descriptor declares every table, field, primary key, foreign key and vocabulary of "
    "the data model (model.py), and nothing the model does not: a dropped key or value fails, whatever the version",
    "version-is-semantic": "the package's version is MAJOR.MINOR.PATCH",
    "reference-resolves": "every reference the model declares names an existing row, even when the descriptor no "
    "longer declares its foreign key",
    "low-not-above-high": "every X_min/X_max and X_start/X_end pair of every table is ordered",
    "date-in-campaign": "no date before the air campaign began (2015-09-30); search and publication dates not after "
    "today",
    "event-before-report": "an event comes on or before the day of the report about it",
    "publication-before-search": "a publication comes before any search for its claims",
    "search-before-review": "a search comes on or before the review that cites it",
    "decision-before-review": "a coding decision is reviewed on or after the day it was made",
    "ids-in-order-of-time": "in a table whose rows record when they were made (searches, reviews, coding decisions), "
    "IDs are issued in order of time: a later ID never carries an earlier date",
    "one-entity-one-id": "one outlet, one ID (normalised name, domain); one place, one ID (name, gazetteer ID, "
    "coordinates)",
    "id-canonical-form": "IDs and references in one canonical form: PREFIX-digits, ASCII, no extra leading zero",
    "url-host-of-its-source": "a report's URL is on one of its source's recorded domains, or the row says it is a "
    "copy of its source's report on another site (url_is_copy) or on a mirror host (on_mirror)",
    "published-date-in-url": "a publication date whose basis is the date in the URL is the date the URL holds",
    "point-inside-syria": "a coordinate lies inside Syria's outline",
    "point-inside-its-governorate": "a place's coordinate lies inside the boundary of the governorate the row names "
    f"(Natural Earth Admin 1), or within {GOVERNORATE_TOLERANCE_KM:g} km of it",
    "governorate-named-in-quote": "a governorate read from a quote is the one the quote names",
    "governorate-from-gazetteer-names-id": "a governorate read from the gazetteer names the place's GeoNames ID as its origin",
    "name-in-one-script": "no word of an entity's name mixes Latin with Cyrillic or Greek letters (a look-alike letter)",
    "gazetteer-id-matches-name": "a GeoNames ID is the gazetteer entry of the place's name",
    "compilation-not-its-own-corroboration": "no corroborating report resolves to the compilation's own "
    "independence group",
    "mirror-in-original-group": "a mirrored or syndicated copy of a source's report resolves to the independence group "
    "of that source's other rows for the same incident or tally",
    "recovered-link-has-url": "link_status recovered only where a probable original holds the recovered URL",
    "correcting-review-names-fields": "a correcting review names the fields it changed, each a field of the row's table",
}


def steps(pkg: Package, con: duckdb.DuckDBPyConnection) -> list[Callable[[], list[Failure]]]:
    """The rules of this module, each a function of no argument returning its failures, cheapest first."""
    return [
        lambda: descriptor(pkg),
        lambda: references(con),
        lambda: ordered(con),
        lambda: bounds(con),
        lambda: chains(con),
        lambda: id_order(con),
        lambda: identities(con),
        lambda: canonical(con),
        lambda: hosts(con),
        lambda: url_dates(con),
        lambda: points(con),
        lambda: governorates(con),
        lambda: gazetteer(con),
        lambda: scripts(con),
        lambda: self_corroboration(con),
        lambda: mirrors(con),
        lambda: recovered(con),
        lambda: corrections(con),
    ]


def check(pkg: Package, con: duckdb.DuckDBPyConnection) -> list[Failure]:
    return [f for step in steps(pkg, con) for f in step()]


def _fail(table: str, rid: object, field: str, rule: str, value: object) -> Failure:
    return Failure(table, str(rid), field, rule, str(value), CHECK)


# ---- the descriptor against the model ---------------------------------------------------------------


def descriptor(pkg: Package) -> list[Failure]:
    out = []
    resources = {r["name"]: r for r in pkg.table_resources()}

    def fail(table: str, field: str, value: object) -> None:
        out.append(_fail("datapackage", table, field, "descriptor-matches-model", value))

    if releases.version_key(pkg.version) is None:
        out.append(_fail("datapackage", "-", "version", "version-is-semantic", repr(pkg.descriptor.get("version"))))
    for name in sorted(set(resources) - set(model.TABLES)):
        fail(name, "-", "a table the model does not declare")
    for name, table in model.TABLES.items():
        res = resources.get(name)
        if res is None:
            fail(name, "-", "the model's table is missing")
            continue
        schema = res["schema"]
        fields: dict[Any, dict] = {f.get("name"): f for f in schema.get("fields", []) if isinstance(f, dict)}
        for f in table.fields:
            if f not in fields:
                fail(name, f, "the model's field is missing")
        for f in fields:
            if f not in table.fields:
                fail(name, f, "a field the model does not declare")
        pk = schema.get("primaryKey")
        if (pk if isinstance(pk, list) else [pk]) != [table.key]:
            fail(name, "primaryKey", f"{pk!r}; the model's key is {table.key}")
        declared = set()
        for fk in schema.get("foreignKeys", []):
            try:
                ref = fk["reference"]
                src = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
                tgt = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
                declared |= {(f, ref.get("resource") or name, t) for f, t in zip(src, tgt)}
            except (KeyError, TypeError):
                continue  # descriptor.py reports a malformed foreign key
        for fk in model.FOREIGN_KEYS:
            if fk.table == name and (fk.field, fk.target, fk.target_field) not in declared:
                fail(name, fk.field, f"the model's foreign key to {fk.target}.{fk.target_field} is missing")
        # IDs: the key and every reference carry the model's ID pattern; the key is required and unique.
        ids = {table.key: name} | {fk.field: fk.target for fk in model.FOREIGN_KEYS if fk.table == name}
        for f, of in ids.items():
            c = fields.get(f, {}).get("constraints") if isinstance(fields.get(f), dict) else None
            c = c if isinstance(c, dict) else {}
            if f in fields and c.get("pattern") != model.id_pattern(of):
                fail(name, f, f"pattern {c.get('pattern')!r}; the model's ID pattern is {model.id_pattern(of)}")
            elif f == table.key and not (c.get("required") is True and c.get("unique") is True):
                fail(name, f, "the key is not declared required and unique")
        for f, want_c in model.constraints().get(name, {}).items():
            got_c = fields.get(f, {}).get("constraints") if isinstance(fields.get(f), dict) else None
            got_c = got_c if isinstance(got_c, dict) else {}
            # A constraint the model declares is declared as it is; one the model does not declare only tightens.
            for k, v in want_c.items():
                if f in fields and got_c.get(k) != v:
                    fail(name, f, f"{k} {got_c.get(k)!r}; the model's is {v!r}")
                    break
        for f, spec in fields.items():
            want = model.ENUMS.get((name, f))
            got = (spec.get("constraints") or {}).get("enum") if isinstance(spec.get("constraints"), dict) else None
            if want is not None and (not isinstance(got, list) or sorted(map(str, got)) != sorted(want)):
                fail(name, f, f"enum {got!r}; the model's vocabulary is {list(want)!r}")
            elif want is None and got is not None:
                fail(name, f, "an enum the model does not declare")
    return out


# ---- references, pairs, dates ---------------------------------------------------------------------


def _union(con: duckdb.DuckDBPyConnection, parts: list[str]) -> list[tuple]:
    """The rows of several SELECTs of the same shape, in one query (one statement is much cheaper than many)."""
    return con.execute(" UNION ALL ".join(f"SELECT * FROM ({p})" for p in parts)).fetchall() if parts else []


def references(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    parts = []
    for n, fk in enumerate(model.FOREIGN_KEYS):
        key = model.TABLES[fk.table].key
        parts.append(
            f"SELECT {n} AS n, s.{_q(key)}::VARCHAR AS id, s.{_q(fk.field)}::VARCHAR AS v FROM {_q(fk.table)} s "
            f"WHERE s.{_q(fk.field)} IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {_q(fk.target)} t WHERE t.{_q(fk.target_field)} = s.{_q(fk.field)})"
        )
    out = []
    for n, rid, v in sorted(_union(con, parts)):
        fk = model.FOREIGN_KEYS[n]
        out.append(_fail(fk.table, rid, fk.field, "reference-resolves", f"{v} is not a row of {fk.target}"))
    return out


def ordered(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    pairs = model.pairs()
    parts = [
        f"SELECT {n} AS n, {_q(model.TABLES[t].key)}::VARCHAR AS id, {_q(low)}::VARCHAR AS a, {_q(high)}::VARCHAR AS b "
        f"FROM {_q(t)} WHERE {_q(low)} > {_q(high)}"
        for n, (t, low, high) in enumerate(pairs)
    ]
    out = []
    for n, rid, a, b in sorted(_union(con, parts)):
        t, low, high = pairs[n]
        out.append(_fail(t, rid, high, "low-not-above-high", f"{low}={a} > {high}={b}"))
    return out


def bounds(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    start = model.CAMPAIGN_START.isoformat()
    fields = model.date_fields()
    # Reported event dates may be in the past only; a search or a publication not after today either.
    parts = [
        f"SELECT {n} AS n, {_q(model.TABLES[t].key)}::VARCHAR AS id, {_q(f)} AS d FROM {_q(t)} "
        f"WHERE {_q(f)} < DATE '{start}' OR {_q(f)} > current_date"
        for n, (t, f) in enumerate(fields)
    ]
    out = []
    for n, rid, d in sorted(_union(con, parts)):
        why = "before the campaign began" if d < model.CAMPAIGN_START else f"after today ({dt.date.today()})"
        out.append(_fail(fields[n][0], rid, fields[n][1], "date-in-campaign", f"{d} is {why}"))
    return out


def chains(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    parts = [
        f"SELECT DISTINCT {n} AS n, b.{_q(model.TABLES[c.table].key)}::VARCHAR AS id, {c.earlier} AS e, {c.later} AS l "
        # An earlier date after today is its own failure (date-not-in-future); it is not repeated on every row
        # that follows it in a chain.
        f"FROM {c.join} WHERE ({c.where}) AND {c.earlier} > {c.later} AND {c.earlier} <= current_date"
        for n, c in enumerate(model.DATE_CHAINS)
    ]
    out = []
    for n, rid, e, later in sorted(_union(con, parts)):
        c = model.DATE_CHAINS[n]
        out.append(_fail(c.table, rid, c.field, c.name, f"{later} is before {e}"))
    return out


def id_order(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Each pair of consecutive IDs whose dates go back in time, reported once: on the earlier row when it stands
    above both neighbours (a date raised), else on the later one (a date lowered). A date after today is
    date-not-in-future's failure, not repeated here."""
    parts = []
    for n, (t, f) in enumerate(model.RECORDED_ON):
        m = model.TABLES[t]
        # The ID's number orders the rows (IDs in another form are id-canonical-form's failure).
        order = f"TRY_CAST(split_part({_q(m.key)}, '-', 2) AS BIGINT)"
        parts.append(
            f"SELECT {n} AS n, a, d, before, after, nxt, beyond FROM (SELECT {_q(m.key)}::VARCHAR AS a, {_q(f)} AS d, "
            f"lag({_q(f)}) OVER w AS before, lead({_q(f)}) OVER w AS after, lead({_q(m.key)}::VARCHAR) OVER w AS nxt, "
            f"lead({_q(f)}, 2) OVER w AS beyond "
            f"FROM {_q(t)} WHERE {_q(f)} IS NOT NULL AND regexp_full_match({_q(m.key)}, '{m.prefix}-[0-9]+') "
            f"WINDOW w AS (ORDER BY {order})) WHERE d > after AND d <= current_date"
        )
    out = []
    for n, a, d, before, after, nxt, beyond in sorted(_union(con, parts)):
        t, f = model.RECORDED_ON[n]
        # The earlier row is the odd one when the rows around the pair agree with the later one.
        ref = before if before is not None else beyond
        if ref is not None and ref <= after:
            out.append(_fail(t, a, f, "ids-in-order-of-time", f"{d}, after {after} of the next ID {nxt}"))
        else:
            out.append(_fail(t, nxt, f, "ids-in-order-of-time", f"{after}, before {d} of the previous ID {a}"))
    return out


# ---- identity -----------------------------------------------------------------------------------------


def _key_value(field: str, v: Any) -> Any:
    if v is None or v == "":
        return None
    if field in ("name", "standard_name"):
        return model.norm_name(v) or None
    if field == "domains":
        return None  # domains are compared host by host below
    return str(v)


def identities(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for ident in model.IDENTITIES:
        if ident.table == "search_log":
            continue  # re-runs of a search are separate rows (see docs/mutation.md)
        key = model.TABLES[ident.table].key
        cols = sorted({f for k in ident.keys for f in k} | {key})
        present = {r[0] for r in con.execute(f"DESCRIBE {_q(ident.table)}").fetchall()}
        rows = records(
            con, f"SELECT {', '.join(_q(c) for c in cols if c in present)} FROM {_q(ident.table)} ORDER BY {_q(key)}"
        )
        reported = set()
        for k in ident.keys:
            if not all(f in present for f in k):
                continue
            first: dict = {}
            for r in rows:
                if k == ("domains",):
                    values = [(h,) for h in (r["domains"] or "").split()]
                else:
                    v = tuple(_key_value(f, r[f]) for f in k)
                    values = [v] if all(x is not None for x in v) else []
                for v in values:
                    if v in first and first[v] != r[key] and r[key] not in reported:
                        reported.add(r[key])
                        out.append(
                            _fail(
                                ident.table,
                                r[key],
                                k[0],
                                "one-entity-one-id",
                                f"{'/'.join(map(str, v))} is also {first[v]}",
                            )
                        )
                    first.setdefault(v, r[key])
    return out


def _plain_id(table: str) -> str | None:
    """An RE2 pattern that only IDs of table in canonical form match in full (model.canonical_id: PREFIX-digits,
    zero-padded to the width and no further), so that only the other values are read into Python and judged there.
    None for a table with a form of its own (all of its values are judged)."""
    t = model.TABLES[table]
    if t.form or not re.fullmatch(r"[A-Z]+", t.prefix):
        return None
    return f"{t.prefix}-(?:[0-9]{{{t.digits}}}|[1-9][0-9]{{{t.digits},}})"


def canonical(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    cols = [(t, m.key, t) for t, m in model.TABLES.items()] + [
        (fk.table, fk.field, fk.target) for fk in model.FOREIGN_KEYS
    ]
    parts = [
        f"SELECT {n} AS n, {_q(model.TABLES[t].key)}::VARCHAR AS id, {_q(f)}::VARCHAR AS v FROM {_q(t)} "
        f"WHERE {_q(f)} IS NOT NULL"
        + (f" AND NOT regexp_full_match({_q(f)}::VARCHAR, '{rx}')" if (rx := _plain_id(of)) else "")
        for n, (t, f, of) in enumerate(cols)
    ]
    out = []
    for n, rid, v in sorted(_union(con, parts)):
        table, field, of = cols[n]
        if not model.canonical_id(of, v):
            out.append(_fail(table, rid, field, "id-canonical-form", v))
    return out


# ---- URLs, places ---------------------------------------------------------------------------------------


def hosts(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for r in records(
        con,
        "SELECT c.corroboration_id, c.url, c.source_id, coalesce(c.url_is_copy, false) OR coalesce(c.on_mirror, false) "
        "AS mirror, s.domains FROM corroborations c "
        "JOIN sources s USING (source_id) ORDER BY 1",
    ):
        h = model.host(r["url"])
        domains = set((r["domains"] or "").split())
        if h and h not in domains and not r["mirror"]:
            out.append(
                _fail(
                    "corroborations",
                    r["corroboration_id"],
                    "url",
                    "url-host-of-its-source",
                    f"{h} is not a domain of {r['source_id']} ({' '.join(sorted(domains)) or 'none recorded'}) "
                    "and the row does not say it is a mirror",
                )
            )
    return out


def url_dates(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for rid, url, d in con.execute(
        "SELECT corroboration_id, url, published_date FROM corroborations WHERE published_date IS NOT NULL "
        "AND published_date_basis LIKE 'date in URL%' ORDER BY 1"
    ).fetchall():
        y, m, day = f"{d.year:04d}", f"{d.month:02d}", f"{d.day:02d}"
        # Year, month, day in that order (2016/01/11, 2016-01/11, 2016/0111) or day, month, year (11/01/2016).
        rx = rf"(?<!\d){y}[/-]?{m}[/-]?{day}(?!\d)|(?<!\d){day}[/-]{m}[/-]{y}(?!\d)"
        if not re.search(rx, url or ""):
            out.append(_fail("corroborations", rid, "published_date", "published-date-in-url", f"{d}; {url}"))
    return out


@functools.cache
def _outline() -> list[list[tuple[float, float]]]:
    """Syria's outline as rings of (lon, lat)."""
    rings = []
    for feature in geo.outline()["features"]:
        g = feature["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for poly in polys:
            rings += [[(float(x), float(y)) for x, y in ring] for ring in poly]
    return rings


def inside_outline(lat: float, lon: float) -> bool:
    return _in_rings(_outline(), lat, lon)


_in_rings = geo.in_rings  # the geometry lives with the boundaries


def governorate_at(lat: float, lon: float) -> str | None:
    """The ISO 3166-2:SY code of the governorate whose boundary (geo/governorates.geojson) holds the point."""
    return next((code for code, rings in geo.governorate_boundaries().items() if _in_rings(rings, lat, lon)), None)


def km_to_boundary(code: str, lat: float, lon: float) -> float:
    """Distance in km from a point to the nearest edge of a governorate's boundary (equirectangular around the
    point: at these distances and latitudes its error is far below the tolerance)."""
    kx, ky = math.cos(math.radians(lat)) * 111.32, 110.57
    best = math.inf
    for ring in geo.governorate_boundaries()[code]:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            ax, ay, bx, by = (x1 - lon) * kx, (y1 - lat) * ky, (x2 - lon) * kx, (y2 - lat) * ky
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy))) if dx or dy else 0.0
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def points(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for table in ("places", "crosswalk"):
        key = model.TABLES[table].key
        extra = ", admin1_code" if table == "places" else ", NULL"
        for rid, lat, lon, code in con.execute(
            f"SELECT {_q(key)}, latitude, longitude{extra} FROM {_q(table)} "
            "WHERE latitude IS NOT NULL AND longitude IS NOT NULL ORDER BY 1"
        ).fetchall():
            if not inside_outline(lat, lon):
                out.append(_fail(table, rid, "latitude", "point-inside-syria", f"{lat}, {lon}"))
                continue
            if code not in geo.governorate_boundaries():
                continue  # no governorate, or an unknown code (the foreign key reports it)
            if _in_rings(geo.governorate_boundaries()[code], lat, lon):
                continue
            km = km_to_boundary(code, lat, lon)
            if km > GOVERNORATE_TOLERANCE_KM:
                found = governorate_at(lat, lon) or "no governorate"
                out.append(
                    _fail(
                        table,
                        rid,
                        "admin1_code",
                        "point-inside-its-governorate",
                        f"{code}; {lat}, {lon} lies in {found}, {km:.1f} km outside {code}'s boundary",
                    )
                )
    return out


def _grams(text: str, longest: int = 4) -> set[str]:
    """Every run of up to `longest` words of text, written without spaces ('DeirEzzor' and 'Deir Ezzor' alike)."""
    words = geo._norm(text.replace("#", " ").replace("_", " ")).split()
    return {"".join(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)}


@functools.cache
def _governorate_names() -> dict[str, frozenset[str]]:
    """Each governorate's names, without spaces: its ISO 3166-2 name, and every name of the most populous city
    named like it (as geo.governorates chooses its label city), from the gazetteer the gate already loaded."""
    import pycountry

    cities = sorted(
        (c for c in provenance._gazetteer().values() if c["countrycode"] == "SY"),
        key=lambda c: (-c["population"], c["geonameid"]),
    )
    out = {}
    for sub in pycountry.subdivisions.get(country_code="SY"):
        iso = sub.name.removesuffix(" Province")
        names = {geo._norm(iso)}
        for c in cities:
            known = {geo._norm(n) for n in [c["name"], *c["alternatenames"]]}
            if geo._norm(iso) in known:
                names |= known
                break
        out[sub.code] = frozenset(n.replace(" ", "") for n in names if n.replace(" ", ""))
    return out


def governorates(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    names = _governorate_names()
    for r in records(
        con,
        "SELECT p.place_id, p.admin1_code, p.admin1_origin, c.quote FROM places p "
        "JOIN claims c ON c.claim_id = p.admin1_origin WHERE p.admin1_basis = 'quote' AND p.admin1_code IS NOT NULL "
        "ORDER BY 1",
    ):
        grams = _grams(r["quote"] or "")
        if not grams & names.get(r["admin1_code"], frozenset()):
            others = sorted(code for code, ns in names.items() if grams & ns)
            out.append(
                _fail(
                    "places",
                    r["place_id"],
                    "admin1_origin",
                    "governorate-named-in-quote",
                    f"{r['admin1_code']}; {r['admin1_origin']} names {', '.join(others) or 'no governorate'}",
                )
            )
    return out


def gazetteer(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = [
        _fail("places", pid, "admin1_origin", "governorate-from-gazetteer-names-id", f"{origin}; GeoNames ID {gid}")
        for pid, gid, origin in con.execute(
            "SELECT place_id, geonames_id, admin1_origin FROM places WHERE admin1_basis = 'geonames' "
            "AND (geonames_id IS NULL OR NOT contains(coalesce(admin1_origin, ''), geonames_id::VARCHAR)) ORDER BY 1"
        ).fetchall()
    ]
    cities = provenance._gazetteer()
    for r in records(
        con,
        "SELECT place_id, geonames_id, name_as_written, standard_name FROM places WHERE geonames_id IS NOT NULL "
        "ORDER BY 1",
    ):
        entry = cities.get(str(r["geonames_id"]))
        if entry is None:
            continue  # provenance reports an ID outside the gazetteer
        known = {geo._norm(n) for n in [entry["name"], *entry["alternatenames"]]}
        mine = {geo._norm(n) for n in [r["standard_name"], *(r["name_as_written"] or "").split(";")] if n.strip()}
        if not known & mine:
            out.append(
                _fail(
                    "places",
                    r["place_id"],
                    "geonames_id",
                    "gazetteer-id-matches-name",
                    f"{r['geonames_id']} is {entry['name']}, not {r['standard_name']}",
                )
            )
    return out


# ---- evidence ---------------------------------------------------------------------------------------------


def self_corroboration(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    rows = records(
        con,
        """
        SELECT k.corroboration_id, k.relation, g.source_id AS compilation
        FROM corroborations k JOIN sources s ON s.source_id = coalesce(k.relies_on_source_id, k.source_id)
        JOIN sources g ON g.source_id = s.independence_group AND g.source_type = 'compilation'
        WHERE k.relation IN ('independent', 'probable_original', 'conflicting') ORDER BY 1""",
    )
    return [
        _fail(
            "corroborations",
            r["corroboration_id"],
            "source_id",
            "compilation-not-its-own-corroboration",
            f"{r['relation']} report in the compilation's own group {r['compilation']}",
        )
        for r in rows
    ]


def mirrors(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    rows = records(
        con,
        f"""
        WITH r AS ({REPORT_GROUPS})
        SELECT m.id, m.grp, min(o.id) AS other, min(o.grp) AS ogrp FROM r m JOIN r o
          ON o.source_id = m.source_id AND o.target IS NOT DISTINCT FROM m.target AND o.id <> m.id
             AND NOT coalesce(o.mirror, false) AND o.grp <> m.grp
        WHERE m.mirror GROUP BY ALL ORDER BY 1""",
    )
    return [
        _fail(
            "corroborations",
            r["id"],
            "relies_on_source_id",
            "mirror-in-original-group",
            f"a copy in group {r['grp']}; {r['other']}, the source's own report, is in {r['ogrp']}",
        )
        for r in rows
    ]


def recovered(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    rows = con.execute("""
        SELECT c.claim_id FROM claims c WHERE c.link_status = 'recovered' AND NOT EXISTS (
            SELECT 1 FROM corroborations k WHERE k.claim_id = c.claim_id AND k.relation = 'probable_original'
              AND k.url IS NOT NULL) ORDER BY 1""").fetchall()
    return [
        _fail("claims", cid, "link_status", "recovered-link-has-url", "recovered, but no probable original holds a URL")
        for (cid,) in rows
    ]


_FIELD_LIST = re.compile(r"[;,\s]+")


def corrections(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    out = []
    for r in records(con, 'SELECT review_id, "table", outcome, fields_changed FROM reviews ORDER BY 1'):
        named = [f for f in _FIELD_LIST.split(r["fields_changed"] or "") if f]
        if r["outcome"] == "corrected" and not named:
            out.append(_fail("reviews", r["review_id"], "fields_changed", "correcting-review-names-fields", "empty"))
            continue
        fields = model.TABLES[r["table"]].fields if r["table"] in model.TABLES else ()
        unknown = [f for f in named if f not in fields]
        if unknown:
            out.append(
                _fail(
                    "reviews",
                    r["review_id"],
                    "fields_changed",
                    "correcting-review-names-fields",
                    f"{', '.join(unknown)} not a field of {r['table']}",
                )
            )
    return out


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LOOKALIKE = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")  # Greek and Cyrillic


def scripts(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Names that identify an entity (model.IDENTITIES): a look-alike letter inside a Latin word fails."""
    out = []
    for ident in model.IDENTITIES:
        key = model.TABLES[ident.table].key
        for f in {k[0] for k in ident.keys if k[0] in ("name", "standard_name")}:
            for rid, v in con.execute(
                f"SELECT {_q(key)}, {_q(f)} FROM {_q(ident.table)} WHERE {_q(f)} IS NOT NULL ORDER BY 1"
            ).fetchall():
                bad = [w for w in re.findall(r"\w+", v) if _LATIN.search(w) and _LOOKALIKE.search(w)]
                if bad:
                    out.append(_fail(ident.table, rid, f, "name-in-one-script", bad[0]))
    return out
